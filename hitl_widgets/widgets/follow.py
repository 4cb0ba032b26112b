"""Open views follow a thread that other kernels move, without reading the whole thread.

Another kernel on the same thread (a teammate on a shared Postgres, a second notebook on the
same SQLite file) writes checkpoints this kernel hears nothing about. While a view of a local
Debugger is open, one watcher thread per Debugger asks the saver for the thread's newest
checkpoint id every `FOLLOW_SECONDS` (one indexed query; no state, no history) and tells the
views when it changed; they then fetch only what is new, as after a command of their own. It
stays quiet while the Debugger's own command runs (that command's events already update the
views) and stops when the last view closes. Postgres `LISTEN/NOTIFY` would need a trigger in
the saver's tables (the saver sends no notifications): not worth owning for a half-second gain.

Remote Debuggers are not watched: a LangGraph server's thread is one HTTP request away, and a
view of one refreshes on its own commands.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

from hitl_widgets.debugger import Debugger

# How often an open view checks whether another kernel moved its thread.
FOLLOW_SECONDS = 0.5

Moved = Callable[[], None]


class ThreadWatcher:
    """Polls one Debugger's newest checkpoint id while anyone listens."""

    def __init__(self, debugger: Debugger) -> None:
        self._debugger = weakref.ref(debugger)
        self._listeners: list[Moved] = []
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None

    def listen(self, listener: Moved) -> Callable[[], None]:
        """Call `listener` (from the watcher's thread) each time the thread moved; returns a stopper."""
        with self._lock:
            self._listeners.append(listener)
            if self._stop is None:
                self._stop = threading.Event()
                # The first read is made here, in the caller's thread: a view is often made in
                # the cell that then closes its saver's connection, and a connection closed by
                # one thread while another reads it can crash the process (CPython's sqlite3).
                try:
                    first: tuple[str | None, bool] = (self._newest(), True)
                except Exception:
                    first = (None, False)
                threading.Thread(
                    target=self._watch, args=(self._stop, first), name="hitl-follow", daemon=True
                ).start()

        def stop() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
                if not self._listeners and self._stop is not None:
                    self._stop.set()
                    self._stop = None

        return stop

    def _watch(self, stop: threading.Event, first: tuple[str | None, bool]) -> None:
        debugger = self._debugger()
        if debugger is None:
            return
        own = threading.Event()  # the Debugger's own commands, which its events already show
        unobserve = debugger.observe(lambda _event: own.set(), live=False)
        del debugger  # held weakly: a watcher must not keep a dropped Debugger alive
        try:
            self._poll(stop, own, first)
        finally:
            unobserve()

    def _poll(self, stop: threading.Event, own: threading.Event, first: tuple[str | None, bool]) -> None:
        known, comparable = first
        while not stop.wait(FOLLOW_SECONDS):
            debugger = self._debugger()
            if debugger is None:
                return
            if debugger.running is not None or own.is_set():
                own.clear()
                comparable = False  # compare afresh once its own command is over
                continue
            try:
                newest = self._newest()
            except Exception:  # the database went away for a moment: try again next time
                comparable = False
                continue
            if comparable and newest != known:
                with self._lock:
                    listeners = list(self._listeners)
                for listener in listeners:
                    try:
                        listener()
                    except Exception:  # one broken view must not stop the others following
                        continue
            known, comparable = newest, True

    def _newest(self) -> str | None:
        debugger = self._debugger()
        if debugger is None:
            return None
        return debugger.newest_id()


_watchers: weakref.WeakKeyDictionary[Debugger, ThreadWatcher] = weakref.WeakKeyDictionary()
_watchers_lock = threading.Lock()


def follow(debugger: Debugger, moved: Moved) -> Callable[[], None]:
    """Call `moved` whenever another kernel moves `debugger`'s thread (local Debuggers only);
    returns a function that stops it."""
    if debugger.backend_kind != "local":
        return lambda: None
    with _watchers_lock:
        watcher = _watchers.get(debugger)
        if watcher is None:
            watcher = _watchers[debugger] = ThreadWatcher(debugger)
    return watcher.listen(moved)
