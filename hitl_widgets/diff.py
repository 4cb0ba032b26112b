"""What changed between two states, key by key, computed on the real values.

`Debugger.diff(a, b)` answers with these changes for any two checkpoints, and the widgets show
a checkpoint's changes from its parent with them. For a list that kept the other's leading
items and grew (what an `operator.add` or `add_messages` reducer does on nearly every step),
a change carries only the items after the shared prefix, and the prefix's length as `offset`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from hitl_widgets.serialize import DEFAULT_LIMITS, to_json

ChangeOp = Literal["add", "remove", "change"]


@dataclass(frozen=True)
class Change:
    """One state key that differs: added, removed, or changed from `before` to `after`.

    With `offset` > 0 both were lists sharing their first `offset` items; `before` and
    `after` hold only the items after those.
    """

    key: str
    op: ChangeOp
    before: Any = None
    after: Any = None
    offset: int = 0


def state_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """The keys that differ from `before` to `after`, in `after`'s key order, removed keys last."""
    changes: list[Change] = []
    for key, value in after.items():
        if key not in before:
            changes.append(Change(str(key), "add", after=value))
        elif not same(before[key], value):
            offset = common_prefix(before[key], value)
            old, new = (before[key][offset:], value[offset:]) if offset else (before[key], value)
            changes.append(Change(str(key), "change", before=old, after=new, offset=offset))
    changes.extend(
        Change(str(key), "remove", before=value) for key, value in before.items() if key not in after
    )
    return changes


def common_prefix(old: Any, new: Any) -> int:
    """How many leading items two lists share (0 unless both are lists or tuples)."""
    if not (isinstance(old, Sequence) and isinstance(new, Sequence)):
        return 0
    if isinstance(old, (str, bytes)) or isinstance(new, (str, bytes)):
        return 0
    count = 0
    for a, b in zip(old, new, strict=False):
        if not same(a, b):
            break
        count += 1
    return count


def same(a: Any, b: Any) -> bool:
    """Equality that never raises (numpy arrays, odd `__eq__`): falls back to the JSON view."""
    try:
        result = a == b
        if isinstance(result, bool):
            return result
    except Exception:  # an object whose == fails is compared by what the user would see
        pass
    return bool(to_json(a, DEFAULT_LIMITS) == to_json(b, DEFAULT_LIMITS))
