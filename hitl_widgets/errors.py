"""The one exception the toolkit raises on misuse."""

from __future__ import annotations

from collections.abc import Iterable


class DebuggerError(Exception):
    """A command was refused or could not be carried out; nothing was changed.

    The message says what was wrong and, where there is a closed set of valid answers (node
    names, checkpoint ids, interrupt ids), names them.
    """


def choices(values: Iterable[str], *, limit: int = 12) -> str:
    """`'a', 'b', 'c'` (and how many more), for error messages that list the valid choices."""
    items = list(values)
    if not items:
        return "(none)"
    shown = ", ".join(repr(v) for v in items[:limit])
    more = len(items) - limit
    return f"{shown} and {more} more" if more > 0 else shown
