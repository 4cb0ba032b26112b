"""A widget displayed with its static snapshot, so a saved notebook shows the debugger.

What the notebook front ends do with a saved output holding the widget-view mimetype
(`application/vnd.jupyter.widget-view+json`) and `text/html`, when the widget's model is gone
(kernel stopped or new, widget state not saved), read in jupyterlab_widgets 3.0
(`WidgetRenderer.renderModel`, registered with `safe: false` at rank -10) and checked in the
browser tests:

- GitHub, nbviewer, `jupyter nbconvert --to html`: no widget without saved widget state, so
  the output's next mimetype shows (`text/html`, else `text/plain`).
- JupyterLab 4 / Notebook 7, notebook not trusted (not saved by this server's user: downloaded,
  or written by nbclient): the widget renderer is not safe, so `text/html` shows (sanitized).
- JupyterLab 4 / Notebook 7, notebook trusted (saved from JupyterLab after a run, the usual
  case): the widget renderer is chosen and does NOT fall back. With a kernel it shows "Error
  displaying widget: model not found" (and logs it); with no kernel it shows "Loading
  widget..." for good. The `text/html` of the same output is never shown.

So one output cannot serve both: the snapshot is an output of its own (`text/html`), published
just before the widget's. Where they are rendered by JupyterLab or Notebook 7 (trusted: the
snapshot's HTML is not sanitized), the snapshot carries two CSS rules, scoped to output areas
holding a snapshot: the snapshot hides while a live widget of this package (`.hw-root`) is in
the same output area, and a widget output that rendered nothing (the model-not-found text,
which has no child element) hides while its snapshot shows. No script: GitHub and nbviewer
drop the `<style>` (the snapshot itself is inline-styled) and there is nothing to hide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hitl_widgets.static_view import STATIC_CLASS

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# `:has()` inside `:has()` is not allowed, hence `:not(:has(*))` on the widget output itself.
LAB_RULES = (
    f".jp-OutputArea:has(.hw-root) .jp-OutputArea-child:has(.{STATIC_CLASS}){{display:none}}"
    f".jp-OutputArea:has(.{STATIC_CLASS}) .jp-OutputArea-output.lm-Panel:not(:has(*)){{display:none}}"
)


def publish_with_snapshot(
    snapshot: str, bundle: Mapping[str, Any], metadata: Mapping[str, Any] | None = None
) -> None:
    """Publish `snapshot` (HTML from `static_view`) as an output of its own, then the widget's
    `bundle`: two display outputs in the running cell."""
    from IPython.display import publish_display_data

    publish_display_data({"text/html": f"<style>{LAB_RULES}</style>{snapshot}"})  # type: ignore[no-untyped-call]
    publish_display_data(dict(bundle), dict(metadata or {}))  # type: ignore[no-untyped-call]
