"""Requests from the browser and their answers: every request gets exactly one.

The browser sends `{kind: "call", id, method, params}`; the answer is
`{kind: "reply", id, ok: true, result}` or `{kind: "reply", id, ok: false, error: {type,
message, detail}}`. Whatever goes wrong in a handler — a refused command, a bad request, a bug —
becomes an error answer the widget shows, rather than a traceback in a log nobody reads.
Long commands (runs) go to a worker thread so the kernel stays free for `pause`; they answer
when they finish.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from hitl_widgets.errors import DebuggerError

Params = Mapping[str, Any]
Send = Callable[[dict[str, Any]], None]
Background = Callable[[Callable[[], Any]], "Future[Any]"]


class RequestError(Exception):
    """The browser sent a request this side cannot read (a bug in the front end, not the user's)."""


@dataclass(frozen=True)
class Method:
    run: Callable[[Params], Any]
    background: bool = False


def error_json(exc: BaseException) -> dict[str, Any]:
    """An exception as the browser shows it; the traceback only where it is not the user's doing."""
    message = str(exc) or type(exc).__name__
    detail = (
        None if isinstance(exc, (DebuggerError, RequestError)) else "".join(traceback.format_exception(exc))
    )
    return {"type": type(exc).__name__, "message": message, "detail": detail}


class RpcServer:
    """Dispatches calls to `methods` and answers each one through `send`."""

    def __init__(self, methods: Mapping[str, Method], send: Send, background: Background) -> None:
        self._methods = methods
        self._send = send
        self._background = background

    def handle(self, content: Any) -> bool:
        """Answer `content` if it is a call; False if it is some other message."""
        if not isinstance(content, dict) or content.get("kind") != "call":
            return False
        call_id = content.get("id")
        try:
            method, params = self._read(content)
            if method.background:
                future = self._background(lambda: method.run(params))
                future.add_done_callback(lambda done: self._answer_future(call_id, done))
                return True
            result = method.run(params)
        except Exception as exc:
            self._reply_error(call_id, exc)
            return True
        self._reply(call_id, result)
        return True

    def _read(self, content: dict[str, Any]) -> tuple[Method, Params]:
        name = content.get("method")
        params = content.get("params", {})
        if not isinstance(name, str) or name not in self._methods:
            raise RequestError(f"unknown method {name!r}; methods: {', '.join(sorted(self._methods))}")
        if not isinstance(params, dict):
            raise RequestError(f"params of {name} must be an object, not {type(params).__name__}")
        return self._methods[name], params

    def _answer_future(self, call_id: Any, future: Future[Any]) -> None:
        exc = future.exception()
        if exc is not None:
            self._reply_error(call_id, exc)
        else:
            self._reply(call_id, future.result())

    def _reply(self, call_id: Any, result: Any) -> None:
        try:
            json.dumps(result)  # a result that cannot travel becomes an error, not a lost reply
        except (TypeError, ValueError) as exc:
            self._reply_error(call_id, exc)
            return
        self._send({"kind": "reply", "id": call_id, "ok": True, "result": result})

    def _reply_error(self, call_id: Any, exc: BaseException) -> None:
        self._send({"kind": "reply", "id": call_id, "ok": False, "error": error_json(exc)})
