"""Where the head stands inside a subgraph, as the browser shows it: the `inside` trait.

A run stopped inside a subgraph (`Pause.inside`) has a place the root checkpoint does not say:
the subgraph's path, its next nodes, its own state (what an edit there changes) and the nodes
an edit there may be written as. The graph marks those nodes and the subgraph's box, the
status line says where, and the state view shows that state beside the root's.
"""

from __future__ import annotations

from typing import Any

from hitl_widgets.debugger import Debugger
from hitl_widgets.model import Inside, keyed
from hitl_widgets.updates import inside_node_names
from hitl_widgets.widgets.wire import values_json


def inside_json(dbg: Debugger, inside: Inside | None) -> dict[str, Any] | None:
    """The `inside` trait: None at the root; else the path, the next nodes (own names and paths
    from the root), the subgraph's checkpoint, its nodes (the `as_node` choices of an edit
    there) and its state, each key bounded as the head's are."""
    if inside is None:
        return None
    values = inside.values
    return {
        "path": inside.path,
        "next": list(inside.next),
        "next_paths": list(inside.next_paths),
        "checkpoint_id": inside.checkpoint_id,
        "nodes": list(inside_node_names(dbg.topology, inside.path)),
        "values": values_json(keyed(values)) if values is not None else {},
        "summary": inside.summary(),
    }
