"""One command at a time on a Debugger, and, with many kernels on one thread, one writer.

A command issued while another runs is refused, not queued: a queued command would block the
kernel that must stay free to deliver `pause()`. A command that writes also holds the thread
against other processes (`backends/thread_guard.py`) and is refused if another process moved
the thread since this Debugger last read it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from hitl_widgets.backends.base import Backend
from hitl_widgets.backends.thread_guard import WRITING_COMMANDS
from hitl_widgets.errors import DebuggerError
from hitl_widgets.head import Head
from hitl_widgets.history import ThreadHistory


class CommandGate:
    """Lets one command in at a time; `running` names it."""

    def __init__(self, backend: Backend, history: ThreadHistory) -> None:
        self._backend = backend
        self._history = history
        self._lock = threading.Lock()
        self.running: str | None = None

    @contextmanager
    def enter(self, name: str, head: Head, at: str | None = None) -> Iterator[None]:
        if not self._lock.acquire(blocking=False):
            raise DebuggerError(
                f"{name}() refused: {self.running}() is still running on thread {self._backend.thread_id!r}; "
                "wait for it, or call pause() to stop it at the next superstep"
            )
        self.running = name
        known = self._history.skeleton.newest()
        try:
            with self._claim(name, head, at):
                head.refresh()
                yield
        finally:
            head.forget_interrupts()
            self._history.skeleton.forget_newer_than(known)
            self.running = None
            self._lock.release()

    def _claim(self, name: str, head: Head, at: str | None) -> AbstractContextManager[None]:
        """A command that writes holds the thread until it is over. A head checked out on
        purpose is not stale; `at` is the checkpoint a fork or replay names (stale only if it
        is the head)."""
        if name not in WRITING_COMMANDS:
            return nullcontext()
        return self._backend.claim(name, check=not head.detached, at=at)
