"""What an async graph or an async saver asks of the debugger, found before anything runs.

LangGraph runs a node that has only an async function, or a tool that has only a coroutine
(every MCP tool), only through `astream`/`ainvoke`: the sync path fails inside the node, after
the run has started. So the debugger looks at the graph first and sends such graphs through
`astream` from the start.

An async saver (`AsyncSqliteSaver`, `AsyncPostgresSaver`) belongs to the event loop that made
it, usually the notebook's own. Its sync methods hand their work to that loop and wait, which
cannot work from that loop's own thread (LangGraph raises `InvalidStateError`). Reads such as
`dbg.state` come from exactly there, so the debugger reads and updates such a thread through a
sync twin on the same database, and runs on the saver's loop.
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Iterable, Iterator
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.pregel import Pregel


def async_only_parts(graph: Pregel[Any, Any, Any, Any]) -> list[str]:
    """The nodes (and the tools in them) that only an async run can execute, as
    `node` or `node/tool`, subgraphs included (`outer/inner`)."""
    found: list[str] = []
    for name, node in graph.nodes.items():
        for part in _async_only(node.bound, set()):
            found.append(f"{name}/{part}" if part else name)
    return found


def _async_only(runnable: Any, seen: set[int]) -> Iterator[str]:
    if id(runnable) in seen:
        return
    seen.add(id(runnable))
    if isinstance(runnable, Pregel):
        yield from async_only_parts(runnable)
        return
    tools = getattr(runnable, "tools_by_name", None)
    if isinstance(tools, dict):
        for tool_name, tool in tools.items():
            if getattr(tool, "func", True) is None and getattr(tool, "coroutine", None) is not None:
                yield str(tool_name)
    if getattr(runnable, "afunc", None) is not None and getattr(runnable, "func", None) is None:
        yield ""
        return
    for child in _children(runnable):
        yield from _async_only(child, seen)


def _children(runnable: Any) -> Iterable[Any]:
    """The runnables a runnable is made of: sequence steps, a bound runnable, a node's writers."""
    for attr in ("steps", "first", "middle", "last", "bound"):
        value = getattr(runnable, attr, None)
        if isinstance(value, (list, tuple)):
            yield from value
        elif value is not None and hasattr(value, "invoke"):
            yield value


def saver_loop(saver: BaseCheckpointSaver[Any]) -> asyncio.AbstractEventLoop | None:
    """The event loop an async saver was made on, or None for savers any thread may call."""
    loop = getattr(saver, "loop", None)
    return loop if isinstance(loop, asyncio.AbstractEventLoop) else None


def sync_twin(saver: BaseCheckpointSaver[Any]) -> tuple[BaseCheckpointSaver[Any], Any] | None:
    """A sync saver on the same database as a loop-bound async saver, with what its caller must
    close when done (a connection pool, or None); None if no twin can be made (an in-memory
    SQLite database is private to its connection)."""
    kind = type(saver).__name__
    owned: Any = None
    if kind == "AsyncSqliteSaver":
        path = _sqlite_path(getattr(saver, "conn", None))
        if path is None:
            return None
        from hitl_widgets.backends.checkpointers import sqlite_saver

        twin: BaseCheckpointSaver[Any] = sqlite_saver(path, wal=False)
    elif kind == "AsyncPostgresSaver":
        conninfo = _postgres_conninfo(getattr(saver, "conn", None))
        if conninfo is None:
            return None
        from hitl_widgets.backends.checkpointers import postgres_saver

        twin, owned = postgres_saver(conninfo)
    else:
        return None
    twin.serde = saver.serde  # a user's own serializer reads what it wrote
    return twin, owned


def _sqlite_path(conn: Any) -> str | None:
    """The file an aiosqlite connection opens: its connector closes over `database`."""
    connector = getattr(conn, "_connector", None)
    if not callable(connector):
        return None
    try:
        database = inspect.getclosurevars(connector).nonlocals.get("database")
    except (TypeError, ValueError):
        return None
    if isinstance(database, (str, os.PathLike)):
        path = os.fspath(database)
        if path != ":memory:" and "mode=memory" not in path and not path.startswith("file::memory:"):
            return path
    return None


def _postgres_conninfo(conn: Any) -> str | None:
    try:
        from psycopg.conninfo import make_conninfo
    except ImportError:
        return None
    conninfo = getattr(conn, "conninfo", None)  # a pool
    if isinstance(conninfo, str):
        return conninfo
    info = getattr(conn, "info", None)  # a connection: its dsn leaves the password out
    if info is None:
        return None
    password = getattr(info, "password", None)
    return make_conninfo(info.dsn, **({"password": password} if password else {}))
