"""Where the user stands in a thread: the head checkpoint, the pause that left it there, and
the interrupts pending at it.

The head follows the thread's newest checkpoint (another kernel's runs included) unless the
user checked out another one; LangGraph has no such notion, so the Debugger keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from hitl_widgets.backends.base import Backend, Snapshot
from hitl_widgets.model import Inside, Pause, PendingInterrupt


class Head:
    """The head checkpoint and what is known of it."""

    def __init__(self, backend: Backend, running: Callable[[], bool]) -> None:
        self._backend = backend
        self._running = running
        self.id: str | None = backend.latest_checkpoint_id()
        self.detached = False  # checked out away from the thread's newest checkpoint
        self.last_pause: Pause | None = None
        # The head's snapshot as last read, for what a pause did not say (after a checkout, or
        # another kernel's run): one read per head, until the next command.
        self._read: tuple[str, Snapshot] | None = None

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
        self._read = None

    def check_out(self, checkpoint_id: str) -> None:
        self.id = checkpoint_id
        self.detached = checkpoint_id != self._backend.latest_checkpoint_id()
        self.last_pause = None

    def forget_interrupts(self) -> None:
        """After a command: what is pending, and where the run stands, are read again when next asked."""
        self._read = None

    def pending_interrupts(self) -> tuple[PendingInterrupt, ...]:
        head = self.current()
        if head is None:
            return ()
        last = self.pause_at(head)
        if last is not None and last.reason != "error":
            return last.interrupts  # the run that stopped here said what is pending
        return self._snapshot(head).interrupts

    def next_nodes(self) -> tuple[str, ...]:
        """What runs next from the head."""
        if self.id is None:
            return ()
        last = self.pause_at(self.id)
        return last.next if last is not None else self._snapshot(self.id).next

    def inside(self) -> Inside | None:
        """The subgraph the head stands inside (a run stopped in it), if any: what the pause
        there said, else read from the thread (a checkout, another kernel's run)."""
        head = self.current()
        if head is None:
            return None
        last = self.pause_at(head)
        return last.inside if last is not None else self._snapshot(head).inside

    def pause_at(self, checkpoint_id: str) -> Pause | None:
        """The last pause, if it left the thread at `checkpoint_id`."""
        last = self.last_pause
        return last if last is not None and last.checkpoint_id == checkpoint_id else None

    def _snapshot(self, checkpoint_id: str) -> Snapshot:
        if self._read is None or self._read[0] != checkpoint_id:
            self._read = (checkpoint_id, self._backend.snapshot(checkpoint_id))
        return self._read[1]
