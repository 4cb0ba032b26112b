"""Breakpoints inside subgraphs, and where a run stopped inside one.

LangGraph takes run-time breakpoints for the root graph only; a subgraph stops at the
breakpoints compiled into it (`interrupt_before_nodes`, `interrupt_after_nodes`). So for the
length of one run the Debugger adds its breakpoints to the subgraph objects themselves and
puts back what was compiled when the run ends. A stop inside a subgraph ends the root run
too; the root's pending task then carries the subgraph's own checkpoint (`get_state(...,
subgraphs=True)`), which is how `stopped_inside` finds where it stands.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.pregel import Pregel
from langgraph.types import StateSnapshot

from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import Inside, SubgraphCheckpoint

Nodes = Sequence[str] | Literal["*"]

# Subgraph objects are shared by every graph (and Debugger) that uses them: one run at a time
# changes their breakpoints.
_lock = threading.Lock()


def subgraphs_by_path(graph: Pregel[Any, Any, Any, Any]) -> dict[str, Pregel[Any, Any, Any, Any]]:
    """Every subgraph at any depth, by its path from the root ("mid", "mid/inner")."""
    return {
        ns.replace("|", "/"): sub for ns, sub in graph.get_subgraphs(recurse=True) if isinstance(sub, Pregel)
    }


def _merged(compiled: Any, added: Nodes) -> Any:
    if compiled == "*" or added == "*":
        return "*"
    return [*compiled, *(n for n in added if n not in compiled)]


@contextmanager
def inside_breakpoints(
    graph: Pregel[Any, Any, Any, Any], before: Mapping[str, Nodes], after: Mapping[str, Sequence[str]]
) -> Iterator[None]:
    """The subgraphs of `graph` stop at these breakpoints too while the block runs."""
    if not before and not after:
        yield
        return
    subgraphs = subgraphs_by_path(graph)
    unknown = sorted((before.keys() | after.keys()) - subgraphs.keys())
    if unknown:
        raise DebuggerError(f"no subgraph at {choices(unknown)}; subgraphs are: {choices(subgraphs)}")
    if not _lock.acquire(blocking=False):  # never wait: the other run may be on this event loop
        raise DebuggerError(
            "another Debugger is running with breakpoints inside subgraphs; LangGraph keeps those "
            "breakpoints on the subgraph objects, which graphs share: wait for that run to pause"
        )
    kept = {
        path: (subgraphs[path].interrupt_before_nodes, subgraphs[path].interrupt_after_nodes)
        for path in before.keys() | after.keys()
    }
    try:
        for path, (compiled_before, compiled_after) in kept.items():
            subgraphs[path].interrupt_before_nodes = _merged(compiled_before, before.get(path, ()))
            subgraphs[path].interrupt_after_nodes = _merged(compiled_after, after.get(path, ()))
        yield
    finally:
        for path, (compiled_before, compiled_after) in kept.items():
            subgraphs[path].interrupt_before_nodes = compiled_before
            subgraphs[path].interrupt_after_nodes = compiled_after
        _lock.release()


def stopped_inside(state: StateSnapshot) -> Inside | None:
    """The innermost subgraph a stopped run stands inside (one that saved a checkpoint of its
    own and was not finished), or None when the run stopped at the root."""
    found: Inside | None = None
    path: list[str] = []
    while True:
        inner = next(
            (
                t
                for t in state.tasks
                if t.result is None
                and isinstance(t.state, StateSnapshot)
                and "checkpoint_id" in t.state.config.get("configurable", {})
            ),
            None,
        )
        if inner is None:
            return found
        assert isinstance(inner.state, StateSnapshot)
        state = inner.state
        path.append(inner.name)
        configurable = state.config["configurable"]
        found = Inside(
            path="/".join(path),
            next=tuple(state.next),
            values=state.values,
            checkpoint_ns=str(configurable["checkpoint_ns"]),
            checkpoint_id=str(configurable["checkpoint_id"]),
        )


def subgraph_checkpoints(graph: Pregel[Any, Any, Any, Any], at: RunnableConfig) -> list[SubgraphCheckpoint]:
    """Every checkpoint the subgraphs run from the root checkpoint `at` saved, at any depth:
    each subgraph's oldest first, each followed by those of the subgraphs it ran from it.

    A subgraph run keeps its checkpoints in the namespace `node:task_id` (nested: joined by
    "|"), and the root checkpoint's tasks carry those task ids."""
    subgraphs = subgraphs_by_path(graph)
    thread = at["configurable"]["thread_id"]
    found: list[SubgraphCheckpoint] = []
    seen: set[str] = set()

    def walk(tasks: Iterable[Any], ns: str, path: str) -> None:
        for task in tasks:
            inner_path = f"{path}/{task.name}" if path else task.name
            inner_ns = f"{ns}|{task.name}:{task.id}" if ns else f"{task.name}:{task.id}"
            if inner_path not in subgraphs or inner_ns in seen:
                continue
            seen.add(inner_ns)
            config: RunnableConfig = {"configurable": {"thread_id": thread, "checkpoint_ns": inner_ns}}
            for snap in reversed(list(graph.get_state_history(config))):
                parent = (snap.parent_config or {}).get("configurable", {})
                found.append(
                    SubgraphCheckpoint(
                        path=inner_path,
                        id=str(snap.config["configurable"]["checkpoint_id"]),
                        parent_id=parent.get("checkpoint_id"),
                        step=int((snap.metadata or {}).get("step", 0)),
                        next=tuple(snap.next),
                        values=snap.values,
                        checkpoint_ns=inner_ns,
                    )
                )
                walk(snap.tasks, inner_ns, inner_path)

    walk(graph.get_state(at).tasks, "", "")
    return found
