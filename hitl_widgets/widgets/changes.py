"""Changes between two states as the browser gets them: `diff.state_diff` (decided on the real
values, since the browser only ever holds bounded views, in which two different values can look
the same) with each side bounded, so only the changed part crosses the wire — for a list that
grew, only the new items, with their offset."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hitl_widgets.diff import Change
from hitl_widgets.widgets.wire import KEY_BUDGET, bounded


def changes_json(changes: Iterable[Change], budget: int = KEY_BUDGET) -> list[dict[str, Any]]:
    """`[{key, op: "add"|"remove"|"change", before?, after?, offset?}]`, each side bounded to
    `budget` bytes of JSON."""
    out: list[dict[str, Any]] = []
    for change in changes:
        item: dict[str, Any] = {"key": change.key, "op": change.op}
        if change.op != "add":
            item["before"] = bounded(change.before, budget)
        if change.op != "remove":
            item["after"] = bounded(change.after, budget)
        if change.offset:
            item["offset"] = change.offset
        out.append(item)
    return out
