"""The widget plumbing shared by every view: one anywidget model bound to one Debugger.

A widget keeps no debugger state of its own. It observes the Debugger and mirrors what it
hears into synced traits (declarative state the browser renders), streams new checkpoints and
changed state keys through its feeds, and answers the browser's requests through an
`RpcServer`. So every view of a Debugger — in this widget or another, or in a magic's output —
shows the same thing, whichever of them (or a cell) issued the command.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

from hitl_widgets.debugger import SPECIAL_AS_NODES, Debugger, DebuggerEvent
from hitl_widgets.errors import DebuggerError
from hitl_widgets.model import Checkpoint, Inside, Pause, error_line, short_id
from hitl_widgets.serialize import Limits, to_json, topology_json
from hitl_widgets.text import failed_tasks, user_traceback
from hitl_widgets.widgets import bundle
from hitl_widgets.widgets.commands import Context, methods
from hitl_widgets.widgets.feeds import HeadStateFeed, HistoryFeed, head_or_none
from hitl_widgets.widgets.follow import follow
from hitl_widgets.widgets.inside import inside_json
from hitl_widgets.widgets.live import LiveFeed
from hitl_widgets.widgets.pacer import Pacer
from hitl_widgets.widgets.rpc import RpcServer, error_json
from hitl_widgets.widgets.selection import selection_of
from hitl_widgets.widgets.wire import interrupt_view

# A node's traceback, as shown in the status area: at most this many characters of its end,
# where the exception line is ("see more" is not needed: the whole text is in the Pause for
# Python users). Its headline (the exception line) is sent apart, cut to `_HEADLINE_CHARS`.
_ERROR_CHARS = 4_000
_HEADLINE_CHARS = 300
_ERROR_LIMITS = Limits(max_depth=1, max_items=1, max_str=_ERROR_CHARS)
# The views that show a run live: its running nodes, tokens and custom events.
LIVE_VIEWS = ("debugger", "graph")
# At most this many progress updates per second reach the browser during a long run.
_PROGRESS_PER_SECOND = 20
# At most this many times a second a run's new checkpoints are sent as they are saved.
_ROWS_PER_SECOND = 4


class DebuggerWidgetBase(anywidget.AnyWidget):
    """One view ("debugger", "graph", "tree", "interrupts" or "state") of one Debugger."""

    _esm = bundle.ESM
    _css = bundle.CSS

    view = traitlets.Unicode("debugger").tag(sync=True)
    thread = traitlets.Dict().tag(sync=True)
    topology = traitlets.Dict().tag(sync=True)
    as_nodes = traitlets.List(traitlets.Unicode()).tag(sync=True)
    # every node a breakpoint can name: root nodes, then (in this kernel) subgraph paths "mid/x"
    breakable = traitlets.List(traitlets.Unicode()).tag(sync=True)
    # where the head stands inside a subgraph, or {} at the root (see `inside.inside_json`)
    inside = traitlets.Dict().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)
    breakpoints = traitlets.Dict().tag(sync=True)
    watches = traitlets.Dict().tag(sync=True)
    head_id = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    interrupts = traitlets.List(traitlets.Dict()).tag(sync=True)
    selected = traitlets.Unicode(None, allow_none=True).tag(sync=True)

    def __init__(self, debugger: Debugger, **kwargs: Any) -> None:
        if not isinstance(debugger, Debugger):
            raise TypeError(
                f"{type(self).__name__}() takes a hitl_widgets Debugger (from hw.debug(graph)), "
                f"not {type(debugger).__name__}"
            )
        super().__init__(**kwargs)
        self._debugger = debugger
        self._lock = threading.RLock()
        self._progress = 0
        self._latest: DebuggerEvent | None = None
        self._status_pacer = Pacer(_PROGRESS_PER_SECOND, self._send_progress)
        self._rows_pacer = Pacer(_ROWS_PER_SECOND, self._send_live_rows)
        self._selection = selection_of(debugger)
        self._history = HistoryFeed(debugger)
        self._head_state = HeadStateFeed(debugger)
        context = Context(debugger, self._history, self._head_state, self._selection)
        self._rpc = RpcServer(methods(context), self._post, debugger.in_background)
        topology = debugger.topology
        self.thread = {"id": debugger.thread_id, "backend": debugger.backend_kind}
        self.topology = topology_json(topology)
        self.as_nodes = [*topology.node_names, *SPECIAL_AS_NODES]
        self.breakable = list(debugger.breakable_nodes)
        self.selected = self._selection.selected
        self._sync(running=debugger.running, pause=debugger.last_pause)
        self._live = LiveFeed(self._post)
        self._stops = [
            # the views that show a run live (running nodes, tokens) ask for its live events
            # (not for a run a cell makes in the kernel's thread: the stop button must stop it)
            debugger.observe(self._on_event, live="background" if self.view in LIVE_VIEWS else False),
            self._selection.observe(self._on_select),
            follow(debugger, self._on_moved_elsewhere),
        ]
        self.on_msg(self._on_msg)

    @property
    def debugger(self) -> Debugger:
        return self._debugger

    def until_closed(self, stop: Callable[[], None]) -> None:
        """Call `stop` when this widget closes (something kept in step with it ends then)."""
        self._stops.append(stop)

    def close(self) -> None:
        for stop in getattr(self, "_stops", ()):
            stop()
        for pacer in (getattr(self, "_status_pacer", None), getattr(self, "_rows_pacer", None)):
            if pacer is not None:
                pacer.cancel()
        super().close()

    # ----------------------------------------------------------------- from the browser

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        self._rpc.handle(content)

    def _post(self, content: dict[str, Any]) -> None:
        with self._lock:
            self.send(content)

    # ----------------------------------------------------------------- from the Debugger

    def _on_event(self, event: DebuggerEvent) -> None:
        try:
            if event.kind == "running":
                self._progress, self._latest = 0, None
                self._live.start()
                self._set_status(running=event.command, progress=0, error=None, error_line=None)
            elif event.kind == "progress":
                self._on_progress(event)
            elif event.kind in ("task", "update", "token", "custom"):
                self._live.take(event)  # only the views in LIVE_VIEWS hear these
            else:
                self._live.end()
                with self._lock:
                    self._latest = None  # a progress update still due would come after the end
                self._sync(running=None, pause=event.pause, command=event.command)
        except DebuggerError as exc:
            # The Debugger cannot be read (a run ended by raising: its server went away). Keep the
            # last known checkpoint in view, with the error, rather than "no checkpoint yet".
            self._set_status(**_unreadable(self.status, event.command, exc))
        except Exception as exc:  # the Debugger would drop it; the person must see it
            self._post({"kind": "error", "error": error_json(exc)})

    def _on_moved_elsewhere(self) -> None:
        """Another kernel wrote the thread: show what is new, as after a command of our own."""
        try:
            self._sync(running=None, pause=self._debugger.last_pause, command="moved by another kernel")
        except Exception as exc:  # the watcher would drop it; the person must see it
            self._post({"kind": "error", "error": error_json(exc)})

    def _on_progress(self, event: DebuggerEvent) -> None:
        """Count supersteps; show the latest one and the checkpoints saved so far, a few times a
        second at most (the last update of a burst is sent when its interval ends, so a run
        waiting in a long node shows where it is)."""
        with self._lock:
            self._progress += 1
            self._latest = event
        self._status_pacer.call()
        self._rows_pacer.call()

    def _send_progress(self) -> None:
        with self._lock:
            event, progress = self._latest, self._progress
        if event is None:
            return  # the run ended: its pause has been shown
        self._set_status(
            progress=progress, step=event.step, checkpoint_id=event.checkpoint_id, next=list(event.next)
        )

    def _send_live_rows(self) -> None:
        if self._debugger.running is None:
            return
        try:
            rows = self._history.live()
        except DebuggerError:
            return  # unreadable while it runs: the rows come with the run's end
        if rows:
            self._post({"kind": "history", "rows": rows})

    def _on_select(self, checkpoint_id: str | None) -> None:
        with self._lock:
            self.selected = checkpoint_id

    def _set_status(self, **fields: Any) -> None:
        with self._lock:
            self.status = {**self.status, **fields}

    def _sync(self, *, running: str | None, pause: Pause | None, command: str | None = None) -> None:
        """Stream what is new to the browser, then mirror the Debugger into the traits.

        New checkpoints and the head's changed keys go first, so that when the browser sees the
        head move (the `head_id` trait) it already holds the new head's values and does not
        ask for them whole.
        """
        dbg = self._debugger
        head = head_or_none(dbg)
        rows = self._history.update()
        if rows:
            self._post({"kind": "history", "rows": rows})
        state = self._head_state.update(head)
        if state:
            self._post({"kind": "state", **state})
        inside = dbg.inside if head is not None else None
        with self._lock, self.hold_sync():
            self.head_id = head.id if head else None
            self.inside = inside_json(dbg, inside) or {}
            self.breakpoints = {**dbg.breakpoints, "conditions": dbg.breakpoint_conditions}
            self.watches = dbg.watches
            self.interrupts = [interrupt_view(i) for i in dbg.interrupts] if head else []
            self.status = {
                **_status(running, pause, head, command, len(self.interrupts), inside),
                **_pause_detail(pause, head, self.breakpoints),
            }


def _pause_detail(
    pause: Pause | None, head: Checkpoint | None, breakpoints: dict[str, Any]
) -> dict[str, Any]:
    """What the status adds about the pause the head is at: the breakpoint it hit (before the
    nodes about to run, or after the ones that just ran), the nodes whose task failed, and the
    whole traceback (the status's `error` is the user's frames, cells by name)."""
    detail: dict[str, Any] = {"breakpoint_hit": None, "failed": [], "error_full": None}
    if pause is None or head is None or pause.checkpoint_id != head.id:
        return detail
    if pause.reason == "breakpoint":
        conditions = breakpoints.get("conditions", {})

        def hit_text(where: str, node: str) -> str:
            condition = conditions.get(where, {}).get(node)
            return f"{where} {node}" + (f" (when {condition})" if condition else "")

        # inside a subgraph, its next nodes by path (as its breakpoints name them)
        upcoming = pause.inside.next_paths if pause.inside is not None else pause.next
        hit = [hit_text("before", n) for n in upcoming if n in breakpoints["before"]]
        hit += [hit_text("after", n) for n in head.writes if n in breakpoints["after"]]
        if pause.watch is not None:
            hit.append(pause.watch.summary())
        detail["breakpoint_hit"] = " and ".join(hit) or None
    if pause.error:
        detail["failed"] = failed_tasks(pause.error) or list(pause.next)
        detail["error"] = to_json(
            _last_lines(user_traceback(pause.error, _cell_names()), _ERROR_CHARS), _ERROR_LIMITS
        )
        detail["error_full"] = to_json(_last_lines(pause.error, _ERROR_CHARS), _ERROR_LIMITS)
    return detail


def _cell_names() -> dict[str, int]:
    """Notebook cells' file names -> their execution counts (IPython's compiler keeps this map;
    empty outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with every kernel
        return {}
    shell = get_ipython()
    names = getattr(getattr(shell, "compile", None), "_filename_map", None)
    return dict(names) if isinstance(names, dict) else {}


def _status(
    running: str | None,
    pause: Pause | None,
    head: Checkpoint | None,
    command: str | None,
    pending: int,
    inside: Inside | None = None,
) -> dict[str, Any]:
    """The status line's data: what runs, why it last stopped, where the head is."""
    if pause is not None and head is not None and pause.checkpoint_id == head.id:
        summary = pause.summary()
        reason: str | None = pause.reason
        error = (
            to_json(_last_lines(user_traceback(pause.error, _cell_names()), _ERROR_CHARS), _ERROR_LIMITS)
            if pause.error
            else None
        )
        headline = (
            to_json(_cut(error_line(pause.error), _HEADLINE_CHARS), _ERROR_LIMITS) if pause.error else None
        )
    elif head is not None:
        reason, error, headline = None, None, None
        done = f"{command}: " if command else ""
        summary = f"{done}head at checkpoint {short_id(head.id)} (step {head.step})"
        if inside is not None:  # an edit inside a subgraph: the run still stands there
            summary += f"; {inside.summary()}"
        elif head.next:
            summary += f"; next: {', '.join(head.next)}"
        if pending:
            summary += f"; {pending} pending interrupt(s)"
    else:
        reason, error, headline = None, None, None
        summary = "No checkpoint yet: start the graph with an input."
    return {
        "running": running,
        "reason": reason,
        "summary": summary,
        "error": error,
        "error_line": headline,
        "step": head.step if head else None,
        "checkpoint_id": head.id if head else None,
        "next": list(head.next) if head else [],
        "last_nodes": list(head.writes) if head else [],
        "progress": 0,
    }


def _unreadable(status: dict[str, Any], command: str | None, exc: DebuggerError) -> dict[str, Any]:
    """The status fields once the Debugger cannot be read: not running, the error said, and the
    last known checkpoint (from the last status or progress update) kept."""
    where = status.get("checkpoint_id")
    known = f"; last known checkpoint {short_id(where)} (step {status.get('step')})" if where else ""
    return {
        "running": None,
        "progress": 0,
        "reason": "error",
        "summary": f"{command or 'reading'} failed: {exc}{known}",
    }


def _last_lines(text: str, limit: int) -> str:
    """The whole lines at the end of `text` that fit in `limit` characters (a traceback's end is
    where its exception line is), after a line saying how much was left out."""
    if len(text) <= limit:
        return text
    tail = text[-(limit - 60) :]
    tail = tail[tail.find("\n") + 1 :] if "\n" in tail else tail
    return f"… ({len(text) - len(tail)} characters before)\n{tail}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
