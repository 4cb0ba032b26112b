"""A server thread's checkpoint skeleton, paged in from `threads.get_history` and kept.

The server answers history in pages (10 by default), newest first across all branches, and
pages with `before={"configurable": {"checkpoint_id": X}}` (a bare id is refused). Checkpoints
never change once saved, and a new one always has a larger (time-ordered) id, so the skeleton
is fetched once and afterwards only from the top down to the first id already known: reading
the history again after a run costs one small page, not the whole thread.

Each page also carries every checkpoint's values (this server ignores `select`); they are not
kept — values are read one checkpoint at a time when shown. What a checkpoint `writes` is told
by its parent's `next` (a loop step runs what its parent scheduled), by "__input__" for an
input, and for an edit by the `as_node` the backend records in the checkpoint's metadata under
`AS_NODE_KEY`, as the local backend does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from hitl_widgets.backends.base import CheckpointRecord
from hitl_widgets.backends.local_history import AS_NODE_KEY
from hitl_widgets.backends.remote_state import checkpoint_id_of
from hitl_widgets.model import time_of_uuid6

FIRST_PAGE = 10
"""The first page: enough for what one run adds; pages double from there."""

LARGEST_PAGE = 200
"""Pages grow to this many checkpoints at most: each one carries its values."""

Calling = Callable[[str], AbstractContextManager[None]]


@dataclass(frozen=True)
class _Row:
    id: str
    parent_id: str | None
    step: int
    source: str
    next: tuple[str, ...]
    as_node: str | None


def _row(state: Mapping[str, Any]) -> _Row:
    metadata = state.get("metadata") or {}
    as_node = metadata.get(AS_NODE_KEY)
    return _Row(
        id=str(checkpoint_id_of(state)),
        parent_id=checkpoint_id_of(state, "parent_checkpoint"),
        step=int(metadata.get("step", 0)),
        source=str(metadata.get("source", "loop")),
        next=tuple(dict.fromkeys(state.get("next") or ())),  # Send tasks repeat a node's name
        as_node=str(as_node) if as_node else None,
    )


class RemoteHistory:
    """The skeleton of one thread on the server; safe to read from several threads at once."""

    def __init__(self, threads: Any, thread_id: str, node_order: Sequence[str], calling: Calling) -> None:
        self._threads = threads
        self._thread_id = thread_id
        self._rank = {name: i for i, name in enumerate(node_order)}
        self._calling = calling
        self._rows: list[_Row] = []  # newest first, complete down to the thread's first checkpoint
        self._known: set[str] = set()
        self._lock = threading.Lock()

    def latest_id(self) -> str | None:
        with self._calling("reading the thread's latest checkpoint"):
            page = self._threads.get_history(self._thread_id, limit=1)
        return checkpoint_id_of(page[0]) if page else None

    def records(self, newer_than: str | None = None) -> list[CheckpointRecord]:
        with self._lock:
            self._fetch_new()
            rows = list(self._rows)
        by_id = {r.id: r for r in rows}
        return [self._record(r, by_id) for r in rows if newer_than is None or r.id > newer_than]

    def _fetch_new(self) -> None:
        """Page from the newest checkpoint down to the first one already known."""
        new: list[_Row] = []
        before: str | None = None
        limit = FIRST_PAGE
        with self._calling("reading the thread's history"):
            while True:
                page = self._threads.get_history(
                    self._thread_id,
                    limit=limit,
                    before={"configurable": {"checkpoint_id": before}} if before else None,
                )
                fresh = list(takewhile(lambda r: r.id not in self._known, map(_row, page)))
                new.extend(fresh)
                if len(fresh) < limit:  # reached a known checkpoint, or the thread's first one
                    break
                before = fresh[-1].id
                limit = min(limit * 2, LARGEST_PAGE)
        self._rows[:0] = new
        self._known.update(r.id for r in new)

    def _record(self, row: _Row, by_id: Mapping[str, _Row]) -> CheckpointRecord:
        return CheckpointRecord(
            id=row.id,
            parent_id=row.parent_id,
            step=row.step,
            source=row.source,
            next=row.next,
            writes=self._writes(row, by_id),
            created_at=time_of_uuid6(row.id),
        )

    def _writes(self, row: _Row, by_id: Mapping[str, _Row]) -> tuple[str, ...]:
        if row.source == "input":
            return ("__input__",)
        if row.source == "update":
            return (row.as_node,) if row.as_node else ()
        parent = by_id.get(row.parent_id) if row.parent_id else None
        if row.source == "loop" and parent is not None:
            return tuple(sorted(parent.next, key=lambda n: self._rank.get(n, len(self._rank))))
        return ()
