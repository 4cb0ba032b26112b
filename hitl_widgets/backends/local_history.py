"""A thread's checkpoint skeleton read straight from the saver, without loading any state.

LangGraph's `get_state_history` deserializes every checkpoint's values and recomputes its
tasks: on a 10,000-checkpoint thread that takes tens of seconds, nearly all of it spent on
values nobody looked at. The skeleton (ids, parents, step, source) sits in the saver's
metadata, and the nodes that ran from each checkpoint sit in its stored writes (their task
paths name the node), so one pass over those gives the tree. Values are loaded on demand.

What cannot be read this way is left as `next=None`, and the backend fills it from a real
snapshot: checkpoints no task has run from yet (the tips of branches), and steps that ran
`Send` tasks, whose task paths do not name their node.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver

from hitl_widgets.backends.base import CheckpointRecord
from hitl_widgets.backends.push_tasks import HEAD_BYTES, TASKS_CHANNEL, send_target
from hitl_widgets.model import time_of_uuid6

# Metadata key the debugger adds to checkpoints made by `update_state`, naming `as_node`.
AS_NODE_KEY = "hitl_as_node"

_PULL = "__pregel_pull"
_PUSH = "__pregel_push"
_NULL_TASK = "00000000-0000-0000-0000-000000000000"  # writes a run's input Command makes
_BRANCH = "branch:to:"


@dataclass
class _Row:
    id: str
    parent_id: str | None
    metadata: dict[str, Any]
    pulled: list[str] = field(default_factory=list)
    pushed: list[int] = field(default_factory=list)  # `Send` tasks ran from it, by packet index
    sends: list[str | None] = field(default_factory=list)  # nodes of the `Send`s written here, in order
    commanded: list[str] = field(default_factory=list)  # nodes a resume's `Command(goto=)` sent it to
    unnamed_tasks: bool = False  # tasks ran from it whose node nothing names, or paths unknown

    def add_write(
        self, task_id: str, task_path: str, channel: str, kind: str | None, head: bytes | None
    ) -> None:
        self.add_task_path(task_path)
        if task_id == _NULL_TASK and channel.startswith(_BRANCH):
            # a resume's Command(goto=...) ran that node from here too, yet LangGraph's view of
            # this checkpoint (what runs next) leaves it out
            self.commanded.append(channel[len(_BRANCH) :])
        if channel == TASKS_CHANNEL:
            self.sends.append(send_target(kind, head))

    def add_task_path(self, task_path: str) -> None:
        parts = [p.strip() for p in task_path.lstrip("~").split(",")]
        if len(parts) >= 2 and parts[0] == _PULL:
            if parts[1] not in self.pulled:
                self.pulled.append(parts[1])
        elif len(parts) >= 3 and parts[0] == _PUSH and parts[1] == f"~{_PULL}":
            # a functional `@task` called by a node: that node's own task names what ran
            if parts[2] not in self.pulled:
                self.pulled.append(parts[2])
        elif parts and parts[0] == _PUSH:
            index = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else -1
            if index not in self.pushed:
                self.pushed.append(index)


def _records(rows: Iterable[_Row], node_order: Sequence[str]) -> list[CheckpointRecord]:
    """Turn saver rows (newest first) into records, deriving `next` and `writes`."""
    rows = list(rows)
    by_id = {r.id: r for r in rows}
    rank = {name: i for i, name in enumerate(node_order)}
    ran_from: set[str] = {r.parent_id for r in rows if r.parent_id and r.metadata.get("source") == "loop"}
    ran_of: dict[str, tuple[str, ...] | None] = {}  # the tasks that ran from a checkpoint
    next_of: dict[str, tuple[str, ...] | None] = {}  # what LangGraph lists as its next
    for row in rows:
        # Writes at a checkpoint name what ran from it only once a step actually ran from it;
        # an edit stores its writes there too, under no node's name.
        pulled = sorted(row.pulled, key=lambda n: rank.get(n, len(rank)))
        pushed = _send_targets(row, by_id.get(row.parent_id or ""))
        if row.id in ran_from and not row.unnamed_tasks and pushed is not None:
            # as LangGraph lists a checkpoint's tasks: `Send`s first, in packet order
            ran = ran_of[row.id] = (*pushed, *pulled)
            next_of[row.id] = tuple(n for n in ran if n not in row.commanded)
        else:
            ran_of[row.id] = next_of[row.id] = None
    records = []
    for row in rows:
        source = str(row.metadata.get("source", "loop"))
        records.append(
            CheckpointRecord(
                id=row.id,
                parent_id=row.parent_id,
                step=int(row.metadata.get("step", 0)),
                source=source,
                next=next_of[row.id],
                writes=_writers(row, source, ran_of),
                created_at=time_of_uuid6(row.id),
            )
        )
    return records


def _send_targets(row: _Row, parent: _Row | None) -> list[str] | None:
    """The nodes of the `Send` tasks that ran from `row`, named by the packets its parent's
    tasks wrote; None if they cannot be told (the parent was not read, or a packet not named)."""
    if not row.pushed:
        return []
    if parent is None:
        return None
    names = [parent.sends[i] if 0 <= i < len(parent.sends) else None for i in sorted(row.pushed)]
    return None if None in names else [n for n in names if n is not None]


def _writers(row: _Row, source: str, ran_of: dict[str, tuple[str, ...] | None]) -> tuple[str, ...]:
    if source == "input":
        return ("__input__",)
    if source == "update":
        as_node = row.metadata.get(AS_NODE_KEY)
        return (str(as_node),) if as_node else ()
    if source == "loop" and row.parent_id:
        return ran_of.get(row.parent_id) or ()
    return ()


def _metadata(raw: Any) -> dict[str, Any]:
    if isinstance(raw, (bytes, str)):
        try:
            parsed = json.loads(raw)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return dict(raw) if isinstance(raw, dict) else {}


class SkeletonReader:
    """Reads a thread's skeleton from any saver, with fast paths for SQLite and memory."""

    def __init__(self, saver: BaseCheckpointSaver[Any], node_order: Sequence[str]) -> None:
        self._saver = saver
        self._node_order = tuple(node_order)

    def records(
        self, thread_id: str, newer_than: str | None = None, limit: int | None = None
    ) -> list[CheckpointRecord]:
        """Root-namespace checkpoints newest first; only those newer than `newer_than`, and only
        the newest `limit`, if given.

        A checkpoint's record needs its children (to know a step ran from it) and its parent
        (whose tasks wrote it). Children are always newer, so reading the newest checkpoints and
        their parents is enough.
        """
        rows = self._rows(thread_id, newer_than, limit)
        records = _records(rows, self._node_order)
        if newer_than is not None:
            records = [r for r in records if r.id > newer_than]
        return records if limit is None else records[:limit]

    def latest_id(self, thread_id: str) -> str | None:
        saver = self._saver
        if _is_sqlite(saver):
            with saver.cursor(transaction=False) as cur:  # type: ignore[attr-defined]
                cur.execute(
                    "SELECT max(checkpoint_id) FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ''",
                    (thread_id,),
                )
                (latest,) = cur.fetchone()
                return str(latest) if latest else None
        if isinstance(saver, InMemorySaver):
            ids = saver.storage.get(thread_id, {}).get("", {})
            return max(ids) if ids else None
        found = saver.get_tuple({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}})
        return str(found.config["configurable"]["checkpoint_id"]) if found else None

    def _rows(self, thread_id: str, newer_than: str | None, limit: int | None) -> list[_Row]:
        saver = self._saver
        if _is_sqlite(saver):
            return self._sqlite_rows(thread_id, newer_than or "", limit)
        if isinstance(saver, InMemorySaver):
            return self._memory_rows(saver, thread_id, newer_than or "")
        return self._generic_rows(thread_id)

    def _sqlite_rows(self, thread_id: str, newer_than: str, limit: int | None) -> list[_Row]:
        query = (
            "SELECT checkpoint_id, parent_checkpoint_id, metadata FROM checkpoints "
            "WHERE thread_id = ? AND checkpoint_ns = '' AND {} ORDER BY checkpoint_id DESC"
        )
        with self._saver.cursor(transaction=False) as cur:  # type: ignore[attr-defined]
            if limit is None:
                cur.execute(query.format("checkpoint_id > ?"), (thread_id, newer_than))
            else:  # the newest few, through the primary key: no other row's state is walked
                cur.execute(query.format("checkpoint_id > ?") + " LIMIT ?", (thread_id, newer_than, limit))
            rows = [_Row(cid, parent, _metadata(meta)) for cid, parent, meta in cur.fetchall()]
            if newer_than or limit is not None:
                known = {r.id for r in rows}
                parents = sorted({r.parent_id for r in rows if r.parent_id and r.parent_id not in known})
                marks = ",".join("?" * len(parents))
                cur.execute(query.format(f"checkpoint_id IN ({marks})"), (thread_id, *parents))
                rows += [_Row(cid, parent, _metadata(meta)) for cid, parent, meta in cur.fetchall()]
            by_id = {r.id: r for r in rows}
            oldest = min(by_id, default="")
            cur.execute(
                "SELECT checkpoint_id, task_id, task_path, channel, type, "
                f"CASE WHEN channel = ? THEN substr(value, 1, {HEAD_BYTES}) END "
                "FROM writes WHERE thread_id = ? AND checkpoint_ns = '' "
                "AND checkpoint_id >= ? ORDER BY checkpoint_id, task_path, task_id, idx",
                (TASKS_CHANNEL, thread_id, oldest),
            )
            for cid, task_id, task_path, channel, kind, head in cur.fetchall():
                if (row := by_id.get(cid)) is not None:
                    row.add_write(task_id, task_path, channel, kind, head)
        return sorted(rows, key=lambda r: r.id, reverse=True)

    def _memory_rows(self, saver: InMemorySaver, thread_id: str, newer_than: str) -> list[_Row]:
        stored = dict(saver.storage.get(thread_id, {}).get("", {}))
        wanted = {cid for cid in stored if cid > newer_than}
        wanted |= {p for cid in list(wanted) if (p := stored[cid][2]) is not None and p in stored}
        rows = [
            _Row(cid, parent, _metadata(saver.serde.loads_typed(meta)))
            for cid, (_checkpoint, meta, parent) in sorted(stored.items(), reverse=True)
            if cid in wanted
        ]
        for row in rows:
            # in the order LangGraph applies them: by task path, then each task's writes in turn
            writes: dict[tuple[str, int], tuple[str, str, tuple[str, bytes], str]] = dict(
                saver.writes.get((thread_id, "", row.id), {})
            )
            for key in sorted(writes, key=lambda k: (writes[k][3], k)):
                task_id, channel, (kind, value), task_path = writes[key]
                row.add_write(task_id, task_path, channel, kind, value[:HEAD_BYTES])
        return rows

    def _generic_rows(self, thread_id: str) -> list[_Row]:
        # Materialize first: some savers hold a lock while their list() generator is open.
        tuples = list(self._saver.list({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}))
        rows = []
        for t in tuples:
            parent = t.parent_config["configurable"].get("checkpoint_id") if t.parent_config else None
            rows.append(_Row(str(t.config["configurable"]["checkpoint_id"]), parent, dict(t.metadata)))
        # Pending writes carry no task path here, so what ran from each checkpoint stays unknown.
        for row in rows:
            row.unnamed_tasks = True
        return sorted(rows, key=lambda r: r.id, reverse=True)


def _is_sqlite(saver: BaseCheckpointSaver[Any]) -> bool:
    try:
        from langgraph.checkpoint.sqlite import SqliteSaver
    except ImportError:  # the extra is optional for users who bring another saver
        return False
    return isinstance(saver, SqliteSaver)
