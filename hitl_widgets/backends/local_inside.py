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
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.pregel import Pregel
from langgraph.types import StateSnapshot

from hitl_widgets.backends.subgraph_runs import walk_subgraph_runs
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import Inside, SubgraphCheckpoint

Nodes = Sequence[str] | Literal["*"]

# A subgraph object may be shared by several graphs (and Debuggers): one run at a time changes
# its breakpoints. Locks by object, made under `_locks_guard`.
_locks: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


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
    subgraphs: Mapping[str, Pregel[Any, Any, Any, Any]],
    before: Mapping[str, Nodes],
    after: Mapping[str, Sequence[str]],
) -> Iterator[None]:
    """The subgraphs (a graph's `subgraphs_by_path`) stop at these breakpoints too while the
    block runs. A subgraph object that sits at several paths (one compiled graph added twice)
    takes the breakpoints of all of them: LangGraph keeps breakpoints on the object, not on the
    place."""
    if not before and not after:
        yield
        return
    unknown = sorted((before.keys() | after.keys()) - subgraphs.keys())
    if unknown:
        raise DebuggerError(f"no subgraph at {choices(unknown)}; subgraphs are: {choices(subgraphs)}")
    objects: dict[int, Pregel[Any, Any, Any, Any]] = {}
    wanted: dict[int, tuple[Any, Any]] = {}
    for path in before.keys() | after.keys():
        sub = subgraphs[path]
        objects[id(sub)] = sub
        was_before, was_after = wanted.get(id(sub), ((), ()))
        wanted[id(sub)] = (_merged(was_before, before.get(path, ())), _merged(was_after, after.get(path, ())))
    held = _hold(list(objects.values()))
    kept = {key: (sub.interrupt_before_nodes, sub.interrupt_after_nodes) for key, sub in objects.items()}
    try:
        for key, sub in objects.items():
            sub.interrupt_before_nodes = _merged(kept[key][0], wanted[key][0])
            sub.interrupt_after_nodes = _merged(kept[key][1], wanted[key][1])
        yield
    finally:
        for key, sub in objects.items():
            sub.interrupt_before_nodes, sub.interrupt_after_nodes = kept[key]
        for lock in held:
            lock.release()


def _hold(subgraphs: list[Pregel[Any, Any, Any, Any]]) -> list[threading.Lock]:
    """Each subgraph's lock, taken without waiting (the run holding one may be on this very
    event loop); refused, with none held, when another run holds one."""
    with _locks_guard:
        locks = [_locks.setdefault(sub, threading.Lock()) for sub in subgraphs]
    held: list[threading.Lock] = []
    for lock in locks:
        if not lock.acquire(blocking=False):
            for taken in held:
                taken.release()
            raise DebuggerError(
                "another Debugger is running with breakpoints inside a subgraph this graph shares; "
                "LangGraph keeps those breakpoints on the subgraph object: wait for that run to pause"
            )
        held.append(lock)
    return held


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
    """Every checkpoint the subgraphs run from the root checkpoint `at` saved, at any depth
    (see `subgraph_runs`), read with LangGraph's `get_state_history` of each namespace."""
    thread = at["configurable"]["thread_id"]

    def history(ns: str) -> list[StateSnapshot]:
        return list(graph.get_state_history({"configurable": {"thread_id": thread, "checkpoint_ns": ns}}))

    def record(snap: StateSnapshot, path: str, ns: str) -> SubgraphCheckpoint:
        parent = (snap.parent_config or {}).get("configurable", {})
        return SubgraphCheckpoint(
            path=path,
            id=str(snap.config["configurable"]["checkpoint_id"]),
            parent_id=parent.get("checkpoint_id"),
            step=int((snap.metadata or {}).get("step", 0)),
            next=tuple(snap.next),
            values=snap.values,
            checkpoint_ns=ns,
        )

    return walk_subgraph_runs(_tasks(graph.get_state(at)), subgraphs_by_path(graph), history, _tasks, record)


def _tasks(state: StateSnapshot) -> list[tuple[str, str]]:
    return [(task.name, task.id) for task in state.tasks]
