"""What-if runs: `try_node` runs one node on a checkpoint's state (edited or not) and says what
it would write, writing nothing to the thread; on a server it is refused with the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import graphs
import pytest
from graphs import MakeDebugger

import hitl_widgets as hw


def thread_of(dbg: hw.Debugger) -> list[tuple[str, Any]]:
    return [(c.id, c.values) for c in dbg.history()]


def local(tmp_path: Path, name: str) -> hw.Debugger:
    return hw.debug(graphs.GRAPHS[name](), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")


def test_a_node_tried_on_a_past_state_writes_nothing(tmp_path: Path) -> None:
    dbg = local(tmp_path, "pipeline")
    dbg.start({"input": "x", "trail": []})
    after_step_1 = next(c for c in dbg.history() if c.step == 1)
    before = thread_of(dbg)
    tried = dbg.try_node("step_3", after_step_1.id)
    assert (tried.update, tried.interrupts) == ({"trail": ["step_3"]}, ())
    assert (
        tried.summary()
        == f"Tried step_3 on checkpoint {after_step_1.short_id}: it would write (nothing written)"
    )
    assert thread_of(dbg) == before


def test_a_node_tried_on_edited_values_and_one_that_asks(tmp_path: Path) -> None:
    dbg = local(tmp_path, "approve_reject")
    dbg.start({"llm_output": "", "decision": ""})
    before = thread_of(dbg)
    written = dbg.try_node("generate_llm_output", values={"llm_output": "draft"})
    assert written.update == {"llm_output": "This is the generated output."}
    approved = dbg.try_node("approved_path", values={"llm_output": "draft"})
    assert approved.update == {"llm_output": "draft [approved]"}  # it read the edited value
    asked = dbg.try_node("human_approval")
    assert asked.update is None and asked.interrupts[0]["question"] == "Do you approve the following output?"
    assert thread_of(dbg) == before and len(dbg.interrupts) == 1


def test_a_fix_tried_before_it_is_made(tmp_path: Path) -> None:
    """The node failed on the thread's state; tried on an edited state it passes, and the thread
    still stands at the failure."""
    dbg = local(tmp_path, "failing_node")
    failed = dbg.start({"value": -1, "trail": []})
    assert failed.reason == "error"
    with pytest.raises(hw.DebuggerError, match="check raised ValueError: value must not be negative"):
        dbg.try_node("check")
    assert dbg.try_node("check", values={"value": 1}).update == {"trail": ["checked"]}
    assert dbg.head.id == failed.checkpoint_id and dbg.state["value"] == -1


def test_an_async_node_with_the_run_context(tmp_path: Path) -> None:
    dbg = hw.debug(
        graphs.GRAPHS["chatty"](), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}", context={"user": "ann"}
    )
    dbg.start({"messages": [("user", "Tell me about owls")], "notes": []})
    before = thread_of(dbg)
    tried = dbg.try_node("think", dbg.history()[-1].id)
    assert tried.update is not None and "messages" in tried.update
    assert thread_of(dbg) == before


def test_bad_tries_are_refused(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    with pytest.raises(hw.DebuggerError):
        dbg.try_node("step_1")  # an empty thread (or, on a server, no what-if at all)
    dbg.start({"input": "x", "trail": []})
    with pytest.raises(hw.DebuggerError, match="needs a node of the graph: 'step_1', 'step_2', 'step_3'"):
        dbg.try_node("nope")
    with pytest.raises(hw.DebuggerError, match="unknown state key 'nope'"):
        dbg.try_node("step_1", values={"nope": 1})
    if dbg.backend_kind == "remote":
        with pytest.raises(hw.DebuggerError, match="a LangGraph server cannot do"):
            dbg.try_node("step_1")


def test_the_run_config_reaches_the_tried_node(tmp_path: Path) -> None:
    from langchain_core.runnables import RunnableConfig
    from langgraph.graph import END, START, StateGraph
    from typing_extensions import TypedDict

    class Greeting(TypedDict):
        text: str

    def greet(state: Greeting, config: RunnableConfig) -> dict[str, Any]:
        return {"text": f"{config['configurable']['greeting']}!"}

    builder = StateGraph(Greeting)
    builder.add_node("greet", greet)
    builder.add_edge(START, "greet")
    builder.add_edge("greet", END)
    dbg = hw.debug(
        builder,
        checkpointer=f"sqlite:{tmp_path / 't.sqlite'}",
        config={"configurable": {"greeting": "Hello"}},
    )
    dbg.start({"text": ""})
    assert dbg.try_node("greet", dbg.history()[-1].id).update == {"text": "Hello!"}
    dbg.config = {"configurable": {"greeting": "Hi"}}
    assert dbg.try_node("greet", dbg.history()[-1].id).update == {"text": "Hi!"}
