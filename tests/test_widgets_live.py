"""What a widget sends while a run streams: batched `live` messages (never one a token) that
carry every token, custom event and node start; and the run settings (config, context,
streaming) the browser shows and edits, checked like the Debugger's own."""

from __future__ import annotations

import threading
import time
from typing import Any

import live_graphs
from graphs import MakeDebugger
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.debugger import DebuggerEvent
from hitl_widgets.widgets import DebuggerWidget, InterruptPanel
from hitl_widgets.widgets.live import FLUSH_SECONDS, LiveFeed

INPUT = {"messages": [("user", "Tell me about owls")], "notes": []}


def test_a_streaming_run_reaches_the_browser_in_batches_with_every_token(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("chatty", context={"user": "ann"})
    c = WidgetClient(DebuggerWidget(dbg))
    tokens = []
    dbg.observe(lambda e: tokens.append(e) if e.kind == "token" else None)
    assert c.result("start", input=INPUT)["reason"] == "interrupt"
    live = c.customs("live")
    assert live[0]["reset"] is True
    text = "".join(m["tokens"].get("think", "") for m in live)
    assert text == live_graphs.ANSWER
    assert len(live) < len(tokens)  # batched: fewer messages than tokens
    assert [e["data"]["phase"] for m in live for e in m["custom"]] == ["thinking", "done"]
    assert live[-1]["running"] == []  # nothing runs once paused


def test_views_that_show_no_run_ask_for_no_live_events(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("chatty", context={"user": "ann"})
    c = WidgetClient(InterruptPanel(dbg))
    c.result("start", input=INPUT)
    assert c.customs("live") == []


def test_the_feed_sends_a_trailing_batch_without_waiting_for_more_events() -> None:
    sent: list[dict[str, Any]] = []
    arrived = threading.Event()

    def post(message: dict[str, Any]) -> None:
        sent.append(message)
        arrived.set()

    feed = LiveFeed(post)
    feed.start()
    for word in ("one ", "two ", "three"):
        feed.take(DebuggerEvent("token", "run", node="llm", data=word))
    arrived.clear()
    assert arrived.wait(10 * FLUSH_SECONDS + 1)  # the timer sends what the burst left
    time.sleep(2 * FLUSH_SECONDS)
    assert "".join(m["tokens"].get("llm", "") for m in sent) == "one two three"
    assert len(sent) <= 3  # the reset, at most one immediate batch, the trailing one


def test_run_settings_are_shown_and_edited_as_json(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("chatty")
    c = WidgetClient(DebuggerWidget(dbg))
    assert c.result("settings") == {
        "config": {},
        "context": None,
        "context_editable": True,
        "streaming": True,
    }
    shown = c.result("set_settings", context={"user": "ann"}, streaming=False)
    assert shown["context"] == {"user": "ann"}
    assert (dbg.context, dbg.streaming) == ({"user": "ann"}, False)
    error = c.error("set_settings", config={"configurable": {"thread_id": "other"}}, context={"user": "x"})
    assert "thread_id" in error["message"]
    assert dbg.context == {"user": "ann"}  # nothing of a refused change is applied
    c.result("start", input=INPUT)
    assert dbg.interrupts[0].value["question"] == "Keep this answer?"
    assert c.customs("live") == []  # streaming off


def test_a_context_that_is_not_json_is_shown_but_set_only_in_python(tmp_path: Any) -> None:
    from dataclasses import dataclass

    @dataclass
    class Who:
        user: str

    dbg = hw.debug(live_graphs.chatty(), checkpointer="memory", context=Who("ann"))
    c = WidgetClient(DebuggerWidget(dbg))
    shown = c.result("settings")
    assert shown["context_editable"] is False
    assert "set it in Python" in c.error("set_settings", context={"user": "bob"})["message"]
    assert dbg.context == Who("ann")
