"""A widget displayed with its static snapshot, so a saved notebook shows the debugger.

What the notebook front ends do with a saved output holding the widget-view mimetype
(`application/vnd.jupyter.widget-view+json`) and `text/html`, when the widget's model is gone
(kernel stopped or new, widget state not saved), read in jupyterlab_widgets 3.0
(`WidgetRenderer.renderModel`, registered with `safe: false` at rank -10) and checked in the
browser tests:

- `jupyter nbconvert --to html` (nbviewer's way; GitHub renders no widget either): a widget output whose
  model has no saved state in the notebook is skipped for its next mimetype (`text/html`,
  else `text/plain`); with saved state (nbclient saves it) it becomes a script tag that only
  a widget manager loaded from a CDN renders.
- JupyterLab 4 / Notebook 7, notebook not trusted (not saved by this server's user: downloaded,
  or written by nbclient): the widget renderer is not safe, so `text/html` shows, sanitized
  (the sanitizer drops the SVG elements, keeping their text).
- JupyterLab 4 / Notebook 7, notebook trusted (saved from JupyterLab after a run, the usual
  case): the widget renderer is chosen and does NOT fall back. With a kernel it shows "Error
  displaying widget: model not found" (and logs it); with no kernel it shows "Loading
  widget..." for good. The `text/html` of the same output is never shown.

So one output cannot serve both: the snapshot is an output of its own (`text/html`), published
just before the widget's. Where they are rendered by JupyterLab or Notebook 7 (trusted: the
snapshot's HTML is not sanitized), the snapshot carries two CSS rules, scoped to output areas
holding a snapshot: the snapshot hides while a live widget of this package (`.hw-root`) is in
the same output area, and a widget output that rendered nothing (the model-not-found text,
which has no child element) hides while its snapshot shows. No script. Elsewhere the rules
find nothing to hide (GitHub drops `<style>`: the snapshot itself is inline-styled).

The snapshot is kept in step with the debugger while its widget lives: after each pause or
change (at most `REFRESH_PER_SECOND` times a second) it is published again under its display id, so a notebook
saved after later cells ran keeps where the debugger stood then, not where it stood when shown.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from hitl_widgets.events import DebuggerEvent
from hitl_widgets.static_view import STATIC_CLASS, Part, snapshot_html
from hitl_widgets.widgets.base import DebuggerWidgetBase
from hitl_widgets.widgets.pacer import Pacer

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# `:has()` inside `:has()` is not allowed: the widget output that rendered nothing is told by
# its class (the widget renderer is a Lumino panel; text and HTML renderers are not) and by
# having no child element.
LAB_RULES = (
    f".jp-OutputArea:has(.hw-root) .jp-OutputArea-child:has(.{STATIC_CLASS}){{display:none}}"
    f".jp-OutputArea:has(.{STATIC_CLASS}) .jp-OutputArea-output.lm-Panel:not(:has(*)){{display:none}}"
)
# At most this many times a second a shown snapshot is published again.
REFRESH_PER_SECOND = 4
_REFRESH_ON = ("paused", "changed")


def show_with_snapshot(
    widget: DebuggerWidgetBase,
    parts: Collection[Part],
    bundle: Mapping[str, Any],
    metadata: Mapping[str, Any] | None = None,
) -> None:
    """Publish the snapshot of `parts` of the widget's debugger as an output of its own, then
    the widget's `bundle`; keep the snapshot in step with the debugger until the widget closes."""
    from IPython.display import publish_display_data

    debugger = widget.debugger
    display_id = f"hw-static-{widget.model_id}"

    def publish(update: bool) -> None:
        data = {"text/html": f"<style>{LAB_RULES}</style>{snapshot_html(debugger, parts)}"}
        publish_display_data(data, transient={"display_id": display_id}, update=update)  # type: ignore[no-untyped-call]

    def refresh() -> None:
        try:
            publish(update=True)
        except Exception:  # the kernel's output is going away: the snapshot stays as last sent
            return

    pacer = Pacer(REFRESH_PER_SECOND, refresh)

    def on_event(event: DebuggerEvent) -> None:
        if event.kind in _REFRESH_ON:
            pacer.call()

    publish(update=False)
    publish_display_data(dict(bundle), dict(metadata or {}))  # type: ignore[no-untyped-call]
    widget.until_closed(debugger.observe(on_event, live=False))
    widget.until_closed(pacer.cancel)
