"""Widget requests, answered as the browser would send them, against real graphs and a real
SQLite checkpointer: every request gets one answer, runs go off the main thread, and what the
widget shows (its traits) follows the Debugger whoever drove it."""

from __future__ import annotations

import operator
import threading
from pathlib import Path
from typing import Annotated, Any

import pytest
from graphs import MakeDebugger
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.breakpoints import StateExpression
from hitl_widgets.widgets import DebuggerWidget
from hitl_widgets.widgets.commands import user_namespace


def client(dbg: hw.Debugger, widget: type[Any] = DebuggerWidget) -> WidgetClient:
    return WidgetClient(widget(dbg))


def message_texts(dbg: hw.Debugger) -> list[str]:
    """The contents of the state's messages (objects in this kernel, dicts from a server)."""
    return [m["content"] if isinstance(m, dict) else m.content for m in dbg.state["messages"]]


# ---------------------------------------------------------------- every request is answered


def test_refused_command_is_an_error_answer_and_changes_nothing(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    c = client(dbg)
    error = c.error("resume", value="x")
    assert error["type"] == "DebuggerError"
    assert "nothing to resume" in error["message"]
    assert error["detail"] is None
    assert dbg.history() == []


def test_malformed_requests_are_answered_not_dropped(make_debugger: MakeDebugger) -> None:
    c = client(make_debugger("text_to_revise"))
    assert c.error("no_such_method")["type"] == "RequestError"
    assert "start needs params.input" in c.error("start")["message"]
    assert c.error("set_breakpoint", node="human_node", when="sideways", on=True)["type"] == "RequestError"
    assert c.error("checkpoint", checkpoint_id="")["type"] == "RequestError"
    c.widget._handle_custom_msg({"kind": "call", "id": "odd", "method": "history", "params": [1]}, [])
    assert c.customs("reply")[-1] == {
        "kind": "reply",
        "id": "odd",
        "ok": False,
        "error": {
            "type": "RequestError",
            "message": "params of history must be an object, not list",
            "detail": None,
        },
    }


def test_an_unexpected_exception_is_answered_with_its_traceback(
    make_debugger: MakeDebugger, monkeypatch: pytest.MonkeyPatch
) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)

    def broken() -> Any:
        raise RuntimeError("the backend fell over")

    monkeypatch.setattr(dbg, "checkout", lambda checkpoint_id: broken())
    dbg.start({"input": "go", "trail": []})
    error = c.error("checkout", checkpoint_id=dbg.head.id)
    assert error["type"] == "RuntimeError"
    assert error["message"] == "the backend fell over"
    assert "Traceback" in error["detail"]


def test_an_error_while_mirroring_an_event_reaches_the_browser(
    make_debugger: MakeDebugger, monkeypatch: pytest.MonkeyPatch
) -> None:
    dbg = make_debugger("text_to_revise")
    c = client(dbg)

    def broken(interrupt: Any) -> Any:
        raise ValueError("cannot show this interrupt")

    monkeypatch.setattr("hitl_widgets.widgets.base.interrupt_view", broken)
    dbg.start({"some_text": "hi"})
    errors = c.customs("error")
    assert errors and errors[-1]["error"]["message"] == "cannot show this interrupt"


# ---------------------------------------------------------------- running


def test_start_step_and_continue_run_in_the_background_and_update_the_status(
    make_debugger: MakeDebugger,
) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)
    assert c.widget.status["summary"].startswith("No checkpoint yet")
    assert c.result("set_breakpoint", node="step_2", when="before", on=True) == {
        "before": ["step_2"],
        "after": [],
    }

    pause = c.result("start", input={"input": "go", "trail": []})
    assert pause["reason"] == "breakpoint"
    assert pause["next"] == ["step_2"]
    assert c.widget.status["reason"] == "breakpoint"
    assert c.widget.status["running"] is None
    assert c.widget.status["last_nodes"] == ["step_1"]
    assert c.widget.head_id == dbg.head.id

    pause = c.result("step")
    assert pause["reason"] == "step"
    assert dbg.state["trail"] == ["step_1", "step_2"]
    assert c.widget.status["next"] == ["step_3"]

    pause = c.result("cont")
    assert pause["reason"] == "done"
    assert dbg.state["trail"] == ["step_1", "step_2", "step_3"]
    states = [m["state"] for m in c.messages if m.get("method") == "update"]
    assert any(s.get("status", {}).get("running") == "cont" for s in states), "the browser saw the run start"


def test_a_run_leaves_the_kernel_free_to_pause_it(tmp_path: Path) -> None:
    """The start request returns at once (the run is on a worker thread, blocked in a node here),
    so a pause request is answered while it runs, and the run stops at the next superstep."""
    entered, release = threading.Event(), threading.Event()

    class State(TypedDict):
        trail: Annotated[list[str], operator.add]

    def slow(state: State) -> dict[str, Any]:
        entered.set()
        release.wait(timeout=60)
        return {"trail": ["slow"]}

    builder = StateGraph(State)
    builder.add_node("slow", slow)
    builder.add_node("after", lambda s: {"trail": ["after"]})
    builder.add_edge(START, "slow")
    builder.add_edge("slow", "after")
    builder.add_edge("after", END)
    dbg = hw.debug(builder, checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}")
    c = client(dbg)

    c.send("run", "start", input={"trail": []})
    assert entered.wait(timeout=60), "the run reached its slow node"
    assert c.widget.status["running"] == "start"
    assert c.reply("run") is None, "the run is still blocked in its node"
    assert c.result("pause") == {"pausing": True}
    release.set()
    reply = c.wait_until(lambda: c.reply("run"), "the run's reply")
    assert reply is not None and reply["ok"]
    assert reply["result"]["reason"] == "step"
    assert reply["result"]["next"] == ["after"]
    assert dbg.state["trail"] == ["slow"]
    assert c.widget.status["running"] is None


def test_a_node_error_shows_in_the_status_and_the_thread_stays_usable(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("failing_node")
    c = client(dbg)
    pause = c.result("start", input={"value": -1, "trail": []})
    assert pause["reason"] == "error"
    assert c.widget.status["reason"] == "error"
    assert "value must not be negative" in str(c.widget.status["error"])
    # the headline is the exception line, not LangGraph's "During task with name ..." note after it
    assert c.widget.status["error_line"] == "ValueError: value must not be negative, got -1"
    c.result("apply_state", checkpoint_id=dbg.head.id, values={"value": 1}, as_node=None)
    assert c.result("cont")["reason"] == "done"
    assert dbg.state["trail"][-1] == "finished"


# ---------------------------------------------------------------- breakpoints


def test_toggling_one_side_of_a_breakpoint_keeps_the_other(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)
    c.result("set_breakpoint", node="step_2", when="before", on=True)
    c.result("set_breakpoint", node="step_2", when="after", on=True)
    assert c.result("set_breakpoint", node="step_2", when="before", on=False) == {
        "before": [],
        "after": ["step_2"],
    }
    assert dbg.breakpoints == {"before": [], "after": ["step_2"]}
    no_conditions = {"before": {}, "after": {}}
    assert c.widget.breakpoints == {"before": [], "after": ["step_2"], "conditions": no_conditions}


def test_a_conditional_breakpoint_keeps_its_condition_when_the_other_side_is_removed(
    make_debugger: MakeDebugger,
) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)
    dbg.break_before("step_3", when=StateExpression("len(state['trail']) == 2"))
    c.result("set_breakpoint", node="step_3", when="after", on=True)
    c.result("set_breakpoint", node="step_3", when="after", on=False)
    assert dbg.breakpoint_conditions["before"] == {"step_3": "len(state['trail']) == 2"}
    c.result("start", input={"input": "x", "trail": []})
    assert c.widget.status["breakpoint_hit"] == "before step_3 (when len(state['trail']) == 2)"
    assert c.widget.breakpoints["conditions"]["before"] == {"step_3": "len(state['trail']) == 2"}


def test_a_condition_typed_in_the_browser_is_read_in_the_users_namespace(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)
    namespace = user_namespace()
    namespace["enough_steps"] = 2
    try:
        c.result(
            "set_breakpoint",
            node="step_3",
            when="before",
            on=True,
            condition="len(state['trail']) >= enough_steps",
        )
        assert dbg.breakpoint_conditions["before"] == {"step_3": "len(state['trail']) >= enough_steps"}
        error = c.error("set_breakpoint", node="step_2", when="before", on=True, condition="state[")
        assert "not a Python expression" in error["message"]
        assert dbg.breakpoints["before"] == ["step_3"]  # the refused one set nothing
        assert c.result("start", input={"input": "x", "trail": []})["next"] == ["step_3"]
    finally:
        namespace.pop("enough_steps", None)


def test_a_node_tried_from_the_checkpoint_panel_writes_nothing(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)
    c.result("start", input={"input": "x", "trail": []})
    first = next(cp for cp in dbg.history() if cp.step == 1)
    before = [cp.id for cp in dbg.history()]
    if dbg.backend_kind == "remote":
        assert (
            "a LangGraph server cannot do"
            in c.error("try_node", checkpoint_id=first.id, node="step_3")["message"]
        )
        return
    tried = c.result("try_node", checkpoint_id=first.id, node="step_3", values={"input": "y"})
    assert tried == {
        "summary": f"Tried step_3 on checkpoint {first.short_id}: it would write (nothing written)",
        "update": {"trail": ["step_3"]},
        "interrupts": [],
    }
    assert (
        "must be a JSON object"
        in c.error("try_node", checkpoint_id=first.id, node="step_3", values=[1])["message"]
    )
    assert [cp.id for cp in dbg.history()] == before


def test_watched_keys_and_the_watch_that_paused_reach_the_browser(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)
    dbg.watch("trail", when=StateExpression("len(state['trail']) == 2"))
    assert c.widget.watches == {"trail": "len(state['trail']) == 2"}
    reply = c.result("start", input={"input": "x", "trail": []})
    assert reply["watch"] == "watch trail: changed in the step of step_2"
    assert c.widget.status["breakpoint_hit"] == "watch trail: changed in the step of step_2"
    dbg.unwatch("trail")
    assert c.widget.watches == {}


def test_a_breakpoint_inside_a_subgraph_is_set_by_path_or_refused_on_a_server(
    make_debugger: MakeDebugger,
) -> None:
    dbg = make_debugger("subgraph_interrupt")
    c = client(dbg)
    if dbg.backend_kind == "remote":
        error = c.error("set_breakpoint", node="team/research", when="before", on=True)
        assert "must be compiled into that subgraph there" in error["message"]
        assert dbg.breakpoints == {"before": [], "after": []}
    else:
        assert c.call("set_breakpoint", node="team/research", when="before", on=True)["ok"]
        assert dbg.breakpoints == {"before": ["team/research"], "after": []}


def test_the_graph_topology_and_as_node_choices_reach_the_browser(make_debugger: MakeDebugger) -> None:
    c = client(make_debugger("subgraph_interrupt"), hw.GraphView)
    nodes = {n["id"]: n for n in c.widget.topology["nodes"]}
    assert nodes["team"]["kind"] == "subgraph"
    assert nodes["team:ask_human"]["parent"] == "team"
    assert c.widget.as_nodes == ["plan", "team", "write", "__input__", "__copy__"]
    assert c.widget.view == "graph"


# ---------------------------------------------------------------- interrupts


def test_resume_from_the_answer_box(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    c = client(dbg, hw.InterruptPanel)
    dbg.start({"some_text": "original"})
    (pending,) = c.widget.interrupts
    assert pending["value"] == {"text_to_revise": "original"}
    assert c.result("resume", value="edited text")["reason"] == "done"
    assert dbg.state == {"some_text": "edited text"}
    assert c.widget.interrupts == []


def test_two_interrupts_answered_in_one_resume(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("parallel_interrupts")
    c = client(dbg)
    dbg.start({"text_1": "a", "text_2": "b"})
    ids = {i["node"]: i["id"] for i in c.widget.interrupts}
    assert set(ids) == {"human_node_1", "human_node_2"}
    error = c.error("resume", value="one answer for two")
    assert "2 interrupts are pending" in error["message"]
    pause = c.result("resume", value={ids["human_node_1"]: "A", ids["human_node_2"]: "B"})
    assert pause["reason"] == "done"
    assert dbg.state == {"text_1": "A", "text_2": "B"}


def test_human_interrupt_edit_answer_reaches_the_tool(make_debugger: MakeDebugger) -> None:
    """The answer the panel builds for Agent Inbox "edit": [{type: edit, args: {action, args}}]."""
    dbg = make_debugger("tool_review_agent")
    c = client(dbg)
    dbg.start({"messages": [{"role": "user", "content": "find me a hotel"}]})
    (pending,) = c.widget.interrupts
    request = pending["value"][0]
    assert request["action_request"] == {"action": "search_hotel", "args": {"city": "Paris"}}
    answer = [{"type": "edit", "args": {"action": "search_hotel", "args": {"city": "Rome"}}}]
    assert c.result("resume", value=answer)["reason"] == "done"
    assert "Found the Grand Hotel in Rome." in message_texts(dbg)


def test_human_interrupt_accept_answer_runs_the_call_as_proposed(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("tool_review_agent")
    c = client(dbg)
    dbg.start({"messages": [{"role": "user", "content": "find me a hotel"}]})
    assert c.result("resume", value=[{"type": "accept", "args": None}])["reason"] == "done"
    assert "Found the Grand Hotel in Paris." in message_texts(dbg)


def test_see_more_of_an_interrupt_payload(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    c = client(dbg)
    long_text = "<b>bold</b> " * 2_000
    dbg.start({"some_text": long_text})
    (pending,) = c.widget.interrupts
    shown = pending["value"]["text_to_revise"]
    assert shown["$type"] == "str" and shown["length"] == len(long_text)
    more = c.result("more", source="interrupt", id=pending["id"], path=["text_to_revise"])
    assert more["value"] == long_text


# ---------------------------------------------------------------- changing state


def test_apply_at_the_head_is_an_edit(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("review_edit")
    c = client(dbg, hw.StateInspector)
    dbg.break_before("human_review_edit")
    dbg.start({"summary": ""})
    head = dbg.head.id
    result = c.result(
        "apply_state", checkpoint_id=head, values={"summary": "edited"}, as_node="generate_summary"
    )
    assert result["parent_id"] == head
    assert result["source"] == "update"
    assert dbg.state["summary"] == "edited"
    assert c.widget.head_id == result["id"]


def test_apply_at_a_past_checkpoint_is_a_fork_that_becomes_the_head(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)
    dbg.start({"input": "go", "trail": []})
    past = next(cp for cp in dbg.history() if cp.next == ("step_2",))
    c.result("select", checkpoint_id=past.id)
    assert c.widget.selected == past.id
    result = c.result("apply_state", checkpoint_id=past.id, values={"input": "forked"}, as_node="step_1")
    assert result["parent_id"] == past.id
    assert dbg.head.id == result["id"]
    assert dbg.state["input"] == "forked"
    assert c.widget.selected is None, "after a fork the views follow the new head"


def test_fork_unchanged_replay_and_checkout(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = client(dbg)
    dbg.start({"input": "go", "trail": []})
    first = next(cp for cp in dbg.history() if cp.next == ("step_1",))
    forked = c.result("fork", checkpoint_id=first.id, values=None)
    assert forked["id"] == dbg.head.id == c.widget.head_id
    assert forked["next"] == ["step_1"], "an unchanged fork runs on as the original did"
    assert c.result("checkout", checkpoint_id=first.id)["id"] == first.id
    assert c.widget.head_id == first.id
    pause = c.result("replay", checkpoint_id=first.id)
    assert pause["reason"] == "done"
    assert dbg.state["trail"] == ["step_1", "step_2", "step_3"]


def test_invalid_values_are_refused_and_change_nothing(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("review_edit")
    c = client(dbg)
    dbg.break_before("human_review_edit")
    dbg.start({"summary": ""})
    head = dbg.head.id
    assert "JSON object" in c.error("apply_state", checkpoint_id=head, values="not an object")["message"]
    assert "unknown state key" in c.error("apply_state", checkpoint_id=head, values={"nope": 1})["message"]
    assert (
        "is not a node"
        in c.error("apply_state", checkpoint_id=head, values={"summary": "x"}, as_node="ghost")["message"]
    )
    assert dbg.head.id == head


class DeepState(TypedDict):
    depth: int


def _fail(state: DeepState) -> dict[str, Any]:
    cause = RuntimeError("a long cause " + "x" * 5_000)  # its text comes first in the traceback
    raise ValueError("the innermost call failed") from cause


def test_a_long_traceback_keeps_its_end_and_headline_in_the_status(tmp_path: Path) -> None:
    """A traceback over the status's 4,000 characters keeps its last lines (the exception line is
    at the end) and the headline is that line."""
    builder = StateGraph(DeepState)
    builder.add_node("deep", _fail)
    builder.add_edge(START, "deep")
    builder.add_edge("deep", END)
    dbg = hw.debug(builder, checkpointer=f"sqlite:{tmp_path / 'deep.sqlite'}")
    c = client(dbg)
    assert c.result("start", input={"depth": 1})["reason"] == "error"
    assert dbg.last_pause is not None and dbg.last_pause.error is not None
    assert len(dbg.last_pause.error) > 4_000
    error = c.widget.status["error"]
    assert isinstance(error, str) and len(error) <= 4_000
    assert "ValueError: the innermost call failed" in error
    assert error.startswith("… (")
    assert c.widget.status["error_line"] == "ValueError: the innermost call failed"


def test_a_checkpoint_says_where_the_interrupts_pending_there_were_raised(
    make_debugger: MakeDebugger,
) -> None:
    dbg = make_debugger("subgraph_interrupt")
    dbg.start({"topic": "bees", "findings": [], "notes": []})
    waiting = dbg.head
    assert waiting.parent_id is not None
    dbg.checkout(waiting.parent_id)  # the head moves away; the interrupt there stays pending
    c = client(dbg)
    past = c.call("checkpoint", checkpoint_id=waiting.id)["result"]
    assert [(i["node"], [s.split(":")[0] for s in i["ns"]]) for i in past["interrupts"]] == [
        ("ask_human", ["team", "ask_human"])
    ]
    assert dbg.interrupts_at(waiting.id[-8:])[0].value == {"question": "Anything to add about bees?"}
    head = c.call("checkpoint", checkpoint_id=dbg.head.id, values=False)["result"]
    assert head["interrupts"] == []
    dbg.checkout(waiting.id)
    dbg.resume("more bees")
    assert dbg.interrupts_at(waiting.id) == [], "an answered interrupt is no longer pending there"
    with pytest.raises(hw.DebuggerError, match="no checkpoint"):
        dbg.interrupts_at("no-such-checkpoint")


def test_a_checkpoint_panel_reads_the_subgraphs_checkpoints(
    make_debugger: MakeDebugger,
) -> None:
    dbg = make_debugger("subgraph_interrupt")
    c = client(dbg)
    dbg.start({"topic": "owls", "findings": [], "notes": []})
    before_team = next(cp.id for cp in dbg.history() if cp.next == ("team",))
    reply = c.call("subgraph_checkpoints", checkpoint_id=before_team)
    rows = reply["result"]["checkpoints"]
    assert [(r["path"], r["next"]) for r in rows] == [
        ("team", ["__start__"]),
        ("team", ["research"]),
        ("team", ["ask_human"]),
    ]
    assert rows[2]["values"]["findings"] == ["researched owls"]
