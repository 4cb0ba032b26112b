"""Every human-in-the-loop pattern of the seed documents, driven through the Debugger.

Runs once per backend (see `make_debugger` in conftest): the same contract, local and remote.
"""

from __future__ import annotations

import graphs
import pytest
from graphs import CONTRACT_BACKENDS, MakeDebugger
from langchain_core.messages import BaseMessage, convert_to_messages

import hitl_widgets as hw


@pytest.fixture(params=CONTRACT_BACKENDS)
def backend_kind(request: pytest.FixtureRequest) -> str:
    """The contract holds on SQLite, on Postgres and on a server."""
    return str(request.param)


def test_dynamic_interrupt_text_to_revise(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    pause = dbg.start({"some_text": "original text"})

    assert pause.reason == "interrupt"
    assert pause.next == ("human_node",)
    (pending,) = pause.interrupts
    assert pending.value == {"text_to_revise": "original text"}
    assert pending.node == "human_node"
    assert pending.ns[0].startswith("human_node:")
    assert [i.id for i in dbg.interrupts] == [pending.id]

    done = dbg.resume("Edited text")
    assert done.reason == "done"
    assert done.values == {"some_text": "Edited text"}
    assert dbg.state == {"some_text": "Edited text"}
    assert dbg.interrupts == []


@pytest.mark.parametrize(
    ("answer", "decision", "output"),
    [("approve", "approved", "[approved]"), ("reject", "rejected", "[rejected]")],
)
def test_approve_or_reject_routes_with_command_goto(
    make_debugger: MakeDebugger, answer: str, decision: str, output: str
) -> None:
    dbg = make_debugger("approve_reject")
    pause = dbg.start({"llm_output": "", "decision": ""})
    assert pause.reason == "interrupt"
    assert pause.interrupts[0].value["question"] == "Do you approve the following output?"

    done = dbg.resume(answer)
    assert done.reason == "done"
    assert done.values["decision"] == decision
    assert done.values["llm_output"].endswith(output)
    assert dbg.head.writes == (f"{answer}d_path" if answer == "approve" else "rejected_path",)


def test_review_and_edit_state_with_a_dict_resume(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("review_edit")
    pause = dbg.start({"summary": ""})
    assert pause.interrupts[0].value["generated_summary"].startswith("The cat sat")

    done = dbg.resume({"edited_summary": "The cat lay on the mat."})
    assert done.reason == "done"
    assert done.values == {"summary": "The cat lay on the mat. (used)"}


def state_messages(dbg: hw.Debugger, backend_kind: str) -> list[BaseMessage]:
    """The state's messages as LangChain messages.

    Server difference: the server sends state as JSON, so there a message arrives as the dict
    of its fields (`{"type": "tool", "content": ...}`); it is read back into a message object
    here so that the assertions are the same on both backends.
    """
    messages = dbg.state["messages"]
    return list(messages) if backend_kind != "remote" else convert_to_messages(messages)


def test_review_tool_calls_accept(make_debugger: MakeDebugger, backend_kind: str) -> None:
    dbg = make_debugger("tool_review_agent")
    pause = dbg.start({"messages": [{"role": "user", "content": "Find me a hotel in Paris"}]})

    assert pause.reason == "interrupt"
    (pending,) = pause.interrupts
    (request,) = pending.value
    assert request["action_request"] == {"action": "search_hotel", "args": {"city": "Paris"}}
    assert request["config"]["allow_edit"] is True
    assert pending.node == "tools"

    done = dbg.resume([{"type": "accept"}])
    assert done.reason == "done"
    messages = state_messages(dbg, backend_kind)
    tool_messages = [m for m in messages if m.type == "tool"]
    assert tool_messages[0].content == "Found the Grand Hotel in Paris."
    assert messages[-1].content == "The Grand Hotel is free."


def test_review_tool_calls_edit_args(make_debugger: MakeDebugger, backend_kind: str) -> None:
    dbg = make_debugger("tool_review_agent")
    dbg.start({"messages": [{"role": "user", "content": "Find me a hotel in Paris"}]})

    done = dbg.resume([{"type": "edit", "args": {"action": "search_hotel", "args": {"city": "Rome"}}}])
    assert done.reason == "done"
    tool_messages = [m for m in state_messages(dbg, backend_kind) if m.type == "tool"]
    assert tool_messages[0].content == "Found the Grand Hotel in Rome."


def test_validate_input_in_a_loop(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("validate_input")
    first = dbg.start({"age": 0})
    assert first.interrupts[0].value.startswith("Please enter your age")

    again = dbg.resume("abc")
    assert again.reason == "interrupt"
    assert "'abc' is not valid" in again.interrupts[0].value

    again = dbg.resume("-1")
    assert again.reason == "interrupt"
    assert "'-1' is not valid" in again.interrupts[0].value

    done = dbg.resume("42")
    assert done.reason == "done"
    assert done.values == {"age": 42}


def test_two_parallel_interrupts_resumed_by_id(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("parallel_interrupts")
    pause = dbg.start({"text_1": "original text 1", "text_2": "original text 2"})
    assert pause.reason == "interrupt"
    by_node = {i.node: i for i in pause.interrupts}
    assert set(by_node) == {"human_node_1", "human_node_2"}
    assert by_node["human_node_1"].value == {"text_to_revise": "original text 1"}

    done = dbg.resume(
        {
            by_node["human_node_1"].id: "edited text for original text 1",
            by_node["human_node_2"].id: "edited text for original text 2",
        }
    )
    assert done.reason == "done"
    assert done.values == {
        "text_1": "edited text for original text 1",
        "text_2": "edited text for original text 2",
    }


def test_answering_one_of_two_interrupts_leaves_the_other_pending(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("parallel_interrupts")
    pause = dbg.start({"text_1": "a", "text_2": "b"})
    first, second = pause.interrupts

    partial = dbg.resume({first.id: "edited"})
    assert partial.reason == "interrupt"
    assert [i.id for i in dbg.interrupts] == [second.id]

    done = dbg.resume("other")
    assert done.reason == "done"


def test_compiled_breakpoints_pause_and_can_be_cleared(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline_static")
    assert dbg.breakpoints == {"before": ["step_2"], "after": ["step_3"]}

    pause = dbg.start({"input": "x", "trail": []})
    assert pause.reason == "breakpoint"
    assert pause.next == ("step_2",)
    assert pause.values["trail"] == ["step_1"]

    pause = dbg.cont()
    assert pause.reason == "breakpoint"
    assert pause.values["trail"] == ["step_1", "step_2", "step_3"]

    assert dbg.cont().reason == "done"

    dbg.clear_breakpoints("step_2")
    assert dbg.breakpoints == {"before": [], "after": ["step_3"]}
    pause = dbg.start({"input": "y", "trail": []})  # the trail reducer appends to the first run's
    assert pause.reason == "breakpoint"
    assert pause.next == ()
    assert pause.values["trail"] == ["step_1", "step_2", "step_3"] * 2

    dbg.clear_breakpoints()
    assert dbg.cont().reason == "done"
    assert dbg.start({"input": "z", "trail": []}).reason == "done"


def test_runtime_breakpoints_merge_with_compiled_ones(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline_static")
    dbg.break_before("step_3")
    assert dbg.breakpoints == {"before": ["step_2", "step_3"], "after": ["step_3"]}

    assert dbg.start({"input": "x", "trail": []}).next == ("step_2",)
    pause = dbg.cont()
    assert pause.reason == "breakpoint"
    assert pause.next == ("step_3",)
    assert pause.values["trail"] == ["step_1", "step_2"]


def test_break_after_pauses_once_the_node_ran(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.break_after("step_1")
    pause = dbg.start({"input": "x", "trail": []})
    assert pause.reason == "breakpoint"
    assert pause.values["trail"] == ["step_1"]
    assert pause.next == ("step_2",)
    assert dbg.cont().reason == "done"


def test_step_runs_exactly_one_superstep(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.break_before("step_1")
    dbg.start({"input": "x", "trail": []})

    trails = []
    reasons = []
    for _ in range(3):
        pause = dbg.step()
        trails.append(list(pause.values["trail"]))
        reasons.append(pause.reason)
    assert trails == [["step_1"], ["step_1", "step_2"], ["step_1", "step_2", "step_3"]]
    assert reasons == ["step", "step", "done"]


def test_human_input_through_edit_as_node(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("human_input_graph")
    dbg.break_before("human_input")
    pause = dbg.start({"user_input": "", "trail": []})
    assert pause.next == ("human_input",)

    checkpoint = dbg.edit({"user_input": "go ahead"}, as_node="human_input")
    assert checkpoint.source == "update"
    assert checkpoint.writes == ("human_input",)
    assert checkpoint.next == ("step_3",)
    assert dbg.head.id == checkpoint.id

    done = dbg.cont()
    assert done.reason == "done"
    assert done.values["trail"] == ["step_1", "step_3 got go ahead"]


def test_interrupt_inside_a_subgraph(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("subgraph_interrupt")
    pause = dbg.start({"topic": "otters", "notes": [], "findings": []})

    assert pause.reason == "interrupt"
    (pending,) = pause.interrupts
    assert pending.node == "ask_human"
    assert len(pending.ns) == 2
    assert pending.ns[0].startswith("team:")
    assert pending.ns[1].startswith("ask_human:")
    assert pending.value == {"question": "Anything to add about otters?"}

    done = dbg.resume("they hold hands")
    assert done.reason == "done"
    assert done.values["notes"] == ["planned", "written"]
    assert done.values["findings"] == ["researched otters", "human: they hold hands"]


def test_interrupt_response_schema_is_listed(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("schema_interrupt")
    pause = dbg.start({"rating": 0})
    (pending,) = pause.interrupts
    assert pending.response_schema == graphs.ANSWER_SCHEMA
    assert dbg.resume({"rating": 4}).values == {"rating": 4}


def test_failing_node_pauses_with_its_error_and_retries_after_an_edit(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("failing_node")
    pause = dbg.start({"value": -1, "trail": []})

    assert pause.reason == "error"
    assert pause.error is not None
    assert "value must not be negative, got -1" in pause.error
    assert pause.next == ("check",)
    assert dbg.head.next == ("check",)
    assert dbg.state["trail"] == ["prepared"]

    dbg.edit({"value": 3}, as_node="prepare")
    done = dbg.cont()
    assert done.reason == "done"
    assert done.values["trail"] == ["prepared", "checked", "finished"]


def test_fork_a_past_checkpoint_leaves_the_original_branch_unchanged(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "x", "trail": []})
    before = {cp.id: (cp.parent_id, cp.step, dict(cp.values)) for cp in dbg.history()}
    after_step_1 = next(cp for cp in dbg.history() if cp.writes == ("step_1",))

    forked = dbg.fork(after_step_1.id, {"trail": ["inserted"]}, as_node="step_1")
    assert forked.parent_id == after_step_1.id
    assert forked.next == ("step_2",)
    assert dbg.head.id == forked.id

    done = dbg.cont()
    assert done.values["trail"] == ["step_1", "inserted", "step_2", "step_3"]

    after = {cp.id: (cp.parent_id, cp.step, dict(cp.values)) for cp in dbg.history()}
    assert {k: after[k] for k in before} == before
    assert len(after) == len(before) + 3  # the fork, then step_2 and step_3 on the new branch


def test_replay_from_a_past_checkpoint_makes_a_new_branch(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "x", "trail": []})
    before = {cp.id: (cp.parent_id, dict(cp.values)) for cp in dbg.history()}
    after_step_1 = next(cp for cp in dbg.history() if cp.writes == ("step_1",))

    replayed = dbg.replay(after_step_1.short_id)
    assert replayed.reason == "done"
    assert replayed.values["trail"] == ["step_1", "step_2", "step_3"]
    assert replayed.checkpoint_id not in before

    after = {cp.id: (cp.parent_id, dict(cp.values)) for cp in dbg.history()}
    assert {k: after[k] for k in before} == before
    new = [cp for cp in dbg.history() if cp.id not in before]
    assert new
    # the new branch hangs off the replayed checkpoint
    roots = {cp.parent_id for cp in new} - {cp.id for cp in new}
    assert roots == {after_step_1.id}


def test_checkout_then_continue_runs_from_there(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.break_before("step_2")
    dbg.start({"input": "x", "trail": []})
    at_break = dbg.head
    dbg.clear_breakpoints()
    dbg.cont()

    moved = dbg.checkout(at_break.id)
    assert moved.id == at_break.id
    assert dbg.head.id == at_break.id
    assert dbg.state["trail"] == ["step_1"]

    done = dbg.cont()
    assert done.reason == "done"
    assert done.values["trail"] == ["step_1", "step_2", "step_3"]
    assert dbg.head.id != at_break.id


def test_fork_without_values_copies_the_checkpoint(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "x", "trail": []})
    after_step_2 = next(cp for cp in dbg.history() if cp.writes == ("step_2",))

    copy = dbg.fork(after_step_2.id)
    assert copy.id != after_step_2.id
    assert copy.parent_id == after_step_2.parent_id  # a sibling: the branch starts where it did
    assert copy.next == after_step_2.next == ("step_3",)
    assert dict(copy.values) == dict(after_step_2.values)
    assert dbg.cont().values["trail"] == ["step_1", "step_2", "step_3"]


def test_history_lists_every_branch_newest_first_with_skeleton_fields(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "x", "trail": []})
    history = dbg.history()

    assert [cp.step for cp in history] == [3, 2, 1, 0, -1]
    assert [cp.source for cp in history] == ["loop", "loop", "loop", "loop", "input"]
    assert [cp.writes for cp in history] == [
        ("step_3",),
        ("step_2",),
        ("step_1",),
        ("__start__",),
        ("__input__",),
    ]
    assert [cp.next for cp in history] == [(), ("step_3",), ("step_2",), ("step_1",), ("__start__",)]
    assert [cp.parent_id for cp in history[:-1]] == [cp.id for cp in history[1:]]
    assert history[-1].parent_id is None
    assert all(cp.created_at is not None for cp in history)
    assert [cp.created_at for cp in history] == sorted((cp.created_at for cp in history), reverse=True)  # type: ignore[type-var]
    assert dbg.history(limit=2) == history[:2]
    assert history[0].values["trail"] == ["step_1", "step_2", "step_3"]


def test_checkpoint_ids_resolve_from_prefix_or_suffix(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "x", "trail": []})
    target = dbg.history()[2]

    assert dbg.checkout(target.id[-8:]).id == target.id
    assert dbg.checkout(target.id).id == target.id
    unique_prefix = next(
        target.id[:n]
        for n in range(6, len(target.id))
        if sum(cp.id.startswith(target.id[:n]) for cp in dbg.history()) == 1
    )
    assert dbg.checkout(unique_prefix).id == target.id


def test_thread_id_is_kept_and_attached_to(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise", thread_id=None)
    dbg.start({"some_text": "x"})
    again = make_debugger("text_to_revise", thread_id=dbg.thread_id)
    assert again.thread_id == dbg.thread_id
    assert [i.value for i in again.interrupts] == [{"text_to_revise": "x"}]
    assert again.head.id == dbg.head.id
    assert again.resume("y").values == {"some_text": "y"}


def test_topology_lists_nodes_edges_and_subgraphs(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("subgraph_interrupt")
    topo = dbg.topology
    assert topo.node_names == ("plan", "team", "write")
    kinds = {n.id: n.kind for n in topo.nodes}
    assert kinds["team"] == "subgraph"
    assert kinds["__start__"] == "start"
    parents = {n.id: n.parent for n in topo.nodes}
    assert parents["team:ask_human"] == "team"

    routing = make_debugger("tool_review_agent").topology
    conditional = {(e.source, e.target) for e in routing.edges if e.conditional}
    assert ("agent", "tools") in conditional


def test_debugger_error_is_the_public_exception(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    with pytest.raises(hw.DebuggerError, match="nodes are: 'step_1', 'step_2', 'step_3'"):
        dbg.break_before("step_9")
