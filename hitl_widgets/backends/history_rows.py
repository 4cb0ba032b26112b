"""A thread's skeleton rows, as each saver's reader gives them, turned into checkpoint records.

Every reader (SQLite, Postgres, memory, any other saver) yields the same `SkeletonRow`: a
checkpoint's id, parent, metadata (step, source, the debugger's `as_node`) and the task paths of
the writes stored at it. `records()` derives the rest: which nodes ran from each checkpoint
(`next`) and which wrote it (`writes`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hitl_widgets.backends.base import CheckpointRecord
from hitl_widgets.backends.push_tasks import TASKS_CHANNEL, send_target
from hitl_widgets.model import time_of_uuid6

# Metadata key the debugger adds to checkpoints made by `update_state`, naming `as_node`.
AS_NODE_KEY = "hitl_as_node"

_PULL = "__pregel_pull"
_PUSH = "__pregel_push"
_NULL_TASK = "00000000-0000-0000-0000-000000000000"  # writes a run's input Command makes
_BRANCH = "branch:to:"


@dataclass
class SkeletonRow:
    """One checkpoint as a reader found it; `add_task_path` for each write stored at it."""

    id: str
    parent_id: str | None
    metadata: dict[str, Any]
    pulled: list[str] = field(default_factory=list)
    pushed: list[int] = field(default_factory=list)  # `Send` tasks ran from it, by packet index
    # nodes of the `Send`s written here, in order; None: the reader could not read them
    sends: list[str | None] | None = None
    commanded: list[str] = field(default_factory=list)  # nodes a resume's `Command(goto=)` sent it to
    unnamed_tasks: bool = False  # tasks ran from it whose node nothing names, or paths unknown

    def add_write(
        self, task_id: str, task_path: str, channel: str, kind: str | None, head: bytes | None
    ) -> None:
        """A write stored at this checkpoint, with the first bytes of its value if it is a
        `Send` packet (a reader that gives them names `Send` tasks without a snapshot)."""
        self.add_task_path(task_path)
        if self.sends is None:
            self.sends = []
        if channel == TASKS_CHANNEL:
            self.sends.append(send_target(kind, head))
        if task_id == _NULL_TASK and channel.startswith(_BRANCH):
            # a resume's Command(goto=...) ran that node from here too, yet LangGraph's view of
            # this checkpoint (what runs next) leaves it out
            self.commanded.append(channel[len(_BRANCH) :])

    def add_task_path(self, task_path: str) -> None:
        parts = [p.strip() for p in task_path.lstrip("~").split(",")]
        if len(parts) >= 2 and parts[0] == _PULL:
            if parts[1] not in self.pulled:
                self.pulled.append(parts[1])
        elif len(parts) >= 3 and parts[0] == _PUSH and parts[1] == f"~{_PULL}":
            # a functional `@task` called by a node: that node's own task names what ran
            if parts[2] not in self.pulled:
                self.pulled.append(parts[2])
        elif parts and parts[0] == _PUSH:
            index = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else -1
            if index not in self.pushed:
                self.pushed.append(index)


TasksOf = Callable[[str], tuple[tuple[str, ...], tuple[str, ...]]]
"""A checkpoint's (next, nodes whose tasks finished there), read from a real snapshot."""


def records(
    rows: Iterable[SkeletonRow], node_order: Sequence[str], tasks_of: TasksOf | None = None
) -> list[CheckpointRecord]:
    """Turn rows (newest first) into records, deriving `next` and `writes`.

    A step that ran `Send` tasks left no node name in their task paths; `tasks_of` (one
    snapshot per such step, never per checkpoint) tells what ran there, and so what wrote the
    checkpoint after it.
    """
    rows = list(rows)
    by_id = {r.id: r for r in rows}
    rank = {name: i for i, name in enumerate(node_order)}
    ran_from: set[str] = {r.parent_id for r in rows if r.parent_id and r.metadata.get("source") == "loop"}
    next_of: dict[str, tuple[str, ...] | None] = {}  # what LangGraph lists as a checkpoint's next
    ran_at: dict[str, tuple[str, ...]] = {}  # the tasks that ran from it, where that differs
    for row in rows:
        # Writes at a checkpoint name what ran from it only once a step actually ran from it;
        # an edit stores its writes there too, under no node's name.
        pulled = sorted(row.pulled, key=lambda n: rank.get(n, len(rank)))
        pushed = _send_targets(row, by_id.get(row.parent_id or ""))
        if row.id in ran_from and not row.unnamed_tasks and pushed is not None:
            # as LangGraph lists a checkpoint's tasks: `Send`s first, in packet order
            ran = (*pushed, *pulled)
            next_of[row.id] = tuple(n for n in ran if n not in row.commanded)
            ran_at[row.id] = ran
        elif row.id in ran_from and tasks_of is not None:
            next_of[row.id], ran_at[row.id] = tasks_of(row.id)
        else:
            next_of[row.id] = None
    found = []
    for row in rows:
        source = str(row.metadata.get("source", "loop"))
        found.append(
            CheckpointRecord(
                id=row.id,
                parent_id=row.parent_id,
                step=int(row.metadata.get("step", 0)),
                source=source,
                next=next_of[row.id],
                writes=_writers(row, source, next_of, ran_at),
                created_at=time_of_uuid6(row.id),
            )
        )
    return found


def _send_targets(row: SkeletonRow, parent: SkeletonRow | None) -> list[str] | None:
    """The nodes of the `Send` tasks that ran from `row`, named by the packets its parent's
    tasks wrote; None if they cannot be told (the parent or its packets were not read)."""
    if not row.pushed:
        return []
    if parent is None or parent.sends is None:
        return None
    names = [parent.sends[i] if 0 <= i < len(parent.sends) else None for i in sorted(row.pushed)]
    return None if None in names else [n for n in names if n is not None]


def _writers(
    row: SkeletonRow,
    source: str,
    next_of: dict[str, tuple[str, ...] | None],
    ran_at: dict[str, tuple[str, ...]],
) -> tuple[str, ...]:
    if source == "input":
        return ("__input__",)
    if source == "update":
        as_node = row.metadata.get(AS_NODE_KEY)
        return (str(as_node),) if as_node else ()
    if source == "loop" and row.parent_id:
        return ran_at.get(row.parent_id) or next_of.get(row.parent_id) or ()
    return ()


def parse_metadata(raw: Any) -> dict[str, Any]:
    """Metadata as a saver stores it (JSON text or bytes, or a mapping) as a dict."""
    if isinstance(raw, (bytes, str)):
        try:
            parsed = json.loads(raw)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return dict(raw) if isinstance(raw, dict) else {}


def missing_parents(rows: Iterable[SkeletonRow]) -> list[str]:
    """Parents of these rows that are not among them (a page's records need their parents)."""
    rows = list(rows)
    known = {r.id for r in rows}
    return sorted({r.parent_id for r in rows if r.parent_id and r.parent_id not in known})
