"""What a widget streams to the browser after each change: new checkpoints and the head's
changed keys — never the whole history or the whole state again.

Each feed stays silent until the browser has asked for its first full copy (a view that does
not show checkpoints never pays for them); from then on it remembers what the browser holds
and sends only what is new. Feeds are called from the kernel's main thread (requests) and from
a run's worker thread (events), so each guards its memory with a lock.
"""

from __future__ import annotations

import threading
from typing import Any

from hitl_widgets.debugger import Debugger
from hitl_widgets.errors import DebuggerError
from hitl_widgets.model import Checkpoint, keyed
from hitl_widgets.widgets.wire import (
    KEY_BUDGET,
    MIN_KEY_BUDGET,
    STEP_STATE_BUDGET,
    bounded,
    json_size,
    record_rows,
)


class HistoryFeed:
    """The checkpoint skeleton: all of it on request, then only checkpoints newer than the
    newest one sent (checkpoint ids grow with time, so "newer" is a string comparison)."""

    def __init__(self, debugger: Debugger) -> None:
        self._debugger = debugger
        self._lock = threading.Lock()
        self._newest: str | None = None
        self._live: str | None = None  # the newest checkpoint sent while a run is saving
        self._subscribed = False

    def full(self, limit: int | None = None) -> list[list[Any]]:
        """Every checkpoint (or the newest `limit`), newest first; later updates are relative
        to this."""
        with self._lock:
            checkpoints = self._debugger.history(limit=limit)
            self._subscribed = True
            self._newest = checkpoints[0].id if checkpoints else None
            self._live = None
            return record_rows(checkpoints)

    def live(self) -> list[list[Any]] | None:
        """During a run: checkpoints saved since the last call. They are sent again by the next
        `update`, since a checkpoint read while its run is saving may still lack what its step
        wrote (the browser replaces a row it gets again)."""
        with self._lock:
            if not self._subscribed:
                return None
            since = self._live or self._newest
            checkpoints = self._debugger.history(newer_than=since) if since else self._debugger.history()
            if not checkpoints:
                return None
            self._live = checkpoints[0].id
            return record_rows(checkpoints)

    def update(self) -> list[list[Any]] | None:
        """Checkpoints made since the last call, newest first; None if nothing is new or the
        browser never asked."""
        with self._lock:
            if not self._subscribed:
                return None
            self._live = None
            checkpoints = (
                self._debugger.history(newer_than=self._newest) if self._newest else self._debugger.history()
            )
            if not checkpoints:
                return None
            self._newest = checkpoints[0].id
            return record_rows(checkpoints)


class HeadStateFeed:
    """The head's values, key by key: all keys on request, then the keys whose bounded view
    changed (sharing one per-step budget), plus the keys that disappeared."""

    def __init__(self, debugger: Debugger) -> None:
        self._debugger = debugger
        self._lock = threading.Lock()
        self._head: str | None = None
        self._seen: dict[str, Any] = {}  # key -> its view at the full key budget, to compare
        self._subscribed = False

    def full(self) -> dict[str, Any]:
        """`{id, values}` for the head; later updates are relative to this."""
        with self._lock:
            self._head, values = _values_of(head_or_none(self._debugger))
            self._seen = {str(k): bounded(v, KEY_BUDGET) for k, v in values.items()}
            self._subscribed = True
            return {"id": self._head, "values": dict(self._seen)}

    def update(self, current: Checkpoint | None) -> dict[str, Any] | None:
        """`{base, id, set, removed}` if the head (`current`) moved since the last call; `base`
        is the head the browser's copy must be at for the update to apply (else it asks for
        `full`)."""
        with self._lock:
            if not self._subscribed:
                return None
            head, values = _values_of(current)
            if head == self._head:
                return None
            seen = {str(k): bounded(v, KEY_BUDGET) for k, v in values.items()}
            changed = [k for k, view in seen.items() if self._seen.get(k) != view]
            share = max(MIN_KEY_BUDGET, STEP_STATE_BUDGET // max(1, len(changed)))
            update = {
                "base": self._head,
                "id": head,
                "set": {
                    k: seen[k] if json_size(seen[k]) <= share else bounded(values[k], share) for k in changed
                },
                "removed": [k for k in self._seen if k not in seen],
            }
            self._head, self._seen = head, seen
            return update


def head_or_none(debugger: Debugger) -> Checkpoint | None:
    """The Debugger's head, or None while the thread has no checkpoint. Raises DebuggerError if
    the head cannot be read (a LangGraph server that went away): that is not "no checkpoint"."""
    try:
        return debugger.head
    except DebuggerError:
        if debugger.history(limit=1):
            raise
        return None


def _values_of(checkpoint: Checkpoint | None) -> tuple[str | None, dict[str, Any]]:
    if checkpoint is None:
        return None, {}
    return checkpoint.id, {str(k): v for k, v in keyed(checkpoint.values).items()}
