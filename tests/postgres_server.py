"""A real PostgreSQL server for the tests (a pytest plugin: `pytest_plugins`).

`postgres_server` (session-scoped, so one per xdist worker) runs Debian's PostgreSQL 15: `initdb`
into a temporary folder (as the `postgres` user when the tests run as root, since the server
refuses to run as root), `pg_ctl start` on a free loopback port with its socket in that folder,
and `pg_ctl stop` at the end. It yields a `PostgresServer` whose `.url` is a
`postgresql://postgres@127.0.0.1:PORT/postgres` URL; `fresh_database()` gives each test its own
database on it. `start_postgres()` is the same as a context manager, for benchmarks and notebooks.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(os.environ.get("HITL_PG_BIN", "/usr/lib/postgresql/15/bin"))
AS_ROOT = os.geteuid() == 0


@dataclass(frozen=True)
class PostgresServer:
    url: str
    data: Path

    def fresh_database(self) -> str:
        """A new empty database on this server; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url.rsplit("/", 1)[0] + f"/{name}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if AS_ROOT else list(command)


@contextmanager
def start_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL 15 server in a temporary folder, on a free loopback port, until the block ends."""
    if not (BIN / "initdb").exists():
        raise RuntimeError(
            f"PostgreSQL is not installed at {BIN}: run `make setup` (apt-get install postgresql)"
        )
    folder = Path(tempfile.mkdtemp(prefix="hitl-pg-"))
    data = folder / "data"
    try:
        if AS_ROOT:
            shutil.chown(folder, "postgres", "postgres")
        subprocess.run(
            _as_postgres(str(BIN / "initdb"), "-A", "trust", "-U", "postgres", "-D", str(data)),
            check=True,
            capture_output=True,
        )
        port = _free_port()
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={folder} -c fsync=off"
        subprocess.run(
            _as_postgres(
                str(BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start"
            ),
            check=True,
            capture_output=True,
        )
        try:
            yield PostgresServer(f"postgresql://postgres@127.0.0.1:{port}/postgres", data)
        finally:
            subprocess.run(
                _as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"),
                check=False,
                capture_output=True,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with start_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database of the session's server, for one test."""
    return postgres_server.fresh_database()
