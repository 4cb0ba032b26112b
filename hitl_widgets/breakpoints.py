"""The breakpoints a Debugger stops at: those compiled into the graph merged with those set
while debugging, any of them clearable, each checked against the graph's nodes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import Breakpoints, Topology

Where = Literal["before", "after"]


class BreakpointSet:
    """Before and after breakpoints on the root graph's nodes."""

    def __init__(self, topology: Topology, compiled_before: Any, compiled_after: Any) -> None:
        self._topology = topology
        self._names = topology.node_names
        self._order = {n: i for i, n in enumerate(self._names)}
        self._sets: dict[Where, set[str]] = {
            "before": self._expand(compiled_before),
            "after": self._expand(compiled_after),
        }

    def current(self) -> Breakpoints:
        before, after = (
            tuple(sorted(self._sets[w], key=self._order.__getitem__)) for w in ("before", "after")
        )
        return Breakpoints(before=before, after=after)

    def add(self, where: Where, nodes: tuple[str, ...]) -> None:
        """Add breakpoints; nothing is added if a node is unknown (or none is named)."""
        if not nodes:
            raise DebuggerError(f"break_{where}() needs at least one node: {choices(self._names)}")
        self._sets[where] |= self._checked(nodes)

    def clear(self, nodes: tuple[str, ...]) -> None:
        """Clear before and after breakpoints on these nodes; on every node if none is named."""
        names = self._checked(nodes) if nodes else set(self._names)
        for kept in self._sets.values():
            kept -= names

    def _expand(self, nodes: Any) -> set[str]:
        if nodes == "*" or (isinstance(nodes, (list, tuple)) and "*" in nodes):
            return set(self._names)
        return {n for n in nodes if n in self._names}

    def _checked(self, nodes: Iterable[Any]) -> set[str]:
        nodes = list(nodes)
        unknown = [n for n in nodes if not isinstance(n, str) or n not in self._names]
        if unknown:
            inner = [n.id for n in self._topology.nodes if n.parent is not None]
            hint = (
                " (a breakpoint inside a subgraph must be compiled into that subgraph)"
                if any(u in inner for u in unknown)
                else ""
            )
            raise DebuggerError(
                f"unknown node {choices(map(str, unknown))}{hint}; nodes are: {choices(self._names)}"
            )
        return set(nodes)
