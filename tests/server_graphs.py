"""The graphs `langgraph dev` serves to the remote tests, one assistant per name.

Every entry of `graphs.GRAPHS`, compiled without a checkpointer (the server brings its own),
under the same name, so `make_debugger(name)` means the same graph on both backends. A few
graphs only the server tests need are added: a long pipeline for the overhead benchmark, and
slow nodes to pause, and to kill a server, in the middle of a run.
"""

from __future__ import annotations

import time
from typing import Any

import graphs
from langgraph.graph import END, START, StateGraph

SLOW_NODE_SECONDS = 0.5
"""How long each `slow_pipeline` node takes: long enough to ask for a pause mid-run."""

BLOCKING_NODE_SECONDS = 60.0
"""How long `blocking` takes: a test kills the server long before it ends."""


def _compiled(make: Any) -> Any:
    graph = make()
    return graph.compile() if isinstance(graph, StateGraph) else graph


def _sleeping(name: str, seconds: float) -> Any:
    def node(state: graphs.StepsState) -> dict[str, Any]:
        time.sleep(seconds)
        return {"trail": [name]}

    node.__name__ = name
    return node


def _slow_pipeline(names: tuple[str, ...], seconds: float) -> StateGraph[graphs.StepsState]:
    builder = StateGraph(graphs.StepsState)
    previous = START
    for name in names:
        builder.add_node(name, _sleeping(name, seconds))
        builder.add_edge(previous, name)
        previous = name
    builder.add_edge(previous, END)
    return builder


PIPELINE_20 = tuple(f"step_{i}" for i in range(1, 21))

# langgraph.json names each graph as `server_graphs:<name>`: a module attribute per graph.
globals().update({name: _compiled(make) for name, make in graphs.GRAPHS.items()})

pipeline_20 = graphs.pipeline(PIPELINE_20).compile()
slow_pipeline = _slow_pipeline(tuple(f"step_{i}" for i in range(1, 7)), SLOW_NODE_SECONDS).compile()
blocking = _slow_pipeline(("blocking",), BLOCKING_NODE_SECONDS).compile()
