"""Parity for async graphs: async nodes, coroutine-only tools (as every MCP tool is), the seed
tutorial's async `add_human_in_the_loop` agent, and the user's own `AsyncSqliteSaver`.

Plain LangGraph can run these only with `ainvoke`/`astream`. The Debugger must give the same
results through its plain methods (outside any loop, and called from inside a running loop
as a notebook cell does) and through its awaitable methods on the caller's loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

import pytest
from langchain_core.messages import AnyMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from langgraph.types import interrupt
from parity import (
    Run,
    arun_debugger,
    arun_plain,
    assert_same,
    debugger_history,
    norm,
    record_stop,
    run_debugger,
)
from seed_async_agent import REQUEST, SEED_ANSWERS, seed_agent, weather_tool
from typing_extensions import TypedDict

import hitl_widgets as hw
from hitl_widgets.fake_llm import ScriptedChatModel, tool_call

# ---------------------------------------------------------------- async nodes, async tool


class AgentState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def async_agent(saver: BaseCheckpointSaver[Any]) -> Any:
    """model → review → tools → model, with async nodes and a coroutine-only tool."""
    tools = [weather_tool()]
    model = ScriptedChatModel(script=[[tool_call("weather", city="Paris")], "It will be sunny."]).bind_tools(
        tools
    )

    async def agent(state: AgentState) -> dict[str, Any]:
        return {"messages": [await model.ainvoke(state["messages"])]}

    async def review(state: AgentState) -> dict[str, Any]:
        calls = state["messages"][-1].tool_calls  # type: ignore[union-attr]
        interrupt({"run these?": [c["name"] for c in calls]})
        return {}

    builder = StateGraph(AgentState)
    builder.add_node("agent", agent)
    builder.add_node("review", review)
    builder.add_node("tools", ToolNode(tools))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition, {"tools": "review", END: END})
    builder.add_edge("review", "tools")
    builder.add_edge("tools", "agent")
    return builder.compile(checkpointer=saver)


def plain_async(build: Any, answers: list[Any]) -> Run:
    return asyncio.run(arun_plain(build(InMemorySaver()), REQUEST, answers))


def test_async_graph_through_the_plain_methods() -> None:
    plain = plain_async(async_agent, ["yes"])
    debugged = run_debugger(hw.debug(async_agent(InMemorySaver()), thread_id="debugged"), REQUEST, ["yes"])
    assert_same(debugged, plain)
    assert debugged.final["messages"][-2]["content"] == "Sunny in Paris."


def test_async_graph_through_the_awaitable_methods() -> None:
    plain = plain_async(async_agent, ["yes"])

    async def debug() -> Run:
        dbg = hw.debug(async_agent(InMemorySaver()), thread_id="debugged")
        return await arun_debugger(dbg, REQUEST, ["yes"])

    assert_same(asyncio.run(debug()), plain)


def test_async_graph_through_the_plain_methods_inside_a_running_loop() -> None:
    """A notebook cell runs inside the kernel's loop: `dbg.start(...)` there must not fail or hang."""
    plain = plain_async(async_agent, ["yes"])

    async def cell() -> Run:
        dbg = hw.debug(async_agent(InMemorySaver()), thread_id="debugged")
        return run_debugger(dbg, REQUEST, ["yes"])

    assert_same(asyncio.run(cell()), plain)


def test_async_graph_steps_one_superstep_at_a_time() -> None:
    async def debug() -> list[tuple[str, tuple[str, ...]]]:
        dbg = hw.debug(async_agent(InMemorySaver()), thread_id="debugged")
        dbg.break_before("agent")
        stops = [await dbg.astart(REQUEST)]
        stops.append(await dbg.astep())
        stops.append(await dbg.acont())
        return [(p.reason, p.next) for p in stops]

    assert asyncio.run(debug()) == [
        ("breakpoint", ("agent",)),
        ("step", ("review",)),
        ("interrupt", ("review",)),
    ]


@pytest.mark.parametrize("answer", list(SEED_ANSWERS))
def test_seed_async_human_in_the_loop_agent(answer: str) -> None:
    resume, tool_result = SEED_ANSWERS[answer]
    plain = plain_async(seed_agent, [resume])
    debugged = run_debugger(hw.debug(seed_agent(InMemorySaver()), thread_id="debugged"), REQUEST, [resume])
    assert_same(debugged, plain)
    assert debugged.final["messages"][-2]["content"] == tool_result
    (request,) = debugged.stops[0][0]
    assert request["action_request"] == {"action": "weather", "args": {"city": "Beijing"}}


def test_seed_async_agent_through_the_awaitable_methods() -> None:
    resume, _ = SEED_ANSWERS["accept"]
    plain = plain_async(seed_agent, [resume])

    async def debug() -> Run:
        return await arun_debugger(
            hw.debug(seed_agent(InMemorySaver()), thread_id="debugged"), REQUEST, [resume]
        )

    assert_same(asyncio.run(debug()), plain)


def test_seed_async_agent_replayed_awaited() -> None:
    """`areplay` from the review is plain `ainvoke(None, {checkpoint_id})`; answered differently."""
    accept, respond = SEED_ANSWERS["accept"][0], SEED_ANSWERS["response"][0]

    async def plain() -> Run:
        graph = seed_agent(InMemorySaver())
        first = await arun_plain(graph, REQUEST, [accept])
        config = {"configurable": {"thread_id": "plain"}}
        review = [s async for s in graph.aget_state_history(config) if s.next == ("tools",)][-1]
        checkpoint_id = review.config["configurable"]["checkpoint_id"]
        return await arun_plain(graph, None, [respond], after=first, from_checkpoint=checkpoint_id)

    async def debugged() -> Run:
        dbg = hw.debug(seed_agent(InMemorySaver()), thread_id="debugged")
        await arun_debugger(dbg, REQUEST, [accept])
        review = [c for c in dbg.history() if c.next == ("tools",)][-1]
        pause = await dbg.areplay(review.id)
        assert pause.reason == "interrupt"
        done = await dbg.aresume(respond)
        run = Run(final=norm(done.values), history=debugger_history(dbg.history()))
        record_stop(run, pause)
        return run

    expected = asyncio.run(plain())
    assert_same(asyncio.run(debugged()), expected)
    assert expected.final["messages"][-2]["content"] == "Use the local news instead."


# ---------------------------------------------------------------- the user's own AsyncSqliteSaver


Drive = Callable[[hw.Debugger, list[Any]], Awaitable[Run]]


async def _awaited(dbg: hw.Debugger, answers: list[Any]) -> Run:
    return await arun_debugger(dbg, REQUEST, answers, read=asyncio.to_thread)


async def _from_a_worker_thread(dbg: hw.Debugger, answers: list[Any]) -> Run:
    return await asyncio.to_thread(run_debugger, dbg, REQUEST, answers)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "drive",
    [
        # the saver belongs to the loop that opened it: the awaitable methods run there
        pytest.param(_awaited, id="awaited in its loop"),
        # what the widget's buttons do: the plain methods, from a worker thread, the loop free
        pytest.param(_from_a_worker_thread, id="blocking calls from a worker thread"),
    ],
)
def test_users_async_sqlite_saver_opened_in_the_notebooks_loop(tmp_path: Path, drive: Drive) -> None:
    answers = [SEED_ANSWERS["edit"][0]]

    async def cell() -> tuple[Run, Run]:
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "user.sqlite")) as saver:
            plain = await arun_plain(seed_agent(saver), REQUEST, answers)
            debugged = await drive(hw.debug(seed_agent(saver), thread_id="debugged"), answers)
            return debugged, plain

    debugged, plain = asyncio.run(cell())
    assert_same(debugged, plain)


@pytest.mark.timeout(60)
def test_blocking_call_on_the_async_savers_own_loop_is_refused_with_the_await_form(tmp_path: Path) -> None:
    async def cell() -> tuple[str, int]:
        async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "user.sqlite")) as saver:
            dbg = hw.debug(seed_agent(saver), thread_id="debugged")
            with pytest.raises(hw.DebuggerError) as refused:
                dbg.start(REQUEST)
            saved = [c async for c in saver.alist({"configurable": {"thread_id": "debugged"}})]
            return str(refused.value), len(saved)

    message, saved = asyncio.run(cell())
    assert "astart" in message
    assert saved == 0  # refused before anything ran
