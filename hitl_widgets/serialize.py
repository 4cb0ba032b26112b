"""The single place where state and payloads become JSON for display.

Graph state holds anything: LangChain messages, pydantic models, dataclasses, bytes, sets,
numpy values, objects with no JSON form, cycles, NaN. `to_json` turns any of it into JSON
that is bounded (depth, items, string length) and never raises. What it shortens or cannot
represent it marks with a `"$type"` key, so a view can show it as such and ask for more:

- `{"$type": "str", "text": head, "length": n}`: a string cut to `max_str` characters
- `{"$type": "more", "count": n}`: the last item of a list or dict cut to `max_items`
- `{"$type": NAME, ...fields}`: an object (message, model, dataclass) with its fields
- `{"$type": "bytes" | "set" | "ndarray" | "float" | "cycle" | "depth", ...}` and
  `{"$type": NAME, "repr": text}` for anything else.

Checkpoints and other model objects have their own JSON views here too, so the widgets and
the magics see one shape.
"""

from __future__ import annotations

import base64
import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from hitl_widgets.model import Checkpoint, Pause, PendingInterrupt, Topology

MORE = "more"
# Dict keys are cut to this many characters in every encoding alike (values are cut by the
# limits), so a path read from a narrow encoding leads to the same place in a wide one.
MAX_KEY = 1_000


@dataclass(frozen=True)
class Limits:
    max_depth: int = 12
    max_items: int = 100
    max_str: int = 2_000


DEFAULT_LIMITS = Limits()


def to_json(value: Any, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Bounded JSON for any value. Never raises."""
    return _Encoder(limits).encode(value, 0)


class _Encoder:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.active: set[int] = set()  # ids of the containers being encoded: a repeat is a cycle

    def encode(self, value: Any, depth: int) -> Any:
        try:
            return self._encode(value, depth)
        except Exception as exc:  # whatever an odd object does, display must go on
            return {"$type": "error", "repr": self._text(f"{type(value).__name__}: {exc!r}")}

    def _encode(self, value: Any, depth: int) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int) and not isinstance(value, Enum):
            return value if abs(value) < 2**53 else str(value)  # beyond this JavaScript loses digits
        if isinstance(value, float):
            return value if math.isfinite(value) else {"$type": "float", "repr": repr(value)}
        if isinstance(value, str):
            return self._text(value)
        if depth >= self.limits.max_depth:
            return {"$type": "depth", "repr": self._text(_safe_repr(value))}
        if id(value) in self.active:
            return {"$type": "cycle", "repr": f"<{type(value).__name__} already shown above>"}
        self.active.add(id(value))
        try:
            return self._container(value, depth)
        finally:
            self.active.discard(id(value))

    def _container(self, value: Any, depth: int) -> Any:
        if isinstance(value, Mapping):
            return self._mapping(value, depth)
        if isinstance(value, (list, tuple)):
            return self._items(value, depth)
        if isinstance(value, (set, frozenset)):
            return {"$type": "set", "items": self._items(_sorted(value), depth)}
        if isinstance(value, (bytes, bytearray, memoryview)):
            raw = bytes(value)
            head = raw[: self.limits.max_str // 2]
            return {"$type": "bytes", "length": len(raw), "base64": base64.b64encode(head).decode()}
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, (UUID,)):
            return str(value)
        if isinstance(value, Enum):
            return {"$type": type(value).__name__, "value": self.encode(value.value, depth + 1)}
        if (numpy := _numpy_json(value, self, depth)) is not None:
            return numpy
        if (fields := object_fields(value)) is not None:
            return {"$type": type(value).__name__, **self._mapping(fields, depth)}
        return {"$type": type(value).__name__, "repr": self._text(_safe_repr(value))}

    def _mapping(self, value: Mapping[Any, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, (key, item) in enumerate(value.items()):
            if i >= self.limits.max_items:
                out["$more"] = {"$type": MORE, "count": len(value) - i}
                break
            out[_key_name(key, out)] = self.encode(item, depth + 1)
        return out

    def _items(self, value: list[Any] | tuple[Any, ...], depth: int) -> list[Any]:
        out = [self.encode(item, depth + 1) for item in value[: self.limits.max_items]]
        if len(value) > self.limits.max_items:
            out.append({"$type": MORE, "count": len(value) - self.limits.max_items})
        return out

    def _text(self, text: str) -> Any:
        if len(text) <= self.limits.max_str:
            return _encodable(text)
        return {"$type": "str", "text": _encodable(text[: self.limits.max_str]), "length": len(text)}


def _key_name(key: Any, taken: Mapping[str, Any]) -> str:
    """A dict key as a JSON key: cut to `MAX_KEY` characters, and never one already `taken` (an
    int key 1 and a str key "1", or two long keys cut alike, would otherwise hide each other)."""
    name = _encodable(key if isinstance(key, str) else _safe_repr(key))
    if len(name) > MAX_KEY:
        name = f"{name[:MAX_KEY]}… ({len(name)} characters)"
    base, count = name, 1
    while name in taken:
        count += 1
        name = f"{base} #{count}"
    return name


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """`text` with lone surrogates (which no UTF-8 message can carry: the kernel's send fails on
    them) replaced by U+FFFD, and surrogate pairs joined into the character they stand for."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)
    except Exception as exc:
        return f"<{type(value).__name__}: repr failed: {exc!r}>"


def _sorted(values: set[Any] | frozenset[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=_safe_repr)


def object_fields(value: Any) -> Mapping[str, Any] | None:
    """Fields of a pydantic model (LangChain messages are ones), dataclass or namedtuple."""
    model_dump = getattr(type(value), "model_dump", None)
    if callable(model_dump):
        dumped = value.model_dump()
        return dumped if isinstance(dumped, Mapping) else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return None


def _numpy_json(value: Any, encoder: _Encoder, depth: int) -> Any:
    module = type(value).__module__ or ""
    if not module.startswith("numpy"):
        return None
    if hasattr(value, "shape") and hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0:
        flat = value.ravel()[: encoder.limits.max_items].tolist()
        return {
            "$type": "ndarray",
            "shape": list(value.shape),
            "dtype": str(value.dtype),
            "items": encoder.encode(flat, depth + 1),
            "size": int(value.size),
        }
    if hasattr(value, "item"):
        return encoder.encode(value.item(), depth)
    return None


# ------------------------------------------------------------------- model views


def interrupt_json(interrupt: PendingInterrupt, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    return {
        "id": interrupt.id,
        "node": interrupt.node,
        "ns": list(interrupt.ns),
        "value": to_json(interrupt.value, limits),
        "response_schema": to_json(interrupt.response_schema, limits),
    }


def checkpoint_json(checkpoint: Checkpoint) -> dict[str, Any]:
    """A checkpoint's skeleton (no values: those are sent on demand)."""
    return {
        "id": checkpoint.id,
        "parent_id": checkpoint.parent_id,
        "step": checkpoint.step,
        "source": checkpoint.source,
        "next": list(checkpoint.next),
        "writes": list(checkpoint.writes),
        "created_at": checkpoint.created_at.isoformat() if checkpoint.created_at else None,
    }


def pause_json(pause: Pause, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    return {
        "reason": pause.reason,
        "checkpoint_id": pause.checkpoint_id,
        "step": pause.step,
        "next": list(pause.next),
        "interrupts": [interrupt_json(i, limits) for i in pause.interrupts],
        "error": to_json(pause.error, limits),
        "watch": pause.watch.summary() if pause.watch else None,
    }


def topology_json(topology: Topology) -> dict[str, Any]:
    return {
        "nodes": [dataclasses.asdict(n) for n in topology.nodes],
        "edges": [dataclasses.asdict(e) for e in topology.edges],
    }
