"""How a Debugger shows itself in a notebook, without the engine importing the widgets.

The widget layer registers a renderer here when it is imported (the package's `__init__`
imports it); until then, or where no widget frontend exists, a Debugger shows as text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Renderer = Callable[[Any], dict[str, Any]]

_renderer: Renderer | None = None
_side_panel: Callable[[Any, str | None], Any] | None = None


def set_renderer(renderer: Renderer | None) -> None:
    global _renderer
    _renderer = renderer


def mimebundle(obj: Any, text: str) -> dict[str, Any]:
    """The registered renderer's bundle (with `text` as its plain-text part), or just `text`."""
    if _renderer is None:
        return {"text/plain": text}
    bundle = dict(_renderer(obj))
    bundle["text/plain"] = text
    return bundle


def set_side_panel(opener: Callable[[Any, str | None], Any] | None) -> None:
    global _side_panel
    _side_panel = opener


def open_side_panel(obj: Any, title: str | None = None) -> Any:
    """Open `obj` in a JupyterLab side panel, through the opener the widget layer registered."""
    if _side_panel is None:
        raise RuntimeError("the widget layer is not loaded: import hitl_widgets in a Jupyter kernel")
    return _side_panel(obj, title)
