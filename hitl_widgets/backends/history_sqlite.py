"""The skeleton of a thread kept by LangGraph's `SqliteSaver`, read with SQL and no state.

`SqliteSaver` stores each checkpoint's state in one blob, with the metadata column after it.
SQLite reaches a column stored after a blob by walking the blob's overflow pages, so reading
only ids and metadata still walked every state: 0.6 s on a 2,000-checkpoint thread whose state
grows 1 KB a step, against 0.005 s without the metadata. A covering index on the columns the
skeleton needs (`hitl_checkpoint_skeleton`) lets SQLite answer from the index alone. SQLite keeps
it in step with every checkpoint the saver writes; it is built once per database file (one walk
of the blobs, the cost of one old read), and where it cannot be (a read-only file) the reader
reads the table as before.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from hitl_widgets.backends.history_rows import SkeletonRow, missing_parents, parse_metadata
from hitl_widgets.backends.push_tasks import HEAD_BYTES, TASKS_CHANNEL

SKELETON_INDEX = "hitl_checkpoint_skeleton"
_CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {SKELETON_INDEX} ON checkpoints "
    "(thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, metadata)"
)
_indexed: set[int] = set()  # savers (by id) whose database was given the index in this process
_indexed_lock = threading.Lock()

_QUERY = (
    "SELECT checkpoint_id, parent_checkpoint_id, metadata FROM checkpoints "
    "WHERE thread_id = ? AND checkpoint_ns = '' AND {} ORDER BY checkpoint_id DESC"
)


def ensure_skeleton_index(saver: Any) -> None:
    """Give the saver's database the skeleton's covering index, once per saver in this process."""
    with _indexed_lock:
        if id(saver) in _indexed:
            return
        _indexed.add(id(saver))
    try:
        with saver.cursor() as cur:  # a transaction: the saver commits it
            cur.execute(_CREATE_INDEX)
    except sqlite3.OperationalError:
        pass  # read-only or locked for long: the table still answers, only slower


class SqliteHistory:
    """Ids, parents, metadata and task paths of one `SqliteSaver`'s threads."""

    def __init__(self, saver: Any) -> None:
        self._saver = saver
        ensure_skeleton_index(saver)

    def latest_id(self, thread_id: str) -> str | None:
        with self._saver.cursor(transaction=False) as cur:
            cur.execute(
                "SELECT max(checkpoint_id) FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ''",
                (thread_id,),
            )
            (latest,) = cur.fetchone()
            return str(latest) if latest else None

    def rows(self, thread_id: str, newer_than: str, limit: int | None) -> list[SkeletonRow]:
        with self._saver.cursor(transaction=False) as cur:
            if limit is None:
                cur.execute(_QUERY.format("checkpoint_id > ?"), (thread_id, newer_than))
            else:  # the newest few, through the index: no other row is walked
                cur.execute(_QUERY.format("checkpoint_id > ?") + " LIMIT ?", (thread_id, newer_than, limit))
            rows = [SkeletonRow(cid, parent, parse_metadata(meta)) for cid, parent, meta in cur.fetchall()]
            if newer_than or limit is not None:
                parents = missing_parents(rows)
                marks = ",".join("?" * len(parents))
                cur.execute(_QUERY.format(f"checkpoint_id IN ({marks})"), (thread_id, *parents))
                rows += [
                    SkeletonRow(cid, parent, parse_metadata(meta)) for cid, parent, meta in cur.fetchall()
                ]
            by_id = {r.id: r for r in rows}
            oldest = min(by_id, default="")
            # A `Send` packet's first bytes name its node (see push_tasks); no other value is read.
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
