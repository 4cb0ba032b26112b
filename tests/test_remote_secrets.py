"""The API key is sent as langgraph_sdk sends it (the `x-api-key` header) and shown nowhere.

`langgraph dev` does not check keys, so these tests watch the requests the SDK's own httpx
client sends, and search every output for the key: reprs, the text views magics print, error
messages (one of them from the server, which echoes a rejected value back), and every trait
and message of every widget.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import httpx
import pytest
from langgraph_server import LangGraphServer, free_port
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets import text
from hitl_widgets.widgets import CheckpointTree, DebuggerWidget, GraphView, InterruptPanel, StateInspector

ARGUMENT_KEY = f"sk-test-SECRET-{uuid.uuid4().hex}"
ENVIRONMENT_KEY = f"lsv2-test-SECRET-{uuid.uuid4().hex}"
WIDGETS = (DebuggerWidget, GraphView, CheckpointTree, InterruptPanel, StateInspector)


def keys_sent(requests: list[httpx.Request]) -> set[str | None]:
    return {r.headers.get("x-api-key") for r in requests}


def everything_shown(dbg: hw.Debugger) -> list[str]:
    """Every text a person or a browser can see of this debugger."""
    history = dbg.history()
    pause = dbg.last_pause
    shown = [
        repr(dbg),
        repr(dbg.backend),
        repr(pause),
        repr(history),
        repr(dbg.head),
        repr(dbg.interrupts),
        text.history_text(history, dbg.head.id),
        text.state_text(dbg.state),
        text.interrupts_text(dbg.interrupts),
        text.checkpoint_text(dbg.head),
        text.breakpoints_text(dbg.breakpoints),
        json.dumps(dbg._repr_mimebundle_(), default=str),
    ]
    if pause is not None:
        shown += [pause.summary(), text.pause_text(pause)]
    for widget_type in WIDGETS:
        client = WidgetClient(widget_type(dbg))
        client.call("history")
        shown.append(json.dumps(client.widget.get_state(), default=str))
        shown.append(json.dumps(client.messages, default=str))
    return shown


def refusals(url: str, dbg: hw.Debugger, key: str) -> list[str]:
    """The messages of errors made on purpose: refused commands and refusals by the server."""
    commands: list[Callable[[], object]] = [
        lambda: dbg.cont(),  # an interrupt is pending
        lambda: dbg.start({"some_text": "x"}, config={"tags": key}),  # the server echoes the key back
        lambda: hw.debug(url=url, assistant_id="no_such_graph"),
        lambda: hw.debug(url=url, assistant_id="text_to_revise", thread_id=str(uuid.uuid4())),
        lambda: hw.debug(url=f"http://127.0.0.1:{free_port()}", assistant_id="text_to_revise"),
    ]
    messages = []
    for command in commands:
        with pytest.raises(hw.DebuggerError) as refused:
            command()
        messages.append(text.error_line(str(refused.value)))
        messages.append(repr(refused.value))
    return messages


def assert_hidden(texts: list[str]) -> None:
    for shown in texts:
        assert ARGUMENT_KEY not in shown
        assert ENVIRONMENT_KEY not in shown
        assert "SECRET" not in shown


def test_the_key_given_as_an_argument_is_sent_and_never_shown(
    langgraph_server: LangGraphServer, sent_requests: list[httpx.Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGSMITH_API_KEY", ENVIRONMENT_KEY)  # the argument wins over it
    dbg = hw.debug(url=langgraph_server.url, assistant_id="text_to_revise", api_key=ARGUMENT_KEY)
    dbg.start({"some_text": "original text"})

    shown = everything_shown(dbg)
    assert keys_sent(sent_requests) == {ARGUMENT_KEY}
    errors = refusals(langgraph_server.url, dbg, ARGUMENT_KEY)

    assert_hidden(shown + errors)
    assert '"[api key hidden]" is not of type' in errors[2]  # the server's echo, scrubbed


def test_the_key_from_the_environment_is_sent_and_never_shown(
    langgraph_server: LangGraphServer, sent_requests: list[httpx.Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LANGGRAPH_API_KEY", raising=False)
    monkeypatch.setenv("LANGSMITH_API_KEY", ENVIRONMENT_KEY)
    dbg = hw.debug(url=langgraph_server.url, assistant_id="text_to_revise")
    dbg.start({"some_text": "original text"})

    assert_hidden(everything_shown(dbg) + refusals(langgraph_server.url, dbg, ENVIRONMENT_KEY))
    assert keys_sent(sent_requests) == {ENVIRONMENT_KEY}
