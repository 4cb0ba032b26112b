"""Where the user stands in a thread: the head checkpoint, the pause that left it there, and
the interrupts pending at it.

The head follows the thread's newest checkpoint (another kernel's runs included) unless the
user checked out another one; LangGraph has no such notion, so the Debugger keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from hitl_widgets.backends.base import Backend
from hitl_widgets.model import Inside, Pause, PendingInterrupt


class Head:
    """The head checkpoint and what is known of it."""

    def __init__(self, backend: Backend, running: Callable[[], bool]) -> None:
        self._backend = backend
        self._running = running
        self.id: str | None = backend.latest_checkpoint_id()
        self.detached = False  # checked out away from the thread's newest checkpoint
        self.last_pause: Pause | None = None
        self._interrupts: tuple[PendingInterrupt, ...] | None = None
        self._interrupts_at: str | None = None
        self._inside: tuple[str | None, Inside | None] | None = None  # (head id, where) as last read

    def current(self) -> str | None:
        """Where the head is, for a read. Reads come from any thread and never write the head:
        a read that did could put it back on the newest checkpoint just after another thread's
        checkout moved it away."""
        if not self._running() and not self.detached:
            return self._backend.latest_checkpoint_id()
        return self.id

    def refresh(self) -> None:
        """Follow the thread's newest checkpoint unless the user checked out another one."""
        if not self.detached:
            self.id = self._backend.latest_checkpoint_id()

    def run_from(self) -> str | None:
        """The checkpoint a run starts from: None for the newest (a plain continue).

        Naming the newest checkpoint explicitly would make LangGraph treat the run as time
        travel (a fork that re-runs finished tasks), so only a checked-out head is named.
        """
        return self.id if self.detached else None

    def moved_to(self, checkpoint_id: str | None, pause: Pause | None = None) -> None:
        """A run or an update made `checkpoint_id` the thread's newest checkpoint."""
        self.id = checkpoint_id
        self.detached = False
        self.last_pause = pause
        self._interrupts = None
        self._inside = None

    def check_out(self, checkpoint_id: str) -> None:
        self.id = checkpoint_id
        self.detached = checkpoint_id != self._backend.latest_checkpoint_id()
        self.last_pause = None

    def forget_interrupts(self) -> None:
        """After a command: what is pending, and where the run stands, are read again when next asked."""
        self._interrupts = None
        self._inside = None

    def pending_interrupts(self) -> tuple[PendingInterrupt, ...]:
        head = self.current()
        # Kept for the head they were read at: another kernel may have moved the thread since.
        if self._interrupts is None or self._interrupts_at != head:
            self._interrupts_at = head
            last = self.last_pause
            if last is not None and last.checkpoint_id == head and last.reason != "error":
                # The run that stopped here said what is pending: no need to read the thread again.
                self._interrupts = last.interrupts
            else:
                self._interrupts = self._backend.snapshot(head).interrupts if head else ()
        return self._interrupts

    def next_nodes(self) -> tuple[str, ...]:
        """What runs next from the head."""
        if self.id is None:
            return ()
        if self.last_pause is not None and self.last_pause.checkpoint_id == self.id:
            return self.last_pause.next
        return self._backend.snapshot(self.id).next

    def inside(self) -> Inside | None:
        """The subgraph the head stands inside (a run stopped in it), if any: what the pause
        there said, else read from the thread (a checkout, another kernel's run), once per head."""
        head = self.current()
        if head is None:
            return None
        if self.last_pause is not None and self.last_pause.checkpoint_id == head:
            return self.last_pause.inside
        if self._inside is None or self._inside[0] != head:
            self._inside = (head, self._backend.snapshot(head).inside)
        return self._inside[1]
