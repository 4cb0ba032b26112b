"""A thread's checkpoints as the Debugger hands them out: the skeleton kept in step with the
saver by fetching only new records, `Checkpoint`s whose values load when read, and ids given
whole or as a short prefix or suffix.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from hitl_widgets.backends.base import Backend, CheckpointRecord
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import Checkpoint, Pause, short_id

MIN_ID_CHARS = 6
# How many of the newest checkpoints are read on their own before the rest of a thread.
FIRST_SCREEN = 200


class Skeleton:
    """The thread's checkpoint records, kept in step with the saver by fetching only new ones.

    Checkpoints are never changed or removed, and their ids grow with time, so what was read
    once stays right and anything newer than the newest known id is all that can be missing.
    """

    def __init__(self) -> None:
        self.records: list[CheckpointRecord] = []
        self.by_id: dict[str, CheckpointRecord] = {}
        self._latest: str | None = None
        # Views read from their own threads while a command runs: two refreshes at once would
        # both add the same new records.
        self._lock = threading.Lock()

    def refresh(self, backend: Backend) -> list[CheckpointRecord]:
        with self._lock:
            latest = backend.latest_checkpoint_id()
            if latest != self._latest:
                known = self.records[0].id if self.records else None
                new = backend.skeleton(newer_than=known)
                self.records = new + self.records
                self.by_id.update((r.id, r) for r in new)
                self._latest = latest
            return self.records

    def remember(self, record: CheckpointRecord) -> None:
        """Keep a record whose missing parts were filled in, in place of the one read."""
        with self._lock:
            if record.id in self.by_id:
                self.by_id[record.id] = record
                self.records = [record if r.id == record.id else r for r in self.records]

    def newest(self) -> str | None:
        with self._lock:
            return self.records[0].id if self.records else None

    def forget_newer_than(self, known: str | None) -> None:
        """Drop the records newer than `known`. Read while a run was saving, they can lack what
        it saved after them (a step's tasks save their writes in the background), so they are
        read again once the run is over."""
        with self._lock:
            self.records = [r for r in self.records if known is not None and r.id <= known]
            self.by_id = {r.id: r for r in self.records}
            self._latest = None


class ThreadHistory:
    """Reads a thread's checkpoints for the Debugger: skeleton first, values on demand.

    `last_pause` tells where the latest run stopped: a branch tip's `next` is known from it
    without reading the thread again.
    """

    def __init__(self, backend: Backend, last_pause: Callable[[], Pause | None]) -> None:
        self._backend = backend
        self._last_pause = last_pause
        self.skeleton = Skeleton()
        # Tasks runs of this Debugger saw finish, by the checkpoint their step made: names the
        # saver does not keep (a functional `@task`'s), added to what the skeleton says.
        self._ran: dict[str, tuple[str, ...]] = {}
        self._carried: tuple[str | None, tuple[str, ...]] = (None, ())

    def note_ran(self, checkpoint_id: str, ran: tuple[str, ...]) -> None:
        """`ran` finished in the step that made `checkpoint_id`; with the tasks carried over
        from a run that stopped inside that step (they are not run again)."""
        carried_from, carried = self._carried
        if carried and checkpoint_id != carried_from:  # a resumed run first names where it starts
            ran = (*carried, *(n for n in ran if n not in carried))
            self._carried = (None, ())
        if ran:
            self._ran[checkpoint_id] = ran

    def carry(self, checkpoint_id: str | None, ran: tuple[str, ...]) -> None:
        """A run stopped at `checkpoint_id` inside a step in which `ran` had finished."""
        self._carried = (checkpoint_id, ran)

    def checkpoints(self, *, limit: int | None = None, newer_than: str | None = None) -> list[Checkpoint]:
        if limit is not None and newer_than is None and not self.skeleton.records:
            # Nothing read yet: the newest few need not wait for the whole thread (a first screen).
            return [
                self.checkpoint_of(r) for r in self._with_next(self._backend.skeleton(limit=limit)[:limit])
            ]
        records = self.records()
        if newer_than is not None:
            records = [r for r in records if r.id > newer_than]
        if limit is not None:
            records = records[:limit]
        return [self.checkpoint_of(r) for r in self._with_next(records)]

    def records(self) -> list[CheckpointRecord]:
        """The skeleton, newest first; only checkpoints made since the last read are fetched."""
        return self.skeleton.refresh(self._backend)

    def record(self, checkpoint_id: str) -> CheckpointRecord:
        record = None
        if not self.skeleton.records:
            # Nothing read yet: the head (what is asked for first) is among the newest, and a
            # view showing it need not wait for the whole of a long thread.
            recent = self._backend.skeleton(limit=FIRST_SCREEN)
            record = next((r for r in recent if r.id == checkpoint_id), None)
        if record is None:
            self.records()
            record = self.skeleton.by_id.get(checkpoint_id)
        if record is None:
            raise DebuggerError(f"checkpoint {checkpoint_id!r} is not in thread {self._backend.thread_id!r}")
        return self._with_next([record])[0]

    def checkpoint(self, checkpoint_id: str) -> Checkpoint:
        return self.checkpoint_of(self.record(checkpoint_id))

    def _with_next(self, records: list[CheckpointRecord]) -> list[CheckpointRecord]:
        """Fill in `next` where the skeleton could not tell it (branch tips): from the run that
        stopped there if it did, else from a snapshot. A checkpoint's next never changes, so
        the skeleton keeps what was filled in."""
        filled = []
        last = self._last_pause()
        for record in records:
            if record.next is None:
                if last is not None and last.checkpoint_id == record.id:
                    next_nodes = last.next
                else:
                    next_nodes = self._backend.snapshot(record.id).next
                record = replace(record, next=next_nodes)
                self.skeleton.remember(record)
            filled.append(record)
        return filled

    def checkpoint_of(self, record: CheckpointRecord) -> Checkpoint:
        backend = self._backend
        return Checkpoint(
            id=record.id,
            parent_id=record.parent_id,
            step=record.step,
            source=record.source,
            next=record.next or (),
            created_at=record.created_at,
            writes=(*record.writes, *(n for n in self._ran.get(record.id, ()) if n not in record.writes)),
            _load_values=lambda: backend.values_at(record.id),
        )

    def resolve(self, checkpoint_id: str) -> str:
        """A whole id, or a unique prefix or suffix of at least 6 characters."""
        if not isinstance(checkpoint_id, str):
            raise DebuggerError(f"a checkpoint id is a string, not {type(checkpoint_id).__name__}")
        ids = [r.id for r in self.records()]
        if checkpoint_id in ids:
            return checkpoint_id
        recent = choices((short_id(i) for i in ids), limit=8)
        if len(checkpoint_id) < MIN_ID_CHARS:
            raise DebuggerError(
                f"checkpoint id {checkpoint_id!r} is too short: give at least {MIN_ID_CHARS} characters; recent: {recent}"
            )
        matches = [i for i in ids if i.startswith(checkpoint_id) or i.endswith(checkpoint_id)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise DebuggerError(
                f"checkpoint id {checkpoint_id!r} is ambiguous: it matches {choices(matches, limit=6)}; give more characters"
            )
        raise DebuggerError(
            f"no checkpoint {checkpoint_id!r} in thread {self._backend.thread_id!r}; recent: {recent}"
        )
