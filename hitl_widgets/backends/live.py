"""Live events of a run, relayed to its observer the same way for both backends.

A custom event names no node of its own (LangGraph streams only its payload and namespace):
it comes from the node running at that place, so the relay keeps which nodes run where.
"""

from __future__ import annotations

from typing import Any

from hitl_widgets.backends.base import RunObserver


def node_of(ns: tuple[str, ...]) -> str:
    """The node a subgraph's event comes from: the last `node:task_id` segment's node."""
    return ns[-1].split(":", 1)[0] if ns else ""


class LiveRelay:
    def __init__(self, observer: RunObserver) -> None:
        self._observer = observer
        self._running: dict[tuple[str, ...], list[str]] = {}
        self._ran: list[str] = []  # root tasks that finished since the last root checkpoint

    def take_ran(self) -> tuple[str, ...]:
        """The root tasks that finished since the last call: the step a checkpoint closes."""
        ran, self._ran = tuple(self._ran), []
        return ran

    def started(self, ns: tuple[str, ...], node: str) -> None:
        self._running.setdefault(ns, []).append(node)
        self._observer.on_live("task", node, ns, None)

    def finished(self, ns: tuple[str, ...], node: str, *, ran: bool = False) -> None:
        """A task ended; `ran`: it finished its work (no error, no interrupt)."""
        running = self._running.get(ns, [])
        if node in running:
            running.remove(node)
        if ran and not ns and node not in self._ran:
            self._ran.append(node)

    def updated(self, ns: tuple[str, ...], node: str, update: Any) -> None:
        self.finished(ns, node)
        self._observer.on_live("update", node, ns, update)

    def token(self, ns: tuple[str, ...], node: str | None, text: str) -> None:
        if text:
            self._observer.on_live("token", node or node_of(ns), ns, text)

    def custom(self, ns: tuple[str, ...], data: Any) -> None:
        running = self._running.get(ns, [])
        self._observer.on_live("custom", running[0] if len(running) == 1 else node_of(ns), ns, data)
