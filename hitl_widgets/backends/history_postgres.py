"""The skeleton of a thread kept by LangGraph's `PostgresSaver`, read with SQL and no state.

`PostgresSaver.list()` joins every checkpoint's channel blobs and `fetchall()`s them: on a
10,000-checkpoint thread that is tens of seconds and gigabytes, and with state growing 1 KB a
step the server runs out of memory for the result. What the skeleton needs sits elsewhere in
the saver's own tables: ids, parents and the small `metadata` jsonb in `checkpoints`, and each
write's `task_path` in `checkpoint_writes`. These queries read only those columns; they never
touch `checkpoint_blobs`, nor the `checkpoint` jsonb (whose `channel_values` hold state), nor a
write's blob. The newest checkpoint and the newest page come from the primary key
`(thread_id, checkpoint_ns, checkpoint_id)` read backwards, so a first screen costs the same
on a thread of ten checkpoints or ten thousand.
"""

from __future__ import annotations

from typing import Any

from hitl_widgets.backends.history_rows import AS_NODE_KEY, SkeletonRow, missing_parents

_COLUMNS = (
    "SELECT checkpoint_id, parent_checkpoint_id, metadata->'step' AS step, metadata->>'source' AS source, "
    f"metadata->>'{AS_NODE_KEY}' AS as_node FROM checkpoints WHERE thread_id = %s AND checkpoint_ns = '' "
)
_LATEST = (
    "SELECT checkpoint_id FROM checkpoints WHERE thread_id = %s AND checkpoint_ns = '' "
    "ORDER BY checkpoint_id DESC LIMIT 1"
)


def _row(found: dict[str, Any]) -> SkeletonRow:
    step = found["step"]
    metadata: dict[str, Any] = {"step": step if isinstance(step, int) else 0}
    if found["source"] is not None:
        metadata["source"] = found["source"]
    if found["as_node"] is not None:
        metadata[AS_NODE_KEY] = found["as_node"]
    return SkeletonRow(str(found["checkpoint_id"]), found["parent_checkpoint_id"], metadata)


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
            found = cur.execute(_LATEST, (thread_id,)).fetchone()
        return str(found["checkpoint_id"]) if found else None

    def rows(self, thread_id: str, newer_than: str, limit: int | None) -> list[SkeletonRow]:
        with self._cursor() as cur:
            query = _COLUMNS + "AND checkpoint_id > %s ORDER BY checkpoint_id DESC"
            if limit is None:
                cur.execute(query, (thread_id, newer_than))
            else:
                cur.execute(query + " LIMIT %s", (thread_id, newer_than, limit))
            rows = [_row(found) for found in cur.fetchall()]
            if parents := missing_parents(rows):
                cur.execute(_COLUMNS + "AND checkpoint_id = ANY(%s)", (thread_id, parents))
                rows += [_row(found) for found in cur.fetchall()]
            by_id = {r.id: r for r in rows}
            if newer_than or limit is not None:
                cur.execute(
                    "SELECT checkpoint_id, task_path FROM checkpoint_writes WHERE thread_id = %s "
                    "AND checkpoint_ns = '' AND checkpoint_id = ANY(%s) GROUP BY checkpoint_id, task_path",
                    (thread_id, list(by_id)),
                )
            else:
                cur.execute(
                    "SELECT checkpoint_id, task_path FROM checkpoint_writes WHERE thread_id = %s "
                    "AND checkpoint_ns = '' GROUP BY checkpoint_id, task_path",
                    (thread_id,),
                )
            for found in cur.fetchall():
                if (row := by_id.get(found["checkpoint_id"])) is not None:
                    row.add_task_path(found["task_path"])
        return sorted(rows, key=lambda r: r.id, reverse=True)
