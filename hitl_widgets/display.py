"""How a Debugger shows itself in a notebook, without the engine importing the widgets.

The widget layer registers a renderer here when it is imported (the package's `__init__`
imports it); until then, or where no widget frontend exists, a Debugger shows as text. With a
renderer, a displayed Debugger is two outputs: its static snapshot, then the live widget (see
`hitl_widgets.widgets.static_output` for why).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Renderer = Callable[[Any], dict[str, Any]]

_renderer: Renderer | None = None
_shower: Callable[[Any, str], None] | None = None
_side_panel: Callable[[Any, str | None], Any] | None = None


def set_renderer(renderer: Renderer | None, shower: Callable[[Any, str], None] | None = None) -> None:
    """Register how a Debugger renders (`renderer`: its widget's bundle) and how it is shown
    in a notebook (`shower`: given the Debugger and its plain text, displays it)."""
    global _renderer, _shower
    _renderer = renderer
    _shower = shower


def mimebundle(obj: Any, text: str) -> dict[str, Any]:
    """The registered renderer's bundle (with `text` as its plain-text part), or just `text`."""
    if _renderer is None:
        return {"text/plain": text}
    bundle = dict(_renderer(obj))
    bundle["text/plain"] = text
    return bundle


def show(obj: Any, text: str) -> None:
    """Display `obj` (IPython's `_ipython_display_`): as the registered shower does, or as
    `mimebundle` gives it when there is none."""
    from IPython.display import publish_display_data

    if _shower is None:
        publish_display_data(mimebundle(obj, text))  # type: ignore[no-untyped-call]
    else:
        _shower(obj, text)


def set_side_panel(opener: Callable[[Any, str | None], Any] | None) -> None:
    global _side_panel
    _side_panel = opener


def open_side_panel(obj: Any, title: str | None = None) -> Any:
    """Open `obj` in a JupyterLab side panel, through the opener the widget layer registered."""
    if _side_panel is None:
        raise RuntimeError("the widget layer is not loaded: import hitl_widgets in a Jupyter kernel")
    return _side_panel(obj, title)
