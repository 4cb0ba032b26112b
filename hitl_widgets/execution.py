"""Where a run executes: in the calling thread, or on an event loop, and which one.

A sync graph runs where it is called (the kernel's thread, or the widget's worker thread),
exactly as `graph.stream` would. A graph that only `astream` can run (async-only nodes or
tools, or a saver that lives on an event loop) runs on a loop:

- awaited (`await dbg.acont()`): on the caller's own loop, so what the user opened there (an
  MCP session, an `AsyncSqliteSaver`) works as in their own `astream` call;
- called plainly from another thread (the widget's buttons): on the notebook's loop, which is
  free while the kernel is idle, for the same reason;
- called plainly from the notebook's thread (a cell): on a loop of the debugger's own, since the
  notebook's loop cannot run anything while the cell waits. A saver that belongs to the
  notebook's loop cannot be used from there at all: that call is refused with what to do instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any

from hitl_widgets.backends.base import Backend, RunObserver, RunOutcome, RunRequest
from hitl_widgets.errors import DebuggerError


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread (a notebook cell has one), or None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class _OwnLoop:
    """An event loop on a daemon thread of its own, started when first needed."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def get(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name=self._name, daemon=True).start()
                self._loop = loop
            return self._loop


# One loop for every Debugger of the process: a loop a Debugger, never closed, would leak a
# thread and its file descriptors per Debugger.
_SHARED_LOOP = _OwnLoop("hitl-loop")


class Executor:
    """Runs a backend's runs from blocking calls and from awaiting ones."""

    def __init__(self, backend: Backend, notebook_loop: asyncio.AbstractEventLoop | None) -> None:
        self._backend = backend
        self._notebook_loop = notebook_loop
        self._own = _SHARED_LOOP

    def check_blocking(self, command: str) -> None:
        """Refuse at once a blocking command that would wait on the loop it blocks."""
        home = self._backend.home_loop
        if self._backend.runs_async and home is not None and home is running_loop():
            raise DebuggerError(
                f"{command}() would block the event loop this graph's saver runs on: in a notebook "
                f"cell write `await dbg.a{command}(...)`, or use the widget's buttons"
            )

    def run(self, request: RunRequest, observer: RunObserver) -> RunOutcome:
        """Run to the next pause, blocking this thread until then."""
        backend = self._backend
        if not backend.runs_async:
            return backend.run(request, observer)
        loop = self._loop_for_blocking()
        holder: list[asyncio.Task[Any]] = []
        future = asyncio.run_coroutine_threadsafe(_tracked(backend.arun(request, observer), holder), loop)
        try:
            return future.result()
        except KeyboardInterrupt:
            # Ctrl-C in the waiting thread: stop the run where it is, as a sync run stops.
            if holder:
                loop.call_soon_threadsafe(holder[0].cancel, "KeyboardInterrupt")
            return future.result()  # the run ends at once; a second Ctrl-C gives up waiting

    async def arun(self, request: RunRequest, observer: RunObserver) -> RunOutcome:
        """Run to the next pause on the caller's event loop (or the saver's, if another)."""
        backend = self._backend
        if not backend.runs_async:
            # A sync graph runs as `stream` would, off the loop, so the loop stays free meanwhile.
            return await asyncio.to_thread(backend.run, request, observer)
        home = backend.home_loop
        if home is None or home is asyncio.get_running_loop():
            return await backend.arun(request, observer)
        self._check_running(home)
        return await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(backend.arun(request, observer), home)
        )

    def _loop_for_blocking(self) -> asyncio.AbstractEventLoop:
        here = running_loop()
        home = self._backend.home_loop
        if home is not None:
            self._check_running(home)
            return home
        notebook = self._notebook_loop
        if notebook is not None and notebook is not here and notebook.is_running():
            return notebook
        return self._own.get()

    @staticmethod
    def _check_running(loop: asyncio.AbstractEventLoop) -> None:
        if loop.is_closed() or not loop.is_running():
            raise DebuggerError(
                "the event loop this graph's saver was made on is not running any more; "
                "make the saver again in this kernel (or use checkpointer='sqlite:PATH')"
            )


def in_background(command: Callable[[], Any], *, name: str) -> Future[Any]:
    """Run `command` on a daemon thread; the future holds its result or its exception."""
    future: Future[Any] = Future()

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(command())
        except BaseException as exc:  # handed to the caller through the future
            future.set_exception(exc)

    threading.Thread(target=work, name=name, daemon=True).start()
    return future


async def _tracked(coroutine: Coroutine[Any, Any, RunOutcome], holder: list[asyncio.Task[Any]]) -> RunOutcome:
    task = asyncio.current_task()
    if task is not None:
        holder.append(task)
    return await coroutine
