"""What a `Debugger` tells its listeners (widgets, magics, user code), and who wants which of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from hitl_widgets.model import Pause

EventKind = Literal["running", "progress", "paused", "changed", "task", "update", "token", "custom"]
LIVE_KINDS = ("task", "update", "token", "custom")


@dataclass(frozen=True)
class DebuggerEvent:
    """What listeners hear. "running": a command started; "progress": a superstep was saved
    during it; "paused": a run ended (`pause` set); "changed": the thread or the breakpoints
    changed without a run (edit, fork, checkout, breakpoints).

    While a run streams (see `Debugger.streaming`) they also hear, in the order they happen:
    "task" (a node started), "update" (a node finished; `data` is its update), "token" (an
    LLM token; `data` is its text) and "custom" (`data` is what the node gave
    `get_stream_writer()`), each with the `node` and the subgraph path `ns` (`()` at the root).
    """

    kind: EventKind
    command: str | None = None
    pause: Pause | None = None
    checkpoint_id: str | None = None
    step: int | None = None
    next: tuple[str, ...] = ()
    node: str | None = None
    ns: tuple[str, ...] = ()
    data: Any = None


Listener = Callable[[DebuggerEvent], None]
# True: every live event; False: none; "background": those of runs off the kernel's thread.
LiveInterest = bool | Literal["background"]


class Listeners:
    """The listeners of one Debugger, each with the live events it wants."""

    def __init__(self) -> None:
        self._entries: list[tuple[Listener, LiveInterest]] = []

    def add(self, listener: Listener, live: LiveInterest) -> Callable[[], None]:
        """Add a listener; returns a function that removes it."""
        entry = (listener, live)
        self._entries.append(entry)

        def stop() -> None:
            if entry in self._entries:
                self._entries.remove(entry)

        return stop

    def emit(self, event: DebuggerEvent) -> None:
        live = event.kind in LIVE_KINDS
        for listener, wants_live in list(self._entries):
            if live and not wants_live:
                continue
            try:
                listener(event)
            except Exception:  # a broken view must not break the command that informed it
                continue

    def want_live(self, *, inline: bool) -> bool:
        """Whether any listener wants the live events of a run (`inline`: one a cell runs in
        the kernel's own thread)."""
        wanted = (True,) if inline else (True, "background")
        return any(live in wanted for _, live in self._entries)
