"""The skeleton of a thread kept by LangGraph's `PostgresSaver`, read with SQL and no state.

`PostgresSaver.list()` joins every checkpoint's channel blobs and `fetchall()`s them: on a
10,000-checkpoint thread that is tens of seconds and gigabytes, and with state growing 1 KB a
step the server runs out of memory for the result. What the skeleton needs sits elsewhere in
the saver's own tables: ids, parents and the small `metadata` jsonb in `checkpoints`, and each
write's `task_path` in `checkpoint_writes`. These queries read only those columns; they never
touch `checkpoint_blobs`, nor the `checkpoint` jsonb (whose `channel_values` hold state), nor a
write's blob. The newest checkpoint and the newest page come from the primary key
`(thread_id, checkpoint_ns, checkpoint_id)` read backwards, each row's task paths from the
writes' primary key, so a first screen costs the same on a thread of ten checkpoints or ten
thousand; a whole thread is two queries (checkpoints, then every write's task path at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from psycopg.rows import tuple_row

from hitl_widgets.backends.history_rows import AS_NODE_KEY, SkeletonRow, missing_parents

_COLUMNS = (
    "c.checkpoint_id, c.parent_checkpoint_id, c.metadata->'step', c.metadata->>'source', "
    f"c.metadata->>'{AS_NODE_KEY}'"
)
_FROM = "FROM checkpoints c WHERE c.thread_id = %s AND c.checkpoint_ns = '' "
# A page's rows with their task paths, each looked up through the writes' primary key.
_PAGE = (
    f"SELECT {_COLUMNS}, ARRAY(SELECT DISTINCT w.task_path FROM checkpoint_writes w "
    "WHERE w.thread_id = c.thread_id AND w.checkpoint_ns = '' AND w.checkpoint_id = c.checkpoint_id) " + _FROM
)
_LATEST = (
    "SELECT checkpoint_id FROM checkpoints WHERE thread_id = %s AND checkpoint_ns = '' "
    "ORDER BY checkpoint_id DESC LIMIT 1"
)


def _rows(found: Iterable[tuple[Any, ...]]) -> list[SkeletonRow]:
    rows = []
    for cid, parent, step, source, as_node, *task_paths in found:
        metadata: dict[str, Any] = {"step": step if isinstance(step, int) else 0}
        if source is not None:
            metadata["source"] = source
        if as_node is not None:
            metadata[AS_NODE_KEY] = as_node
        row = SkeletonRow(cid, parent, metadata)
        for task_path in task_paths[0] if task_paths else ():
            row.add_task_path(task_path)
        rows.append(row)
    return rows


class PostgresHistory:
    """Ids, parents, metadata and task paths of one `PostgresSaver`'s threads."""

    def __init__(self, saver: Any) -> None:
        self._saver = saver

    def _cursor(self) -> Any:
        # The saver's own way to its connection (a pool, a connection or a pipeline), under its
        # lock: a single connection serves one statement at a time.
        return self._saver._cursor()

    def latest_id(self, thread_id: str) -> str | None:
        with self._cursor() as cur:
            cur.row_factory = tuple_row
            found = cur.execute(_LATEST, (thread_id,)).fetchone()
        return str(found[0]) if found else None

    def rows(self, thread_id: str, newer_than: str, limit: int | None) -> list[SkeletonRow]:
        with self._cursor() as cur:
            cur.row_factory = tuple_row
            if limit is None and not newer_than:
                return self._whole(cur, thread_id)
            query = _PAGE + "AND c.checkpoint_id > %s ORDER BY c.checkpoint_id DESC"
            if limit is None:
                rows = _rows(cur.execute(query, (thread_id, newer_than)).fetchall())
            else:
                rows = _rows(cur.execute(query + " LIMIT %s", (thread_id, newer_than, limit)).fetchall())
            if parents := missing_parents(rows):
                rows += _rows(cur.execute(_PAGE + "AND c.checkpoint_id = ANY(%s)", (thread_id, parents)))
        return sorted(rows, key=lambda r: r.id, reverse=True)

    def _whole(self, cur: Any, thread_id: str) -> list[SkeletonRow]:
        """Every checkpoint, then every write's task path in one pass (a hash join in Python is
        cheaper than ten thousand index lookups)."""
        rows = _rows(cur.execute(f"SELECT {_COLUMNS} {_FROM} ORDER BY c.checkpoint_id DESC", (thread_id,)))
        by_id = {r.id: r for r in rows}
        cur.execute(
            "SELECT DISTINCT checkpoint_id, task_path FROM checkpoint_writes "
            "WHERE thread_id = %s AND checkpoint_ns = ''",
            (thread_id,),
        )
        for cid, task_path in cur.fetchall():
            if (row := by_id.get(cid)) is not None:
                row.add_task_path(task_path)
        return rows
