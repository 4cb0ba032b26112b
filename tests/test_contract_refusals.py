"""Every misuse is refused with a DebuggerError that names the valid choices, and changes nothing.

Each case runs on a thread in a known place; the test snapshots the whole thread (every
checkpoint's id, parent and values, the head, the pending interrupts, the breakpoints) before
the bad command and asserts it is identical afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import graphs
import pytest
from graphs import CONTRACT_BACKENDS, MakeDebugger

import hitl_widgets as hw
from hitl_widgets.debugger import DebuggerEvent


@pytest.fixture(params=CONTRACT_BACKENDS)
def backend_kind(request: pytest.FixtureRequest) -> str:
    """The contract holds on SQLite, on Postgres and on a server."""
    return str(request.param)


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


def two_threads(make: MakeDebugger) -> hw.Debugger:
    """A finished thread, with a second thread of the same graph on the same store."""
    other = finished(make)
    dbg = finished(make)
    FOREIGN[id(dbg)] = other.head.id
    return dbg


def in_subgraph(make: MakeDebugger) -> hw.Debugger:
    dbg = make("subgraph_interrupt")
    dbg.start({"topic": "owls", "findings": [], "notes": []})
    return dbg


def in_flight(make: MakeDebugger) -> hw.Debugger:
    """A thread at a breakpoint with `cont()` in flight on a worker thread, held just after it
    started (before it touches the thread, so the thread stays still while the test looks)."""
    dbg = at_breakpoint(make)
    started, gate = threading.Event(), threading.Event()

    def hold(event: DebuggerEvent) -> None:
        if event.kind == "running":
            started.set()
            gate.wait(60)

    stop = dbg.observe(hold)
    future = dbg.in_background(dbg.cont)
    assert started.wait(60), "cont() did not start"
    stop()
    IN_FLIGHT[id(dbg)] = (gate, future)
    return dbg


def finish_in_flight(dbg: hw.Debugger) -> None:
    if (held := IN_FLIGHT.pop(id(dbg), None)) is not None:
        gate, future = held
        gate.set()
        future.result(timeout=120)


FOREIGN: dict[int, str] = {}  # debugger -> a checkpoint id of another thread
IN_FLIGHT: dict[int, tuple[threading.Event, Future[Any]]] = {}  # debugger -> (release, its command)
NOBODY_LISTENS = "http://127.0.0.1:9"  # the discard port: connections are refused


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
    (
        "start with an input that is not a mapping",
        finished,
        lambda d: d.start("just some text"),
        ["input is a mapping", "'input', 'trail'", "not str"],
    ),
    (
        "start with a config whose configurable is not a mapping",
        finished,
        lambda d: d.start({"input": "x"}, config={"configurable": 5}),
        ["config['configurable'] must be a mapping"],
    ),
    (
        "start with a recursion limit that is not a positive number",
        finished,
        lambda d: d.start({"input": "x"}, config={"recursion_limit": "ten"}),
        ["recursion_limit", "positive whole number"],
    ),
    (
        "edit a state key that is not a string",
        at_breakpoint,
        lambda d: d.edit({1: "x"}),
        ["unknown state key '1'"],
    ),
    ("history with a limit that is not a number", finished, lambda d: d.history(limit="3"), ["not '3'"]),
    ("checkout of None", finished, lambda d: d.checkout(None), ["is a string, not NoneType"]),
    (
        "fork as an unknown node",
        finished,
        lambda d: d.fork(d.history()[1].id, {"input": "y"}, as_node="nope"),
        ["as_node='nope' is not a node", "step_1", "__copy__"],
    ),
    ("break after a node that is not a string", finished, lambda d: d.break_after(5), ["unknown node '5'"]),
    (
        "edit as a reserved name",
        at_breakpoint,
        lambda d: d.edit({"input": "y"}, as_node="__start__"),
        ["'__start__' is not a node", "__input__"],
    ),
    (
        "checkout of a checkpoint of another thread",
        two_threads,
        lambda d: d.checkout(FOREIGN[id(d)]),
        ["no checkpoint", "in thread", "recent:"],
    ),
    (
        "edit, stopped inside a subgraph, as a node that is not there",
        in_subgraph,
        lambda d: d.edit({"findings": ["x"]}, as_node="nope"),
        ["'nope' is not a node"],
    ),
    (
        "break before a node inside a subgraph named with ':'",
        in_subgraph,
        lambda d: d.break_before("team:research"),
        ["unknown node 'team:research'", "'plan', 'team', 'write'"],
    ),
    (
        "resume map with a key that is not a string",
        two_pending,
        lambda d: d.resume({1: "x"}),
        ["answer them by id", "human_node_2"],
    ),
    (
        "resume with an empty map for two interrupts",
        two_pending,
        lambda d: d.resume({}),
        ["answer them by id"],
    ),
    (
        "answer of the wrong type for the response_schema",
        schema_pending,
        lambda d: d.resume("five"),
        ["does not fit its response_schema", "not of type 'object'"],
    ),
    (
        "answer with a field of the wrong type",
        schema_pending,
        lambda d: d.resume({"rating": "5"}),
        ["at 'rating'", "not of type 'integer'"],
    ),
    (
        "edit while a command is in flight",
        in_flight,
        lambda d: d.edit({"input": "y"}, as_node="step_1"),
        ["edit() refused", "cont() is still running", "pause()"],
    ),
    (
        "breakpoint while a command is in flight",
        in_flight,
        lambda d: d.break_before("step_3"),
        ["break_before() refused", "cont() is still running"],
    ),
    (
        "debug() of a server nothing listens on",
        finished,
        lambda d: hw.debug(url=NOBODY_LISTENS, assistant_id="pipeline"),
        ["cannot reach the LangGraph server", NOBODY_LISTENS],
    ),
    (
        "debug() of a url that is not a URL",
        finished,
        lambda d: hw.debug(url="localhost 2024", assistant_id="pipeline"),
        ["http(s) URL"],
    ),
    (
        "debug() with an unknown checkpointer",
        finished,
        lambda d: hw.debug(graphs.pipeline(), checkpointer="mysql://db"),
        ["'memory'", "'sqlite:PATH'", "'postgresql://...'"],
    ),
    (
        "debug() with a thread id that is not a string",
        finished,
        lambda d: hw.debug(graphs.pipeline(), thread_id=7),
        ["thread_id must be a non-empty string"],
    ),
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
    try:
        before = thread_picture(dbg)

        with pytest.raises(hw.DebuggerError) as refused:
            command(dbg)

        message = str(refused.value)
        for word in words:
            assert word in message, f"{name}: {word!r} not in {message!r}"
        assert thread_picture(dbg) == before
    finally:
        finish_in_flight(dbg)


def test_the_table_has_thirty_kinds_or_more() -> None:
    assert len({name for name, *_ in CASES}) == len(CASES) >= 30


def test_commands_before_any_run_are_refused(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    for command in (dbg.step, dbg.cont, lambda: dbg.edit({"input": "x"}), lambda: dbg.resume(1)):
        with pytest.raises(hw.DebuggerError):
            command()
    with pytest.raises(hw.DebuggerError, match="start"):
        _ = dbg.head
    assert dbg.history() == []
    assert dbg.state == {}
