"""A real `langgraph dev` server for the remote tests (a pytest plugin: `pytest_plugins`).

`langgraph_server` (session-scoped) starts `.venv/bin/langgraph dev --no-browser --no-reload`
on a free loopback port with `tests/langgraph.json` (the graphs of `server_graphs.py`), waits
for `GET /ok`, yields a `LangGraphServer` (`.url`, `.process`) and stops the server's whole
process group at the end. Under pytest-xdist each worker gets its own server.

The server runs in a scratch directory (it keeps its in-memory state in `./.langgraph_api`)
with `tests/` on `PYTHONPATH`, offline: no tracing, no CLI analytics, no API keys of ours.
`start_server()` gives a private one, for tests that kill it. `sent_requests` lists every HTTP
request any client sends during a test (they still go out: it watches, it does not stand in).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

TESTS = Path(__file__).parent
CONFIG = TESTS / "langgraph.json"
LANGGRAPH = Path(sys.executable).parent / "langgraph"
STARTUP_SECONDS = 60.0
_KEPT_OUT = ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY")


@dataclass(frozen=True)
class LangGraphServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _KEPT_OUT}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS), env.get("PYTHONPATH", "")) if p)
    env.update(
        LANGSMITH_TRACING="false",
        LANGCHAIN_TRACING_V2="false",
        LANGGRAPH_CLI_NO_ANALYTICS="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_up(server: LangGraphServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"langgraph dev exited ({server.process.returncode}):\n{server.log.read_text()}"
            )
        with suppress(OSError), urllib.request.urlopen(f"{server.url}/ok", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(
        f"langgraph dev did not answer /ok in {STARTUP_SECONDS:.0f} s:\n{server.log.read_text()}"
    )


def stop(server: LangGraphServer) -> None:
    """Stop the server and everything it started (its process group)."""
    if server.process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)


@contextmanager
def start_server(workdir: Path) -> Iterator[LangGraphServer]:
    """A `langgraph dev` of the test graphs, running in `workdir`, until the block ends."""
    port = free_port()
    log = workdir / "langgraph-dev.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(LANGGRAPH),
                "dev",
                "--no-browser",
                "--no-reload",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--config",
                str(CONFIG),
            ],
            cwd=workdir,
            env=_environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
    server = LangGraphServer(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        stop(server)


@pytest.fixture(scope="session")
def langgraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LangGraphServer]:
    with start_server(tmp_path_factory.mktemp("langgraph_server")) as server:
        yield server


@pytest.fixture
def sent_requests(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    sent: list[httpx.Request] = []
    send = httpx.Client.send

    def watched(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        sent.append(request)
        return send(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", watched)
    return sent
