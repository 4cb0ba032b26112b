"""`pause()` on a server run: it stops at the next saved checkpoint, and `cont()` goes on from there.

`slow_pipeline` runs six nodes of half a second each, so a pause asked for after the first
step lands in the middle of the run.
"""

from __future__ import annotations

import threading

from langgraph_server import LangGraphServer

import hitl_widgets as hw

NAMES = [f"step_{i}" for i in range(1, 7)]
WAIT_S = 120


def test_pause_stops_a_running_start_at_the_next_checkpoint(langgraph_server: LangGraphServer) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="slow_pipeline")
    first_step_saved = threading.Event()
    dbg.observe(lambda e: first_step_saved.set() if e.kind == "progress" and e.step == 1 else None)

    running = dbg.in_background(lambda: dbg.start({"input": "x", "trail": []}))
    assert first_step_saved.wait(WAIT_S)
    assert dbg.pause() is True
    pause = running.result(WAIT_S)

    assert pause.reason == "step"
    trail = list(pause.values["trail"])
    assert 1 <= len(trail) < len(NAMES)
    assert trail == NAMES[: len(trail)]
    assert pause.next == (NAMES[len(trail)],)
    assert dbg.head.id == pause.checkpoint_id
    assert dbg.history()[0].id == pause.checkpoint_id  # nothing was saved past the pause
    assert dbg.running is None

    done = dbg.cont()
    assert done.reason == "done"
    assert done.values["trail"] == NAMES  # the dropped step ran once, on cont()


def test_pause_with_nothing_running_is_a_no_op(langgraph_server: LangGraphServer) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="pipeline")
    assert dbg.pause() is False
    assert dbg.start({"input": "x", "trail": []}).reason == "done"
