"""Where a local thread is saved: `checkpointer=` specs turned into LangGraph savers.

The default is an SQLite file outside the notebook folder, so a paused thread survives a
kernel restart without scattering database files next to notebooks. A `postgresql://` (or
`postgres://`) URL opens a connection pool that the Debugger owns and closes with itself.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

from hitl_widgets.errors import DebuggerError

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

DB_ENV = "HITL_WIDGETS_DB"
_T = TypeVar("_T")

CheckpointerSpec = BaseCheckpointSaver[Any] | str | None
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# Connections an owned Postgres pool may open: one for the saver's writes while another holds a
# claim on a thread (see `thread_guard`), and a few for views reading from their own threads.
POOL_MAX_SIZE = 4
SETUP_WAIT_SECONDS = 120.0


class AnswersAsync(BaseCheckpointSaver[Any]):
    """Async methods for a sync saver, so that `astream` can run on it (LangGraph's `SqliteSaver`
    and `PostgresSaver` refuse async calls; their async twins belong to one event loop).

    `OFF_LOOP`: the sync work runs on a worker thread, keeping the caller's loop free while it
    waits on a database server; else in place, as LangGraph's `InMemorySaver` does (an SQLite
    call takes microseconds to milliseconds; one run saves one checkpoint at a time).
    """

    OFF_LOOP = False

    async def _sync(self, work: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        if self.OFF_LOOP:
            return await asyncio.to_thread(work, *args, **kwargs)
        return work(*args, **kwargs)

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return await self._sync(self.get_tuple, config)

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        # Materialized first: the sync saver holds its lock while its list() generator is open.
        listed = await self._sync(lambda: list(self.list(config, filter=filter, before=before, limit=limit)))
        for item in listed:
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return await self._sync(self.put, config, checkpoint, metadata, new_versions)

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        await self._sync(self.put_writes, config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        await self._sync(self.delete_thread, thread_id)

    async def aget_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> Mapping[str, Any]:
        return await self._sync(self.get_delta_channel_history, config=config, channels=channels)


class DebuggerSqliteSaver(AnswersAsync, SqliteSaver):
    """LangGraph's `SqliteSaver` that also serves async graphs, in the same file format
    `SqliteSaver` and `AsyncSqliteSaver` read."""


# Weakly held: a file's saver (and its connection) goes when no graph uses it any more.
_open: weakref.WeakValueDictionary[Path, DebuggerSqliteSaver] = weakref.WeakValueDictionary()
_open_lock = threading.Lock()


def default_db_path() -> Path:
    """`$HITL_WIDGETS_DB`, else `$XDG_DATA_HOME/hitl_widgets/checkpoints.sqlite` (~/.local/share)."""
    if env := os.environ.get(DB_ENV):
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "hitl_widgets" / "checkpoints.sqlite"


def sqlite_saver(path: str | os.PathLike[str], *, wal: bool = True) -> DebuggerSqliteSaver:
    """One saver per file in this process, so every Debugger on a file shares its lock.

    `wal=False` leaves the file's journal mode as it is (a file another saver made).
    """
    resolved = Path(path).expanduser().resolve()
    with _open_lock:
        if (saver := _open.get(resolved)) is None:
            resolved.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(resolved, check_same_thread=False)
            if wal:
                conn.execute("PRAGMA journal_mode=WAL")  # readers in other processes never block a run
            saver = DebuggerSqliteSaver(conn)
            saver.setup()
            _open[resolved] = saver
        return saver


def postgres_saver(url: str) -> tuple[BaseCheckpointSaver[Any], ConnectionPool[Any]]:
    """A `PostgresSaver` that serves sync and async graphs, on a new connection pool to `url`, its
    tables set up; the caller owns the pool."""
    try:
        import psycopg
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool
    except ImportError:
        raise DebuggerError(
            "a Postgres checkpointer needs the postgres extra: pip install 'hitl_widgets[postgres]'"
        ) from None
    # The settings LangGraph's saver expects of its connections.
    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    try:  # one connection first: a wrong URL fails at once, with the server's own words
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as exc:
        raise DebuggerError(
            f"cannot connect to the Postgres database at {_without_password(url)}: {exc}"
        ) from None
    pool: ConnectionPool[Any] = ConnectionPool(
        url, min_size=1, max_size=POOL_MAX_SIZE, kwargs=kwargs, open=False, name="hitl_widgets"
    )

    class DebuggerPostgresSaver(AnswersAsync, PostgresSaver):
        """LangGraph's `PostgresSaver` that also serves async graphs (off the caller's loop)."""

        OFF_LOOP = True

    try:
        pool.open(wait=True, timeout=10)
        saver = DebuggerPostgresSaver(pool)
        # Kernels opening a new database at once would race to create its tables: one at a time.
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as lock:
            _wait_for_setup_lock(lock)
            saver.setup()
    except Exception as exc:
        pool.close()
        raise DebuggerError(f"cannot use the Postgres database at {_without_password(url)}: {exc}") from None
    return saver, pool


def _wait_for_setup_lock(conn: Any) -> None:
    """Take the setup lock by trying, not by waiting in the server: a session waiting in
    `pg_advisory_lock` holds a snapshot, and the saver's `CREATE INDEX CONCURRENTLY` in the
    holder's setup waits for every older snapshot, so two kernels would wait on each other for
    good (through their clients, where Postgres sees no deadlock)."""
    deadline = time.monotonic() + SETUP_WAIT_SECONDS
    while not conn.execute("SELECT pg_try_advisory_lock(hashtext('hitl_widgets.setup'))").fetchone()[0]:
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"another kernel has been setting up its tables for {SETUP_WAIT_SECONDS:.0f} s"
            )
        time.sleep(0.05)


def _without_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':')[0]}{at}{host}" if at else url


def resolve_checkpointer(
    spec: CheckpointerSpec,
) -> tuple[BaseCheckpointSaver[Any], ConnectionPool[Any] | None]:
    """A saver from a saver object, "memory", "sqlite:PATH", a Postgres URL or None (the default
    SQLite file), with the pool opened for it when it is the caller's to close."""
    if isinstance(spec, BaseCheckpointSaver):
        return spec, None
    if spec is None:
        return sqlite_saver(default_db_path()), None
    if isinstance(spec, str):
        if spec == "memory":
            return InMemorySaver(), None
        if spec.startswith("sqlite:") and len(spec) > len("sqlite:"):
            return sqlite_saver(spec[len("sqlite:") :]), None
        if spec.startswith(POSTGRES_SCHEMES):
            return postgres_saver(spec)
    raise DebuggerError(
        f"checkpointer={spec!r} is not one of: a LangGraph saver object, 'memory', "
        "'sqlite:PATH', 'postgresql://...', or None (the default SQLite file)"
    )
