"""Every misuse is refused with a DebuggerError that names the valid choices, and changes nothing.

Each case runs on a thread in a known place; the test snapshots the whole thread (every
checkpoint's id, parent and values, the head, the pending interrupts, the breakpoints) before
the bad command and asserts it is identical afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import MakeDebugger

import hitl_widgets as hw


def thread_picture(dbg: hw.Debugger) -> dict[str, Any]:
    return {
        "checkpoints": {cp.id: (cp.parent_id, cp.step, cp.next, dict(cp.values)) for cp in dbg.history()},
        "head": dbg.head.id,
        "interrupts": [(i.id, i.value) for i in dbg.interrupts],
        "breakpoints": dbg.breakpoints,
        "state": dbg.state,
    }


def two_pending(make: MakeDebugger) -> hw.Debugger:
    dbg = make("parallel_interrupts")
    dbg.start({"text_1": "a", "text_2": "b"})
    return dbg


def one_pending(make: MakeDebugger) -> hw.Debugger:
    dbg = make("text_to_revise")
    dbg.start({"some_text": "a"})
    return dbg


def schema_pending(make: MakeDebugger) -> hw.Debugger:
    dbg = make("schema_interrupt")
    dbg.start({"rating": 0})
    return dbg


def finished(make: MakeDebugger) -> hw.Debugger:
    dbg = make("pipeline")
    dbg.start({"input": "x", "trail": []})
    return dbg


def at_breakpoint(make: MakeDebugger) -> hw.Debugger:
    dbg = make("pipeline")
    dbg.break_before("step_2")
    dbg.start({"input": "x", "trail": []})
    return dbg


def _ambiguous_prefix(dbg: hw.Debugger) -> str:
    ids = [cp.id for cp in dbg.history()]
    return ids[0][:8] if sum(i.startswith(ids[0][:8]) for i in ids) > 1 else ids[0][:6]


# (name, make a thread, the bad command, words the message must contain)
CASES: list[tuple[str, Callable[[MakeDebugger], hw.Debugger], Callable[[hw.Debugger], Any], list[str]]] = [
    ("resume with nothing pending", at_breakpoint, lambda d: d.resume("x"), ["nothing to resume", "step_2"]),
    ("resume on a finished thread", finished, lambda d: d.resume("x"), ["nothing to resume"]),
    (
        "plain value for two interrupts",
        two_pending,
        lambda d: d.resume("x"),
        ["2 interrupts are pending", "human_node_1"],
    ),
    (
        "map whose keys match no interrupt",
        two_pending,
        lambda d: d.resume({"0" * 32: "x"}),
        ["names no pending interrupt", "pending interrupt ids"],
    ),
    (
        "map with one unknown key among known",
        two_pending,
        lambda d: d.resume({d.interrupts[0].id: "x", "f" * 32: "y"}),
        ["names no pending interrupt", "f" * 32],
    ),
    (
        "answer that fails the response_schema",
        schema_pending,
        lambda d: d.resume({"rating": 9}),
        ["does not fit its response_schema", "'rating'", "maximum"],
    ),
    (
        "answer missing a required field",
        schema_pending,
        lambda d: d.resume({"comment": "nice"}),
        ["'rating' is a required property"],
    ),
    ("cont with an interrupt pending", one_pending, lambda d: d.cont(), ["interrupt(s) pending", "resume"]),
    ("step with an interrupt pending", one_pending, lambda d: d.step(), ["interrupt(s) pending"]),
    ("cont on a finished thread", finished, lambda d: d.cont(), ["nothing to run", "start"]),
    ("step on a finished thread", finished, lambda d: d.step(), ["nothing to run"]),
    (
        "unknown checkpoint id",
        finished,
        lambda d: d.checkout("zzzzzzzz"),
        ["no checkpoint 'zzzzzzzz'", "recent:"],
    ),
    ("too short checkpoint id", finished, lambda d: d.checkout("1f1"), ["too short", "at least 6"]),
    ("ambiguous checkpoint id", finished, lambda d: d.checkout(_ambiguous_prefix(d)), ["ambiguous"]),
    ("checkpoint id not a string", finished, lambda d: d.replay(123), ["is a string"]),
    (
        "fork of an unknown checkpoint",
        finished,
        lambda d: d.fork("abcdefgh", {"input": "y"}),
        ["no checkpoint"],
    ),
    ("replay of an unknown checkpoint", finished, lambda d: d.replay("abcdefgh"), ["no checkpoint"]),
    (
        "break before an unknown node",
        finished,
        lambda d: d.break_before("nope"),
        ["unknown node 'nope'", "step_1"],
    ),
    (
        "break after an unknown node",
        finished,
        lambda d: d.break_after("step_1", "nope"),
        ["unknown node", "step_3"],
    ),
    ("clear an unknown node", at_breakpoint, lambda d: d.clear_breakpoints("nope"), ["unknown node"]),
    ("break before no node", finished, lambda d: d.break_before(), ["at least one node"]),
    ("edit values not a mapping", at_breakpoint, lambda d: d.edit(["a"]), ["must be a mapping"]),
    (
        "edit an unknown state key",
        at_breakpoint,
        lambda d: d.edit({"nope": 1}),
        ["unknown state key 'nope'", "trail"],
    ),
    (
        "edit as an unknown node",
        at_breakpoint,
        lambda d: d.edit({"input": "y"}, as_node="nope"),
        ["not a node", "step_1"],
    ),
    (
        "fork values not a mapping",
        finished,
        lambda d: d.fork(d.history()[1].id, "text"),
        ["must be a mapping"],
    ),
    ("start with no input", finished, lambda d: d.start(None), ["needs an input", "cont()"]),
    (
        "start with an unknown input key",
        finished,
        lambda d: d.start({"nope": 1}),
        ["unknown input key", "input"],
    ),
    (
        "start with a config that is not a mapping",
        finished,
        lambda d: d.start({"input": "x"}, config=3),
        ["config"],
    ),
    ("history with a bad limit", finished, lambda d: d.history(limit=0), ["positive whole number"]),
]


@pytest.mark.parametrize(("name", "make_thread", "command", "words"), CASES, ids=[c[0] for c in CASES])
def test_refused_and_nothing_changed(
    make_debugger: MakeDebugger,
    name: str,
    make_thread: Callable[[MakeDebugger], hw.Debugger],
    command: Callable[[hw.Debugger], Any],
    words: list[str],
) -> None:
    dbg = make_thread(make_debugger)
    before = thread_picture(dbg)

    with pytest.raises(hw.DebuggerError) as refused:
        command(dbg)

    message = str(refused.value)
    for word in words:
        assert word in message, f"{name}: {word!r} not in {message!r}"
    assert thread_picture(dbg) == before


def test_commands_before_any_run_are_refused(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    for command in (dbg.step, dbg.cont, lambda: dbg.edit({"input": "x"}), lambda: dbg.resume(1)):
        with pytest.raises(hw.DebuggerError):
            command()
    with pytest.raises(hw.DebuggerError, match="start"):
        _ = dbg.head
    assert dbg.history() == []
    assert dbg.state == {}
