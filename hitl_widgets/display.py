"""How a Debugger shows itself in a notebook, without the engine importing the widgets.

The widget layer registers a renderer here when it is imported (the package's `__init__`
imports it); until then, or where no widget frontend exists, a Debugger shows as text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Renderer = Callable[[Any], dict[str, Any]]

_renderer: Renderer | None = None


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
