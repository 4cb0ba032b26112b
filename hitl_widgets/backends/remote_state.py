"""The server's `ThreadState` JSON turned into the backend records: snapshots and pending interrupts.

`threads.get_state(..., subgraphs=True)` answers with the same tree LangGraph builds in the
kernel, as JSON: each task carries its interrupts and, for a subgraph, the subgraph's own state
with its tasks. This mirrors `local._pending_interrupts` on that JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hitl_widgets.backends.base import Snapshot
from hitl_widgets.backends.subgraph_runs import walk_subgraph_runs
from hitl_widgets.model import PendingInterrupt, SubgraphCheckpoint


def checkpoint_id_of(state: Mapping[str, Any], key: str = "checkpoint") -> str | None:
    """The checkpoint id under `key` ("checkpoint" or "parent_checkpoint"), if any."""
    ref = state.get(key)
    return str(ref["checkpoint_id"]) if isinstance(ref, Mapping) and ref.get("checkpoint_id") else None


def snapshot_of(state: Mapping[str, Any]) -> Snapshot:
    tasks = state.get("tasks") or []
    step = (state.get("metadata") or {}).get("step")
    values = state.get("values")
    return Snapshot(
        checkpoint_id=checkpoint_id_of(state),
        parent_id=checkpoint_id_of(state, "parent_checkpoint"),
        step=int(step) if step is not None else None,
        next=tuple(state.get("next") or ()),
        values=values,
        interrupts=tuple(pending_interrupts(tasks)),
        errors={str(t["name"]): str(t["error"]) for t in tasks if t.get("error")},
        asked=tuple(dict.fromkeys(str(t["name"]) for t in tasks if t.get("interrupts"))),
        answered=tuple(
            PendingInterrupt(
                id=str(it["id"]), value=it.get("value"), node=str(t["name"]), ns=(f"{t['name']}:{t['id']}",)
            )
            for t in tasks
            if t.get("result") is not None
            for it in t.get("interrupts") or []
        ),
    )


def pending_interrupts(tasks: list[Mapping[str, Any]], ns: tuple[str, ...] = ()) -> list[PendingInterrupt]:
    """Every pending interrupt, the innermost subgraph's first (it names the node that asked)."""
    found: dict[str, PendingInterrupt] = {}
    for task in tasks:
        if task.get("result") is not None:
            continue  # finished: its interrupts were answered (kept on record)
        path = (*ns, f"{task['name']}:{task['id']}")
        inner = task.get("state")
        if isinstance(inner, Mapping):
            for it in pending_interrupts(inner.get("tasks") or [], path):
                found.setdefault(it.id, it)
        for it in task.get("interrupts") or []:
            found.setdefault(
                str(it["id"]),
                PendingInterrupt(
                    id=str(it["id"]),
                    value=it.get("value"),
                    node=str(task["name"]),
                    ns=path,
                    response_schema=it.get("response_schema"),
                ),
            )
    return list(found.values())


def subgraph_checkpoints(
    history: Callable[[str], list[Mapping[str, Any]]], root: Mapping[str, Any], subgraphs: set[str]
) -> list[SubgraphCheckpoint]:
    """`local_inside.subgraph_checkpoints` on a server's JSON (see `subgraph_runs`): `root` is
    the root checkpoint's state, `history(ns)` lists a run's checkpoints newest first, as
    `threads.get_history` does."""

    def record(state: Mapping[str, Any], path: str, ns: str) -> SubgraphCheckpoint:
        step = (state.get("metadata") or {}).get("step")
        return SubgraphCheckpoint(
            path=path,
            id=str(checkpoint_id_of(state)),
            parent_id=checkpoint_id_of(state, "parent_checkpoint"),
            step=int(step) if step is not None else 0,
            next=tuple(state.get("next") or ()),
            values=state.get("values"),
            checkpoint_ns=ns,
        )

    return walk_subgraph_runs(_tasks(root), subgraphs, history, _tasks, record)


def _tasks(state: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(str(task["name"]), str(task["id"])) for task in state.get("tasks") or []]
