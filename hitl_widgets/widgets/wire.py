"""The compact shapes the widgets send to the browser, and the byte budgets that bound them.

A notebook widget lives on a websocket shared with everything else in the kernel, so what it
sends per step must stay small however large the graph's state grows. Every value therefore
goes through `bounded`: `serialize.to_json` with limits that shrink, rung by rung, until the
JSON fits a byte budget. What is cut carries serialize's `"$type"` markers, from which the
browser asks for more (see `paths.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from hitl_widgets.model import Checkpoint, PendingInterrupt
from hitl_widgets.serialize import Limits, interrupt_json, to_json

# Limits tried in turn until a value's JSON fits its budget; the last one always fits a few
# hundred bytes (a handful of items, a few words each, containers below the top as one line).
LADDER: tuple[Limits, ...] = (
    Limits(max_depth=8, max_items=50, max_str=1_000),
    Limits(max_depth=6, max_items=20, max_str=300),
    Limits(max_depth=4, max_items=10, max_str=100),
    Limits(max_depth=2, max_items=5, max_str=40),
    Limits(max_depth=1, max_items=3, max_str=20),
)

# Budgets, in bytes of JSON. One state key shown in a view; all the keys a step changed
# together (shared among them); one side (before or after) of one key's change from the
# parent; one pending interrupt's payload.
KEY_BUDGET = 3_000
STEP_STATE_BUDGET = 4_000
CHANGES_BUDGET = 1_500
INTERRUPT_BUDGET = 6_000
# Floor for one key's share when many keys change in one step.
MIN_KEY_BUDGET = 300


def json_size(value: Any) -> int:
    """Bytes of `value` as compact JSON: what it costs on the wire."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str).encode())


def bounded(value: Any, budget: int) -> Any:
    """`value` as bounded JSON of at most `budget` bytes (or the smallest rung of the ladder)."""
    encoded: Any = None
    for limits in LADDER:
        encoded = to_json(value, limits)
        if json_size(encoded) <= budget:
            return encoded
    return encoded


def values_json(values: Mapping[str, Any], budget: int = KEY_BUDGET) -> dict[str, Any]:
    """A state, each key bounded on its own, so one big key does not hide the others."""
    return {str(key): bounded(value, budget) for key, value in values.items()}


def interrupt_view(interrupt: PendingInterrupt) -> dict[str, Any]:
    """`serialize.interrupt_json` with the first rung of the ladder whose JSON fits the budget."""
    encoded: dict[str, Any] = {}
    for limits in LADDER:
        encoded = interrupt_json(interrupt, limits)
        if json_size(encoded) <= INTERRUPT_BUDGET:
            break
    return encoded


def record_row(checkpoint: Checkpoint) -> list[Any]:
    """One checkpoint of the skeleton as a short array (the browser's `decodeRow` reads it):
    `[id, parent_id, step, source, writes, next, created_ms]`."""
    return [
        checkpoint.id,
        checkpoint.parent_id,
        checkpoint.step,
        checkpoint.source,
        list(checkpoint.writes),
        list(checkpoint.next),
        _epoch_ms(checkpoint.created_at),
    ]


def record_rows(checkpoints: Iterable[Checkpoint]) -> list[list[Any]]:
    return [record_row(cp) for cp in checkpoints]


def _epoch_ms(moment: datetime | None) -> int | None:
    return round(moment.timestamp() * 1000) if moment is not None else None
