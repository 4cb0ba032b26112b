"""What a replay will do again, read from the thread before it runs.

LangGraph replays a past checkpoint by running its next nodes again from their start, and
what followed them after it: nodes with side effects act again, a node's code before its
`interrupt()` call runs again, and each `interrupt()` asks again. The thread already holds what
happened the first time (the branch that went on from that checkpoint), so the preview reads it
from there: it is what the graph did, which a replay repeats unless the graph decides otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hitl_widgets.backends.base import CheckpointRecord
from hitl_widgets.model import node_list, short_id

# How far along the first branch the preview reads (each step with a pending interrupt costs
# one read of that checkpoint).
MAX_STEPS = 50


@dataclass(frozen=True)
class ReplayPreview:
    """`runs_again`: the nodes that ran after the checkpoint the first time, in order (or, at
    a branch's tip, the nodes it runs next); `asks_again`: the nodes whose `interrupt()` asked
    there; `more`: the branch went on past what was read."""

    checkpoint_id: str
    runs_again: tuple[str, ...]
    asks_again: tuple[str, ...]
    more: bool = False

    def summary(self) -> str:
        where = f"Replaying from {short_id(self.checkpoint_id)}"
        if not self.runs_again:
            return f"{where} runs nothing: its run ended there."
        lines = [f"{where} runs again: {node_list(self.runs_again)}{' …' if self.more else ''}"]
        if self.asks_again:
            nodes = node_list(self.asks_again)
            lines.append(
                f"Interrupts ask again in: {nodes} (each runs from its start: its code before interrupt() runs again)"
            )
        return "\n".join(lines)


def replay_preview(
    records: Sequence[CheckpointRecord],
    start: CheckpointRecord,
    asked_at: Callable[[str], Sequence[str]],
) -> ReplayPreview:
    """Follow the first branch that went on from `start` (its oldest child each time, through
    the runs' own checkpoints), gathering the nodes that ran and those that asked."""
    children: dict[str, list[CheckpointRecord]] = {}
    for record in sorted(records, key=lambda r: r.id):
        if record.parent_id is not None and record.source == "loop":
            children.setdefault(record.parent_id, []).append(record)
    runs: list[str] = []
    asks = list(asked_at(start.id))
    current, steps = start, 0
    while (following := children.get(current.id)) and steps < MAX_STEPS:
        current, steps = following[0], steps + 1
        runs.extend(current.writes)
        if current.next != ():  # None: not known from the skeleton alone
            asks.extend(asked_at(current.id))
    if not runs:
        runs = list(start.next or ())
    return ReplayPreview(
        checkpoint_id=start.id,
        runs_again=tuple(runs),
        asks_again=tuple(dict.fromkeys(asks)),
        more=bool(children.get(current.id)),
    )
