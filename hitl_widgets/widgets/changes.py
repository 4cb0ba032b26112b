"""Which state keys a checkpoint changed relative to its parent, computed on the real values.

The browser only ever holds bounded views of values, in which two different values can look
the same (the difference past the cut). So the exact question — did this key change? — is
answered here, and only the changed part crosses the wire: for a list that kept its parent's
items and grew (what an `operator.add` or `add_messages` reducer does on nearly every step),
only the items after the common prefix, with their offset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hitl_widgets.serialize import DEFAULT_LIMITS, to_json
from hitl_widgets.widgets.wire import KEY_BUDGET, bounded


def state_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], budget: int = KEY_BUDGET
) -> list[dict[str, Any]]:
    """`[{key, op: "add"|"remove"|"change", before?, after?, offset?}]`, in `after`'s key order."""
    changes: list[dict[str, Any]] = []
    for key, value in after.items():
        if key not in before:
            changes.append({"key": str(key), "op": "add", "after": bounded(value, budget)})
        elif not _same(before[key], value):
            changes.append(_change(str(key), before[key], value, budget))
    for key, value in before.items():
        if key not in after:
            changes.append({"key": str(key), "op": "remove", "before": bounded(value, budget)})
    return changes


def _change(key: str, old: Any, new: Any, budget: int) -> dict[str, Any]:
    offset = _common_prefix(old, new)
    if offset:
        old, new = old[offset:], new[offset:]
    change: dict[str, Any] = {
        "key": key,
        "op": "change",
        "before": bounded(old, budget),
        "after": bounded(new, budget),
    }
    if offset:
        change["offset"] = offset
    return change


def _common_prefix(old: Any, new: Any) -> int:
    """How many leading items two lists share (0 unless both are lists or tuples)."""
    if not (isinstance(old, Sequence) and isinstance(new, Sequence)) or isinstance(old, (str, bytes)):
        return 0
    if isinstance(new, (str, bytes)):
        return 0
    count = 0
    for a, b in zip(old, new, strict=False):
        if not _same(a, b):
            break
        count += 1
    return count


def _same(a: Any, b: Any) -> bool:
    """Equality that never raises (numpy arrays, odd `__eq__`): falls back to the JSON view."""
    try:
        result = a == b
        if isinstance(result, bool):
            return result
    except Exception:  # an object whose == fails is compared by what the user would see
        pass
    return bool(to_json(a, DEFAULT_LIMITS) == to_json(b, DEFAULT_LIMITS))
