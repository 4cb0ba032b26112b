"""A thread as one JSON document: the export's data, and its schema.

`build(debugger)` reads the whole thread — the skeleton through `Debugger.history()`, then one
snapshot per checkpoint (its values, the interrupts pending there, the errors of its tasks) —
and turns every value into bounded JSON through `serialize.to_json`, so LangChain messages and
other objects come out as the widget shows them. Each checkpoint's changes from its parent are
`diff.state_diff` on the real values.

Schema (`"format": "hitl_widgets.export"`, `"version": 1`)::

    {
      "format": "hitl_widgets.export", "version": 1,
      "exported_at": ISO time,
      "thread": {"id": str, "backend": "local" | "remote"},
      "graph": {"nodes": [{id, name, kind, parent}], "edges": [{source, target, conditional, label}]},
      "head": checkpoint id | null,
      "status": {"reason", "summary", "error"} | null   (the last pause of this Debugger, if any),
      "limits": {"value_bytes": int, "total_bytes": int},
      "cut": {"values": int, "omitted": int},   (keys cut to value_bytes; checkpoints whose
                                                 values and changes were left out: total spent)
      "checkpoints": [   (every checkpoint of every branch, newest first)
        {"id", "parent_id", "step", "source", "writes": [node], "next": [node], "created_at": ISO | null,
         "values": {key: JSON} | null,          (null: left out, the total budget was spent)
         "changes": [{"key", "op": "add"|"remove"|"change", "before"?, "after"?, "offset"?}] | null,
         "interrupts": [{"id", "node", "ns", "value", "response_schema"}],   (pending there)
         "answered": [{"id", "node", "ns", "value", "answer"?}],   (asked there, answered since;
                                                 "answer" where the thread keeps it: a local saver)
         "errors": {node: text},                (the errors of the tasks that ran from it)
         "cut": [key]}                          (keys whose value or change was cut)
      ]
    }

Every value, change side, interrupt payload and error text is bounded to `value_bytes` alone;
once the checkpoints written so far (newest first) took `total_bytes`, older ones keep their
skeleton, interrupts and errors but not their values and changes. A value cut to the budget keeps its start and carries serialize's markers (`{"$type": "str",
"text", "length"}`, `{"$type": "more", "count"}`, `"$more"`), which the widget shows as cut.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from hitl_widgets.diff import Change, state_diff
from hitl_widgets.model import Checkpoint, PendingInterrupt, keyed
from hitl_widgets.serialize import MORE, Limits, checkpoint_json, interrupt_json, to_json, topology_json
from hitl_widgets.widgets.paths import within
from hitl_widgets.widgets.wire import json_size

if TYPE_CHECKING:
    from hitl_widgets.debugger_reads import ThreadReads

FORMAT = "hitl_widgets.export"
VERSION = 1
# Bytes of JSON one state value (or one side of one change) may take in an export.
VALUE_BYTES = 20_000
# Bytes of JSON all values and changes together may take; older checkpoints lose theirs first.
TOTAL_BYTES = 10_000_000
# Wide enough that the byte budget, not these, decides what is cut.
_LIMITS = Limits(max_depth=32, max_items=10_000, max_str=1_000_000)
_CUT_TYPES = ("str", MORE, "depth")
# Room kept in a list's budget for the marker that counts the items left out, and its brackets.
_MARKER_BYTES = 48


@dataclass(frozen=True)
class _Shown:
    """A checkpoint's state, its keys' bounded JSON and the keys cut: what its children's
    entries are made from."""

    state: Mapping[str, Any]
    values: Mapping[str, Any]
    cut: frozenset[str]


_NOTHING = _Shown({}, {}, frozenset())


def build(
    debugger: ThreadReads, *, value_bytes: int = VALUE_BYTES, total_bytes: int = TOTAL_BYTES
) -> dict[str, Any]:
    """The export document of `debugger`'s thread (see the module's schema).

    Checkpoints are read oldest first, so a parent's values are at hand for its children's
    changes and are let go after its last child: memory holds bounded JSON, not every state."""
    checkpoints = debugger.history()
    head = debugger.head.id if checkpoints else None
    children = Counter(cp.parent_id for cp in checkpoints)
    kept: dict[str, _Shown] = {}
    entries: dict[str, dict[str, Any]] = {}
    for cp in reversed(checkpoints):  # a parent is older than its children
        entries[cp.id] = _entry(debugger, cp, head, kept.get(cp.parent_id or "", _NOTHING), kept, value_bytes)
        if cp.parent_id in kept:
            children[cp.parent_id] -= 1
            if children[cp.parent_id] == 0:
                del kept[cp.parent_id]
        if children[cp.id] == 0:
            kept.pop(cp.id, None)
    spent, omitted = 0, 0
    for cp in checkpoints:  # newest first: the oldest lose their values once the total is spent
        entry = entries[cp.id]
        if spent > total_bytes:
            entry.update(values=None, changes=None, cut=[])
            omitted += 1
        spent += json_size(entry)
    pause = debugger.last_pause
    if pause is not None and pause.checkpoint_id != head:
        pause = None  # a pause elsewhere (before a checkout): the page would say it is at the head
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "thread": {"id": debugger.thread_id, "backend": debugger.backend_kind},
        "graph": topology_json(debugger.topology),
        "head": head,
        "status": None
        if pause is None
        else {
            "reason": pause.reason,
            "summary": pause.summary(),
            "error": bounded_value(pause.error, value_bytes)[0],
        },
        "limits": {"value_bytes": value_bytes, "total_bytes": total_bytes},
        "cut": {
            "values": sum(len(e["cut"]) for e in entries.values() if e["values"] is not None),
            "omitted": omitted,
        },
        "checkpoints": [entries[cp.id] for cp in checkpoints],
    }


def _entry(
    debugger: ThreadReads,
    checkpoint: Checkpoint,
    head: str | None,
    parent: _Shown,
    kept: dict[str, _Shown],
    budget: int,
) -> dict[str, Any]:
    """One checkpoint of the document, from one read of it (values, interrupts pending and
    answered, task errors); its state is `kept` for its children. At the head, the pending
    interrupts are the Debugger's (what a resume answers)."""
    snapshot = debugger.backend.snapshot(checkpoint.id)
    state = keyed(snapshot.values)
    interrupts = debugger.interrupts if checkpoint.id == head else snapshot.interrupts
    diff = state_diff(parent.state, state)
    values, cut = _values(state, budget, diff, parent)
    kept[checkpoint.id] = _Shown(state, values, frozenset(cut))
    changes, changes_cut = _changes(diff, budget)
    return {
        **checkpoint_json(checkpoint),
        "values": values,
        "changes": changes,
        "interrupts": [_interrupt(i, budget) for i in interrupts],
        "answered": [_answered(i, snapshot.answers, budget) for i in snapshot.answered],
        "errors": {node: bounded_value(text, budget)[0] for node, text in snapshot.errors.items()},
        "cut": sorted({*cut, *changes_cut}),
    }


def bounded_value(value: Any, budget: int) -> tuple[Any, bool]:
    """`value` as JSON of at most about `budget` bytes, and whether anything was cut."""
    if isinstance(value, (list, tuple)):
        encoded = _bounded_list(value, budget, [])
    else:
        encoded = within(to_json(value, _LIMITS), budget)
    return encoded, _was_cut(encoded)


def _bounded_list(value: list[Any] | tuple[Any, ...], budget: int, start: list[Any]) -> list[Any]:
    """A list as bounded JSON, `start` being the JSON of its first items (a parent's).

    The list is encoded item by item only as far as the budget reaches: a state's message
    list of thousands, on each of a thousand checkpoints, costs what fits, not all of it."""
    items = list(start)
    used = _MARKER_BYTES + (json_size(items) - 1 if items else 0)  # each item and its comma
    for item in value[len(items) :]:
        encoded = to_json(item, _LIMITS)
        size = json_size(encoded) + 1
        if items and used + size > budget:
            break
        items.append(encoded)
        used += size
    rest = len(value) - len(items)
    bounded: list[Any] = within(items + ([{"$type": MORE, "count": rest}] if rest else []), budget)
    return bounded


def _interrupt(interrupt: PendingInterrupt, budget: int) -> dict[str, Any]:
    """`serialize.interrupt_json`, its payload and schema bounded to `budget` bytes each."""
    return {
        **interrupt_json(interrupt, Limits(max_depth=1, max_items=1, max_str=1)),
        "value": bounded_value(interrupt.value, budget)[0],
        "response_schema": bounded_value(interrupt.response_schema, budget)[0],
    }


def _answered(interrupt: PendingInterrupt, answers: Mapping[str, Any], budget: int) -> dict[str, Any]:
    """An interrupt asked here and answered since: `{id, node, ns, value}`, with `answer`
    where the thread keeps it."""
    found = {"id": interrupt.id, "node": interrupt.node, "ns": list(interrupt.ns)}
    found["value"] = bounded_value(interrupt.value, budget)[0]
    if interrupt.id in answers:
        found["answer"] = bounded_value(answers[interrupt.id], budget)[0]
    return found


def _values(
    state: Mapping[str, Any], budget: int, diff: list[Change], parent: _Shown
) -> tuple[dict[str, Any], list[str]]:
    """Each key of `state` as bounded JSON, and the keys cut.

    A key the step left alone keeps its parent's JSON, and a list that only grew keeps its
    parent's JSON and adds what fits of the new items: a long thread costs what its steps
    changed, not every whole state again."""
    changed = {change.key: change for change in diff}
    shown: dict[str, Any] = {}
    cut: list[str] = []
    for key, value in state.items():
        name = str(key)
        change = changed.get(name)
        if change is None and name in parent.values:
            encoded, was_cut = parent.values[name], name in parent.cut
        elif (
            change is not None
            and (grown := _grown(parent.values.get(name), change.offset, value, budget)) is not None
        ):
            encoded, was_cut = grown, _was_cut(grown)
        else:
            encoded, was_cut = bounded_value(value, budget)
        shown[name] = encoded
        if was_cut:
            cut.append(name)
    return shown, cut


def _grown(before: Any, offset: int, value: Any, budget: int) -> list[Any] | None:
    """The JSON of a list that kept its parent's first `offset` items, from the parent's JSON
    `before` when that holds no more than those: cut, with a new count of the rest; whole,
    with the new items encoded after it as far as the budget reaches. None otherwise."""
    if not (offset and isinstance(before, list) and before and isinstance(value, (list, tuple))):
        return None
    marker = before[-1]
    if isinstance(marker, dict) and marker.get("$type") == MORE:
        kept = len(before) - 1
        return [*before[:-1], {"$type": MORE, "count": len(value) - kept}] if kept <= offset else None
    return _bounded_list(value, budget, before) if len(before) <= offset else None


def _changes(changes: list[Change], budget: int) -> tuple[list[dict[str, Any]], list[str]]:
    out: list[dict[str, Any]] = []
    cut: list[str] = []
    for change in changes:
        item: dict[str, Any] = {"key": change.key, "op": change.op}
        for side, value in (("before", change.before), ("after", change.after)):
            if (side == "before" and change.op == "add") or (side == "after" and change.op == "remove"):
                continue
            item[side], was_cut = bounded_value(value, budget)
            if was_cut:
                cut.append(change.key)
        if change.offset:
            item["offset"] = change.offset
        out.append(item)
    return out, cut


def _was_cut(encoded: Any) -> bool:
    """True where serialize's markers say part of the value was left out."""
    if isinstance(encoded, list):
        return any(_was_cut(item) for item in reversed(encoded))  # a cut list ends in its marker
    if isinstance(encoded, dict):
        if encoded.get("$type") in _CUT_TYPES or "$more" in encoded:
            return True
        return any(_was_cut(item) for item in encoded.values())
    return False
