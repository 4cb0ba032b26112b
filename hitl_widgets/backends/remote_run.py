"""One run on the server, streamed: where it stopped and why, told by the run itself.

The run is streamed with `stream_mode=["checkpoints", "updates"]`: every saved superstep
arrives as a "checkpoints" event (id, step, next, values), so progress is reported as it
happens and the outcome needs no read of the thread afterwards. An interrupt or a breakpoint
arrives as an `__interrupt__` update (empty for a breakpoint), a node's failure as an "error"
event carrying its exception type and message (the server does not send the traceback).

Pausing: `langgraph dev` starts each run through a job queue, about 0.5-0.8 s per run here, so
running one superstep per request while a pause could come would make `cont()` that much slower
per superstep. Instead the run goes on in one request, and a pause asked for while it runs is
carried out at the next saved checkpoint by cancelling the run with `action="interrupt"` (and
waiting for the cancel to take effect): the superstep that had just started is dropped (its node
may have begun, and runs again on the next `cont()`), and the thread stands at that checkpoint,
as a local pause leaves it. One `get_state` afterwards says exactly where (about 3 ms here).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Literal

from langgraph_sdk.errors import APIStatusError

from hitl_widgets.backends.base import RunObserver, RunRequest
from hitl_widgets.backends.live import LiveRelay

# ("tasks" names the tasks each step ran, functional `@task`s included.)
QUIET_MODES = ["checkpoints", "updates", "tasks"]
# Live streaming adds tokens (as `(chunk, metadata)` pairs) and custom events.
LIVE_MODES = [*QUIET_MODES, "messages-tuple", "custom"]

NO_BREAKPOINT = "__hitl_no_breakpoint__"
"""Stands for "no breakpoints" in a run's `interrupt_before`/`interrupt_after`.

LangGraph falls back to the compiled breakpoints when a run passes an empty list, and an
assistant's compiled graph cannot be changed from here; the server accepts a list naming no
node (measured: it does not check the names), which replaces the compiled list with nothing.
"""


def breakpoint_list(requested: Sequence[str] | Literal["*"], compiled: Sequence[str]) -> Any:
    """What a run passes for one side's breakpoints, so that the debugger's list is the whole list."""
    if requested == "*":
        return "*"
    if requested:
        return list(requested)
    return [NO_BREAKPOINT] if compiled else None


def run_arguments(request: RunRequest, compiled: tuple[Sequence[str], Sequence[str]]) -> dict[str, Any]:
    """The `runs.stream` keyword arguments for a request (besides thread and assistant)."""
    resumes = request.has_resume or request.command is not None
    arguments = {
        "input": None if resumes else request.input,
        "command": _command(request) if resumes else None,
        "checkpoint_id": request.checkpoint_id,
        "interrupt_before": breakpoint_list(request.interrupt_before, compiled[0]),
        "interrupt_after": breakpoint_list(request.interrupt_after, compiled[1]),
        "config": dict(request.config) if request.config is not None else None,
        "stream_mode": LIVE_MODES if request.stream else QUIET_MODES,
        "stream_subgraphs": request.stream,
        # if the connection drops, the SDK reconnects; event ids let it resume where it was
        "stream_resumable": True,
        # a run queued behind someone else's on this thread would not start from the head shown
        "multitask_strategy": "reject",
    }
    if request.context is not None:
        arguments["context"] = request.context
    return arguments


def _command(request: RunRequest) -> dict[str, Any]:
    """The SDK's form of a resume: `{"resume": ...}`, or the user's `Command`'s fields."""
    command = request.command
    if command is None:
        return {"resume": request.resume}
    fields = {"resume": command.resume, "update": command.update, "goto": command.goto}
    return {key: value for key, value in fields.items() if value not in (None, (), [])}


@dataclass
class StreamedRun:
    """What the stream of one run told, gathered event by event."""

    run_id: str | None = None
    last: Mapping[str, Any] | None = None  # the last "checkpoints" event
    interrupted: bool = False
    at_breakpoint: bool = False
    stop_sent: bool = False
    error: str | None = None


class RunFollower:
    """Reads a run's events, reports its checkpoints, and stops it when asked.

    `request_stop()` may be called from any thread; the stop itself is sent by the thread
    reading the stream, at the next checkpoint.
    """

    def __init__(self, runs: Any, thread_id: str, observer: RunObserver, *, live: bool = True) -> None:
        self._runs = runs
        self._thread_id = thread_id
        self._observer = observer
        self._stop = threading.Event()
        self._relay = LiveRelay(observer)
        self._live_on = live  # live events asked for; the tasks that ran are followed always
        self.run = StreamedRun()

    def request_stop(self) -> None:
        self._stop.set()

    def take_ran(self) -> tuple[str, ...]:
        """The root tasks that finished after the last checkpoint the run saved."""
        return self._relay.take_ran()

    def take(self, event: str, data: Any) -> None:
        run = self.run
        event, _, namespace = event.partition("|")
        if namespace:  # an event from inside a subgraph: live only
            self._live(event, tuple(namespace.split("|")), data)
            return
        self._live(event, (), data)
        if event == "metadata" and isinstance(data, Mapping):
            run.run_id = str(data.get("run_id")) if data.get("run_id") else run.run_id
        elif event == "checkpoints" and isinstance(data, Mapping):
            run.last = data
            self._observer.on_checkpoint(
                str(data["config"]["configurable"]["checkpoint_id"]),
                int((data.get("metadata") or {}).get("step", 0)),
                tuple(data.get("next") or ()),
                self._relay.take_ran(),
            )
            if not run.stop_sent and (self._stop.is_set() or self._observer.should_stop()):
                self._cancel()
        elif event == "updates" and isinstance(data, Mapping) and "__interrupt__" in data:
            # as locally: a breakpoint is an empty interrupt list
            run.interrupted = run.interrupted or bool(data["__interrupt__"])
            run.at_breakpoint = run.at_breakpoint or not data["__interrupt__"]
        elif event == "error":
            run.error = _error_text(data)

    def _live(self, event: str, ns: tuple[str, ...], data: Any) -> None:
        relay = self._relay
        if event == "tasks" and isinstance(data, Mapping):
            if "triggers" in data:
                if self._live_on:
                    relay.started(ns, str(data.get("name")))
            else:
                relay.finished(
                    ns, str(data.get("name")), ran=not data.get("error") and not data.get("interrupts")
                )
        elif event == "updates" and isinstance(data, Mapping) and self._live_on:
            for node, update in data.items():
                if node != "__interrupt__":
                    relay.updated(ns, str(node), update)
        elif event == "messages" and isinstance(data, (list, tuple)) and len(data) == 2:
            chunk, metadata = data
            if isinstance(chunk, Mapping) and str(chunk.get("type", "")).endswith("Chunk"):
                text = chunk.get("content")
                if isinstance(text, str):
                    relay.token(ns, (metadata or {}).get("langgraph_node"), text)
        elif event == "custom":
            relay.custom(ns, data)

    def _cancel(self) -> None:
        if self.run.run_id is None:
            return
        self.run.stop_sent = True
        with suppress(APIStatusError):  # the run may have ended on its own before the stop reached it
            self._runs.cancel(self._thread_id, self.run.run_id, action="interrupt", wait=True)


def _error_text(data: Any) -> str:
    if isinstance(data, Mapping):
        kind, message = data.get("error"), data.get("message")
        return f"{kind}: {message}" if kind and message else str(message or kind or data)
    return str(data)
