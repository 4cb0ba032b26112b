"""Async graphs under the plain (blocking) commands: the kernel stays free while they run on a
loop, `pause()` stops them between supersteps, Ctrl-C stops them at once, and a blocking call
that would wait on the loop it blocks is refused before anything runs."""

from __future__ import annotations

import asyncio
import operator
import os
import signal
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

import hitl_widgets as hw


class Count(TypedDict):
    n: int
    log: Annotated[list[int], operator.add]


def counting(seconds: float, stop_at: int = 1_000) -> StateGraph[Count, None, Count, Count]:
    """An async node that loops, sleeping `seconds` each time, until `n` reaches `stop_at`."""

    async def tick(state: Count) -> dict[str, Any]:
        await asyncio.sleep(seconds)
        return {"n": state["n"] + 1, "log": [state["n"]]}

    builder = StateGraph(Count)
    builder.add_node("tick", tick)
    builder.add_edge(START, "tick")
    builder.add_conditional_edges("tick", lambda s: END if s["n"] >= stop_at else "tick", ["tick", END])
    return builder


@pytest.mark.parametrize("saver", ["sqlite", "postgres"])
def test_an_async_graph_runs_on_the_savers_the_debugger_opens(
    saver: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """`sqlite:PATH` and `postgresql://...` serve async graphs as they serve sync ones (LangGraph's
    own `SqliteSaver` and `PostgresSaver` refuse async calls)."""
    spec = f"sqlite:{tmp_path / 't.sqlite'}" if saver == "sqlite" else request.getfixturevalue("postgres_url")
    dbg = hw.debug(counting(0.0, stop_at=3), checkpointer=spec)
    pause = dbg.start({"n": 0, "log": []})
    assert pause.reason == "done", pause.error
    assert dbg.state == {"n": 3, "log": [0, 1, 2]}
    assert [c.step for c in dbg.history()] == [3, 2, 1, 0, -1]
    dbg.close()


def test_pause_stops_an_async_run_between_supersteps(tmp_path: Path) -> None:
    dbg = hw.debug(counting(0.02), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    saved = threading.Event()
    dbg.observe(lambda e: saved.set() if e.kind == "progress" and (e.step or 0) >= 3 else None, live=False)
    future = dbg.in_background(lambda: dbg.start({"n": 0, "log": []}, config={"recursion_limit": 5_000}))
    assert saved.wait(30)
    assert dbg.pause()
    pause = future.result(timeout=30)
    assert pause.reason == "step"
    assert pause.next == ("tick",)
    assert dbg.state["n"] == pause.values["n"] >= 3
    assert dbg.step().values["n"] == pause.values["n"] + 1  # and it goes on from there


def test_ctrl_c_stops_an_async_run_at_once_and_the_thread_stays_whole(tmp_path: Path) -> None:
    dbg = hw.debug(counting(30.0), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    # a real SIGINT, as the notebook's stop button sends: it wakes the main thread's wait
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    started = time.monotonic()
    pause = dbg.start({"n": 0, "log": []})
    assert time.monotonic() - started < 10
    assert pause.reason == "error"
    assert pause.error is not None and pause.error.startswith("KeyboardInterrupt: the run was stopped")
    assert dbg.running is None
    assert dbg.head.next == ("tick",)  # at its last checkpoint, ready to run the node again


def test_a_blocking_call_on_the_loop_an_async_saver_needs_is_refused_and_the_awaited_one_runs(
    tmp_path: Path,
) -> None:
    async def scenario() -> tuple[str, hw.Pause, int]:
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "aio.sqlite")) as saver:
            dbg = hw.debug(counting(0.0, stop_at=3).compile(checkpointer=saver))
            with pytest.raises(hw.DebuggerError) as refused:
                dbg.start({"n": 0, "log": []})
            assert dbg.history() == []  # nothing ran
            done = await dbg.astart({"n": 0, "log": []})
            return str(refused.value), done, len(dbg.history())

    message, done, checkpoints = asyncio.run(scenario())
    assert "await dbg.astart(...)" in message
    assert done.reason == "done" and done.values["log"] == [0, 1, 2]
    assert checkpoints == 5
