"""Team scale: long threads on Postgres and SQLite, read by a fresh kernel and followed live.

Two threads per store, as LangGraph's own loop writes them: 2,000 checkpoints whose state
grows 1 KiB a step (2 GB of state in all) and 10,000 checkpoints with a small growing state.
They are written with the saver's own `put` / `put_writes`, a step at a time exactly as the
`growing` graph's loop would (same channels, versions, metadata and task paths), which takes
seconds where running the graph takes minutes. Then, each in a fresh child process with its
peak memory:

- `get_state_history` listed whole, against `dbg.history()`: ratio <= 0.05;
- `dbg.head` and `dbg.history(limit=50)` as a kernel's first reads: <= 50 ms, memory bounded
  by the page, not the thread;
- a checkpoint written by another process, then `dbg.head` and `dbg.history()` again: the
  work to see it, <= 50 ms.

`python -m benchmarks team` runs it (Debian's PostgreSQL 15, started in a temporary folder as
the tests do).
"""

from __future__ import annotations

import binascii
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver, copy_checkpoint
from langgraph.checkpoint.base.id import uuid6

from benchmarks.graphs import growing

ROOT = Path(__file__).resolve().parent.parent
THREADS = {"grow2k": (2_000, 1024), "long10k": (10_000, 32)}  # checkpoints, bytes added a step
PAGE = 50
# A child may not take the machine down: past this it fails (and says so) instead.
CHILD_MEMORY_BYTES = 12 * 1024**3
_TASK_PATH = "~__pregel_pull, work"


def _saver(store: str) -> tuple[BaseCheckpointSaver[Any], Any]:
    """A saver on `store` (a Postgres URL or an SQLite path), and what to close after."""
    if store.startswith("postgres"):
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
        pool: ConnectionPool[Any] = ConnectionPool(store, min_size=1, max_size=2, kwargs=kwargs, open=True)
        saver = PostgresSaver(pool)
        saver.setup()
        return saver, pool
    from hitl_widgets.backends.checkpointers import sqlite_saver

    return sqlite_saver(store), None


def build(saver: BaseCheckpointSaver[Any], thread_id: str, n_checkpoints: int, item_bytes: int) -> None:
    """`n_checkpoints` checkpoints of the `growing` graph's loop, written with the saver's `put`.

    LangGraph runs the start (the input checkpoint and the one before the first step, stopped
    before `work`); each further step is what its loop would save: the `work` task's writes at
    the checkpoint it ran from, then the next checkpoint, with the written channels' versions
    moved on and `work`'s `versions_seen` at the trigger it consumed.
    """
    steps = n_checkpoints - 2
    graph = growing(steps, item_bytes).compile(checkpointer=saver)
    config: Any = {"configurable": {"thread_id": thread_id}}
    graph.invoke({"steps": 0, "log": []}, config, interrupt_before=["work"])
    last = saver.get_tuple(config)
    assert last is not None
    checkpoint, config = last.checkpoint, last.config
    log: list[str] = []
    for step in range(1, steps + 1):
        item = f"{step - 1:08d}".ljust(item_bytes, "x")
        log.append(item)
        more = step < steps
        writes: list[tuple[str, Any]] = [("steps", step), ("log", [item])]
        if more:
            writes.append(("branch:to:work", None))
        saver.put_writes(config, writes, _task_id(checkpoint["id"], step), _TASK_PATH)
        versions = checkpoint["channel_versions"]
        new_version = saver.get_next_version(max(versions.values()), None)
        updated = [channel for channel, _ in writes]
        nxt = copy_checkpoint(checkpoint)
        nxt["id"] = str(uuid6(clock_seq=step))
        nxt["ts"] = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
        nxt["versions_seen"]["work"] = {"branch:to:work": versions["branch:to:work"]}
        nxt["channel_values"] = {**checkpoint["channel_values"], "steps": step, "log": list(log)}
        nxt["updated_channels"] = updated
        if not more:
            nxt["channel_values"].pop("branch:to:work", None)
        for channel in updated:
            nxt["channel_versions"][channel] = new_version
        config = saver.put(
            config,
            nxt,
            {"source": "loop", "step": step, "parents": {}},
            {channel: new_version for channel in updated},
        )
        checkpoint = nxt


def _task_id(checkpoint_id: str, step: int) -> str:
    """The id LangGraph gives the `work` task that runs from this checkpoint at `step`."""
    from langgraph.pregel._algo import _xxhash_str

    namespace = binascii.unhexlify(checkpoint_id.replace("-", ""))
    return _xxhash_str(namespace, "work", str(step), "work", "__pregel_pull", "branch:to:work")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(store: str, thread_id: str, side: str) -> dict[str, Any]:
    """In a fresh process: one way of reading the thread; seconds and peak memory growth."""
    import hitl_widgets as hw

    saver, _pool = _saver(store)
    dbg = hw.debug(growing(0), checkpointer=saver, thread_id=thread_id)
    graph = dbg.backend._graph  # type: ignore[attr-defined]
    base = _peak_mb()
    started = time.perf_counter()
    figures: dict[str, Any] = {}
    if side == "raw":
        try:
            count = len(list(graph.get_state_history({"configurable": {"thread_id": thread_id}})))
        except Exception as exc:  # what LangGraph's own call does on such a thread is a figure too
            figures["failed"] = f"{type(exc).__name__}: {exc}"[:200]
            count = 0
    elif side == "history":
        count = len(dbg.history())
    elif side == "head":
        count = 1 if dbg.head.id else 0
    elif side == "page":
        count = len(dbg.history(limit=PAGE))
    elif side in ("follow", "follow_whole"):  # another process adds a checkpoint to a thread read here
        known = dbg.history()
        subprocess.run(
            [sys.executable, "-m", "benchmarks.team", "add", store, thread_id], check=True, cwd=ROOT
        )
        started = time.perf_counter()
        head = dbg.head
        # what an open view asks (only what is new), or a cell's whole `history()`
        newer = known[0].id if side == "follow" else None
        count = len(dbg.history(newer_than=newer)) - (0 if newer else len(known))
        assert head.id != known[0].id and count == 1, (head.id, count)
    seconds = time.perf_counter() - started
    return {**figures, "seconds": seconds, "count": count, "peak_mb": _peak_mb() - base}


def add_one(store: str, thread_id: str) -> None:
    """Another kernel's edit: one new checkpoint on the thread, through LangGraph."""
    saver, _pool = _saver(store)
    graph = growing(0).compile(checkpointer=saver)
    graph.update_state({"configurable": {"thread_id": thread_id}}, {"steps": -1}, as_node="work")


def _in_child(*args: str) -> dict[str, Any]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))

    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.team", "child", *args],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=ROOT,
        preexec_fn=limit,
        check=False,
    )
    if out.returncode != 0:
        return {"failed": out.stderr.strip().splitlines()[-1][:200] if out.stderr else str(out.returncode)}
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


SIDES = ("raw", "history", "head", "page", "follow", "follow_whole")


def measure_store(store: str, label: str, sides: tuple[str, ...] = SIDES) -> dict[str, float]:
    """Both threads on one store (a Postgres URL or an SQLite path); figures named `label_...`."""
    figures: dict[str, float] = {}
    for name, (n_checkpoints, item_bytes) in THREADS.items():
        thread_id = f"{name}-{time.time_ns()}"
        saver, pool = _saver(store)
        started = time.perf_counter()
        build(saver, thread_id, n_checkpoints, item_bytes)
        figures[f"{label}_{name}_build_s"] = time.perf_counter() - started
        if pool is not None:
            pool.close()
        for side in sides:
            # a first read in a fresh kernel: the best of a few fresh kernels, as load on the
            # machine comes and goes (the whole-thread reads take seconds: once is enough)
            tries = [_in_child(store, thread_id, side) for _ in range(1 if side in ("raw", "history") else 3)]
            result = min(tries, key=lambda r: r.get("seconds", float("inf")))
            if "failed" in result:
                print(f"# {label} {name} {side}: {result['failed']}", file=sys.stderr)
                figures[f"{label}_{name}_{side}_failed"] = 1.0
            if "seconds" in result:
                figures[f"{label}_{name}_{side}_s"] = result["seconds"]
                figures[f"{label}_{name}_{side}_peak_mb"] = result["peak_mb"]
        raw, ours = figures.get(f"{label}_{name}_raw_s"), figures.get(f"{label}_{name}_history_s")
        if raw and ours and f"{label}_{name}_raw_failed" not in figures:
            figures[f"{label}_{name}_history_ratio"] = ours / raw
    return figures


def measure() -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_server import start_postgres

    figures: dict[str, float] = {}
    with start_postgres() as server:
        figures.update(measure_store(server.fresh_database(), "pg"))
    with tempfile.TemporaryDirectory() as folder:
        figures.update(measure_store(str(Path(folder) / "team.sqlite"), "sqlite"))
    return figures


if __name__ == "__main__":
    if sys.argv[1] == "child":
        print(json.dumps(child(*sys.argv[2:5])))
    elif sys.argv[1] == "add":
        add_one(sys.argv[2], sys.argv[3])
