"""A browser stand-in for widget tests without a browser: it sees every message a widget sends
(trait syncs and custom messages, as they would cross the websocket) and sends requests the
way the front end does, through ipywidgets' own custom-message dispatch.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

from hitl_widgets.widgets.base import DebuggerWidgetBase

REPLY_TIMEOUT_S = 120


class WidgetClient:
    def __init__(self, widget: DebuggerWidgetBase) -> None:
        self.widget = widget
        self.messages: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self._ids = itertools.count(1)

        def capture(msg: dict[str, Any], buffers: Any = None) -> None:
            with self._changed:
                self.messages.append(msg)
                self._changed.notify_all()

        widget._send = capture  # every message ipywidgets would send

    # ----------------------------------------------------------------- what arrived

    def customs(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Custom messages (replies and pushes), oldest first; only `kind` if given."""
        found = [m["content"] for m in self.messages if m.get("method") == "custom"]
        return [c for c in found if kind is None or c.get("kind") == kind]

    def bytes_since(self, mark: int) -> int:
        """Bytes of JSON of every message sent after `mark` (an index into `messages`)."""
        return sum(len(json.dumps(m, default=str).encode()) for m in self.messages[mark:])

    def wait_until(self, condition: Callable[[], Any], what: str) -> Any:
        """Wait (on each message the widget sends) until `condition()` is truthy; return it."""
        with self._changed:
            found = self._changed.wait_for(condition, timeout=REPLY_TIMEOUT_S)
        assert found, f"timed out waiting for {what}; the threads were:\n{_thread_stacks()}"
        return found

    # ----------------------------------------------------------------- requests

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a request and wait for its reply (runs answer from a worker thread)."""
        call_id = f"test-{next(self._ids)}"
        self.send(call_id, method, **params)
        return dict(self.wait_until(lambda: self.reply(call_id), f"the reply to {method}"))

    def send(self, call_id: str, method: str, **params: Any) -> None:
        """Send a request without waiting for its reply."""
        self.widget._handle_custom_msg(
            {"kind": "call", "id": call_id, "method": method, "params": params}, []
        )

    def result(self, method: str, **params: Any) -> Any:
        reply = self.call(method, **params)
        assert reply["ok"], f"{method} failed: {reply['error']}"
        return reply["result"]

    def error(self, method: str, **params: Any) -> dict[str, Any]:
        reply = self.call(method, **params)
        assert not reply["ok"], f"{method} should have failed, got {reply['result']!r}"
        return dict(reply["error"])

    def reply(self, call_id: str) -> dict[str, Any] | None:
        """The reply to `call_id`, if it came."""
        for content in self.customs("reply"):
            if content.get("id") == call_id:
                return content
        return None


def _thread_stacks() -> str:
    """Every thread's stack, so a reply that never came says where its run was stuck."""
    names = {t.ident: t.name for t in threading.enumerate()}
    return "\n".join(
        f"--- {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame))
        for ident, frame in sys._current_frames().items()
    )
