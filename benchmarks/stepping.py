"""1 and 2: stepping and running a 100-node linear graph on SQLite, Debugger vs raw LangGraph.

Raw stepping is the loop a person writes by hand: `invoke(None, cfg, interrupt_before="*")`
then `get_state(cfg)` to see where it stopped. The Debugger knows where it stopped from the
run itself. Runs alternate between the two so drift on the machine hits both alike.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

import hitl_widgets as hw
from benchmarks.graphs import linear
from benchmarks.timing import best_of
from hitl_widgets.backends.checkpointers import sqlite_saver

N_NODES = 100
RUNS = 10
_threads = itertools.count()


def _raw_graph(db: Path) -> Any:
    return linear(N_NODES).compile(checkpointer=sqlite_saver(db))


def raw_config() -> dict[str, Any]:
    return {"configurable": {"thread_id": f"raw-{next(_threads)}"}}


def raw_stepping(graph: Any, config: dict[str, Any]) -> None:
    graph.invoke({"count": 0}, config, interrupt_before="*")
    while graph.get_state(config).next:
        graph.invoke(None, config, interrupt_before="*")


def raw_running(graph: Any, config: dict[str, Any]) -> None:
    graph.invoke({"count": 0}, config)


def raw_running_saving_each_step(graph: Any, config: dict[str, Any]) -> None:
    """`invoke` saving as the Debugger does: each checkpoint before the next step runs."""
    graph.invoke({"count": 0}, config, durability="sync")


def new_debugger(graph: Any, db: Path) -> hw.Debugger:
    """A Debugger on a fresh thread of the same compiled graph (made outside the timing)."""
    return hw.debug(graph, checkpointer=f"sqlite:{db}", thread_id=f"ours-{next(_threads)}")


def debugger_stepping(dbg: hw.Debugger) -> None:
    pause = dbg.start({"count": 0})
    while pause.reason != "done":
        pause = dbg.step()


def debugger_running(dbg: hw.Debugger) -> None:
    dbg.start({"count": 0})


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        graph = _raw_graph(db)

        def stepping_debugger() -> hw.Debugger:
            dbg = new_debugger(graph, db)
            dbg.break_before("n0")  # so start() stops before the first node, like the raw loop
            return dbg

        raw_stepping(graph, raw_config())  # warm both paths once: imports, SQLite pages
        debugger_stepping(stepping_debugger())
        raw_step, our_step = best_of(
            RUNS, (lambda c: raw_stepping(graph, c), raw_config), (debugger_stepping, stepping_debugger)
        )
        raw_run, raw_sync_run, our_run = best_of(
            RUNS,
            (lambda c: raw_running(graph, c), raw_config),
            (lambda c: raw_running_saving_each_step(graph, c), raw_config),
            (debugger_running, lambda: new_debugger(graph, db)),
        )
    return {
        "stepping_raw_s": raw_step,
        "stepping_debugger_s": our_step,
        "stepping_ratio": our_step / raw_step,
        "running_raw_s": raw_run,
        "running_debugger_s": our_run,
        "running_ratio": our_run / raw_run,
        "running_raw_sync_saves_s": raw_sync_run,
        "running_ratio_same_saves": our_run / raw_sync_run,
    }
