"""The graphs `09_server_api.ipynb` serves with `langgraph dev` (see `langgraph.json`).

The server brings its own checkpointer, so the graphs are compiled without one.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    some_text: str


def human_node(state: State) -> dict[str, Any]:
    value = interrupt({"text_to_revise": state["some_text"]})
    return {"some_text": value}


graph_builder = StateGraph(State)
graph_builder.add_node("human_node", human_node)
graph_builder.add_edge(START, "human_node")
graph_builder.add_edge("human_node", END)

agent = graph_builder.compile()


class StepsState(TypedDict):
    trail: list[str]


def _node(name: str) -> Any:
    def node(state: StepsState) -> dict[str, Any]:
        return {"trail": [*state["trail"], name]}

    return node


steps_builder = StateGraph(StepsState)
for name in ("node_a", "node_b", "node_c"):
    steps_builder.add_node(name, _node(name))
steps_builder.add_edge(START, "node_a")
steps_builder.add_edge("node_a", "node_b")
steps_builder.add_edge("node_b", "node_c")
steps_builder.add_edge("node_c", END)

static = steps_builder.compile(interrupt_before=["node_a"], interrupt_after=["node_b", "node_c"])
