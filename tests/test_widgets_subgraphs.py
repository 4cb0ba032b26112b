"""The widget's side of subgraphs as places to stop, driven as the browser drives it: a
breakpoint set by path on a node inside a subgraph, "Step into" through the command channel,
and what the widget shows while a run stands inside (where, what runs next there, the
subgraph's own state, the nodes an edit there may be written as).

The graph (`graphs.nested_teams`): a → mid → b, where mid is m1 → inner → m2 and inner is
x → y; each node appends its name to `trail`.
"""

from __future__ import annotations

from pathlib import Path

import graphs
import pytest
from graphs import MakeDebugger
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.widgets import DebuggerWidget

START = {"trail": [], "count": 0}


@pytest.fixture
def dbg(tmp_path: Path) -> hw.Debugger:
    return hw.debug(graphs.nested_teams().compile(), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")


@pytest.fixture
def c(dbg: hw.Debugger) -> WidgetClient:
    return WidgetClient(DebuggerWidget(dbg))


def test_the_widget_offers_every_breakable_node_and_sets_one_inside_by_path(
    dbg: hw.Debugger, c: WidgetClient
) -> None:
    assert c.widget.breakable == list(dbg.breakable_nodes)
    assert "mid/inner/y" in c.widget.breakable
    assert c.widget.inside == {}  # nothing runs yet: the head stands nowhere inside
    c.result("set_breakpoint", node="mid/inner/y", when="before", on=True)
    c.result("set_breakpoint", node="mid/m2", when="after", on=True, condition="'y' in state['trail']")
    assert dbg.breakpoints["before"] == ["mid/inner/y"]
    assert dbg.breakpoint_conditions["after"] == {"mid/m2": "'y' in state['trail']"}
    assert c.widget.breakpoints["before"] == ["mid/inner/y"]
    error = c.error("set_breakpoint", node="mid/inner/nowhere", when="before", on=True)
    assert error["type"] == "DebuggerError" and "mid/inner/y" in error["message"]
    assert dbg.breakpoints["before"] == ["mid/inner/y"]  # nothing changed


def test_a_pause_inside_shows_where_what_runs_next_there_and_the_subgraphs_state(
    dbg: hw.Debugger, c: WidgetClient
) -> None:
    c.result("set_breakpoint", node="mid/inner/y", when="before", on=True)
    pause = c.result("start", input=START)
    assert pause["reason"] == "breakpoint"
    inside = c.widget.inside
    assert inside["path"] == "mid/inner"
    assert inside["next"] == ["y"] and inside["next_paths"] == ["mid/inner/y"]
    assert inside["nodes"] == ["x", "y"]
    assert inside["values"]["trail"] == ["a", "m1", "x"]  # the subgraph's own state
    assert inside["summary"] == "inside mid/inner, next: mid/inner/y"
    status = c.widget.status
    assert "inside mid/inner, next: mid/inner/y" in status["summary"]
    assert status["breakpoint_hit"] == "before mid/inner/y"
    # the root's state is still the root's: mid has not returned
    assert c.result("head_state")["values"]["trail"] == ["a"]
    # a cut value of the subgraph's state is read from the subgraph's checkpoint
    assert c.result("more", source="inside", id=inside["checkpoint_id"], path=["trail"])["value"] == [
        "a",
        "m1",
        "x",
    ]
    assert "no longer stands" in c.error("more", source="inside", id="other", path=["trail"])["message"]
    c.result("cont")
    assert c.widget.inside == {}
    assert dbg.state["trail"] == ["a", "m1", "x", "y", "m2", "b"]


def test_step_into_from_the_widget_enters_the_subgraph_and_step_stays_inside(
    dbg: hw.Debugger, c: WidgetClient
) -> None:
    c.result("set_breakpoint", node="a", when="before", on=True)
    c.result("start", input=START)
    c.result("step")
    assert c.widget.status["next"] == ["mid"] and c.widget.inside == {}
    c.result("step", into=True)
    assert c.widget.inside["path"] == "mid" and c.widget.inside["next_paths"] == ["mid/m1"]
    c.result("step", into=True)
    c.result("step", into=True)
    assert c.widget.inside["path"] == "mid/inner" and c.widget.inside["next_paths"] == ["mid/inner/x"]
    c.result("step")  # a plain step inside runs one of the subgraph's own supersteps
    assert c.widget.inside["next_paths"] == ["mid/inner/y"]
    assert "must be true or false" in c.error("step", into="yes")["message"]
    assert c.widget.inside["next_paths"] == ["mid/inner/y"]  # the refused request ran nothing


def test_an_edit_from_the_state_editor_inside_edits_the_subgraphs_state(
    dbg: hw.Debugger, c: WidgetClient
) -> None:
    c.result("set_breakpoint", node="mid/inner/y", when="before", on=True)
    c.result("start", input=START)
    head = dbg.head.id
    editable = c.result("editable", checkpoint_id=head)
    assert editable["inside"] == "mid/inner"
    assert editable["values"]["trail"] == ["a", "m1", "x"]
    error = c.error("apply_state", checkpoint_id=head, values={"count": 50}, as_node="m1")
    assert "x" in error["message"] and "y" in error["message"]  # inside, the subgraph's nodes
    c.result("apply_state", checkpoint_id=head, values={"count": 50}, as_node="x")
    assert c.widget.head_id == head  # the root checkpoint stays
    assert c.widget.inside["values"]["count"] == 50
    assert "inside mid/inner, next: mid/inner/y" in c.widget.status["summary"]
    c.result("cont")
    assert dbg.state["count"] == 53  # y, m2 and b counted on from the edited 50
    # at a past checkpoint the editor edits (forks) the root's state
    first = dbg.history()[-1].id
    assert c.result("editable", checkpoint_id=first)["inside"] is None


def test_the_widget_offers_subgraph_paths_where_the_backend_stops_inside(make_debugger: MakeDebugger) -> None:
    """In this kernel every node takes a breakpoint and Step into enters a subgraph; a server
    takes the root's nodes only and refuses Step into, saying why (the widget disables it).
    The graph (`graphs.subgraph_interrupt`): plan → team(research → ask_human) → write."""
    dbg = make_debugger("subgraph_interrupt")
    c = WidgetClient(DebuggerWidget(dbg))
    assert c.widget.thread["backend"] == dbg.backend_kind  # what the browser reads "remote" from
    c.result("set_breakpoint", node="plan", when="after", on=True)
    c.result("start", input={"topic": "owls", "findings": [], "notes": []})
    assert c.widget.status["next"] == ["team"]
    if dbg.backend_kind == "remote":
        assert c.widget.breakable == ["plan", "team", "write"]
        assert "needs the graph in this kernel" in c.error("step", into=True)["message"]
        assert c.widget.status["next"] == ["team"] and c.widget.inside == {}  # nothing ran
        error = c.error("set_breakpoint", node="team/research", when="before", on=True)
        assert "must be compiled into that subgraph there" in error["message"]
    else:
        assert c.widget.breakable == ["plan", "team", "write", "team/research", "team/ask_human"]
        c.result("step", into=True)
        assert c.widget.inside["path"] == "team" and c.widget.inside["next_paths"] == ["team/research"]
