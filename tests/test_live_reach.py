"""A live run asks LangGraph for tokens, custom events and subgraph events only from a graph that
can make them (asking runs every node on a worker thread). The graphs here are the shapes that
decide it: plain steps keep LangGraph's inline path and still stream their starts and updates;
anything that could reach a writer, a model or a subgraph gets everything (and its events are
heard), a structure too deep to walk counts as "may stream", and a helper changed between runs
is seen by the next run."""

from __future__ import annotations

import asyncio
import builtins
import functools
import itertools
import json
import logging
import math
import operator
import threading
from collections.abc import Callable
from dataclasses import dataclass
from json import dumps
from math import floor
from typing import Annotated, Any

import pytest
from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import RetryPolicy, StreamWriter
from typing_extensions import TypedDict

import hitl_widgets as hw
from hitl_widgets.backends.live_reach import streams_updates_only
from hitl_widgets.fake_llm import ScriptedChatModel

LIMITS = (1, 2, 3)
NAMES = ["a", "b"]


class Count(TypedDict):
    n: int


def pipeline(
    *steps: Any, route: Callable[..., Any] | None = None, schema: Any = Count
) -> StateGraph[Any, Any, Any, Any]:
    """START → step0 → step1 → ... → END, with `route` after step0 when given."""
    builder = StateGraph(schema)
    names = [f"s{i}" for i in range(len(steps))]
    for name, step in zip(names, steps, strict=True):
        builder.add_node(name, step)
    builder.add_edge(START, names[0])
    for before, after in itertools.pairwise(names):
        if route is not None and before == names[0]:
            builder.add_conditional_edges(before, route, [after, END])
        else:
            builder.add_edge(before, after)
    return builder


def bump(state: Count) -> dict[str, int]:
    return {"n": state["n"] + 1}


def bump_via_helper(state: Count) -> dict[str, int]:
    return {"n": helper(state["n"])}


def helper(n: int) -> int:
    return n + 1


def bump_with_stdlib(state: Count) -> dict[str, int]:
    return {"n": math.floor(json.loads(str(state["n"]))) + len(LIMITS)}


def tell(state: Count) -> dict[str, int]:
    get_stream_writer()({"n": state["n"]})
    return {"n": state["n"] + 1}


def tell_via_helper(state: Count) -> dict[str, int]:
    return {"n": report(state["n"])}


def report(n: int) -> int:
    get_stream_writer()({"n": n})
    return n + 1


def injected_writer(state: Count, writer: StreamWriter) -> dict[str, int]:
    return {"n": state["n"] + 1}


def with_config(state: Count, config: RunnableConfig) -> dict[str, int]:
    return {"n": state["n"] + 1}


MODEL = ScriptedChatModel(script=["hello"])


def ask_model(state: Count) -> dict[str, int]:
    return {"n": len(str(MODEL.invoke([HumanMessage("hi")]).content))}


def lookup(state: Count) -> dict[str, int]:
    return {"n": len(NAMES)}  # a mutable global: it may hold anything by the time it runs


async def bump_async(state: Count) -> dict[str, int]:
    await asyncio.sleep(0)
    return {"n": state["n"] + 1}


def bump_with_imported_names(state: Count) -> dict[str, int]:
    return {"n": floor(len(dumps(state)) / 100) + state["n"]}


def checked(step: Callable[[Count], dict[str, int]]) -> Callable[[Count], dict[str, int]]:
    @functools.wraps(step)
    def run(state: Count) -> dict[str, int]:
        return step(state)

    return run


def kept_and_retried() -> StateGraph[Any, Any, Any, Any]:
    builder = StateGraph(Count)
    builder.add_node("s0", bump, retry_policy=RetryPolicy(max_attempts=2))
    builder.add_node("s1", bump, defer=True)
    builder.add_edge(START, "s0")
    builder.add_edge("s0", "s1")
    return builder


def import_inside(state: Count) -> dict[str, int]:
    from hitl_widgets.fake_llm import ScriptedChatModel as Model  # a model reached by an import

    return {"n": len(str(Model(script=["hi"]).invoke("q").content))}


def model_as_default(state: Count, model: Any = MODEL) -> dict[str, int]:
    return {"n": len(str(model.invoke([HumanMessage("hi")]).content))}


def logs(state: Count) -> dict[str, int]:
    logging.getLogger(__name__).info("step %s", state["n"])  # a handler may forward to a writer
    return {"n": state["n"] + 1}


def prints(state: Count) -> dict[str, int]:
    print(state["n"])  # stdout may be forwarded to a writer
    return {"n": state["n"] + 1}


_cached: Any = None


def caches_lazily(state: Count) -> dict[str, int]:
    global _cached
    if _cached is None:
        _cached = MODEL  # what a global holds is set while the graph runs
    return {"n": state["n"] + 1}


def calls_a_planted_builtin(state: Count) -> dict[str, int]:
    return {"n": planted(state)}  # type: ignore[name-defined]  # noqa: F821


def calls_what_is_not_defined_yet(state: Count) -> dict[str, int]:
    return {"n": later(state)}  # type: ignore[name-defined]  # noqa: F821


@dataclass
class Noted:
    n: int = 0

    def told(self) -> int:
        get_stream_writer()({"noted": self.n})
        return self.n + 1


def uses_a_state_method(state: Noted) -> dict[str, int]:
    return {"n": state.told()}


DEEP: tuple[Any, ...] = functools.reduce(lambda inner, _: (inner,), range(5000), ())


def reads_deep(state: Count) -> dict[str, int]:
    return {"n": len(DEEP)}


PLAIN = {
    "lambdas": lambda: pipeline(lambda s: {"n": s["n"] + 1}, lambda s: {"n": s["n"] * 2}),
    "module functions": lambda: pipeline(bump, bump_via_helper),
    "the standard library and tuples": lambda: pipeline(bump_with_stdlib, bump),
    "standard-library names imported": lambda: pipeline(bump_with_imported_names),
    "a plain branch": lambda: pipeline(bump, bump, route=lambda s: "s1" if s["n"] < LIMITS[-1] else END),
    "an async node": lambda: pipeline(bump_async, bump),
    "a decorated node": lambda: pipeline(checked(bump)),
    "a retry policy and a deferred node": kept_and_retried,
}
MAY_STREAM = {
    "get_stream_writer": lambda: pipeline(bump, tell),
    "a helper that writes": lambda: pipeline(tell_via_helper),
    "an injected writer": lambda: pipeline(injected_writer),
    "an injected config": lambda: pipeline(with_config),
    "a model": lambda: pipeline(ask_model),
    "a model imported inside the node": lambda: pipeline(import_inside),
    "a model as a default argument": lambda: pipeline(model_as_default),
    "a branch that asks a model": lambda: pipeline(
        bump, bump, route=lambda s: "s1" if ask_model(s)["n"] else END
    ),
    "a mutable global": lambda: pipeline(lookup),
    "a global set while running": lambda: pipeline(caches_lazily),
    "a name not defined yet": lambda: pipeline(calls_what_is_not_defined_yet),
    "a function put in builtins": lambda: pipeline(calls_a_planted_builtin),
    "logging": lambda: pipeline(logs),
    "print": lambda: pipeline(prints),
    "a state with methods": lambda: pipeline(uses_a_state_method, schema=Noted),
    "a state of messages": lambda: pipeline(lambda s: {"messages": []}, schema=MessagesState),
    "a subgraph": lambda: pipeline(pipeline(bump).compile()),
    "a structure too deep to walk": lambda: pipeline(reads_deep),
}


@pytest.mark.parametrize("shape", PLAIN)
def test_plain_steps_stream_updates_only(shape: str) -> None:
    assert streams_updates_only(PLAIN[shape]().compile())


@pytest.mark.parametrize("shape", MAY_STREAM)
def test_whatever_may_stream_more_gets_everything(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(builtins, "planted", tell_via_helper, raising=False)
    assert not streams_updates_only(MAY_STREAM[shape]().compile())


@pytest.mark.parametrize(
    ("shape", "graph_input"),
    [("a model as a default argument", {"n": 0}), ("a state with methods", Noted(n=4))],
)
def test_what_such_graphs_stream_is_heard(shape: str, graph_input: Any) -> None:
    graph = MAY_STREAM[shape]().compile()
    plain = [
        ("custom", payload) if mode == "custom" else ("token", getattr(payload[0], "content", None))
        for mode, payload in graph.stream(graph_input, stream_mode=["custom", "messages"])
        if mode == "custom" or "Chunk" in type(payload[0]).__name__
    ]
    assert plain
    dbg = hw.debug(graph, checkpointer="memory")
    heard: list[tuple[str, Any]] = []
    dbg.observe(lambda e: heard.append((e.kind, e.data)) if e.kind in ("custom", "token") else None)
    assert dbg.start(graph_input).reason == "done"
    assert heard == plain


class Traced(TypedDict):
    n: int
    ran_on: Annotated[list[int], operator.add]


def traced(state: Traced) -> dict[str, Any]:
    """A plain step that keeps, in the state, the thread it ran on."""
    return {"n": state["n"] + 1, "ran_on": [threading.get_ident()]}


def test_plain_steps_run_inline_and_still_stream_their_starts_and_updates() -> None:
    """Each node runs on the thread the command was called on (LangGraph's inline path), and the
    listener hears what LangGraph's own `updates` stream gives, each node announced first."""
    builder = StateGraph(Traced)
    builder.add_sequence([("s0", traced), ("s1", traced), ("s2", traced)])
    builder.add_edge(START, "s0")
    graph = builder.compile()
    assert streams_updates_only(graph)
    plain = [
        (node, update["n"])
        for part in graph.stream({"n": 0, "ran_on": []}, stream_mode="updates")
        for node, update in part.items()
    ]
    dbg = hw.debug(graph, checkpointer="memory")
    heard: list[tuple[str, str | None, Any]] = []
    dbg.observe(lambda e: heard.append((e.kind, e.node, e.data)) if e.kind in ("task", "update") else None)
    assert dbg.start({"n": 0, "ran_on": []}).reason == "done"
    assert [(node, data["n"]) for kind, node, data in heard if kind == "update"] == plain
    assert [kind for kind, _, _ in heard] == ["task", "update"] * 3
    assert dbg.state["ran_on"] == [threading.get_ident()] * 3


def test_a_helper_changed_between_runs_is_seen_by_the_next_run() -> None:
    """Whether a graph may stream is found at each run: a notebook re-runs the cell of a helper
    without compiling the graph again."""
    global helper
    graph = pipeline(bump_via_helper).compile()
    dbg = hw.debug(graph, checkpointer="memory")
    custom: list[Any] = []
    dbg.observe(lambda e: custom.append(e.data) if e.kind == "custom" else None)
    original = helper
    assert dbg.start({"n": 0}).reason == "done"
    assert custom == []

    def helper(n: int) -> int:  # the cell run again, now telling its progress
        get_stream_writer()({"helping": n})
        return n + 1

    try:
        assert dbg.start({"n": 5}).reason == "done"
    finally:
        helper = original
    assert custom == [{"helping": 5}]
    assert dbg.state == {"n": 6}
