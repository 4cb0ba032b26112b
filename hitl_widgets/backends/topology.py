"""The graph's shape from LangGraph's own JSON drawing, the same for local and server graphs.

Both `CompiledGraph.get_graph(...).to_json()` and the server's `assistants.get_graph(...)` give
`{"nodes": [{"id": ...}], "edges": [{"source", "target", "conditional"?, "data"?}]}`. The plain
drawing names the root graph's nodes; the xray drawing replaces each subgraph node by its
interior, named `outer:inner`. We keep both: the subgraph node as a container, its interior
inside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hitl_widgets.model import END, START, Topology, TopologyEdge, TopologyNode


def topology_from_json(root: Mapping[str, Any], xray: Mapping[str, Any] | None = None) -> Topology:
    root_ids = [str(n["id"]) for n in root.get("nodes", [])]
    drawn = xray if xray is not None else root
    drawn_ids = [str(n["id"]) for n in drawn.get("nodes", [])]
    drawn_set = set(drawn_ids)

    nodes: dict[str, TopologyNode] = {}
    for node_id in root_ids:
        kind = _kind(node_id)
        if kind == "node" and node_id not in drawn_set:
            kind = "subgraph"  # xray replaced it by its interior
        nodes[node_id] = TopologyNode(node_id, node_id, kind)
    for node_id in drawn_ids:
        if node_id in nodes:
            continue
        parent = _ensure_parents(node_id, nodes)
        name = node_id.rsplit(":", 1)[-1]
        nodes[node_id] = TopologyNode(node_id, name, _kind(name) if parent is None else "node", parent)

    source = drawn if xray is not None else root
    edges = tuple(
        TopologyEdge(
            source=str(e["source"]),
            target=str(e["target"]),
            conditional=bool(e.get("conditional", False)),
            label=str(e["data"]) if isinstance(e.get("data"), str) else None,
        )
        for e in source.get("edges", [])
    )
    return Topology(nodes=tuple(nodes.values()), edges=edges)


def _kind(node_id: str) -> Any:
    if node_id == START:
        return "start"
    if node_id == END:
        return "end"
    return "node"


def _ensure_parents(node_id: str, nodes: dict[str, TopologyNode]) -> str | None:
    """Add the subgraph containers above `outer:middle:inner`; return its direct parent."""
    if ":" not in node_id:
        return None
    parent_id = node_id.rsplit(":", 1)[0]
    if parent_id not in nodes:
        grandparent = _ensure_parents(parent_id, nodes)
        nodes[parent_id] = TopologyNode(parent_id, parent_id.rsplit(":", 1)[-1], "subgraph", grandparent)
    return parent_id
