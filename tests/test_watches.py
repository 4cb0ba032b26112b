"""Watches (data breakpoints): a run pauses after the superstep in which a watched state key
changed (and its condition holds), naming the key, its old and new values and the step's
node; the thread is the one a run without the watch leaves. Bad keys and conditions are
refused, nothing set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphs import MakeDebugger
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

import hitl_widgets as hw
from hitl_widgets.breakpoints import StateExpression

PIPELINE_INPUT = {"input": "x", "trail": []}


class XY(TypedDict):
    x: int
    y: int


def x_then_y_then_x() -> StateGraph[XY, None, XY, XY]:
    builder = StateGraph(XY)
    builder.add_node("a", lambda s: {"x": 1})
    builder.add_node("b", lambda s: {"y": 1})
    builder.add_node("c", lambda s: {"x": 2})
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", "c")
    builder.add_edge("c", END)
    return builder


def shape(dbg: hw.Debugger) -> list[tuple[int, tuple[str, ...], tuple[str, ...]]]:
    return [(c.step, c.writes, c.next) for c in reversed(dbg.history())]


def test_a_watch_pauses_after_each_step_that_changed_its_key(tmp_path: Path) -> None:
    plain = hw.debug(x_then_y_then_x(), checkpointer=f"sqlite:{tmp_path / 'plain.sqlite'}")
    assert plain.start({"x": 0, "y": 0}).reason == "done"

    dbg = hw.debug(x_then_y_then_x(), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    assert dbg.watch("x") == {"x": None}
    first = dbg.start({"x": 0, "y": 0})
    assert first.reason == "breakpoint" and first.watch is not None
    assert (first.watch.key, first.watch.before, first.watch.after, first.watch.nodes) == ("x", 0, 1, ("a",))
    assert first.next == ("b",)
    assert "watch x: changed in the step of a" in first.summary()
    second = dbg.cont()  # b changes y only: the run goes on to c
    assert second.watch is not None and (second.watch.before, second.watch.after, second.watch.nodes) == (
        1,
        2,
        ("c",),
    )
    assert dbg.cont().reason == "done"
    assert shape(dbg) == shape(plain)  # going on after unwatched steps made no checkpoint


def test_a_watch_with_a_condition_and_on_every_backend(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.watch("trail", when=StateExpression("len(state['trail']) == 2"))
    assert dbg.watches == {"trail": "len(state['trail']) == 2"}
    pause = dbg.start(PIPELINE_INPUT)
    assert pause.watch is not None and pause.watch.after == ["step_1", "step_2"] and pause.next == ("step_3",)
    dbg.unwatch()
    assert dbg.watches == {}
    assert dbg.cont().reason == "done"


def test_step_is_not_held_up_by_watches(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.watch("input")
    dbg.break_before("step_1")
    dbg.start(PIPELINE_INPUT)
    stepped = dbg.step()
    assert (stepped.reason, stepped.watch) == ("step", None)
    done = dbg.cont()  # `input` never changes again: nothing stops the run
    assert (done.reason, done.values["trail"]) == ("done", ["step_1", "step_2", "step_3"])


def test_a_watch_condition_that_raises_stops_with_its_error(tmp_path: Path) -> None:
    dbg = hw.debug(x_then_y_then_x(), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")

    def broken(state: dict[str, Any]) -> bool:
        return bool(state["nope"])

    dbg.watch("x", when=broken)
    pause = dbg.start({"x": 0, "y": 0})
    assert pause.reason == "breakpoint" and pause.next == ("b",)
    assert pause.error is not None and "watch on x (" in pause.error and "KeyError" in pause.error


def test_bad_watches_are_refused_and_nothing_is_set(tmp_path: Path) -> None:
    dbg = hw.debug(x_then_y_then_x(), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    with pytest.raises(hw.DebuggerError, match="unknown state key 'z'; state keys are: 'x', 'y'"):
        dbg.watch("x", "z")
    with pytest.raises(hw.DebuggerError, match="at least one state key"):
        dbg.watch()
    with pytest.raises(hw.DebuggerError, match="function of the state"):
        dbg.watch("x", when="state['x'] > 1")  # type: ignore[arg-type]
    with pytest.raises(hw.DebuggerError, match="not watched: 'y'"):
        dbg.unwatch("y")
    assert dbg.watches == {}
