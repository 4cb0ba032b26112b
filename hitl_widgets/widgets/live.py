"""A run's live events on their way to the browser: batched, bounded, never one message a token.

Tokens arrive one word at a time from the run's thread or loop; sent one by one they would
flood the comm and the browser's layout. The feed gathers them and sends at most one `live`
message every `FLUSH_SECONDS` (a trailing timer sends the last batch). Each message carries
what the browser adds to what it has: the nodes running now, token text to append per node,
and the custom events and finished nodes since the last message. Token text kept per node is
bounded (its start is dropped past `TOKEN_CHARS`): tokens are a view of work in progress, and
what the model finally said reaches the state, which the state feed sends whole.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from hitl_widgets.events import DebuggerEvent
from hitl_widgets.serialize import Limits, to_json
from hitl_widgets.widgets.pacer import Pacer

FLUSH_SECONDS = 0.05
TOKEN_CHARS = 20_000
# Custom events kept for the browser per run, newest last; older ones are counted, not sent.
CUSTOM_EVENTS = 200
_CUSTOM_LIMITS = Limits(max_depth=4, max_items=20, max_str=500)


def _path(node: str | None, ns: tuple[str, ...]) -> str:
    """A node's place: `outer/inner` for a node inside a subgraph (task ids left out)."""
    return "/".join((*(seg.split(":", 1)[0] for seg in ns), node or "?"))


class LiveFeed:
    """Gathers one Debugger's live events and posts them in batches through `post`."""

    def __init__(self, post: Callable[[dict[str, Any]], None]) -> None:
        self._post = post
        self._lock = threading.Lock()
        self._running: list[str] = []
        self._tokens: dict[str, str] = {}
        self._custom: list[dict[str, Any]] = []
        self._finished: list[str] = []
        self._reset = False
        self._sent_running: list[str] = []
        self._custom_sent = 0
        self._pacer = Pacer(1 / FLUSH_SECONDS, self.flush)

    def start(self) -> None:
        """A run began: with its first batch, the browser clears what the last run showed."""
        with self._lock:
            self._running, self._tokens, self._custom, self._finished = [], {}, [], []
            self._reset = True
            self._custom_sent = 0

    def take(self, event: DebuggerEvent) -> None:
        path = _path(event.node, event.ns)
        with self._lock:
            if event.kind == "task":
                self._running.append(path)
            elif event.kind == "update":
                if path in self._running:
                    self._running.remove(path)
                self._finished.append(path)
            elif event.kind == "token":
                self._tokens[path] = (self._tokens.get(path, "") + str(event.data))[-TOKEN_CHARS:]
            elif event.kind == "custom" and self._custom_sent + len(self._custom) < CUSTOM_EVENTS:
                self._custom.append({"node": path, "data": to_json(event.data, _CUSTOM_LIMITS)})
        self._pacer.call()

    def end(self) -> None:
        """The run paused: nothing runs any more; what is left is sent now."""
        with self._lock:
            self._running = []
            self._reset = False  # a run that streamed nothing leaves the last run's view alone
        self._pacer.cancel()
        self.flush()

    def flush(self) -> None:
        with self._lock:
            if not (self._tokens or self._custom or self._finished) and self._running == self._sent_running:
                return  # nothing new for the browser
            self._sent_running = list(self._running)
            message = {
                "kind": "live",
                "reset": self._reset,
                "running": list(self._running),
                "tokens": self._tokens,
                "custom": self._custom,
                "finished": self._finished,
            }
            self._custom_sent += len(self._custom)
            self._tokens, self._custom, self._finished, self._reset = {}, [], [], False
        self._post(message)
