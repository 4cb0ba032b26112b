"""Conditional breakpoints (`when=`): a breakpoint holds only when its condition on the state is
true; the run goes on past the others and leaves the same thread a run without them leaves. A
condition that raises stops the run with its error; a bad condition is refused, nothing set."""

from __future__ import annotations

from typing import Any

import pytest
from graphs import MakeDebugger

import hitl_widgets as hw
from hitl_widgets.breakpoints import StateExpression

INPUT = {"input": "x", "trail": []}
NODES = ("step_1", "step_2", "step_3")


def shape(dbg: hw.Debugger) -> list[tuple[int, tuple[str, ...], tuple[str, ...]]]:
    """The thread's checkpoints as (step, writes, next), oldest first."""
    return [(c.step, c.writes, c.next) for c in reversed(dbg.history())]


def test_a_conditional_breakpoint_holds_only_when_its_condition_does(make_debugger: MakeDebugger) -> None:
    plain = make_debugger("pipeline")
    assert plain.start(INPUT).reason == "done"

    dbg = make_debugger("pipeline")
    dbg.break_before(*NODES, when=lambda state: len(state["trail"]) == 2)
    pause = dbg.start(INPUT)
    assert (pause.reason, pause.next, pause.values["trail"]) == (
        "breakpoint",
        ("step_3",),
        ["step_1", "step_2"],
    )
    assert pause.error is None
    assert dbg.cont().reason == "done"
    assert dbg.state["trail"] == plain.state["trail"]
    assert shape(dbg) == shape(plain)  # going on past a breakpoint made no checkpoint


def test_a_breakpoint_after_the_last_node_whose_condition_fails_just_finishes(
    make_debugger: MakeDebugger,
) -> None:
    dbg = make_debugger("pipeline")
    dbg.break_after("step_3", when=lambda state: "nope" in state["trail"])
    dbg.break_after("step_1", when=lambda state: state["trail"] == ["step_1"])
    assert dbg.start(INPUT).next == ("step_2",)
    done = dbg.cont()
    assert (done.reason, done.values["trail"]) == ("done", list(NODES))


def test_a_condition_that_raises_stops_the_run_with_its_error(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")

    def needs_a_key(state: dict[str, Any]) -> bool:
        return bool(state["missing"])

    dbg.break_before("step_2", when=needs_a_key)
    pause = dbg.start(INPUT)
    assert (pause.reason, pause.next) == ("breakpoint", ("step_2",))
    assert pause.error is not None
    assert (
        "breakpoint before step_2" in pause.error
        and "needs_a_key" in pause.error
        and "KeyError" in pause.error
    )
    dbg.clear_breakpoints("step_2")
    assert dbg.breakpoint_conditions == {"before": {}, "after": {}}
    assert dbg.cont().values["trail"] == list(NODES)


def test_bad_conditions_are_refused_and_nothing_is_set(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    with pytest.raises(hw.DebuggerError, match="function of the state"):
        dbg.break_before("step_2", when="state['n'] > 1")  # type: ignore[arg-type]
    with pytest.raises(hw.DebuggerError, match="unknown node"):
        dbg.break_before("nope", when=lambda state: True)
    with pytest.raises(hw.DebuggerError, match="not a Python expression"):
        StateExpression("state[")
    assert dbg.breakpoints == {"before": [], "after": []}
    assert dbg.breakpoint_conditions == {"before": {}, "after": {}}


def test_setting_a_breakpoint_again_without_a_condition_makes_it_hold_always(
    make_debugger: MakeDebugger,
) -> None:
    dbg = make_debugger("pipeline")
    dbg.break_before("step_2", when=StateExpression("len(state['trail']) > 5"))
    assert dbg.breakpoint_conditions["before"] == {"step_2": "len(state['trail']) > 5"}
    dbg.break_before("step_2")
    assert dbg.breakpoint_conditions["before"] == {}
    assert dbg.start(INPUT).next == ("step_2",)


def test_a_condition_is_read_in_the_users_namespace() -> None:
    limit = {"most": 1}
    condition = StateExpression("len(state['trail']) > most", limit)
    assert condition({"trail": ["a", "b"]}) is True
    assert condition({"trail": ["a"]}) is False
