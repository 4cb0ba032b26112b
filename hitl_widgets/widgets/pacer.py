"""Pacing what a widget sends while a run goes: at most so many messages a second, the last
of a burst always sent."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Pacer:
    """Calls `send` at most `per_second` times a second. A call that comes sooner is made
    when the interval ends, once however many came, so the last of a burst is never lost."""

    def __init__(self, per_second: float, send: Callable[[], None]) -> None:
        self._interval = 1 / per_second
        self._send = send
        self._lock = threading.Lock()
        self._last = 0.0
        self._timer: threading.Timer | None = None

    def call(self) -> None:
        with self._lock:
            wait = self._last + self._interval - time.monotonic()
            if wait > 0:
                if self._timer is None:
                    self._timer = threading.Timer(wait, self._fire)
                    self._timer.daemon = True
                    self._timer.start()
                return
            self._last = time.monotonic()
        self._send()

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def _fire(self) -> None:
        with self._lock:
            self._timer = None
            self._last = time.monotonic()
        self._send()
