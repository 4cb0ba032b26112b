"""Python-side assertions: evaluate code in the very kernel a page is using.

The page tells us its kernel id; the server keeps that kernel's connection file in its runtime
dir (`kernel-<id>.json`); a second client (`BlockingKernelClient`) connects to it and sends
silent executions, which neither show in the notebook nor bump its execution counter. The page
ignores replies to requests it did not send, so probing never changes what the page shows.

Requests queue behind whatever the kernel's main thread is doing: evaluating while a cell still
runs waits for that cell (runs started with `dbg.in_background` do not block it).
"""

from __future__ import annotations

import ast
import json
import queue
import re
import time
from pathlib import Path
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient

TIMEOUT_S = 120.0
POLL_S = 0.1
ANSI_COLOR = re.compile(r"\x1b\[[0-9;]*m")


class KernelError(AssertionError):
    """The kernel raised while evaluating a probe (the message has its name, value and traceback)."""


class KernelProbe:
    """A client of one running kernel, for reading (and, where a test must, changing) its state."""

    def __init__(self, connection_file: Path) -> None:
        self.client = BlockingKernelClient(connection_file=str(connection_file))
        self.client.load_connection_file()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=TIMEOUT_S)

    def eval(self, expression: str, timeout_s: float = TIMEOUT_S) -> Any:
        """The value of `expression` in the kernel, passed through JSON.

        The value must be JSON-serializable: ask for `len(dbg.interrupts)`,
        `[i.value for i in dbg.interrupts]` or `dbg.state`, not for objects.
        """
        wrapped = f"__import__('json').dumps({expression})"
        reply = self._execute("", timeout_s, user_expressions={"value": wrapped})
        result = reply["user_expressions"]["value"]
        if result["status"] != "ok":
            raise KernelError(_describe(expression, result))
        return json.loads(ast.literal_eval(result["data"]["text/plain"]))

    def exec(self, code: str, timeout_s: float = TIMEOUT_S) -> None:
        """Run `code` in the kernel (silently: no output in the page); raise if it raises."""
        reply = self._execute(code, timeout_s)
        if reply["status"] != "ok":
            raise KernelError(_describe(code, reply))

    def wait_until(self, expression: str, timeout_s: float = TIMEOUT_S) -> Any:
        """Re-evaluate `expression` until it is truthy; returns that value (raises on timeout)."""
        deadline = time.monotonic() + timeout_s
        value = self.eval(expression, timeout_s)
        while not value:
            if time.monotonic() > deadline:
                raise TimeoutError(f"still falsy after {timeout_s:.0f}s: {expression} == {value!r}")
            time.sleep(POLL_S)
            value = self.eval(expression, timeout_s)
        return value

    def close(self) -> None:
        self.client.stop_channels()

    def _execute(self, code: str, timeout_s: float, **kwargs: Any) -> dict[str, Any]:
        msg_id = self.client.execute(code, silent=True, store_history=False, **kwargs)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                reply = self.client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise TimeoutError(f"the kernel did not answer within {timeout_s:.0f}s: {code!r}") from None
            if reply["parent_header"].get("msg_id") == msg_id:
                content: dict[str, Any] = reply["content"]
                return content


def traceback_text(lines: list[str] | None) -> str:
    """A kernel's traceback lines as plain text (IPython colours them with ANSI codes)."""
    return ANSI_COLOR.sub("", "\n".join(lines or []))


def _describe(source: str, error: dict[str, Any]) -> str:
    traceback = traceback_text(error.get("traceback"))
    return f"{source!r} raised {error.get('ename')}: {error.get('evalue')}\n{traceback}"
