"""Fixtures shared by the suites: debuggers over the seed graphs on every backend.

`make_debugger("text_to_revise")` gives a Debugger on a fresh thread of that graph, in this
kernel with a real SQLite file (local) or a real Postgres (postgres, for the contract suites),
or on a real `langgraph dev` server (remote). Tests that take `make_debugger` run once per
backend: one contract, several implementations.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import graphs
from graphs import MakeDebugger
from langgraph.checkpoint.base import BaseCheckpointSaver

import hitl_widgets as hw

if TYPE_CHECKING:  # a plugin module: imported by pytest itself, so that it can rewrite it
    from postgres_server import PostgresServer

# `langgraph_server`: a real `langgraph dev`; `postgres_server`: a real PostgreSQL 15
pytest_plugins = ["langgraph_server", "postgres_server"]

BACKENDS = ("local", "remote")


@pytest.fixture(autouse=True)
def _private_default_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes the user's real default checkpoint file."""
    monkeypatch.setenv("HITL_WIDGETS_DB", str(tmp_path / "default.sqlite"))


@pytest.fixture(params=BACKENDS)
def backend_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_saver(postgres_server: PostgresServer) -> Iterator[BaseCheckpointSaver[Any]]:
    """One `PostgresSaver` on a pool for the session's Postgres tests (threads keep them apart)."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    with ConnectionPool(postgres_server.fresh_database(), max_size=4, kwargs=kwargs) as pool:
        saver = PostgresSaver(pool)
        saver.setup()
        yield saver


@pytest.fixture
def make_debugger(backend_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> MakeDebugger:
    def make(name: str, **kwargs: Any) -> hw.Debugger:
        if backend_kind == "local":
            return hw.debug(
                graphs.GRAPHS[name](), checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}", **kwargs
            )
        if backend_kind == "postgres":
            saver = request.getfixturevalue("postgres_saver")
            dbg = hw.debug(graphs.GRAPHS[name](), checkpointer=saver, **kwargs)
            request.addfinalizer(dbg.close)
            return dbg
        server = request.getfixturevalue("langgraph_server")
        return hw.debug(url=server.url, assistant_id=name, **kwargs)

    return make
