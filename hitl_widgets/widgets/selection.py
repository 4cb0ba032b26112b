"""The checkpoint a person selected, shared by every widget bound to the same Debugger.

Selection is view state, not debugger state, so it does not belong to the engine; but a
`CheckpointTree(dbg)` and a `StateInspector(dbg)` shown in two cells must agree on it. Each
Debugger gets one `Selection` (held weakly, so it goes with its Debugger), and widgets listen.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

from hitl_widgets.debugger import Debugger

SelectionListener = Callable[[str | None], None]


class Selection:
    """A checkpoint id, or None for "follow the head"."""

    def __init__(self) -> None:
        self._selected: str | None = None
        self._listeners: list[SelectionListener] = []
        self._lock = threading.Lock()

    @property
    def selected(self) -> str | None:
        return self._selected

    def select(self, checkpoint_id: str | None) -> None:
        with self._lock:
            if checkpoint_id == self._selected:
                return
            self._selected = checkpoint_id
            listeners = list(self._listeners)
        for listener in listeners:
            listener(checkpoint_id)

    def observe(self, listener: SelectionListener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def stop() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return stop


_selections: weakref.WeakKeyDictionary[Debugger, Selection] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def selection_of(debugger: Debugger) -> Selection:
    with _lock:
        if (found := _selections.get(debugger)) is None:
            found = _selections[debugger] = Selection()
        return found
