"""A change to the thread's state without a run (`edit`, `fork`): LangGraph's `update_state`,
with its refusals said in the Debugger's words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from hitl_widgets.backends.base import Backend
from hitl_widgets.checks import check_as_node, check_values
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.head import Head
from hitl_widgets.model import Inside, Topology


def update_state(
    backend: Backend,
    topology: Topology,
    checkpoint_id: str | None,
    values: Mapping[str, Any] | None,
    as_node: str | None,
    config: Mapping[str, Any] | None,
    inside: Inside | None = None,
) -> str:
    """The new checkpoint's id; a `DebuggerError` (nothing written) when LangGraph refuses."""
    try:
        return backend.update_state(checkpoint_id, values, as_node, config, inside)
    except DebuggerError:
        raise
    except Exception as exc:
        message = str(exc)
        if "Ambiguous update" in message or "as_node" in message:
            nodes = topology.node_names if inside is None else inside_node_names(topology, inside.path)
            raise DebuggerError(
                f"LangGraph cannot tell which node this update comes from; pass as_node=, one of: {choices(nodes)}"
            ) from None
        raise DebuggerError(f"the update was refused: {type(exc).__name__}: {message}") from None


def inside_node_names(topology: Topology, path: str) -> tuple[str, ...]:
    """The nodes of the subgraph at `path` ("mid/inner"), in its own names."""
    parent = path.replace("/", ":")
    return tuple(n.id.rsplit(":", 1)[-1] for n in topology.nodes if n.parent == parent)


def edit_inside(
    backend: Backend,
    topology: Topology,
    head: Head,
    inside: Inside,
    values: Any,
    as_node: str | None,
    config: Mapping[str, Any] | None,
) -> str:
    """Edit the state of the subgraph a run stopped inside: a new checkpoint of that subgraph,
    from which it goes on; the root checkpoint (the head, returned) stays as it was."""
    check_values(backend, values, inside.path)
    check_as_node(inside_node_names(topology, inside.path), as_node)
    update_state(backend, topology, None, values, as_node, config, inside)
    at = head.current()
    assert at is not None
    moved = backend.snapshot(at).inside  # the subgraph's new checkpoint, where it now stands
    if (last := head.pause_at(at)) is not None:
        head.last_pause = replace(last, inside=moved)
    return at
