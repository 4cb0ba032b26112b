"""3: the history of a 10,000-checkpoint SQLite thread whose state grows each step.

LangGraph's `get_state_history` loads and deserializes every checkpoint's state; the Debugger
reads the skeleton (ids, parents, metadata, task paths) and loads values on demand. Each side
runs in a fresh child process, so its peak memory is its own.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.graphs import growing
from benchmarks.timing import in_child

N_CHECKPOINTS = 10_000
THREAD = "long"


def build(db: Path, n_checkpoints: int = N_CHECKPOINTS) -> None:
    """A thread of `n_checkpoints` checkpoints (input + one per loop step), made by LangGraph itself."""
    from hitl_widgets.backends.checkpointers import sqlite_saver

    steps = n_checkpoints - 2  # the input checkpoint, and the one before the first step
    graph = growing(steps).compile(checkpointer=sqlite_saver(db))
    graph.invoke(
        {"steps": 0, "log": []}, {"configurable": {"thread_id": THREAD}, "recursion_limit": steps + 10}
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(db: str, side: str) -> dict[str, Any]:
    """In the child: load the history one way; report seconds, count and peak memory growth."""
    import hitl_widgets as hw

    dbg = hw.debug(growing(0), checkpointer=f"sqlite:{db}", thread_id=THREAD)
    graph = dbg.backend._graph  # type: ignore[attr-defined]
    base = _peak_mb()
    started = time.perf_counter()
    if side == "raw":
        count = len(list(graph.get_state_history({"configurable": {"thread_id": THREAD}})))
    else:
        count = len(dbg.history())
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "count": count, "peak_mb": _peak_mb() - base}


def measure(n_checkpoints: int = N_CHECKPOINTS) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "long.sqlite"
        started = time.perf_counter()
        build(db, n_checkpoints)
        built = time.perf_counter() - started
        ours = in_child("benchmarks.history", str(db), "debugger")
        raw = in_child("benchmarks.history", str(db), "raw")
    assert ours["count"] == raw["count"] == n_checkpoints, (ours, raw)
    return {
        "history_checkpoints": n_checkpoints,
        "history_build_s": built,
        "history_raw_s": raw["seconds"],
        "history_debugger_s": ours["seconds"],
        "history_ratio": ours["seconds"] / raw["seconds"],
        "history_raw_peak_mb": raw["peak_mb"],
        "history_debugger_peak_mb": ours["peak_mb"],
    }


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1], sys.argv[2])))
