"""Live streaming's cost: the same runs with a live listener (tokens, node updates and custom
events relayed to it) and with streaming off, side by side in one process.

Three graphs: the 100-node linear bench graph (plain steps: a live run streams node starts and
updates and keeps LangGraph's inline path), the same pipeline whose nodes each tell their
progress with `get_stream_writer()` (the cost of asking LangGraph for custom events, tokens and
subgraph events, which runs each node on a worker thread), and an agent-like loop whose model
streams 60 tokens a turn (the cost of relaying every token).
"""

from __future__ import annotations

import itertools
import tempfile
from itertools import cycle
from pathlib import Path
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

import hitl_widgets as hw
from benchmarks.graphs import PipelineState, linear
from benchmarks.timing import best_of
from hitl_widgets.backends.checkpointers import sqlite_saver
from hitl_widgets.backends.local_stream import stream_modes

N_NODES = 100
TURNS = 20
WORDS = 60
RUNS = 10
_threads = itertools.count()


class TalkState(TypedDict):
    turn: int
    said: int


def talking(turns: int, words: int) -> StateGraph:
    """One node that asks a streaming chat model for `words` words, `turns` times in a loop."""
    model = GenericFakeChatModel(messages=cycle([AIMessage(content=" ".join(["word"] * words))]))

    def talk(state: TalkState) -> dict[str, Any]:
        reply = model.invoke("go")
        return {"turn": state["turn"] + 1, "said": state["said"] + len(str(reply.content))}

    builder = StateGraph(TalkState)
    builder.add_node("talk", talk)
    builder.add_edge(START, "talk")
    builder.add_conditional_edges("talk", lambda s: "talk" if s["turn"] < turns else END, ["talk", END])
    return builder


def tell(state: PipelineState) -> dict[str, Any]:
    """A pipeline node that tells its progress as a custom event."""
    get_stream_writer()({"count": state["count"]})
    return {"count": state["count"] + 1}


def _debugger(graph: Any, db: Path, *, live: bool) -> hw.Debugger:
    dbg = hw.debug(graph, thread_id=f"t-{next(_threads)}")
    if live:
        heard: list[Any] = []
        dbg.observe(heard.append)  # a listener that wants live events, as the widget does
    else:
        dbg.streaming = False
    return dbg


def _raw_config() -> dict[str, Any]:
    return {"configurable": {"thread_id": f"raw-{next(_threads)}"}, "recursion_limit": 10_000}


def _compare(graph: Any, db: Path, graph_input: dict[str, Any]) -> tuple[float, float, float]:
    """Best times of: the Debugger with streaming off, with a live listener, and LangGraph's own
    `stream` with the modes the live run asks for and the same saves, each consumed whole."""
    compiled = graph.compile(checkpointer=sqlite_saver(db))
    modes, namespaced = stream_modes(compiled, live=True)

    def run(dbg: hw.Debugger) -> None:
        dbg.start(graph_input, config={"recursion_limit": 10_000})

    def raw(config: dict[str, Any]) -> None:
        for _ in compiled.stream(
            graph_input,
            config,
            stream_mode=modes,
            subgraphs=namespaced,
            durability="sync",
        ):
            pass

    contenders = (
        (run, lambda: _debugger(compiled, db, live=False)),
        (run, lambda: _debugger(compiled, db, live=True)),
        (raw, _raw_config),
    )
    for work, setup in contenders:  # warm each path once
        work(setup())
    quiet, live, langgraph = best_of(RUNS, *contenders)
    return quiet, live, langgraph


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        quiet, live, raw = _compare(linear(N_NODES), db, {"count": 0})
        told_quiet, told_live, told_raw = _compare(linear(N_NODES, tell), db, {"count": 0})
        talk_quiet, talk_live, talk_raw = _compare(talking(TURNS, WORDS), db, {"turn": 0, "said": 0})
    return {
        "streaming_quiet_s": quiet,
        "streaming_live_s": live,
        "streaming_ratio": live / quiet,
        "streaming_vs_langgraph_ratio": live / raw,
        "streaming_custom_quiet_s": told_quiet,
        "streaming_custom_live_s": told_live,
        "streaming_custom_ratio": told_live / told_quiet,
        "streaming_custom_vs_langgraph_ratio": told_live / told_raw,
        "streaming_tokens_quiet_s": talk_quiet,
        "streaming_tokens_live_s": talk_live,
        "streaming_tokens_ratio": talk_live / talk_quiet,
        "streaming_tokens_vs_langgraph_ratio": talk_live / talk_raw,
        "streaming_us_per_token": (talk_live - talk_quiet) / (TURNS * WORDS * 2) * 1e6,
    }


if __name__ == "__main__":
    for name, value in measure().items():
        print(f"{name}: {value:.4f}")
