"""The widgets users create: the full debugger and its four parts, each a view of one Debugger.

They differ only in which view the browser builds (the synced `view` trait), in how they
read as plain text where no widget frontend runs (a terminal, nbval), and in which parts of the
debugger their static snapshot shows (what a saved notebook shows: see `static_output`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import traitlets

from hitl_widgets.model import short_id
from hitl_widgets.static_view import PARTS, Part
from hitl_widgets.text import history_text, interrupts_text, pause_text, state_text
from hitl_widgets.widgets.base import DebuggerWidgetBase
from hitl_widgets.widgets.static_output import show_with_snapshot

# How many checkpoints the plain-text tree lists.
TEXT_HISTORY_LIMIT = 20


class _TextFallback(DebuggerWidgetBase):
    # What this view's static snapshot shows.
    static_parts: tuple[Part, ...] = PARTS

    def text(self) -> str:
        """What this view shows, as plain text."""
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        try:
            text = self.text()
        except Exception as exc:  # a thread that cannot be read must not stop the widget showing
            text = f"{type(self).__name__}: the thread cannot be read ({type(exc).__name__}: {exc})"
        return {**data, "text/plain": text}, metadata

    def _ipython_display_(self) -> None:
        """Shown in a notebook: the static snapshot of `static_parts`, then the widget."""
        self.show()

    def show(self, text: str | None = None) -> None:
        """Display the snapshot and the widget (whose plain-text part is `text`, if given)."""
        bundle = self._repr_mimebundle_()
        if bundle is not None:
            data, metadata = bundle
            show_with_snapshot(
                self, self.static_parts, {**data, **({"text/plain": text} if text else {})}, metadata
            )


class DebuggerWidget(_TextFallback):
    """The full debugger: toolbar and status, graph, checkpoint tree, interrupts and state."""

    view = traitlets.Unicode("debugger").tag(sync=True)

    def text(self) -> str:
        dbg = self.debugger
        pause = dbg.last_pause
        lines = [repr(dbg), pause_text(pause) if pause is not None else str(self.status.get("summary", ""))]
        if pause is None and dbg.interrupts:
            lines.append(interrupts_text(dbg.interrupts))
        return "\n".join(lines)


class GraphView(_TextFallback):
    """The graph: nodes, edges, what runs next, pending interrupts; click a node for a breakpoint."""

    view = traitlets.Unicode("graph").tag(sync=True)
    static_parts = ("status", "graph")

    def text(self) -> str:
        topology = self.debugger.topology
        edges = ", ".join(
            f"{e.source} {'-?->' if e.conditional else '->'} {e.target}" for e in topology.edges
        )
        bp = self.debugger.breakpoints
        nxt = ", ".join(self.status.get("next") or []) or "-"
        return (
            f"Graph: {', '.join(topology.node_names)}\n  edges: {edges}\n"
            f"  breakpoints before: {bp['before']} after: {bp['after']}\n  next: {nxt}"
        )


class CheckpointTree(_TextFallback):
    """Every checkpoint of the thread as a tree (forks are branches), newest first."""

    view = traitlets.Unicode("tree").tag(sync=True)
    static_parts = ("checkpoints",)

    def text(self) -> str:
        checkpoints = self.debugger.history(limit=TEXT_HISTORY_LIMIT + 1)
        shown = history_text(checkpoints[:TEXT_HISTORY_LIMIT], self.head_id)
        return shown + ("\n  … older checkpoints not shown" if len(checkpoints) > TEXT_HISTORY_LIMIT else "")


class InterruptPanel(_TextFallback):
    """Pending interrupts, with an answer box each and one resume for all."""

    view = traitlets.Unicode("interrupts").tag(sync=True)
    static_parts = ("interrupts",)

    def text(self) -> str:
        return interrupts_text(self.debugger.interrupts)


class StateInspector(_TextFallback):
    """The selected checkpoint's values (the head's by default), editable as JSON."""

    view = traitlets.Unicode("state").tag(sync=True)
    static_parts = ("state",)

    def text(self) -> str:
        head = self.head_id
        return f"State at {short_id(head) if head else 'no checkpoint'}:\n{state_text(self.debugger.state)}"


class SidePanelLauncher(_TextFallback):
    """What `Debugger.sidecar()` shows in its cell. The browser says whether the page is
    JupyterLab: then `on_frontend(True)` opens the side panel and this reads as a note; if not
    (Notebook 7 has no side panel for widgets), the full debugger shows here, saying why."""

    view = traitlets.Unicode("launcher").tag(sync=True)

    def __init__(self, debugger: Any, on_frontend: Callable[[bool], None], **kwargs: Any) -> None:
        super().__init__(debugger, **kwargs)
        self._on_frontend = on_frontend

    def _on_msg(self, widget: Any, content: Any, buffers: Any) -> None:
        if isinstance(content, dict) and content.get("kind") == "side-panel":
            self._on_frontend(content.get("lab") is True)
        else:
            super()._on_msg(widget, content, buffers)

    def text(self) -> str:
        return f"{self.debugger!r} (opened in a JupyterLab side panel)"


class SidePanel:
    """What `Debugger.sidecar()` returns: the cell's launcher and, once the page said it is
    JupyterLab, `panel`, a jupyterlab-sidecar panel split beside the notebook (as wide as the
    notebook, not a narrow sidebar) showing the full debugger. `close()` closes both.

    The panel is made only then: a sidecar panel opens itself in every page that learns of it,
    and fails in Notebook 7 (the extension reads JupyterLab's own side bar).
    """

    def __init__(self, debugger: Any, title: str) -> None:
        self.title = title
        self.panel: Any = None
        self._debugger = debugger
        self.launcher = SidePanelLauncher(debugger, self._on_frontend)

    def _on_frontend(self, lab: bool) -> None:
        if not lab or self.panel is not None:
            return
        from sidecar import Sidecar

        panel = Sidecar(title=self.title, anchor="split-right")
        bundle = DebuggerWidget(self._debugger)._repr_mimebundle_()
        if bundle is not None:
            data, metadata = bundle
            panel.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)
        self.panel = panel

    def close(self) -> None:
        if self.panel is not None:
            self.panel.close()
        self.launcher.close()
