"""Many kernels on one thread: a command acts on what its user saw, and one run at a time.

Two rules hold for every command that writes (`start`, `step`, `cont`, `resume`, `replay`,
`edit`, `fork`), whatever process issues it:

1. **Stale commands are refused.** The guard remembers the newest checkpoint its Debugger was
   shown (every read of the newest id passes through `saw()`). If the thread's newest
   checkpoint is another one when a command starts, another process moved the thread since
   the user last looked: the command is refused with a `DebuggerError` naming the new head
   (short id, step, source), nothing is written, and the Debugger's view is brought up to date
   so the user can look and try again. A head checked out on purpose (an old checkpoint) is not
   checked: running, editing or forking from it is what the user asked for; `fork` and
   `replay` of a named checkpoint are checked only when that checkpoint is the head.
2. **One command writes a thread at a time.** The check and the command run under a claim on
   the thread, held from before the check until the command is over (for a run: its last
   checkpoint), so two kernels resuming the same interrupt at once give exactly one run; the
   other is refused (busy while the run goes on, stale after it).

The claim uses the database's own means:

- **Postgres**: `pg_try_advisory_xact_lock(<namespace>, hashtext(thread_id))` in a transaction on
  a connection of the claim's own (from the saver's pool's connection string, or the user's
  connection's), held open for the whole command and committed at its end. The saver writes
  through its own connections meanwhile: an advisory lock conflicts with nothing but the same
  lock, and the claim's transaction holds no row lock, so the saver's writes never wait on it
  (a claim on the saver's own connection would instead put the run's writes inside the claim's
  transaction, or block a pool of one). A dead kernel's connection closes with its process and
  the server ends its transaction, releasing the lock; a kernel whose machine vanished is
  found by TCP keepalives (set on the claim's connection) within about a minute.
- **SQLite**: a write-lock on the database file itself, not on a file of ours: an open-file-
  description lock (`F_OFD_SETLK`) on one byte far past anything SQLite locks (its lock bytes
  sit at 1 GiB), chosen by the thread id. It is held for the whole command and blocks no
  SQLite reader or writer. An immediate transaction (`BEGIN IMMEDIATE`) was the first plan and
  does not fit: held for the whole run it would stop every other writer of the file (the
  default file holds all of a user's notebooks) for as long as a node runs, past SQLite's busy
  timeout; released at the run's first write it would free the thread while the first node
  runs (a resume's answer is written before its node), letting a second resume through. The
  kernel drops the lock when the process dies. Platforms without OFD locks (macOS) get rule 1
  and a lock within the process only.
- **The in-memory saver** lives in one process: a lock per thread within it.
- **Any other saver**: rule 1, and a lock within the process.
"""

from __future__ import annotations

import fcntl
import importlib
import os
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from hitl_widgets.backends.base import CheckpointRecord
from hitl_widgets.errors import DebuggerError
from hitl_widgets.model import short_id

# Commands that write the thread: only these take a claim.
WRITING_COMMANDS = frozenset({"start", "step", "cont", "resume", "replay", "edit", "fork"})
# First key of the two-key advisory lock, so our locks never meet another application's.
PG_LOCK_NAMESPACE = 0x6869_746C  # "hitl"
# SQLite's own lock bytes lie at 1 GiB; ours start at 4 GiB, one byte per thread (by CRC-32).
_SQLITE_LOCK_BASE = 1 << 32
_OFD_SETLK: int | None = getattr(fcntl, "F_OFD_SETLK", None)

Lock = Callable[[], AbstractContextManager[bool]]
"""Enter to try the thread's lock: yields whether this process got it, holds it until exit."""


class ThreadGuard:
    """Rule 1 for one thread of one Debugger, over a lock of the saver's kind (rule 2)."""

    def __init__(
        self,
        thread_id: str,
        latest_id: Callable[[], str | None],
        record: Callable[[str], CheckpointRecord | None],
        lock: Lock,
        close: Callable[[], None] = lambda: None,
    ) -> None:
        self._thread_id = thread_id
        self._latest_id = latest_id
        self._record = record
        self._lock = lock
        self._close = close
        self._seen: str | None = None

    def saw(self, latest: str | None) -> str | None:
        """Note the newest checkpoint the Debugger was shown; returns it."""
        self._seen = latest
        return latest

    @contextmanager
    def claim(self, command: str, *, check: bool = True, at: str | None = None) -> Iterator[None]:
        """Hold the thread for `command`; refuse it if busy, or stale (when `check`, and `at` is
        None or names the head the Debugger was shown)."""
        with self._lock() as got:
            latest = self._latest_id()
            if not got:
                self._seen = latest
                raise DebuggerError(
                    f"{command}() refused: another Debugger (another kernel, say) is running a command on thread "
                    f"{self._thread_id!r} right now{self._describe(latest, 'its newest checkpoint is')}; "
                    "nothing was written. Wait until it pauses, look at the thread again, then retry"
                )
            seen = self._seen
            if check and latest != seen and (at is None or _names(seen, at)):
                self._seen = latest
                raise DebuggerError(
                    f"{command}() refused: another Debugger (another kernel, say) moved thread {self._thread_id!r} since this "
                    f"Debugger last read it{self._describe(latest, 'its newest checkpoint is now')}"
                    f" (this Debugger stood on {short_id(seen) if seen else 'an empty thread'}). Nothing was "
                    f"written; this Debugger's view is now up to date: look at it, then run {command}() again "
                    "if it still applies"
                )
            try:
                yield
            finally:
                self._seen = self._latest_id()  # what this command wrote, the Debugger has seen

    def _describe(self, checkpoint_id: str | None, lead: str) -> str:
        if checkpoint_id is None:
            return ""
        record = self._record(checkpoint_id)
        if record is None:
            return f": {lead} {short_id(checkpoint_id)}"
        return f": {lead} {short_id(record.id)} (step {record.step}, source {record.source!r})"

    def close(self) -> None:
        self._close()

    @property
    def closer(self) -> Callable[[], None]:
        """What `close` calls, holding nothing of the guard's readers: a finalizer can keep it."""
        return self._close


def _names(head: str | None, given: str) -> bool:
    """Whether `given` (a whole id, or a prefix or suffix of one) names `head`."""
    return head is not None and (head == given or head.startswith(given) or head.endswith(given))


# ---------------------------------------------------------------- locks of each saver's kind

_process_locks: dict[tuple[int, str], threading.Lock] = {}
_process_locks_guard = threading.Lock()


def process_lock(owner: object, thread_id: str) -> Lock:
    """A lock on the thread within this process (savers whose data lives in one process)."""
    with _process_locks_guard:
        lock = _process_locks.setdefault((id(owner), thread_id), threading.Lock())

    @contextmanager
    def hold() -> Iterator[bool]:
        got = lock.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                lock.release()

    return hold


def _one_claim_at_a_time(hold: Lock) -> Lock:
    """`hold`, but refused at once (yielding False) while another thread of this process is in
    it: one descriptor, or one connection, serves one claim."""
    in_process = threading.Lock()

    @contextmanager
    def alone() -> Iterator[bool]:
        if not in_process.acquire(blocking=False):
            yield False
            return
        try:
            with hold() as got:
                yield got
        finally:
            in_process.release()

    return alone


def sqlite_lock(path: str, thread_id: str) -> tuple[Lock, Callable[[], None]]:
    """An OFD write-lock on one byte of the SQLite file (see the module docstring); and its closer."""
    if _OFD_SETLK is None or not path or path == ":memory:":
        return process_lock(path, thread_id), lambda: None
    try:
        fd = os.open(path, os.O_RDWR)  # a write lock needs a descriptor open for writing
    except OSError:  # a read-only file: nothing will be written through it anyway
        return process_lock(path, thread_id), lambda: None
    start = _SQLITE_LOCK_BASE + zlib.crc32(thread_id.encode())

    def set_lock(kind: int) -> bool:
        # struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for OFD locks)
        try:
            fcntl.fcntl(fd, _OFD_SETLK, struct.pack("hhqqi4x", kind, os.SEEK_SET, start, 1, 0))
        except OSError:
            return False
        return True

    @contextmanager
    def hold() -> Iterator[bool]:
        got = set_lock(fcntl.F_WRLCK)
        try:
            yield got
        finally:
            if got:
                set_lock(fcntl.F_UNLCK)

    open_fd = [fd]

    def close() -> None:  # once: a second os.close() could close a file someone else opened since
        if open_fd:
            os.close(open_fd.pop())

    return _one_claim_at_a_time(hold), close


def postgres_lock(saver: Any, thread_id: str) -> tuple[Lock, Callable[[], None]]:
    """A transaction-scoped advisory lock on a connection of the claim's own; and its closer."""
    import psycopg
    from psycopg.rows import tuple_row

    connection: list[psycopg.Connection[Any]] = []

    def connect() -> psycopg.Connection[Any]:
        if connection and not connection[0].closed:
            return connection[0]
        conn = saver.conn
        keepalives = {
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
        settings: dict[str, Any]
        if isinstance(conn, psycopg.Connection):
            # `dsn` leaves the password out; the connection still knows it.
            conninfo, settings = conn.info.dsn, {"password": conn.info.password}
        else:  # a pool: the connection string and settings it opens its own connections with
            conninfo, settings = conn.conninfo, dict(conn.kwargs)
        settings.update(keepalives, autocommit=True, row_factory=tuple_row)
        opened = psycopg.connect(conninfo, **settings)
        # The server's side of the keepalives: it ends the claim of a client that vanished.
        opened.execute("SET tcp_keepalives_idle = 30")
        connection[:] = [opened]
        return opened

    @contextmanager
    def hold() -> Iterator[bool]:
        with connect().transaction() as transaction:
            got = transaction.connection.execute(
                "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", (PG_LOCK_NAMESPACE, thread_id)
            ).fetchone()
            yield bool(got and got[0])

    def close() -> None:
        if connection:
            connection[0].close()

    return _one_claim_at_a_time(hold), close


def guard_for(
    saver: Any,
    thread_id: str,
    latest_id: Callable[[], str | None],
    newest: Callable[[], CheckpointRecord | None],
) -> ThreadGuard:
    """The guard of one thread of `saver`, with the lock that fits the saver."""
    lock: Lock = process_lock(saver, thread_id)
    close: Callable[[], None] = lambda: None  # noqa: E731
    if _is_instance(saver, "langgraph.checkpoint.postgres", "PostgresSaver"):
        lock, close = postgres_lock(saver, thread_id)
    elif _is_instance(saver, "langgraph.checkpoint.sqlite", "SqliteSaver"):
        with saver.cursor(transaction=False) as cur:
            files = {name: path for _seq, name, path in cur.execute("PRAGMA database_list").fetchall()}
        lock, close = sqlite_lock(files.get("main", ""), thread_id)

    def record(checkpoint_id: str) -> CheckpointRecord | None:
        found = newest()
        return found if found is not None and found.id == checkpoint_id else None

    return ThreadGuard(thread_id, latest_id, record, lock, close)


def _is_instance(saver: Any, module: str, name: str) -> bool:
    """`isinstance(saver, module.name)` (subclasses too), without importing an extra not installed."""
    try:
        kind = getattr(importlib.import_module(module), name)
    except ImportError:
        return False
    return isinstance(saver, kind)
