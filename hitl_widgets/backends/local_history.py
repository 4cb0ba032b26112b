"""A thread's checkpoint skeleton read straight from the saver, without loading any state.

LangGraph's `get_state_history` deserializes every checkpoint's values and recomputes its
tasks: on a 10,000-checkpoint thread that takes tens of seconds, nearly all of it spent on
values nobody looked at. The skeleton (ids, parents, step, source) sits in the saver's
metadata, and the nodes that ran from each checkpoint sit in its stored writes (their task
paths name the node), so one pass over those gives the tree. Values are loaded on demand.

Each saver has its reader: SQL for SQLite (`history_sqlite`) and Postgres (`history_postgres`),
the saver's dicts for the in-memory saver, and for any other saver a bounded walk of its own
`list(config, limit=, before=)`, a page at a time. What cannot be read this way is left as
`next=None`, and the backend fills it from a real snapshot: checkpoints no task has run from
yet (the tips of branches), and steps that ran `Send` tasks, whose task paths do not name their node.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple
from langgraph.checkpoint.memory import InMemorySaver

from hitl_widgets.backends.base import CheckpointRecord
from hitl_widgets.backends.history_rows import AS_NODE_KEY, SkeletonRow, TasksOf, missing_parents, records
from hitl_widgets.backends.push_tasks import HEAD_BYTES

__all__ = ["AS_NODE_KEY", "SkeletonReader"]

# Checkpoints a generic saver is asked for at a time: memory stays bounded by a page of states.
GENERIC_PAGE = 100
# A task id LangGraph uses for writes no task made (resume answers, errors).
_NULL_TASK_ID = "00000000-0000-0000-0000-000000000000"
_INTERRUPT = "__interrupt__"


class History(Protocol):
    """What a saver's reader answers: the newest id, and skeleton rows newest first."""

    def latest_id(self, thread_id: str) -> str | None: ...

    def rows(self, thread_id: str, newer_than: str, limit: int | None) -> list[SkeletonRow]:
        """Checkpoints newer than `newer_than` (all if ""), the newest `limit` if given, and
        the parents of those, with the task paths of their writes."""
        ...


class SkeletonReader:
    """Reads a thread's skeleton from any saver, through the reader that fits it."""

    def __init__(
        self, saver: BaseCheckpointSaver[Any], node_order: Sequence[str], tasks_of: TasksOf | None = None
    ) -> None:
        self._history = history_for(saver)
        self._node_order = tuple(node_order)
        self._tasks_of = tasks_of

    def records(
        self, thread_id: str, newer_than: str | None = None, limit: int | None = None
    ) -> list[CheckpointRecord]:
        """Root-namespace checkpoints newest first; only those newer than `newer_than`, and only
        the newest `limit`, if given.

        A checkpoint's record needs its children (to know a step ran from it) and its parent
        (whose tasks wrote it). Children are always newer, so reading the newest checkpoints and
        their parents is enough.
        """
        rows = self._history.rows(thread_id, newer_than or "", limit)
        found = records(rows, self._node_order, self._tasks_of)
        if newer_than is not None:
            found = [r for r in found if r.id > newer_than]
        return found if limit is None else found[:limit]

    def latest_id(self, thread_id: str) -> str | None:
        return self._history.latest_id(thread_id)


def history_for(saver: BaseCheckpointSaver[Any]) -> History:
    """The fastest reader for this saver; the bounded generic one for savers it does not know."""
    try:
        from langgraph.checkpoint.sqlite import SqliteSaver
    except ImportError:  # the extra is optional for users who bring another saver
        pass
    else:
        if isinstance(saver, SqliteSaver):
            from hitl_widgets.backends.history_sqlite import SqliteHistory

            return SqliteHistory(saver)
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
    except ImportError:  # the `postgres` extra
        pass
    else:
        if isinstance(saver, PostgresSaver):
            from hitl_widgets.backends.history_postgres import PostgresHistory

            return PostgresHistory(saver)
    if isinstance(saver, InMemorySaver):
        return MemoryHistory(saver)
    return GenericHistory(saver)


class MemoryHistory:
    """The in-memory saver's dicts, read without deserializing any state."""

    def __init__(self, saver: InMemorySaver) -> None:
        self._saver = saver

    def latest_id(self, thread_id: str) -> str | None:
        ids = self._saver.storage.get(thread_id, {}).get("", {})
        return max(ids) if ids else None

    def rows(self, thread_id: str, newer_than: str, limit: int | None) -> list[SkeletonRow]:
        saver = self._saver
        stored = dict(saver.storage.get(thread_id, {}).get("", {}))
        wanted = sorted((cid for cid in stored if cid > newer_than), reverse=True)[:limit]
        wanted_set = set(wanted) | {p for cid in wanted if (p := stored[cid][2]) is not None and p in stored}
        rows = [
            SkeletonRow(cid, parent, dict(saver.serde.loads_typed(meta)))
            for cid, (_checkpoint, meta, parent) in sorted(stored.items(), reverse=True)
            if cid in wanted_set
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


class GenericHistory:
    """Any other saver, through its own `list()`, a page of `GENERIC_PAGE` checkpoints at a time.

    Its pending writes carry no task path, so what ran from a checkpoint is read from its loop
    child instead: the nodes whose `versions_seen` the step moved. Where the writes at a
    checkpoint came from more tasks than that names (`Send` tasks), `next` stays unknown.
    """

    def __init__(self, saver: BaseCheckpointSaver[Any]) -> None:
        self._saver = saver

    def _config(self, thread_id: str) -> Any:
        return {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}

    def latest_id(self, thread_id: str) -> str | None:
        found = self._saver.get_tuple(self._config(thread_id))
        return str(found.config["configurable"]["checkpoint_id"]) if found else None

    def rows(self, thread_id: str, newer_than: str, limit: int | None) -> list[SkeletonRow]:
        rows: list[SkeletonRow] = []
        seen: dict[str, Mapping[str, Any]] = {}  # versions_seen of each row read
        tasks: dict[str, int] = {}  # how many tasks wrote at each row
        before: Any = None
        while limit is None or len(rows) < limit:
            # Materialized a page at a time: some savers hold a lock while their list() is open.
            page = list(self._saver.list(self._config(thread_id), limit=GENERIC_PAGE, before=before))
            fresh = [t for t in page if _id(t) > newer_than]
            for found in fresh[: None if limit is None else limit - len(rows)]:
                rows.append(self._row(found, seen, tasks))
            if len(page) < GENERIC_PAGE or len(fresh) < len(page):
                break
            before = page[-1].config
        for parent_id in missing_parents(rows):
            older = self._saver.get_tuple(
                {"configurable": {**self._config(thread_id)["configurable"], "checkpoint_id": parent_id}}
            )
            if older is not None:
                rows.append(self._row(older, seen, tasks))
        by_id = {r.id: r for r in rows}
        for row in rows:
            parent = by_id.get(row.parent_id or "")
            if parent is None or row.metadata.get("source") != "loop":
                continue
            before_step, after_step = seen[parent.id], seen[row.id]
            parent.pulled = [n for n, v in after_step.items() if n != _INTERRUPT and before_step.get(n) != v]
            parent.unnamed_tasks = tasks[parent.id] > len(parent.pulled)
        return sorted(rows, key=lambda r: r.id, reverse=True)

    @staticmethod
    def _row(
        found: CheckpointTuple, seen: dict[str, Mapping[str, Any]], tasks: dict[str, int]
    ) -> SkeletonRow:
        cid = _id(found)
        seen[cid] = dict(found.checkpoint.get("versions_seen", {}))
        tasks[cid] = len({w[0] for w in found.pending_writes or () if w[0] != _NULL_TASK_ID})
        parent = found.parent_config["configurable"].get("checkpoint_id") if found.parent_config else None
        return SkeletonRow(cid, parent, dict(found.metadata))


def _id(found: CheckpointTuple) -> str:
    return str(found.config["configurable"]["checkpoint_id"])
