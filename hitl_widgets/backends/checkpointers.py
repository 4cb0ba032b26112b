"""Where a local thread is saved: `checkpointer=` specs turned into LangGraph savers.

The default is an SQLite file outside the notebook folder, so a paused thread survives a
kernel restart without scattering database files next to notebooks.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

from hitl_widgets.errors import DebuggerError

DB_ENV = "HITL_WIDGETS_DB"

CheckpointerSpec = BaseCheckpointSaver[Any] | str | None

_open: dict[Path, SqliteSaver] = {}
_open_lock = threading.Lock()


def default_db_path() -> Path:
    """`$HITL_WIDGETS_DB`, else `$XDG_DATA_HOME/hitl_widgets/checkpoints.sqlite` (~/.local/share)."""
    if env := os.environ.get(DB_ENV):
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "hitl_widgets" / "checkpoints.sqlite"


def sqlite_saver(path: str | os.PathLike[str]) -> SqliteSaver:
    """One saver per file in this process, so every Debugger on a file shares its lock."""
    resolved = Path(path).expanduser().resolve()
    with _open_lock:
        if (saver := _open.get(resolved)) is None:
            resolved.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(resolved, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")  # readers in other processes never block a run
            saver = SqliteSaver(conn)
            saver.setup()
            _open[resolved] = saver
        return saver


def resolve_checkpointer(spec: CheckpointerSpec) -> BaseCheckpointSaver[Any]:
    """A saver from a saver object, "memory", "sqlite:PATH" or None (the default SQLite file)."""
    if isinstance(spec, BaseCheckpointSaver):
        return spec
    if spec is None:
        return sqlite_saver(default_db_path())
    if isinstance(spec, str):
        if spec == "memory":
            return InMemorySaver()
        if spec.startswith("sqlite:") and len(spec) > len("sqlite:"):
            return sqlite_saver(spec[len("sqlite:") :])
    raise DebuggerError(
        f"checkpointer={spec!r} is not one of: a LangGraph saver object, 'memory', "
        "'sqlite:PATH', or None (the default SQLite file)"
    )
