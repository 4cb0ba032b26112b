"""Subgraphs as places to stop: breakpoints by path at any depth, step into and over, edits of
a subgraph's own state, and the same thread as plain LangGraph leaves.

The graph (`graphs.nested_teams`): a → mid → b, where mid is m1 → inner → m2 and inner is
x → y; each node appends its name to `trail`.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import graphs
import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.pregel import Pregel

import hitl_widgets as hw
from hitl_widgets.model import Pause

ALL = ["a", "m1", "x", "y", "m2", "b"]
START = {"trail": [], "count": 0}


@pytest.fixture
def graph() -> Pregel[Any, Any, Any, Any]:
    return graphs.nested_teams().compile()


@pytest.fixture
def dbg(graph: Pregel[Any, Any, Any, Any], tmp_path: Path) -> hw.Debugger:
    return hw.debug(graph, checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")


def where(pause: Pause) -> tuple[str, str | None, tuple[str, ...]]:
    """(reason, the subgraph it stands in, what runs next there)."""
    if pause.inside is not None:
        return pause.reason, pause.inside.path, pause.inside.next_paths
    return pause.reason, None, pause.next


def plain_run() -> dict[str, Any]:
    graph = graphs.nested_teams().compile(checkpointer=InMemorySaver())
    return dict(graph.invoke(START, {"configurable": {"thread_id": "plain"}}))


def test_a_breakpoint_two_subgraphs_deep_stops_there_and_shows_the_subgraphs_state(
    dbg: hw.Debugger, graph: Pregel[Any, Any, Any, Any]
) -> None:
    dbg.break_before("mid/inner/y")
    pause = dbg.start(START)
    assert where(pause) == ("breakpoint", "mid/inner", ("mid/inner/y",))
    assert pause.inside is not None and pause.inside.values["trail"] == ["a", "m1", "x"]
    assert pause.values["trail"] == ["a"]  # the root's state: mid has not returned yet
    assert "inside mid/inner, next: mid/inner/y" in pause.summary()
    # the user's subgraph objects keep the breakpoints they were compiled with (none)
    subgraphs = [sub for _, sub in graph.get_subgraphs(recurse=True)]
    assert len(subgraphs) == 2
    assert all(isinstance(sub, Pregel) and sub.interrupt_before_nodes == [] for sub in subgraphs)
    done = dbg.cont()
    assert done.reason == "done"
    assert dbg.state == plain_run()


def test_step_into_walks_every_superstep_of_every_subgraph_and_ends_as_a_plain_run(dbg: hw.Debugger) -> None:
    dbg.break_before("a")
    dbg.start(START)
    walk = [where(dbg.step(into=True)) for _ in range(8)]
    assert walk == [
        ("step", None, ("mid",)),
        ("step", "mid", ("mid/m1",)),  # entered mid: stopped before its first node
        ("step", "mid", ("mid/inner",)),
        ("step", "mid/inner", ("mid/inner/x",)),
        ("step", "mid/inner", ("mid/inner/y",)),
        ("step", "mid", ("mid/m2",)),  # inner's last step hands back to mid, as a return
        ("step", None, ("b",)),
        ("done", None, ()),
    ]
    assert dbg.state == plain_run()


def test_step_over_runs_a_subgraph_as_one_step_and_steps_inside_stay_inside(dbg: hw.Debugger) -> None:
    dbg.break_before("a")
    dbg.start(START)
    dbg.step()
    assert where(dbg.step()) == ("step", None, ("b",))  # all of mid in one step
    assert dbg.state["trail"] == ["a", "m1", "x", "y", "m2"]

    other = hw.debug(graphs.nested_teams().compile())
    other.break_before("mid/m1")
    other.start(START)
    assert where(other.step()) == ("step", "mid", ("mid/inner",))  # inner as one step of mid
    assert where(other.step()) == ("step", "mid", ("mid/m2",))
    assert other.last_pause is not None and other.last_pause.inside is not None
    assert other.last_pause.inside.values["trail"] == ["a", "m1", "x", "y"]


def test_break_after_and_conditions_inside_a_subgraph(dbg: hw.Debugger) -> None:
    dbg.break_after("mid/m1", when=lambda state: "nothing" in state["trail"])  # never holds
    dbg.break_before("mid/inner/x", when=lambda state: state["trail"][-1] == "m1")  # holds
    assert dbg.breakpoint_conditions["before"] == {
        "mid/inner/x": "test_break_after_and_conditions_inside_a_subgraph.<locals>.<lambda>"
    }
    assert where(dbg.start(START)) == ("breakpoint", "mid/inner", ("mid/inner/x",))
    dbg.clear_breakpoints()
    dbg.break_after("mid/inner/y")
    after_y = dbg.cont()
    assert where(after_y) == ("breakpoint", "mid/inner", ())  # y was inner's last node
    assert "inside mid/inner, at its end" in after_y.summary()
    assert dbg.cont().reason == "done"
    assert dbg.state == plain_run()


def test_a_condition_that_raises_inside_a_subgraph_stops_with_the_error(dbg: hw.Debugger) -> None:
    dbg.break_before("mid/inner/y", when=lambda state: state["missing"])
    pause = dbg.start(START)
    assert where(pause) == ("breakpoint", "mid/inner", ("mid/inner/y",))
    assert pause.error is not None and "KeyError: 'missing'" in pause.error


def test_edit_while_stopped_inside_edits_the_subgraphs_state_and_the_run_goes_on_from_it(
    dbg: hw.Debugger,
) -> None:
    dbg.break_before("mid/inner/y")
    stop = dbg.start(START)
    head = dbg.edit({"trail": ["edited"]}, as_node="x")
    assert head.id == stop.checkpoint_id  # the root checkpoint stays; the subgraph has a new one
    assert dbg.last_pause is not None and dbg.last_pause.inside is not None
    assert dbg.last_pause.inside.values["trail"] == ["edited"]
    assert dbg.cont().values["trail"] == ["edited", "y", "m2", "b"]

    with pytest.raises(hw.DebuggerError, match=r"as_node='b' is not a node; use one of: 'x', 'y'"):
        again = hw.debug(graphs.nested_teams().compile())
        again.break_before("mid/inner/y")
        again.start(START)
        again.edit({"trail": ["no"]}, as_node="b")


def test_unknown_paths_are_refused_naming_every_node_a_breakpoint_can_take(dbg: hw.Debugger) -> None:
    for wrong in ("mid/nope", "mid:m1", "inner/x"):
        with pytest.raises(hw.DebuggerError) as refused:
            dbg.break_before(wrong)
        assert f"unknown node {wrong!r}" in str(refused.value)
        assert "'mid/m1', 'mid/m2', 'mid/inner', 'mid/inner/x', 'mid/inner/y'" in str(refused.value)
    assert dbg.breakpoints == {"before": [], "after": []}


def test_the_thread_is_the_one_plain_langgraph_leaves(dbg: hw.Debugger) -> None:
    """Stopping inside subgraphs and going on leaves the root thread a plain run leaves."""
    dbg.break_before("mid/inner/x", "mid/m2")
    dbg.break_after("mid/inner/y")
    pause = dbg.start(START)
    while pause.reason != "done":
        pause = dbg.cont()
    graph = graphs.nested_teams().compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "plain"}}
    graph.invoke(START, config)
    plain = [(s.metadata["step"], s.next, s.values) for s in graph.get_state_history(config)]  # type: ignore[index]
    ours = [(c.step, c.next, c.values) for c in dbg.history()]
    assert ours == plain


def test_on_a_server_stopping_inside_is_refused_with_the_reason(make_debugger: Any) -> None:
    remote = make_debugger("subgraph_interrupt")
    if remote.backend_kind != "remote":
        remote.break_before("team/research")  # in the kernel it is a place like any other
        assert remote.breakpoints["before"] == ["team/research"]
        return
    with pytest.raises(hw.DebuggerError, match="must be compiled into that subgraph there"):
        remote.break_before("team/research")
    remote.break_before("plan")
    remote.start({"topic": "owls", "findings": [], "notes": []})
    with pytest.raises(hw.DebuggerError, match=r"step\(into=True\) needs the graph in this kernel"):
        remote.step(into=True)


def test_a_root_checkpoint_opens_the_checkpoints_its_subgraphs_saved_at_any_depth(make_debugger: Any) -> None:
    dbg = make_debugger("nested_teams")  # a server lists them too (`threads.get_history`)
    dbg.start(START)
    before_mid = next(c for c in dbg.history() if c.next == ("mid",))
    inside = dbg.subgraph_checkpoints(before_mid.id[-8:])  # ids by their short form, as everywhere
    assert [(c.path, c.step, c.next) for c in inside] == [
        ("mid", -1, ("__start__",)),
        ("mid", 0, ("m1",)),
        ("mid", 1, ("inner",)),
        ("mid/inner", -1, ("__start__",)),
        ("mid/inner", 0, ("x",)),
        ("mid/inner", 1, ("y",)),
        ("mid/inner", 2, ()),
        ("mid", 2, ("m2",)),
        ("mid", 3, ()),
    ]
    assert inside[5].values["trail"] == ["a", "m1", "x"]
    assert [c.parent_id for c in inside[4:7]] == [c.id for c in inside[3:6]]  # each subgraph's own chain
    assert inside[3].checkpoint_ns.startswith(inside[0].checkpoint_ns + "|inner:")
    assert dbg.subgraph_checkpoints(dbg.history()[0].id) == []  # the end: no subgraph runs from it


def test_an_async_subgraph_stops_inside_from_plain_and_awaited_commands(tmp_path: Path) -> None:
    """Async nodes inside the subgraph: the run goes through `astream`, on the debugger's own
    loop for plain calls and on the caller's for awaited ones; the stops are the same."""

    def async_chain(names: list[str], subgraphs: dict[str, Any]) -> Any:
        builder = graphs.StateGraph(graphs.TrailState)
        previous = graphs.START
        for name in names:

            async def visit(state: graphs.TrailState, name: str = name) -> dict[str, Any]:
                await asyncio.sleep(0)
                return {"trail": [*state["trail"], name], "count": state["count"] + 1}

            builder.add_node(name, subgraphs.get(name) or visit)
            builder.add_edge(previous, name)
            previous = name
        builder.add_edge(previous, graphs.END)
        return builder

    inner = async_chain(["x", "y"], {}).compile()
    graph = async_chain(["a", "mid", "b"], {"mid": async_chain(["m1", "inner"], {"inner": inner}).compile()})
    dbg = hw.debug(graph.compile(), checkpointer=f"sqlite:{tmp_path / 'a.sqlite'}")
    dbg.break_before("mid/inner/y")
    assert where(dbg.start(START)) == ("breakpoint", "mid/inner", ("mid/inner/y",))

    async def awaited() -> list[tuple[str, str | None, tuple[str, ...]]]:
        return [where(await dbg.astep()), where(await dbg.astep(into=True))]

    assert asyncio.run(awaited()) == [
        ("step", None, ("b",)),  # y ends inner, and inner ends mid: the step comes back to the root
        ("done", None, ()),  # nothing to step into before b
    ]
    assert dbg.state["trail"] == ["a", "m1", "x", "y", "b"]


# ---------------------------------------------------------------- an interrupt at each level


def plain_answers(*answers: str) -> dict[str, Any]:
    """What plain LangGraph leaves after answering each interrupt of `nested_asks` in turn."""
    graph = graphs.nested_asks().compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "plain"}}
    graph.invoke(START, config)
    for answer in answers:
        graph.invoke(graphs.Command(resume=answer), config)
    return dict(graph.get_state(config).values)


def test_an_interrupt_at_each_level_of_a_two_level_subgraph(make_debugger: Any) -> None:
    dbg = make_debugger("nested_asks")
    asked = dbg.start(START)
    assert asked.reason == "interrupt"
    (first,) = asked.interrupts
    assert (first.node, len(first.ns), first.value["question"]) == ("m_ask", 2, "m_ask: go on?")
    deeper = dbg.resume("yes")
    (second,) = deeper.interrupts
    assert (second.node, len(second.ns), second.value["trail"]) == ("i_ask", 3, ["a", "m_ask=yes", "x"])
    assert [segment.split(":")[0] for segment in second.ns] == ["mid", "inner", "i_ask"]
    if dbg.backend_kind != "remote":  # a server's runs are not read inside (see the README)
        assert deeper.inside is not None and deeper.inside.path == "mid/inner"
        assert deeper.inside.values["trail"] == ["a", "m_ask=yes", "x"]
    done = dbg.resume("sure")
    assert done.reason == "done"
    assert dbg.state == plain_answers("yes", "sure")


def test_a_breakpoint_and_an_edit_between_the_two_levels_interrupts_as_plain_langgraph(
    tmp_path: Path,
) -> None:
    """Stopped inside `inner` after answering `m_ask`, an edit of inner's state, then on. As in
    plain LangGraph, the answer given with `Command(resume=...)` answers `i_ask` too (the run is
    still the one that resume started), so it does not ask again."""
    asks = hw.debug(graphs.nested_asks().compile(), checkpointer=f"sqlite:{tmp_path / 'asks.sqlite'}")
    asks.break_before("mid/inner/x")
    assert asks.start(START).interrupts[0].node == "m_ask"
    stop = asks.resume("yes")
    assert where(stop) == ("breakpoint", "mid/inner", ("mid/inner/x",))
    asks.edit({"trail": ["edited"]})
    assert asks.cont().values["trail"] == ["edited", "x", "i_ask=yes", "m2", "b"]

    plain = graphs.nested_asks().compile(checkpointer=InMemorySaver())
    (inner,) = [sub for ns, sub in plain.get_subgraphs(recurse=True) if ns == "mid|inner"]
    inner.interrupt_before_nodes = ["x"]  # LangGraph's way: compiled into the subgraph
    config: Any = {"configurable": {"thread_id": "plain"}}
    plain.invoke(START, config)
    plain.invoke(graphs.Command(resume="yes"), config)
    inside = plain.get_state(config, subgraphs=True).tasks[0].state
    inside = inside.tasks[0].state  # type: ignore[union-attr]
    plain.update_state(inside.config, {"trail": ["edited"]})  # type: ignore[union-attr]
    plain.invoke(None, config)
    assert asks.state == dict(plain.get_state(config).values)


# ---------------------------------------------------------------- what the review found


def test_an_edit_inside_names_the_subgraphs_keys_and_the_way_to_edit_the_root(tmp_path: Path) -> None:
    """Stopped at an interrupt inside `team`, whose state has no `notes`: refused, nothing written."""
    dbg = hw.debug(graphs.subgraph_interrupt().compile(), checkpointer=f"sqlite:{tmp_path / 's.sqlite'}")
    dbg.start({"topic": "owls", "findings": [], "notes": []})
    before = dbg.subgraph_checkpoints(dbg.head.id)
    with pytest.raises(hw.DebuggerError) as refused:
        dbg.edit({"notes": ["x"]})
    message = str(refused.value)
    assert "unknown state key 'notes'; the state keys of subgraph team, where the run stands," in message
    assert "'topic', 'findings'" in message and "dbg.fork(dbg.head.id, values)" in message
    assert dbg.subgraph_checkpoints(dbg.head.id) == before


def test_where_the_head_stands_is_one_answer_after_a_checkout_and_in_a_new_debugger(tmp_path: Path) -> None:
    saver = f"sqlite:{tmp_path / 't.sqlite'}"
    dbg = hw.debug(graphs.nested_teams().compile(), checkpointer=saver, thread_id="t")
    dbg.break_before("mid/inner/y")
    stop = dbg.start(START)
    dbg.checkout(stop.checkpoint_id)  # the pause is forgotten: where it stands is read back
    assert dbg.inside is not None and dbg.inside.path == "mid/inner"
    again = hw.debug(graphs.nested_teams().compile(), checkpointer=saver, thread_id="t")
    assert again.inside is not None and again.inside.next_paths == ("mid/inner/y",)
    again.edit({"trail": ["from another debugger"]})
    assert again.inside.values["trail"] == ["from another debugger"]
    assert again.cont().values["trail"] == ["from another debugger", "y", "m2", "b"]


def test_one_compiled_subgraph_at_two_places_takes_the_breakpoints_of_both(tmp_path: Path) -> None:
    team = graphs._chain(["x", "y"], {}).compile()
    graph = graphs._chain(["p", "q"], {"p": team, "q": team}).compile()
    dbg = hw.debug(graph)
    dbg.break_before("q/x")
    dbg.break_after("p/y")
    # LangGraph keeps breakpoints on the object: both places stop, and neither set is lost
    assert where(dbg.start(START)) == ("breakpoint", "p", ("p/x",))
    assert where(dbg.cont()) == ("breakpoint", "p", ())
    assert where(dbg.cont()) == ("breakpoint", "q", ("q/x",))
    assert where(dbg.cont()) == ("breakpoint", "q", ())  # after q/y: the object's after-breakpoint
    done = dbg.cont()
    assert (done.reason, done.values["trail"]) == ("done", ["x", "y", "x", "y"])
    assert team.interrupt_before_nodes == [] and team.interrupt_after_nodes == []


def test_a_root_node_named_with_a_slash_is_a_root_node(tmp_path: Path) -> None:
    graph = graphs._chain(["load/clean", "mid"], {"mid": graphs._chain(["x"], {}).compile()}).compile()
    dbg = hw.debug(graph)
    dbg.break_before("load/clean", "mid/x")
    assert where(dbg.start(START)) == ("breakpoint", None, ("load/clean",))
    assert where(dbg.cont()) == ("breakpoint", "mid", ("mid/x",))
    assert dbg.cont().values["trail"] == ["load/clean", "x"]


def test_try_node_and_to_test_wait_for_a_run_in_flight(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.nested_teams().compile())
    dbg.break_before("mid/inner/y")
    started, gate = threading.Event(), threading.Event()

    def hold(event: hw.DebuggerEvent) -> None:
        if event.kind == "running":
            started.set()
            gate.wait(30)

    stop_listening = dbg.observe(hold, live=False)
    run = threading.Thread(target=dbg.start, args=(START,))
    run.start()
    try:
        assert started.wait(30)
        with pytest.raises(hw.DebuggerError, match=r"try_node\(\) waits for the run in flight \(start\)"):
            dbg.try_node("a")
        with pytest.raises(hw.DebuggerError, match=r"to_test\(\) waits for the run in flight"):
            dbg.to_test("zzzzzz", tmp_path / "tests" / "test_x.py")
        assert not (tmp_path / "tests").exists()
    finally:
        gate.set()
        run.join(30)
        stop_listening()
    assert dbg.try_node("a").update == {"trail": ["a", "a"], "count": 2}  # on the head, after a
