"""Parity of live events: what a Debugger's listener hears while a command runs equals what
plain LangGraph streams (`stream_mode=["messages", "custom"]` / `"updates"`, `subgraphs=True`),
in the same order, for a run that pauses at an interrupt and is resumed, sync and async.

Namespaces are compared by node names (`("research",)`), without LangGraph's task ids, which
differ from run to run; tokens are the non-empty text chunks of the model's messages.
"""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Iterable
from typing import Annotated, Any

from langchain_core.messages import AIMessageChunk, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from langgraph.prebuilt import create_react_agent
from langgraph.types import Command, interrupt
from parity import norm
from seed_async_agent import REQUEST, SEED_ANSWERS, seed_agent
from typing_extensions import TypedDict

import hitl_widgets as hw
from hitl_widgets.fake_llm import ScriptedChatModel, tool_call

Event = tuple[Any, ...]
QUESTION = {"question": "Where should I travel in May?", "notes": []}
ANSWER = "somewhere warm"


class TripState(TypedDict):
    question: str
    notes: Annotated[list[str], operator.add]


def trip_planner(*, use_async: bool) -> Any:
    """plan (LLM) → research (a subgraph: search, with an LLM) → answer (asks, then LLM)."""
    plan_model = ScriptedChatModel(script=["Let me plan your trip."])
    search_model = ScriptedChatModel(script=["Lisbon and Seville look good."])
    answer_model = ScriptedChatModel(script=["Go to Lisbon, then Seville."])

    def llm(model: ScriptedChatModel, prompt: str) -> Any:
        if use_async:

            async def call() -> str:
                return str((await model.ainvoke([HumanMessage(prompt)])).content)

            return call()
        return str(model.invoke([HumanMessage(prompt)]).content)

    def node(name: str, model: ScriptedChatModel, ask: bool = False) -> Any:
        def before(state: TripState) -> str:
            get_stream_writer()({"step": name, "status": "started"})
            return f"{state['question']} ({interrupt('what do you prefer?')})" if ask else state["question"]

        def after(text: str) -> dict[str, Any]:
            get_stream_writer()({"step": name, "status": "done"})
            return {"notes": [f"{name}: {text}"]}

        if use_async:

            async def run_async(state: TripState) -> dict[str, Any]:
                return after(await llm(model, before(state)))

            return run_async
        return lambda state: after(llm(model, before(state)))

    sub = StateGraph(TripState)
    sub.add_node("search", node("search", search_model))
    sub.add_edge(START, "search")

    builder = StateGraph(TripState)
    builder.add_node("plan", node("plan", plan_model))
    builder.add_node("research", sub.compile())
    builder.add_node("answer", node("answer", answer_model, ask=True))
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "research")
    builder.add_edge("research", "answer")
    return builder.compile(checkpointer=InMemorySaver())


def names(ns: Iterable[str]) -> tuple[str, ...]:
    return tuple(segment.split(":")[0] for segment in ns)


def plain_event(ns: tuple[str, ...], mode: str, payload: Any) -> list[Event]:
    if mode == "messages":
        chunk, metadata = payload
        if isinstance(chunk, AIMessageChunk) and isinstance(chunk.content, str) and chunk.content:
            return [("token", metadata["langgraph_node"], names(ns), chunk.content)]
        return []
    if mode == "custom":
        return [("custom", names(ns), payload)]
    return [
        ("update", node, names(ns), norm(update))
        for node, update in payload.items()
        if node != "__interrupt__"
    ]


def debugger_event(event: hw.DebuggerEvent) -> list[Event]:
    if event.kind == "token":
        return [("token", event.node, names(event.ns), event.data)] if event.data else []
    if event.kind == "custom":
        return [("custom", names(event.ns), event.data)]
    if event.kind == "update":
        return [("update", event.node, names(event.ns), norm(event.data))]
    return []


def plain_events(modes: list[Any], *, use_async: bool = False) -> list[Event]:
    graph = trip_planner(use_async=use_async)
    config = {"configurable": {"thread_id": "plain"}}
    events: list[Event] = []

    async def astream(graph_input: Any) -> None:
        async for ns, mode, payload in graph.astream(graph_input, config, stream_mode=modes, subgraphs=True):
            events.extend(plain_event(ns, mode, payload))

    for graph_input in (QUESTION, Command(resume=ANSWER)):
        if use_async:
            asyncio.run(astream(graph_input))
        else:
            for ns, mode, payload in graph.stream(graph_input, config, stream_mode=modes, subgraphs=True):
                events.extend(plain_event(ns, mode, payload))
    return events


class Recorder:
    """A listener that keeps every event, in the order heard."""

    def __init__(self) -> None:
        self.heard: list[hw.DebuggerEvent] = []

    def __call__(self, event: hw.DebuggerEvent) -> None:
        self.heard.append(event)

    def events(self, *kinds: str) -> list[Event]:
        return [e for event in self.heard if event.kind in kinds for e in debugger_event(event)]


def debugged(*, use_async: bool = False, awaited: bool = False, **debug: Any) -> tuple[hw.Debugger, Recorder]:
    dbg = hw.debug(trip_planner(use_async=use_async), thread_id="debugged", **debug)
    recorder = Recorder()
    dbg.observe(recorder)

    async def run_awaited() -> None:
        assert (await dbg.astart(QUESTION)).reason == "interrupt"
        assert (await dbg.aresume(ANSWER)).reason == "done"

    if awaited:
        asyncio.run(run_awaited())
    else:
        assert dbg.start(QUESTION).reason == "interrupt"
        assert dbg.resume(ANSWER).reason == "done"
    return dbg, recorder


def test_tokens_and_custom_events_as_plain_stream_gives_them() -> None:
    expected = plain_events(["messages", "custom"])
    assert ("token", "search", ("research",), "Lisbon ") in expected  # from inside the subgraph
    assert ("custom", ("research",), {"step": "search", "status": "started"}) in expected
    _, recorder = debugged()
    assert recorder.events("token", "custom") == expected


def test_tokens_and_custom_events_of_an_async_graph_run_by_the_awaitable_methods() -> None:
    expected = plain_events(["messages", "custom"], use_async=True)
    assert expected == plain_events(["messages", "custom"])  # the same graph, async
    _, recorder = debugged(use_async=True, awaited=True)
    assert recorder.events("token", "custom") == expected


def test_tokens_of_an_async_graph_run_by_the_plain_methods() -> None:
    _, recorder = debugged(use_async=True)
    assert recorder.events("token", "custom") == plain_events(["messages", "custom"])


def test_node_updates_as_plain_stream_gives_them() -> None:
    expected = plain_events(["updates"])
    assert [(e[1], e[2]) for e in expected] == [
        ("plan", ()),
        ("search", ("research",)),
        ("research", ()),
        ("answer", ()),
    ]
    _, recorder = debugged()
    assert recorder.events("update") == expected


def test_each_node_is_announced_before_its_update() -> None:
    _, recorder = debugged()
    started: list[tuple[str | None, tuple[str, ...]]] = []
    for event in recorder.heard:
        if event.kind == "task":
            started.append((event.node, names(event.ns)))
        elif event.kind == "update":
            assert (event.node, names(event.ns)) in started, f"update of {event.node} before its task event"
    assert ("answer", ()) in started


def test_live_events_arrive_while_the_command_runs() -> None:
    """Every token and custom event of a command comes between its "running" and its "paused"."""
    _, recorder = debugged()
    kinds = [event.kind for event in recorder.heard]
    starts = [i for i, k in enumerate(kinds) if k == "running"]
    ends = [i for i, k in enumerate(kinds) if k == "paused"]
    assert len(starts) == len(ends) == 2
    for start, end in zip(starts, ends, strict=True):
        assert "token" in kinds[start:end]
    assert not {"token", "custom", "update"} & set(kinds[ends[0] : starts[1]])


def test_streaming_turned_off_sends_no_live_events_and_changes_no_result() -> None:
    quiet, recorder = debugged(stream=False)
    loud, _ = debugged()
    assert recorder.events("token", "custom", "update") == []
    assert norm(quiet.state) == norm(loud.state)


def test_tokens_of_the_seed_async_agent_awaited() -> None:
    """The seed's async agent (create_react_agent, an async tool under review), its tokens heard
    as plain `astream` gives them, across the interrupt."""
    resume = SEED_ANSWERS["accept"][0]
    graph = seed_agent(InMemorySaver())
    config = {"configurable": {"thread_id": "plain"}}

    async def plain() -> list[Event]:
        events: list[Event] = []
        for graph_input in (REQUEST, Command(resume=resume)):
            async for ns, mode, payload in graph.astream(
                graph_input, config, stream_mode=["messages", "custom"], subgraphs=True
            ):
                events.extend(plain_event(ns, mode, payload))
        return events

    async def debugged() -> list[Event]:
        dbg = hw.debug(seed_agent(InMemorySaver()), thread_id="debugged")
        recorder = Recorder()
        dbg.observe(recorder)
        await dbg.astart(REQUEST)
        await dbg.aresume(resume)
        return recorder.events("token", "custom")

    expected = asyncio.run(plain())
    assert [e[3] for e in expected] == ["Here ", "is ", "the ", "forecast."]
    assert asyncio.run(debugged()) == expected


def test_tokens_and_tool_progress_of_a_react_agent() -> None:
    """A tool's `get_stream_writer()` progress (run as a push task) and the model's tokens."""

    @tool
    def download(url: str) -> str:
        """Download a page."""
        write = get_stream_writer()
        for percent in (50, 100):
            write({"url": url, "done": percent})
        return "<html>owls</html>"

    def agent() -> Any:
        model = ScriptedChatModel(script=[[tool_call("download", url="https://owls.example")], "Owls hoot."])
        return create_react_agent(model, [download], checkpointer=InMemorySaver())

    request = {"messages": [("user", "owls?")]}
    expected = [
        e
        for ns, mode, payload in agent().stream(
            request,
            {"configurable": {"thread_id": "plain"}},
            stream_mode=["messages", "custom"],
            subgraphs=True,
        )
        for e in plain_event(ns, mode, payload)
    ]
    assert [e[0] for e in expected] == ["custom", "custom", "token", "token"]
    dbg = hw.debug(agent(), thread_id="debugged")
    recorder = Recorder()
    dbg.observe(recorder)
    assert dbg.start(request).reason == "done"
    assert recorder.events("token", "custom") == expected
    assert [e.node for e in recorder.heard if e.kind == "custom"] == ["tools", "tools"]
