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
from hitl_widgets.serialize import MORE, Limits, to_json
from hitl_widgets.widgets.wire import json_size

Segment = str | int

# Wide enough to reach anything a person would page through; still never unbounded.
WIDE = Limits(max_depth=64, max_items=1_000_000, max_str=10_000_000)
# One page of "more": this many items of a list or dict, strings up to this many characters.
PAGE = Limits(max_depth=12, max_items=200, max_str=200_000)
# For editing: whole values, as far as a text box can reasonably hold them.
EDITABLE = Limits(max_depth=32, max_items=10_000, max_str=1_000_000)
# Bytes of JSON in one page of "more", and in the editable values: the limits above bound
# items and characters, not their sum (200 strings of 10 kB each would be 2 MB).
PAGE_BYTES = 500_000
EDITABLE_BYTES = 4_000_000


def value_at(root: Mapping[str, Any], path: Sequence[Segment], offset: int = 0) -> Any:
    """The value under `path` (keys and indexes), from item `offset` on for lists (character
    `offset` for strings), as one page."""
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
        if not isinstance(node, (list, str)):
            raise DebuggerError("an offset applies to lists and strings only")
        node = node[offset:]  # a string's rest comes page by page: it may be longer than a page
    return within(to_json(node, PAGE), PAGE_BYTES)


def within(encoded: Any, budget: int) -> Any:
    """Bounded JSON cut to at most about `budget` bytes, marked as `to_json` marks a cut: a list
    keeps the items that fit (a trailing `more` marker counts the rest), a dict the keys that fit
    (`$more`), a string the characters that fit. The first item is always kept, cut to fit."""
    if json_size(encoded) <= budget:
        return encoded
    if isinstance(encoded, str):
        return {"$type": "str", "text": _fit(encoded, budget), "length": len(encoded)}
    if isinstance(encoded, list):
        last = encoded[-1] if encoded else None
        more = last["count"] if isinstance(last, dict) and last.get("$type") == MORE else 0
        items = encoded[:-1] if more else encoded
        kept = _fit_entries(list(enumerate(items)), budget)
        rest = len(items) - len(kept) + more
        return [item for _, item in kept] + ([{"$type": MORE, "count": rest}] if rest else [])
    if isinstance(encoded, dict):
        if encoded.get("$type") == "str":
            return {**encoded, "text": _fit(str(encoded.get("text", "")), budget)}
        more_marker = encoded.get("$more")
        more = more_marker["count"] if isinstance(more_marker, dict) else 0
        entries = [(k, v) for k, v in encoded.items() if k != "$more"]
        kept = _fit_entries(entries, budget)
        rest = len(entries) - len(kept) + more
        return dict(kept) | ({"$more": {"$type": MORE, "count": rest}} if rest else {})
    return encoded


def _fit_entries(entries: list[tuple[Any, Any]], budget: int) -> list[tuple[Any, Any]]:
    """The first entries whose JSON fits in `budget` bytes; at least the first, cut to fit."""
    kept: list[tuple[Any, Any]] = []
    used = 0
    for key, item in entries:
        size = json_size(item) + json_size(key) + 2
        if used + size > budget:
            if not kept:
                kept.append((key, within(item, budget)))
            break
        kept.append((key, item))
        used += size
    return kept


def _fit(text: str, budget: int) -> str:
    """The start of `text` whose JSON (escapes and all) takes at most `budget` bytes."""
    head = text.encode()[:budget].decode(errors="ignore")
    while head and json_size(head) > budget:
        head = head[: len(head) - max(1, (json_size(head) - budget) // 2)]
    return head


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
