"""The graphs the benchmarks run: a long linear pipeline, and a loop whose state grows."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class PipelineState(TypedDict):
    count: int


def linear(n_nodes: int) -> StateGraph:
    """START -> n0 -> n1 -> ... -> END; each node bumps a counter."""
    builder = StateGraph(PipelineState)
    previous = START
    for i in range(n_nodes):
        name = f"n{i}"
        builder.add_node(name, lambda s: {"count": s["count"] + 1})
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
