""" "See more": one part of a value, by its path in the bounded view, with wider limits.

The browser names what it wants by the path it rendered (keys and list indexes in the bounded
JSON). The same path leads to the same place in a wider encoding of the value, because
`serialize.to_json` is deterministic and only the cut points move. So the first segment picks a
state key from the real values (encoding the whole state would be wasteful) and the rest walks
a wide encoding of that key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hitl_widgets.errors import DebuggerError
from hitl_widgets.serialize import Limits, to_json

Segment = str | int

# Wide enough to reach anything a person would page through; still never unbounded.
WIDE = Limits(max_depth=64, max_items=1_000_000, max_str=10_000_000)
# One page of "more": this many items of a list or dict, strings up to this many characters.
PAGE = Limits(max_depth=12, max_items=200, max_str=200_000)
# For editing: whole values, as far as a text box can reasonably hold them.
EDITABLE = Limits(max_depth=32, max_items=10_000, max_str=1_000_000)


def value_at(root: Mapping[str, Any], path: Sequence[Segment], offset: int = 0) -> Any:
    """The value under `path` (keys and indexes), from item `offset` on for lists, as one page."""
    if not path:
        node: Any = {str(k): v for k, v in root.items()}
    else:
        head, rest = path[0], path[1:]
        if not isinstance(head, str) or head not in root:
            raise DebuggerError(f"no key {head!r} here; keys are: {', '.join(map(str, root))}")
        node = to_json(root[head], WIDE)
        for segment in rest:
            node = _step(node, segment)
    if offset:
        if not isinstance(node, list):
            raise DebuggerError("an offset applies to lists only")
        node = node[offset:]
    return to_json(node, PAGE)


def _step(node: Any, segment: Segment) -> Any:
    if isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node):
        return node[segment]
    if isinstance(node, dict) and isinstance(segment, str) and segment in node:
        return node[segment]
    raise DebuggerError(f"the path segment {segment!r} leads nowhere (the value may have changed)")


def check_path(path: Any) -> list[Segment]:
    """A path as sent by the browser: a list of strings and non-negative whole numbers."""
    if not isinstance(path, list) or not all(
        isinstance(s, str) or (isinstance(s, int) and not isinstance(s, bool) and s >= 0) for s in path
    ):
        raise DebuggerError(f"a path is a list of keys and indexes, not {path!r}")
    return list(path)
