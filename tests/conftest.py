"""Fixtures shared by the suites: debuggers over the seed graphs on every backend.

`make_debugger("text_to_revise")` gives a Debugger on a fresh thread of that graph, in this
kernel with a real SQLite file (local) or on a real `langgraph dev` server (remote). Tests
that take `make_debugger` run once per backend: one contract, two implementations.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import graphs
from graphs import MakeDebugger

import hitl_widgets as hw

pytest_plugins = ["langgraph_server"]  # the `langgraph_server` fixture: a real `langgraph dev`

BACKENDS = ("local", "remote")


@pytest.fixture(autouse=True)
def _private_default_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes the user's real default checkpoint file."""
    monkeypatch.setenv("HITL_WIDGETS_DB", str(tmp_path / "default.sqlite"))


@pytest.fixture(params=BACKENDS)
def backend_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_debugger(backend_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> MakeDebugger:
    def make(name: str, **kwargs: Any) -> hw.Debugger:
        if backend_kind == "local":
            return hw.debug(
                graphs.GRAPHS[name](), checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}", **kwargs
            )
        server = request.getfixturevalue("langgraph_server")
        return hw.debug(url=server.url, assistant_id=name, **kwargs)

    return make
