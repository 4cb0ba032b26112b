"""The checkpoints the subgraph runs from one root checkpoint saved, at any depth: one walk for
a graph in the kernel (`local_inside`) and one on a server (`remote_state`), each giving its
own reads.

A subgraph run keeps its checkpoints in the namespace `node:task_id` (nested runs: joined by
"|"), and the checkpoint it ran from carries those task ids among its tasks.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import TypeVar

from hitl_widgets.model import SubgraphCheckpoint

State = TypeVar("State")
Task = tuple[str, str]  # (node name, task id)


def walk_subgraph_runs(
    root_tasks: Iterable[Task],
    subgraphs: Container[str],
    history: Callable[[str], list[State]],
    tasks_of: Callable[[State], Iterable[Task]],
    record: Callable[[State, str, str], SubgraphCheckpoint],
) -> list[SubgraphCheckpoint]:
    """Each subgraph run's checkpoints, oldest first, each followed by those of the runs it
    started from it. `subgraphs` holds the subgraph nodes' paths ("mid", "mid/inner");
    `history(ns)` is a run's checkpoints newest first; `record(state, path, ns)` one of them."""
    found: list[SubgraphCheckpoint] = []
    seen: set[str] = set()

    def walk(tasks: Iterable[Task], ns: str, path: str) -> None:
        for name, task_id in tasks:
            inner_path = f"{path}/{name}" if path else name
            inner_ns = f"{ns}|{name}:{task_id}" if ns else f"{name}:{task_id}"
            if inner_path not in subgraphs or inner_ns in seen:
                continue
            seen.add(inner_ns)
            for state in reversed(history(inner_ns)):
                found.append(record(state, inner_path, inner_ns))
                walk(tasks_of(state), inner_ns, inner_path)

    walk(root_tasks, "", "")
    return found
