"""Bad input from the widget's side of the wire: the second table of refusals.

`tests/test_contract_refusals.py` holds the table of bad calls to the Debugger. This one holds
what a browser (or a buggy front end, or a person typing JSON into a box) can send to a
widget's message handler: messages that are not requests, unknown methods, parameters of the
wrong shape, answers typed as broken JSON, ids of another thread, commands while a run is in
flight. Each goes through ipywidgets' own custom-message dispatch, as from the browser, on
both backends; each must get exactly one error answer that says what was wrong (naming the
valid choices where there is a closed set) — or, for a message that is no request at all, no
answer — and change nothing: not the thread, not what the widget shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from graphs import MakeDebugger
from test_contract_refusals import (
    FOREIGN,
    finish_in_flight,
    finished,
    in_flight,
    in_subgraph,
    one_pending,
    schema_pending,
    thread_picture,
    two_pending,
    two_threads,
)
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.widgets import DebuggerWidget


def call(method: str, **params: Any) -> Callable[[hw.Debugger], Any]:
    return lambda d: {"kind": "call", "id": "bad", "method": method, "params": params}


def head(d: hw.Debugger) -> str:
    return d.head.id


NOT_A_REQUEST = None  # the handler must ignore it: no answer, no change

# (name, make a thread, the message the browser sends, words the answer must contain)
CASES: list[
    tuple[str, Callable[[MakeDebugger], hw.Debugger], Callable[[hw.Debugger], Any], list[str] | None]
] = [
    ("a message that is not JSON text but a bare string", finished, lambda d: "{not json", NOT_A_REQUEST),
    ("a message that is not a request", finished, lambda d: {"kind": "hello", "id": 1}, NOT_A_REQUEST),
    ("a list for a message", finished, lambda d: [{"kind": "call"}], NOT_A_REQUEST),
    (
        "an unknown method",
        finished,
        call("drop_table"),
        ["unknown method 'drop_table'", "checkout", "resume"],
    ),
    (
        "a method that is not a string",
        finished,
        lambda d: {"kind": "call", "id": "bad", "method": ["cont"], "params": {}},
        ["unknown method", "cont"],
    ),
    (
        "params as unparsed JSON text",
        one_pending,
        lambda d: {"kind": "call", "id": "bad", "method": "resume", "params": '{"value": "x"}'},
        ["params of resume must be an object, not str"],
    ),
    ("start without an input", finished, call("start"), ["start needs params.input"]),
    (
        "start with the input box's text unparsed",
        finished,
        call("start", input='{"input": "x", "trail": [}'),
        ["input is a mapping", "'input', 'trail'"],
    ),
    ("resume without a value", one_pending, call("resume"), ["resume needs params.value"]),
    (
        "resume with a broken JSON answer for a schema",
        schema_pending,
        call("resume", value='{"rating": 5'),
        ["does not fit its response_schema", "not of type 'object'"],
    ),
    (
        "resume with one answer for two interrupts",
        two_pending,
        call("resume", value="both"),
        ["2 interrupts are pending", "human_node_1"],
    ),
    (
        "resume map keyed by an interrupt of the past",
        two_pending,
        call("resume", value={"0" * 32: "x"}),
        ["names no pending interrupt", "pending interrupt ids"],
    ),
    (
        "apply_state with values as unparsed JSON text",
        finished,
        lambda d: call("apply_state", checkpoint_id=head(d), values='{"input": ')(d),
        ["values must be a JSON object"],
    ),
    (
        "apply_state with an unknown key",
        finished,
        lambda d: call("apply_state", checkpoint_id=head(d), values={"inptu": "y"})(d),
        ["unknown state key 'inptu'", "'input', 'trail'"],
    ),
    (
        "apply_state as a node that is not one",
        finished,
        lambda d: call("apply_state", checkpoint_id=head(d), values={"input": "y"}, as_node="step_9")(d),
        ["'step_9' is not a node", "step_1", "__copy__"],
    ),
    (
        "apply_state as a node that is not there, stopped inside a subgraph",
        in_subgraph,
        lambda d: call("apply_state", checkpoint_id=head(d), values={"findings": ["x"]}, as_node="nope")(d),
        ["'nope' is not a node"],
    ),
    (
        "apply_state without a checkpoint id",
        finished,
        call("apply_state", checkpoint_id="", values={"input": "y"}),
        ["params.checkpoint_id must be a non-empty string"],
    ),
    (
        "fork with a list for values",
        finished,
        lambda d: call("fork", checkpoint_id=head(d), values=[1])(d),
        ["JSON object"],
    ),
    (
        "checkout from the tree of a checkpoint of another thread",
        two_threads,
        lambda d: call("checkout", checkpoint_id=FOREIGN[id(d)])(d),
        ["no checkpoint", "recent:"],
    ),
    ("replay with a number for the id", finished, call("replay", checkpoint_id=7), ["checkpoint_id must be"]),
    (
        "checkpoint with an unknown id",
        finished,
        call("checkpoint", checkpoint_id="f" * 36),
        ["no checkpoint"],
    ),
    ("editable of an unknown id", finished, call("editable", checkpoint_id="f" * 36), ["no checkpoint"]),
    ("select an unknown checkpoint", finished, call("select", checkpoint_id="f" * 36), ["no checkpoint"]),
    (
        "a breakpoint on a side that does not exist",
        finished,
        call("set_breakpoint", node="step_1", when="sideways", on=True),
        ["when in ('before', 'after')", "on: bool"],
    ),
    (
        "a breakpoint switched on with a string",
        finished,
        call("set_breakpoint", node="step_1", when="before", on="yes"),
        ["on: bool"],
    ),
    (
        "a breakpoint on an unknown node",
        finished,
        call("set_breakpoint", node="step_9", when="after", on=True),
        ["unknown node 'step_9'", "step_1"],
    ),
    (
        "more with a path that is not a list",
        finished,
        lambda d: call("more", source="checkpoint", id=head(d), path="input")(d),
        ["a path is a list of keys and indexes"],
    ),
    (
        "more with a negative offset",
        finished,
        lambda d: call("more", source="checkpoint", id=head(d), path=["trail"], offset=-1)(d),
        ["whole number >= 0"],
    ),
    (
        "more from an unknown source",
        finished,
        lambda d: call("more", source="disk", id=head(d), path=[])(d),
        ["'checkpoint', 'inside' or 'interrupt'"],
    ),
    (
        "more down a path that leads nowhere",
        finished,
        lambda d: call("more", source="checkpoint", id=head(d), path=["trail", 99])(d),
        ["leads nowhere"],
    ),
    (
        "more of a key the state does not have",
        finished,
        lambda d: call("more", source="checkpoint", id=head(d), path=["nope"])(d),
        ["no key 'nope'", "input", "trail"],
    ),
    (
        "more of an interrupt that is no longer pending",
        finished,
        call("more", source="interrupt", id="0" * 32, path=[]),
        ["no longer pending"],
    ),
    (
        "step while a command is in flight",
        in_flight,
        call("step"),
        ["step() refused", "cont() is still running"],
    ),
    (
        "apply_state while a command is in flight",
        in_flight,
        lambda d: call("apply_state", checkpoint_id=head(d), values={"input": "y"}, as_node="step_1")(d),
        ["refused", "cont() is still running"],
    ),
]


def widget_picture(widget: DebuggerWidget) -> dict[str, Any]:
    return {
        "head_id": widget.head_id,
        "breakpoints": widget.breakpoints,
        "interrupts": widget.interrupts,
        "selected": widget.selected,
    }


@pytest.mark.parametrize(("name", "make_thread", "message", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_from_the_widget_is_answered_once_and_changes_nothing(
    make_debugger: MakeDebugger,
    name: str,
    make_thread: Callable[[MakeDebugger], hw.Debugger],
    message: Callable[[hw.Debugger], Any],
    words: list[str] | None,
) -> None:
    dbg = make_thread(make_debugger)
    try:
        client = WidgetClient(DebuggerWidget(dbg))
        content = message(dbg)
        before, shown = thread_picture(dbg), widget_picture(client.widget)
        sent = len(client.customs("reply"))

        client.widget._handle_custom_msg(content, [])

        if words is NOT_A_REQUEST:
            assert client.customs("reply")[sent:] == []
        else:
            reply = client.wait_until(lambda: client.reply("bad"), "the error answer")
            assert reply["ok"] is False, reply
            assert reply["error"]["type"] in ("DebuggerError", "RequestError")
            assert reply["error"]["detail"] is None  # the person's mistake: no traceback
            for word in words:
                assert word in reply["error"]["message"], (
                    f"{name}: {word!r} not in {reply['error']['message']!r}"
                )
            assert len([r for r in client.customs("reply") if r["id"] == "bad"]) == 1
        assert thread_picture(dbg) == before
        assert widget_picture(client.widget) == shown
    finally:
        finish_in_flight(dbg)


def test_the_widget_table_and_the_debugger_table_together_name_over_seventy_kinds() -> None:
    from test_contract_refusals import CASES as DEBUGGER_CASES

    names = {c[0] for c in CASES} | {c[0] for c in DEBUGGER_CASES}
    assert len(names) == len(CASES) + len(DEBUGGER_CASES) >= 70
