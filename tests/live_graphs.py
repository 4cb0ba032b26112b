"""Graphs that stream while they run, as real agents do: an async node whose chat model streams
tokens, a node that writes custom events, a subgraph that streams too, and run context and
`configurable` values read by the nodes. They are served by the test server as well
(`graphs.GRAPHS` includes them)."""

from __future__ import annotations

import operator
from itertools import cycle
from typing import Annotated, Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AnyMessage
from langchain_core.runnables import RunnableConfig
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.runtime import Runtime
from langgraph.types import interrupt
from typing_extensions import TypedDict

ANSWER = "The owl is a night bird that hunts by sound."
SUMMARY = "Owls hunt at night."


class Who(TypedDict):
    user: str


class ChatState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    notes: Annotated[list[str], operator.add]


class Conversation(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def _model(text: str) -> GenericFakeChatModel:
    """A chat model that streams `text` word by word, every call (so replays say it again)."""
    return GenericFakeChatModel(messages=cycle([AIMessage(content=text)]))


def _user(runtime: Runtime[Who]) -> str:
    return runtime.context["user"] if runtime.context else "nobody"


def _summary_subgraph() -> Any:
    model = _model(SUMMARY)

    def summarise(state: Conversation) -> dict[str, Any]:
        return {"messages": [model.invoke(state["messages"])]}

    builder = StateGraph(Conversation)
    builder.add_node("summarise", summarise)
    builder.add_edge(START, "summarise")
    builder.add_edge("summarise", END)
    return builder.compile()


def chatty() -> StateGraph[ChatState, Who, ChatState, ChatState]:
    """think (async, streams tokens and custom events) -> review (interrupt) -> team (subgraph
    that streams) -> sign (reads context and config)."""
    model = _model(ANSWER)

    async def think(state: ChatState, runtime: Runtime[Who], config: RunnableConfig) -> dict[str, Any]:
        write = get_stream_writer()
        write({"phase": "thinking", "for": _user(runtime)})
        reply = await model.ainvoke(state["messages"])
        write({"phase": "done", "words": len(str(reply.content).split())})
        tone = config["configurable"].get("tone", "plain")
        return {"messages": [reply], "notes": [f"think:{_user(runtime)}:{tone}"]}

    def review(state: ChatState) -> dict[str, Any]:
        verdict = interrupt({"question": "Keep this answer?", "answer": state["messages"][-1].content})
        return {"notes": [f"review:{verdict}"]}

    def sign(state: ChatState, runtime: Runtime[Who], config: RunnableConfig) -> dict[str, Any]:
        tone = config["configurable"].get("tone", "plain")
        return {"notes": [f"sign:{_user(runtime)}:{tone}"]}

    builder = StateGraph(ChatState, context_schema=Who)
    builder.add_node("think", think)
    builder.add_node("review", review)
    builder.add_node("team", _summary_subgraph())
    builder.add_node("sign", sign)
    builder.add_edge(START, "think")
    builder.add_edge("think", "review")
    builder.add_edge("review", "team")
    builder.add_edge("team", "sign")
    builder.add_edge("sign", END)
    return builder


LIVE_GRAPHS: dict[str, Any] = {"chatty": chatty}


def gated_chat(
    gate: str, *, words: int = 40, delay: float = 0.02
) -> StateGraph[ChatState, None, ChatState, ChatState]:
    """One async node that streams `words` tokens, `delay` seconds apart, and then waits for the
    file `gate` to exist before it returns: a run a browser can watch while it is under way."""
    import asyncio
    from pathlib import Path

    from langchain_core.messages import AIMessageChunk

    text = " ".join(f"word{i}" for i in range(words))

    async def speak(state: ChatState) -> dict[str, Any]:
        model = GenericFakeChatModel(messages=iter([AIMessage(content=text)]))
        chunks: list[AIMessageChunk] = []
        async for chunk in model.astream(state["messages"]):
            chunks.append(chunk)
            await asyncio.sleep(delay)
        while not Path(gate).exists():
            await asyncio.sleep(0.05)
        return {"messages": [AIMessage(content="".join(str(c.content) for c in chunks))]}

    builder = StateGraph(ChatState)
    builder.add_node("speak", speak)
    builder.add_edge(START, "speak")
    builder.add_edge("speak", END)
    return builder


class Tally(TypedDict):
    n: int


def gated_steps(gate: str) -> StateGraph[Tally, None, Tally, Tally]:
    """count → wait → END, plain steps (no model, no writer): `wait` returns once the file `gate`
    exists. A live run of it keeps LangGraph's inline path and streams starts and updates only."""
    import os
    import time

    def count(state: Tally) -> dict[str, int]:
        return {"n": state["n"] + 1}

    def wait(state: Tally) -> dict[str, int]:
        while not os.path.exists(gate):
            time.sleep(0.05)
        return {"n": state["n"] + 10}

    builder = StateGraph(Tally)
    builder.add_sequence([count, wait])
    builder.add_edge(START, "count")
    return builder
