"""The breakpoints a Debugger stops at: those compiled into the graph merged with those set
while debugging, any of them clearable, each checked against the graph's nodes.

A breakpoint may hold only when a condition on the state holds (`when=`). LangGraph has no
such thing: the run stops at the breakpoint as usual, and the Debugger goes on at once when
no condition of the breakpoints it stopped at holds. Going on from a breakpoint makes no
checkpoint, so the thread is the same as a run without the condition would leave it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import Breakpoints, Inside, Topology

Where = Literal["before", "after"]
Predicate = Callable[[Any], Any]


class StateExpression:
    """A condition written as a Python expression over `state`, evaluated in `namespace` (the
    user's: a notebook's variables and imports), as the magics and the widget take it."""

    def __init__(self, text: str, namespace: dict[str, Any] | None = None) -> None:
        try:
            self._code = compile(text, "<condition>", "eval")
        except SyntaxError as exc:
            raise DebuggerError(
                f"the condition {text!r} is not a Python expression: {exc.msg}; write one over `state`, "
                'such as state["n"] > 3'
            ) from None
        self.text = text
        self._namespace = namespace if namespace is not None else {}

    def __call__(self, state: Any) -> Any:
        return eval(self._code, self._namespace, {"state": state})  # the user's own expression

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Verdict:
    """Whether a run that stopped at breakpoints stays stopped, and why not if a condition failed."""

    stop: bool
    error: str | None = None


class BreakpointSet:
    """Before and after breakpoints on the root graph's nodes, and on nodes inside subgraphs
    named by path from the root (`"mid/inner/search"`) where the backend can stop there
    (`stops_inside`: a graph in this kernel; see `backends.local_inside`)."""

    def __init__(
        self, topology: Topology, compiled_before: Any, compiled_after: Any, *, stops_inside: bool
    ) -> None:
        self._topology = topology
        self._names = topology.node_names
        # nodes inside subgraphs by path, each with its subgraph's path and its own name (the
        # drawing names them `mid:inner:search`; a node's own name may hold a "/")
        self._inside_nodes = {
            "/".join(parts): ("/".join(parts[:-1]), parts[-1])
            for parts in (
                n.id.split(":")
                for n in topology.nodes
                if n.parent is not None and n.kind in ("node", "subgraph")
            )
        }
        self._paths = tuple(self._inside_nodes)
        self._stops_inside = stops_inside
        self._subgraphs = {n.id for n in topology.nodes if n.kind == "subgraph"}
        self._order = {n: i for i, n in enumerate((*self._names, *self._paths))}
        self._sets: dict[Where, set[str]] = {
            "before": self._expand(compiled_before),
            "after": self._expand(compiled_after),
        }
        self._when: dict[tuple[Where, str], Predicate] = {}

    def current(self) -> Breakpoints:
        before, after = (
            tuple(sorted(self._sets[w], key=self._order.__getitem__)) for w in ("before", "after")
        )
        return Breakpoints(before=before, after=after)

    def conditions(self) -> dict[str, dict[str, str]]:
        """The conditional breakpoints, `{"before": {node: condition}, "after": {...}}`."""
        found: dict[str, dict[str, str]] = {"before": {}, "after": {}}
        for (where, node), test in sorted(self._when.items(), key=lambda i: (i[0][0], self._order[i[0][1]])):
            found[where][node] = describe(test)
        return found

    def add(self, where: Where, nodes: tuple[str, ...], when: Predicate | None = None) -> None:
        """Add breakpoints, holding only when `when(state)` is true if given (a breakpoint added
        again without `when` holds always). Nothing is added if anything is wrong."""
        if not nodes:
            raise DebuggerError(f"break_{where}() needs at least one node: {choices(self.node_names)}")
        check_condition(when)
        names = self._checked(nodes)
        self._sets[where] |= names
        for name in names:
            if when is None:
                self._when.pop((where, name), None)
            else:
                self._when[(where, name)] = when

    def clear(self, nodes: tuple[str, ...], side: Where | None = None) -> None:
        """Clear breakpoints on these nodes (on every node if none is named): before and after,
        or only on `side`."""
        if side is not None and side not in self._sets:
            raise DebuggerError(f"side must be 'before', 'after' or None (both), not {side!r}")
        names = self._checked(nodes) if nodes else set(self._order)
        for where, kept in self._sets.items():
            if side in (None, where):
                kept -= names
        self._when = {
            (where, node): test
            for (where, node), test in self._when.items()
            if node not in names or side not in (None, where)
        }

    @property
    def node_names(self) -> tuple[str, ...]:
        """Every node a breakpoint can name: the root graph's, then those inside subgraphs."""
        return (*self._names, *self._paths) if self._stops_inside else self._names

    @property
    def root_names(self) -> tuple[str, ...]:
        return self._names

    def at_root(self, where: Where) -> tuple[str, ...]:
        """The breakpoints on `where` side of the root graph's nodes, as LangGraph takes them."""
        current = self.current()
        return tuple(n for n in (current.before if where == "before" else current.after) if n in self._names)

    def subgraph_at(self, path: str) -> bool:
        """Whether the node at `path` ("mid", "mid/inner") is a subgraph."""
        return path.replace("/", ":") in self._subgraphs

    def in_subgraphs(self, where: Where) -> dict[str, tuple[str, ...]]:
        """The breakpoints on `where` side of nodes inside subgraphs, by the subgraph's path."""
        found: dict[str, tuple[str, ...]] = {}
        for path in sorted(self._sets[where], key=self._order.__getitem__):
            if path in self._inside_nodes:
                subgraph, node = self._inside_nodes[path]
                found[subgraph] = (*found.get(subgraph, ()), node)
        return found

    def verdict(
        self,
        next_nodes: tuple[str, ...],
        ran: Callable[[], tuple[str, ...]],
        state: Any,
        *,
        watching: bool = False,
        inside: Inside | None = None,
    ) -> Verdict:
        """A run stopped at a breakpoint before `next_nodes` or after the nodes that `ran()`:
        it stays stopped if one of those breakpoints has no condition or one whose condition
        holds (or fails: the error is shown rather than run on). `watching`: the run was asked
        to stop after every superstep (see `watches`), so a stop at none of these is no stop.
        A stop `inside` a subgraph is judged by that subgraph's breakpoints and state."""
        if not self._when and not watching:
            return Verdict(stop=True)
        hits: list[tuple[Where, str]]
        if inside is not None:
            state = inside.values
            hits = [("before", n) for n in inside.next_paths if n in self._sets["before"]]
            # which of its nodes ran is not read back: any after-breakpoint of that subgraph may
            # be the one (so a doubt stops rather than runs on)
            hits += [
                ("after", n)
                for n in self._sets["after"]
                if n in self._inside_nodes and self._inside_nodes[n][0] == inside.path
            ]
            return self._judged(hits, state, stop_without_hits=True)
        hits = [("before", n) for n in next_nodes if n in self._sets["before"]]
        if self._sets["after"]:
            hits += [("after", n) for n in ran() if n in self._sets["after"]]
        return self._judged(hits, state, stop_without_hits=not watching)

    def _judged(self, hits: list[tuple[Where, str]], state: Any, *, stop_without_hits: bool) -> Verdict:
        if not hits:
            return Verdict(stop=stop_without_hits)  # else stopped for a reason of LangGraph's own
        for where, node in hits:
            test = self._when.get((where, node))
            if test is None:
                return Verdict(stop=True)
            try:
                if test(state):
                    return Verdict(stop=True)
            except Exception as exc:  # the user's condition: shown, never run past
                return Verdict(
                    stop=True,
                    error=f"the condition of the breakpoint {where} {node} ({describe(test)}) raised "
                    f"{type(exc).__name__}: {exc}",
                )
        return Verdict(stop=False)

    def _expand(self, nodes: Any) -> set[str]:
        if nodes == "*" or (isinstance(nodes, (list, tuple)) and "*" in nodes):
            return set(self._names)
        return {n for n in nodes if n in self._names}

    def _checked(self, nodes: Iterable[Any]) -> set[str]:
        nodes = list(nodes)
        valid = self.node_names
        unknown = [n for n in nodes if not isinstance(n, str) or n not in valid]
        if unknown:
            hint = (
                " (a LangGraph server stops only where its graph was compiled to: a breakpoint "
                "inside a subgraph must be compiled into that subgraph there)"
                if any(u in self._paths for u in unknown)
                else ""
            )
            raise DebuggerError(
                f"unknown node {choices(map(str, unknown))}{hint}; nodes are: {choices(valid)}"
            )
        return set(nodes)


def check_condition(when: Any) -> None:
    """A `when=` must be a function of the state (or None)."""
    if when is not None and not callable(when):
        raise DebuggerError(
            f"when= takes a function of the state (such as lambda state: state['n'] > 3), not {type(when).__name__}"
        )


def describe(test: Predicate) -> str:
    """A condition as the user reads it: its expression, or the function's name."""
    if isinstance(test, StateExpression):
        return test.text
    return getattr(test, "__qualname__", None) or repr(test)
