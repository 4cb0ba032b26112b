"""A change to the thread's state without a run (`edit`, `fork`): LangGraph's `update_state`,
with its refusals said in the Debugger's words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hitl_widgets.backends.base import Backend
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import Topology


def update_state(
    backend: Backend,
    topology: Topology,
    checkpoint_id: str | None,
    values: Mapping[str, Any] | None,
    as_node: str | None,
    config: Mapping[str, Any] | None,
) -> str:
    """The new checkpoint's id; a `DebuggerError` (nothing written) when LangGraph refuses."""
    try:
        return backend.update_state(checkpoint_id, values, as_node, config)
    except DebuggerError:
        raise
    except Exception as exc:
        message = str(exc)
        if "Ambiguous update" in message or "as_node" in message:
            raise DebuggerError(
                f"LangGraph cannot tell which node this update comes from; pass as_node=, one of: "
                f"{choices(topology.node_names)}"
            ) from None
        raise DebuggerError(f"the update was refused: {type(exc).__name__}: {message}") from None
