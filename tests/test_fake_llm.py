"""`ScriptedChatModel`: the same answers invoked or streamed, sync or async, in agents of both kinds."""

from __future__ import annotations

import asyncio
import operator
from functools import reduce
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import create_react_agent
from langgraph.types import Command
from pydantic import ValidationError

from hitl_widgets.fake_llm import ScriptedChatModel, tool_call

CALLS = [tool_call("search", query="hotels in Paris"), tool_call("book", hotel="Ritz", nights=2)]
SCRIPT: list[Any] = ["Let me look that up for you.", CALLS, "The Ritz is booked."]


@tool
def search(query: str) -> str:
    """Search the web."""
    return f"results for {query}"


@tool
def book(hotel: str, nights: int) -> str:
    """Book a hotel."""
    return f"booked {hotel} for {nights} nights"


def conversation(turns: int) -> list[BaseMessage]:
    """A conversation in which the model has already answered `turns` times."""
    messages: list[BaseMessage] = [HumanMessage("hi")]
    for i in range(turns):
        messages += [AIMessage(f"answer {i}"), HumanMessage("go on")]
    return messages


def merged(chunks: list[Any]) -> AIMessageChunk:
    return reduce(operator.add, chunks)


def test_text_streams_word_by_word_and_joins_to_the_invoked_answer() -> None:
    model = ScriptedChatModel(script=SCRIPT)
    chunks = list(model.stream(conversation(0)))
    assert [c.content for c in chunks] == ["Let ", "me ", "look ", "that ", "up ", "for ", "you."]
    assert chunks[-1].chunk_position == "last"
    assert merged(chunks).content == model.invoke(conversation(0)).content == SCRIPT[0]


def test_tool_calls_stream_as_tool_call_chunks_and_join_to_the_invoked_calls() -> None:
    model = ScriptedChatModel(script=SCRIPT)
    chunks = list(model.stream(conversation(1)))
    assert [c.tool_call_chunks[0]["name"] for c in chunks] == ["search", "book"]
    assert [c.tool_call_chunks[0]["index"] for c in chunks] == [0, 1]
    whole = merged(chunks)
    assert whole.content == ""
    assert whole.tool_calls == model.invoke(conversation(1)).tool_calls == CALLS


def test_async_calls_give_the_sync_answers() -> None:
    model = ScriptedChatModel(script=SCRIPT)

    async def calls(turns: int) -> tuple[AIMessage, list[AIMessageChunk]]:
        answer = await model.ainvoke(conversation(turns))
        chunks = [c async for c in model.astream(conversation(turns))]
        return answer, chunks

    for turns in range(3):
        answer, chunks = asyncio.run(calls(turns))
        expected = model.invoke(conversation(turns))
        assert (answer.content, answer.tool_calls) == (expected.content, expected.tool_calls)
        streamed = [(c.content, c.tool_call_chunks) for c in model.stream(conversation(turns))]
        assert [(c.content, c.tool_call_chunks) for c in chunks] == streamed


def test_position_is_the_number_of_ai_messages_so_a_replay_gets_the_same_answer() -> None:
    model = ScriptedChatModel(script=SCRIPT)
    assert model.invoke(conversation(2)).content == "The Ritz is booked."
    assert model.invoke(conversation(0)).content == SCRIPT[0]  # back in time: the first answer again
    assert model.invoke(conversation(7)).content == "The Ritz is booked."  # past the end: the last text
    ends_with_calls = ScriptedChatModel(script=["hello", CALLS])
    assert ends_with_calls.invoke(conversation(5)).content == "Done."  # never repeats tool calls
    assert [c.content for c in ends_with_calls.stream(conversation(5))] == ["Done."]
    assert ScriptedChatModel().invoke(conversation(0)).content == "OK"


def test_token_delay_changes_nothing_but_the_pace() -> None:
    slow = ScriptedChatModel(script=SCRIPT, token_delay=0.001)
    fast = ScriptedChatModel(script=SCRIPT)
    assert [c.content for c in slow.stream(conversation(0))] == [
        c.content for c in fast.stream(conversation(0))
    ]
    with pytest.raises(ValidationError):
        ScriptedChatModel(script=SCRIPT, token_delay=-1)


def test_create_react_agent_streams_its_tokens() -> None:
    agent = create_react_agent(
        ScriptedChatModel(script=SCRIPT[1:]), [search, book], checkpointer=InMemorySaver()
    )
    config = {"configurable": {"thread_id": "1"}}
    tokens = [
        (chunk.content, meta["langgraph_node"])
        for chunk, meta in agent.stream({"messages": [("user", "book")]}, config, stream_mode="messages")
        if isinstance(chunk, AIMessageChunk) and chunk.content
    ]
    assert tokens == [("The ", "agent"), ("Ritz ", "agent"), ("is ", "agent"), ("booked.", "agent")]
    messages = agent.get_state(config).values["messages"]
    assert [m.type for m in messages] == ["human", "ai", "tool", "tool", "ai"]
    assert messages[1].tool_calls == CALLS
    assert messages[3].content == "booked Ritz for 2 nights"


def test_create_agent_with_human_in_the_loop_middleware() -> None:
    agent = create_agent(
        ScriptedChatModel(script=SCRIPT[1:]),
        [search, book],
        middleware=[HumanInTheLoopMiddleware(interrupt_on={"book": True})],
        checkpointer=InMemorySaver(),
    )
    config = {"configurable": {"thread_id": "1"}}
    paused = agent.invoke({"messages": [("user", "book")]}, config, version="v2")
    (request,) = paused.interrupts
    assert [a["name"] for a in request.value["action_requests"]] == ["book"]
    done = agent.invoke(Command(resume={"decisions": [{"type": "approve"}]}), config, version="v2")
    assert done.value["messages"][-1].content == "The Ritz is booked."
