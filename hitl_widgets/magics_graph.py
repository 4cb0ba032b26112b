"""Which graph a `%%hitl` cell defined: the namespace before and after the cell, compared.

A cell that builds a graph usually leaves several graph objects behind: the builder and the
graph compiled from it, a subgraph and the graph that uses it as a node. Only the outermost
one is what the user means, so parts of another candidate (the builder of a compiled graph,
a subgraph node, and their builders) are not candidates themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from langgraph.graph import StateGraph
from langgraph.pregel import Pregel

from hitl_widgets.errors import choices
from hitl_widgets.magics_args import MagicUsageError

_MISSING = object()


def is_graph(value: Any) -> bool:
    """A `StateGraph` builder or a compiled graph."""
    return isinstance(value, (StateGraph, Pregel))


def graphs_in(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The user's graph variables (IPython's `_`-names left out)."""
    return {name: value for name, value in namespace.items() if not name.startswith("_") and is_graph(value)}


def pick_graph(before: Mapping[str, Any], after: Mapping[str, Any], name: str | None) -> tuple[str, Any]:
    """The graph the cell defined: `name` if given, else the one outermost graph it (re)bound."""
    if name is not None:
        value = after.get(name, _MISSING)
        if value is _MISSING or not is_graph(value):
            what = "is not defined" if value is _MISSING else f"is a {type(value).__name__}, not a graph"
            raise MagicUsageError(f"{name!r} {what}; graph variables: {choices(graphs_in(after))}")
        return name, value
    new = {k: v for k, v in graphs_in(after).items() if before.get(k, _MISSING) is not v}
    outermost = _outermost(new)
    if len(outermost) == 1:
        return next(iter(outermost.items()))
    if not outermost:
        raise MagicUsageError(
            "the cell defined no graph (a StateGraph builder or a compiled graph); "
            f"to debug one defined earlier, name it: %%hitl NAME (graph variables: {choices(graphs_in(after))})"
        )
    raise MagicUsageError(
        f"the cell defined {len(outermost)} graphs: {choices(outermost)}; pick one with %%hitl NAME"
    )


def _outermost(candidates: dict[str, Any]) -> dict[str, Any]:
    inner = {id(part) for graph in candidates.values() for part in _parts(graph)}
    return {name: graph for name, graph in candidates.items() if id(graph) not in inner}


def _parts(graph: Any) -> Iterator[Any]:
    """Every graph object `graph` is made of: its builder, its subgraphs, theirs, and so on."""
    if isinstance(graph, Pregel):
        builder = getattr(graph, "builder", None)
        if builder is not None:
            yield builder
        children = [sub for _, sub in graph.get_subgraphs()]
    else:
        children = [spec.runnable for spec in graph.nodes.values() if isinstance(spec.runnable, Pregel)]
    for child in children:
        yield child
        yield from _parts(child)
