"""What a `%hitl` run command prints while it runs: LLM tokens as they arrive, grouped by the
node producing them, and custom events, each on its own line. The pause report follows."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from hitl_widgets.debugger import Debugger, DebuggerEvent
from hitl_widgets.text import compact


class LivePrinter:
    """Writes a run's tokens and custom events to a text stream as they come."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._source: tuple[str | None, tuple[str, ...]] | None = None  # whose tokens the open line holds
        self._lock = threading.Lock()  # events come from the run's thread or loop

    def __call__(self, event: DebuggerEvent) -> None:
        if event.kind not in ("token", "custom"):
            return
        with self._lock:
            where = " > ".join((*(seg.split(":", 1)[0] for seg in event.ns), event.node or "?"))
            if event.kind == "token":
                source = (event.node, event.ns)
                if source != self._source:
                    self._end_line()
                    self._out.write(f"{where}: ")
                    self._source = source
                self._out.write(str(event.data))
            else:
                self._end_line()
                self._out.write(f"{where} (custom): {compact(event.data)}\n")
            self._out.flush()

    def finish(self) -> None:
        with self._lock:
            self._end_line()
            self._out.flush()

    def _end_line(self) -> None:
        if self._source is not None:
            self._out.write("\n")
            self._source = None


@contextmanager
def live_output(dbg: Debugger, out: TextIO | None = None) -> Iterator[None]:
    """Print the live events of the commands run inside, if the Debugger streams."""
    if not dbg.streaming:
        yield
        return
    printer = LivePrinter(out or sys.stdout)
    stop = dbg.observe(printer)
    try:
        yield
    finally:
        stop()
        printer.finish()
