"""Live streaming: while a command runs, listeners hear node starts and updates, LLM tokens and
custom events (subgraphs included), in order, on both backends; config and context given once
reach every run; and what the listeners hear is what LangGraph itself streams."""

from __future__ import annotations

import asyncio
from typing import Any

import live_graphs
import pytest
from graphs import MakeDebugger
from langgraph.checkpoint.memory import InMemorySaver

import hitl_widgets as hw
from hitl_widgets.debugger import DebuggerEvent

INPUT = {"messages": [("user", "Tell me about owls")], "notes": []}
CONTEXT = {"user": "ann"}
CONFIG = {"configurable": {"tone": "warm"}}


class Heard:
    """Every live event a Debugger emits, in order."""

    def __init__(self, dbg: hw.Debugger) -> None:
        self.events: list[DebuggerEvent] = []
        dbg.observe(self.events.append)

    def live(self) -> list[DebuggerEvent]:
        return [e for e in self.events if e.kind in ("task", "update", "token", "custom")]

    def tokens(self, node: str) -> str:
        return "".join(str(e.data) for e in self.events if e.kind == "token" and e.node == node)

    def custom(self) -> list[Any]:
        return [e.data for e in self.events if e.kind == "custom"]


def test_a_run_streams_tasks_tokens_custom_events_and_updates_in_order(
    make_debugger: MakeDebugger, backend_kind: str
) -> None:
    # A server refuses a run given both context and configurable values (see the README).
    config = CONFIG if backend_kind == "local" else None
    tone = "warm" if backend_kind == "local" else "plain"
    dbg = make_debugger("chatty", context=CONTEXT, config=config)
    heard = Heard(dbg)
    pause = dbg.start(INPUT)
    assert pause.reason == "interrupt"
    kinds = [(e.kind, e.node) for e in heard.live() if e.kind != "token"]
    assert kinds[:3] == [("task", "think"), ("custom", "think"), ("custom", "think")]
    assert ("update", "think") in kinds
    assert heard.tokens("think") == live_graphs.ANSWER
    first_token = next(i for i, e in enumerate(heard.events) if e.kind == "token")
    update = next(i for i, e in enumerate(heard.events) if e.kind == "update" and e.node == "think")
    assert first_token < update  # tokens come while the node works, before its update
    assert heard.custom() == [{"phase": "thinking", "for": "ann"}, {"phase": "done", "words": 10}]

    heard.events.clear()
    done = dbg.resume("yes")
    assert done.reason == "done"
    inner = [e for e in heard.events if e.kind == "token" and e.ns]
    assert inner and {e.node for e in inner} == {"summarise"}
    assert inner[0].ns[0].startswith("team:")
    assert heard.tokens("summarise") == live_graphs.SUMMARY
    # context and config given once reached the nodes that ran after the pause
    assert dbg.state["notes"] == [f"think:ann:{tone}", "review:yes", f"sign:ann:{tone}"]


def test_config_and_context_stick_until_changed_and_owned_keys_are_refused(
    make_debugger: MakeDebugger,
) -> None:
    dbg = make_debugger("chatty")
    dbg.start(INPUT, config=CONFIG)
    assert dbg.config == CONFIG
    dbg.config = {"configurable": {"tone": "dry"}}
    dbg.resume("ok")
    assert dbg.state["notes"] == ["think:nobody:warm", "review:ok", "sign:nobody:dry"]
    dbg.config = {}
    dbg.start(INPUT, context=CONTEXT)
    dbg.context = {"user": "bob"}
    dbg.resume("ok")
    assert dbg.context == {"user": "bob"}
    assert dbg.state["notes"][-3:] == ["think:ann:plain", "review:ok", "sign:bob:plain"]
    for owned in ("thread_id", "checkpoint_id"):
        with pytest.raises(hw.DebuggerError, match=owned):
            dbg.config = {"configurable": {owned: "x"}}
        with pytest.raises(hw.DebuggerError, match=owned):
            dbg.start(INPUT, config={"configurable": {owned: "x"}})
    assert dbg.config == {}


def test_a_server_run_given_context_and_configurable_values_is_refused_before_it_starts(
    langgraph_server: Any,
) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="chatty", context=CONTEXT, config=CONFIG)
    with pytest.raises(hw.DebuggerError, match="context or its config"):
        dbg.start(INPUT)
    assert dbg.history() == []


def test_what_listeners_hear_is_what_langgraph_streams() -> None:
    graph = live_graphs.chatty().compile(checkpointer=InMemorySaver())
    plain: list[tuple[str, Any]] = []

    async def stream_plainly() -> None:
        config = {"configurable": {"thread_id": "plain", **CONFIG["configurable"]}}
        async for _ns, mode, payload in graph.astream(
            INPUT, config, context=CONTEXT, stream_mode=["messages", "custom"], subgraphs=True
        ):
            if mode == "messages" and payload[0].content:
                plain.append(("token", payload[0].content))
            elif mode == "custom":
                plain.append(("custom", payload))

    asyncio.run(stream_plainly())
    dbg = hw.debug(graph, checkpointer=InMemorySaver(), context=CONTEXT, config=CONFIG)
    heard = Heard(dbg)
    dbg.start(INPUT)
    ours = [(e.kind, e.data) for e in heard.events if e.kind in ("token", "custom")]
    assert ours == plain


def test_streaming_off_or_no_live_listener_runs_quietly(tmp_path: Any) -> None:
    dbg = hw.debug(live_graphs.chatty(), checkpointer="memory", context=CONTEXT)
    quiet: list[DebuggerEvent] = []
    dbg.observe(quiet.append, live=False)
    dbg.start(INPUT)
    assert {e.kind for e in quiet} <= {"running", "progress", "paused"}
    heard = Heard(dbg)
    dbg.streaming = False
    dbg.resume("yes")
    assert heard.live() == []
    assert dbg.state["notes"][-1] == "sign:ann:plain"


def test_awaitable_commands_run_on_the_callers_loop_with_the_same_results() -> None:
    async def drive() -> tuple[hw.Pause, hw.Pause, list[str]]:
        dbg = hw.debug(live_graphs.chatty(), checkpointer="memory", context=CONTEXT, config=CONFIG)
        heard = Heard(dbg)
        first = await dbg.astart(INPUT)
        done = await dbg.aresume("fine")
        return first, done, [heard.tokens("think")]

    first, done, tokens = asyncio.run(drive())
    assert first.reason == "interrupt"
    assert done.reason == "done"
    assert done.values["notes"] == ["think:ann:warm", "review:fine", "sign:ann:warm"]
    assert tokens == [live_graphs.ANSWER]
