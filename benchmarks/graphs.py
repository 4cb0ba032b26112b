"""The graphs the benchmarks run: a long linear pipeline, and a loop whose state grows."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Annotated, Any

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class PipelineState(TypedDict):
    count: int


def bump(state: PipelineState) -> dict[str, Any]:
    return {"count": state["count"] + 1}


def linear(n_nodes: int, node: Callable[[PipelineState], dict[str, Any]] = bump) -> StateGraph:
    """START -> n0 -> n1 -> ... -> END; each node is `node` (by default: bumps a counter)."""
    builder = StateGraph(PipelineState)
    previous = START
    for i in range(n_nodes):
        name = f"n{i}"
        builder.add_node(name, node)
        builder.add_edge(previous, name)
        previous = name
    builder.add_edge(previous, END)
    return builder


class AgentLikeState(TypedDict):
    steps: int
    log: Annotated[list[str], operator.add]


def growing(n_steps: int, item_bytes: int = 32) -> StateGraph:
    """One node that loops `n_steps` times, appending to a list as an agent's messages grow."""

    def work(state: AgentLikeState) -> dict[str, Any]:
        return {"steps": state["steps"] + 1, "log": [f"{state['steps']:08d}".ljust(item_bytes, "x")]}

    builder = StateGraph(AgentLikeState)
    builder.add_node("work", work)
    builder.add_edge(START, "work")
    builder.add_conditional_edges("work", lambda s: "work" if s["steps"] < n_steps else END, ["work", END])
    return builder


class TalkState(TypedDict):
    text: str


PRODUCED: list[tuple[float, int]] = []
"""When `speaker`'s model produced each token (epoch ms) and the characters produced by then,
for the token latency benchmark."""


def speaker(words: int, delay: float) -> StateGraph:
    """One async node whose model streams `words` words, `delay` seconds apart; the wall-clock
    time each was produced is appended to `PRODUCED`."""
    import asyncio
    import time
    from collections.abc import AsyncIterator

    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk
    from langchain_core.outputs import ChatGenerationChunk

    class Timed(GenericFakeChatModel):
        async def _astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
            chars = 0
            async for chunk in super()._astream(*args, **kwargs):
                await asyncio.sleep(delay)
                chars += len(str(chunk.message.content))
                PRODUCED.append((time.time() * 1000, chars))
                yield chunk

    text = " ".join(f"w{i}" for i in range(words))

    async def speak(state: TalkState) -> dict[str, Any]:
        model = Timed(messages=iter([AIMessage(content=text)]))
        chunks: list[AIMessageChunk] = [c async for c in model.astream("go")]
        return {"text": "".join(str(c.content) for c in chunks)}

    builder = StateGraph(TalkState)
    builder.add_node("speak", speak)
    builder.add_edge(START, "speak")
    builder.add_edge("speak", END)
    return builder
