"""The notebook widgets: `DebuggerWidget` (what a displayed Debugger shows) and its parts.

Importing this package registers how a Debugger displays itself (the full debugger widget,
after its static snapshot)
and how `Debugger.sidecar()` opens one in a JupyterLab side panel, so the engine never
imports the widgets.
"""

from __future__ import annotations

from typing import Any

from hitl_widgets import display
from hitl_widgets.debugger import Debugger
from hitl_widgets.widgets.views import (
    CheckpointTree,
    DebuggerWidget,
    GraphView,
    InterruptPanel,
    SidePanel,
    StateInspector,
)

__all__ = ["CheckpointTree", "DebuggerWidget", "GraphView", "InterruptPanel", "StateInspector"]


def _render(debugger: Debugger) -> dict[str, Any]:
    bundle = DebuggerWidget(debugger)._repr_mimebundle_()
    return bundle[0] if bundle else {}


def _show(debugger: Debugger, text: str) -> None:
    DebuggerWidget(debugger).show(text)


def _open_side_panel(debugger: Debugger, title: str | None) -> SidePanel:
    """Show the launcher that opens the debugger's side panel (see `SidePanel`); returned so
    it can be closed."""
    from IPython.display import display as show

    side = SidePanel(debugger, title or f"Debugger · {debugger.thread_id}")
    show(side.launcher)  # type: ignore[no-untyped-call]
    return side


display.set_renderer(_render, _show)
display.set_side_panel(_open_side_panel)
