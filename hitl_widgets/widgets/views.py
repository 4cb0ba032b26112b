"""The widgets users create: the full debugger and its four parts, each a view of one Debugger.

They differ only in which view the browser builds (the synced `view` trait) and in how they
read as plain text where no widget frontend runs (a terminal, nbval, a notebook viewer).
"""

from __future__ import annotations

from typing import Any

import traitlets

from hitl_widgets.model import short_id
from hitl_widgets.text import history_text, interrupts_text, pause_text, state_text
from hitl_widgets.widgets.base import DebuggerWidgetBase

# How many checkpoints the plain-text tree lists.
TEXT_HISTORY_LIMIT = 20


class _TextFallback(DebuggerWidgetBase):
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

    def text(self) -> str:
        checkpoints = self.debugger.history(limit=TEXT_HISTORY_LIMIT + 1)
        shown = history_text(checkpoints[:TEXT_HISTORY_LIMIT], self.head_id)
        return shown + ("\n  … older checkpoints not shown" if len(checkpoints) > TEXT_HISTORY_LIMIT else "")


class InterruptPanel(_TextFallback):
    """Pending interrupts, with an answer box each and one resume for all."""

    view = traitlets.Unicode("interrupts").tag(sync=True)

    def text(self) -> str:
        return interrupts_text(self.debugger.interrupts)


class StateInspector(_TextFallback):
    """The selected checkpoint's values (the head's by default), editable as JSON."""

    view = traitlets.Unicode("state").tag(sync=True)

    def text(self) -> str:
        head = self.head_id
        return f"State at {short_id(head) if head else 'no checkpoint'}:\n{state_text(self.debugger.state)}"
