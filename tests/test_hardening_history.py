"""History is never changed or lost, whatever sequence of commands a user issues.

A hypothesis state machine drives random sequences of Debugger commands (start, step, cont,
breakpoints, resume with valid and invalid answers, edit, fork, replay, checkout, with good
and bad arguments) over small graphs with interrupts, parallel branches, a subgraph and a
failing node. LangGraph itself is the oracle: after every command the test reads the thread
with `get_state_history` / `get_state` on the backend's compiled graph and checks that

- every checkpoint that existed still exists with the same parent, step, source and values,
  and every new one hangs off the tree;
- a refused command (`DebuggerError`) changed nothing: same checkpoints, head, interrupts and
  breakpoints; commands the model knows to be wrong are refused, never attempted;
- the Debugger's view (`history()`, `head`, `state`, `interrupts`, `breakpoints`) is LangGraph's.

The generation is derandomized, so CI runs the same sequences every time; each test counts the
sequences it ran and asserts its share, and the shares add up to at least 1,000.
"""

from __future__ import annotations

import operator
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import graphs
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.pregel import Pregel
from langgraph.types import interrupt
from typing_extensions import TypedDict

import hitl_widgets as hw
from hitl_widgets.backends.checkpointers import sqlite_saver

STEPS_PER_SEQUENCE = 10
BOGUS_NODE = "no_such_node"

# ---------------------------------------------------------------- a graph with every feature at once


class MixedState(TypedDict):
    value: int
    trail: Annotated[list[str], operator.add]
    answer: str


def _fan(name: str) -> Callable[[MixedState], dict[str, Any]]:
    def node(state: MixedState) -> dict[str, Any]:
        return {"trail": [name]}

    return node


def _ask(state: MixedState) -> dict[str, Any]:
    return {"answer": str(interrupt({"question": "go on?", "trail": state["trail"]}))}


def _inner_ask(state: MixedState) -> dict[str, Any]:
    return {"trail": [f"inner:{interrupt('inside the team')}"]}


def _check(state: MixedState) -> dict[str, Any]:
    if state["value"] < 0:
        raise ValueError(f"value must not be negative, got {state['value']}")
    return {"trail": ["checked"]}


def mixed_graph() -> StateGraph:
    """Two parallel branches, an interrupt, a subgraph that interrupts inside, a node that fails."""
    inner = StateGraph(MixedState)
    inner.add_node("work", _fan("work"))
    inner.add_node("inner_ask", _inner_ask)
    inner.add_edge(START, "work")
    inner.add_edge("work", "inner_ask")
    outer = StateGraph(MixedState)
    outer.add_node("left", _fan("left"))
    outer.add_node("right", _fan("right"))
    outer.add_node("ask", _ask)
    outer.add_node("team", inner.compile())
    outer.add_node("check", _check)
    outer.add_edge(START, "left")
    outer.add_edge(START, "right")
    outer.add_edge(["left", "right"], "ask")
    outer.add_edge("ask", "team")
    outer.add_edge("team", "check")
    outer.add_edge("check", END)
    return outer


class RoundsState(TypedDict):
    trail: Annotated[list[str], operator.add]
    rounds: int


def rounds_graph(rounds: int = 4) -> StateGraph:
    """A map-reduce loop: plan, two parallel branches, a join, back to plan until enough rounds."""
    builder = StateGraph(RoundsState)
    builder.add_node("plan", lambda s: {"rounds": s["rounds"] + 1})
    builder.add_node("left", lambda s: {"trail": ["left"]})
    builder.add_node("right", lambda s: {"trail": ["right"]})
    builder.add_node("join", lambda s: {"trail": ["join"]})
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "left")
    builder.add_edge("plan", "right")
    builder.add_edge(["left", "right"], "join")
    builder.add_conditional_edges("join", lambda s: "plan" if s["rounds"] < rounds else END, ["plan", END])
    return builder


# ---------------------------------------------------------------- what each graph is fed


@dataclass(frozen=True)
class GraphSpec:
    """A graph and the pools its commands draw from: inputs, edits and answers that fit it."""

    name: str
    make: Callable[[], Any]
    inputs: tuple[Mapping[str, Any], ...]
    edits: tuple[Mapping[str, Any], ...]
    answers: tuple[Any, ...]
    bad_answers: tuple[Any, ...] = ()  # refused by the interrupt's response_schema
    compiled: dict[str, Pregel[Any, Any, Any, Any]] = field(default_factory=dict, compare=False)

    def graph(self) -> Pregel[Any, Any, Any, Any]:
        if "graph" not in self.compiled:
            built = self.make()
            self.compiled["graph"] = built if isinstance(built, Pregel) else built.compile()
        return self.compiled["graph"]


SPECS = {
    "mixed": GraphSpec(
        "mixed",
        mixed_graph,
        inputs=({"value": 1, "trail": [], "answer": ""}, {"value": -1, "trail": [], "answer": ""}),
        edits=({"value": 2}, {"value": -3}, {"trail": ["edited"]}, {"answer": "edited", "value": 0}),
        answers=("yes", "no", 7),
    ),
    "rounds": GraphSpec(
        "rounds",
        rounds_graph,
        inputs=({"trail": [], "rounds": 0}, {"trail": ["again"], "rounds": 2}),
        edits=({"rounds": 1}, {"trail": ["edited"]}),
        answers=("unused",),
    ),
    "parallel_interrupts": GraphSpec(
        "parallel_interrupts",
        graphs.parallel_interrupts,
        inputs=({"text_1": "a", "text_2": "b"},),
        edits=({"text_1": "edited"}, {"text_2": "edited", "text_1": "both"}),
        answers=("one", "two"),
    ),
    "subgraph_interrupt": GraphSpec(
        "subgraph_interrupt",
        graphs.subgraph_interrupt,
        inputs=({"topic": "owls", "findings": [], "notes": []},),
        edits=({"notes": ["edited"]}, {"findings": ["replaced"]}, {"topic": "cats"}),
        answers=("more owls", "nothing"),
    ),
    "failing_node": GraphSpec(
        "failing_node",
        graphs.failing_node,
        inputs=({"value": 1, "trail": []}, {"value": -1, "trail": []}),
        edits=({"value": 4}, {"value": -5}, {"trail": ["edited"]}),
        answers=("unused",),
    ),
    "approve_reject": GraphSpec(
        "approve_reject",
        graphs.approve_reject,
        inputs=({"llm_output": "", "decision": ""},),
        edits=({"llm_output": "edited"}, {"decision": "maybe"}),
        answers=("approve", "reject"),
    ),
    "schema_interrupt": GraphSpec(
        "schema_interrupt",
        graphs.schema_interrupt,
        inputs=({"rating": 0},),
        edits=({"rating": 3},),
        answers=({"rating": 1}, {"rating": 5, "comment": "fine"}),
        bad_answers=({"rating": 9}, {"comment": "no rating"}, "five"),
    ),
}


# ---------------------------------------------------------------- LangGraph's own view of a thread


@dataclass(frozen=True)
class Truth:
    """A thread as LangGraph reads it: every checkpoint, newest first, and what is pending at the head."""

    checkpoints: dict[str, tuple[str | None, int, str, tuple[str, ...], dict[str, Any]]]
    order: list[str]
    pending: dict[str, Any]  # interrupt id -> value, at the head
    head_next: tuple[str, ...]
    head_values: dict[str, Any]


def _config(thread_id: str, checkpoint_id: str | None = None) -> Any:
    configurable = {"thread_id": thread_id, "checkpoint_ns": ""}
    if checkpoint_id is not None:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def read_truth(graph: Pregel[Any, Any, Any, Any], thread_id: str, head: str | None) -> Truth:
    checkpoints = {}
    order = []
    for snap in graph.get_state_history(_config(thread_id)):
        cid = snap.config["configurable"]["checkpoint_id"]
        parent = snap.parent_config["configurable"]["checkpoint_id"] if snap.parent_config else None
        meta = snap.metadata or {}
        checkpoints[cid] = (
            parent,
            int(meta["step"]),
            str(meta["source"]),
            tuple(snap.next),
            dict(snap.values),
        )
        order.append(cid)
    pending: dict[str, Any] = {}
    head_next: tuple[str, ...] = ()
    head_values: dict[str, Any] = {}
    if head is not None:
        state = graph.get_state(_config(thread_id, head), subgraphs=True)
        # A subgraph's interrupt also shows on its parent's task; a finished task's were answered.
        pending = {i.id: i.value for t in state.tasks if t.result is None for i in t.interrupts}
        head_next, head_values = tuple(state.next), dict(state.values)
        if order and head == order[0]:
            # the thread's state, as LangGraph shows it (unnamed): with the writes of an
            # interrupted step's finished tasks, which a read naming the checkpoint leaves out
            head_values = dict(graph.get_state(_config(thread_id)).values)
    return Truth(checkpoints, order, pending, head_next, head_values)


# ---------------------------------------------------------------- the state machine


# How many sequences ran, per test (the figure the issue asks for), and what their commands did.
SEQUENCES: dict[str, int] = {}
OUTCOMES: dict[str, Counter[str]] = {}


def machine_for(spec: GraphSpec, saver: BaseCheckpointSaver[Any], tally_key: str) -> type:
    nodes = tuple(n for n in spec.graph().nodes if n != START)

    class ThreadMachine(RuleBasedStateMachine):
        """One thread, one Debugger, a model of what must hold; LangGraph as the oracle."""

        def __init__(self) -> None:
            super().__init__()
            self.thread_id = f"{spec.name}-{uuid.uuid4()}"
            self.dbg = hw.debug(spec.graph(), thread_id=self.thread_id, checkpointer=saver)
            self.graph = self.dbg.backend._graph  # type: ignore[attr-defined]
            self.head: str | None = None
            self.before: set[str] = set()
            self.after: set[str] = set()
            self.truth = read_truth(self.graph, self.thread_id, None)
            self.commands = 0
            self.seen_values: set[str] = set()
            self.foreign: str | None = None

        def teardown(self) -> None:
            if self.commands:
                SEQUENCES[tally_key] = SEQUENCES.get(tally_key, 0) + 1

        # ---------------------------------------------------------- the check after every command

        def command(
            self, run: Callable[[], Any], *, must_refuse: bool = False, then: Callable[[], None] | None = None
        ) -> Any:
            """Run one command; check history kept, refusal changed nothing, views agree.

            `then` updates the model (breakpoints) when the command was carried out.
            """
            self.commands += 1
            old = self.truth
            old_breakpoints = self.dbg.breakpoints
            old_head = self.head
            try:
                result = run()
            except hw.DebuggerError as refused:
                assert str(refused), "a refusal must say why"
                result = refused
            refused_ = isinstance(result, hw.DebuggerError)
            outcome = "refused" if refused_ else getattr(result, "reason", type(result).__name__)
            OUTCOMES.setdefault(tally_key, Counter())[outcome] += 1
            assert refused_ or not must_refuse, f"should have been refused, got {result!r}"
            if not refused_:
                self.update_model(result, old)
                if then is not None:
                    then()
            new = read_truth(self.graph, self.thread_id, self.head)
            for cid, record in old.checkpoints.items():
                assert new.checkpoints.get(cid) == record, f"checkpoint {cid} changed or lost"
            for cid in set(new.checkpoints) - set(old.checkpoints):
                parent = new.checkpoints[cid][0]
                assert parent is None or parent in new.checkpoints, f"{cid} hangs off nothing"
            if refused_:
                assert new.checkpoints == old.checkpoints
                assert self.head == old_head and new.pending == old.pending
                assert self.dbg.breakpoints == old_breakpoints
            self.truth = new
            self.check_views(result)
            return result

        def update_model(self, result: Any, old: Truth) -> None:
            """Where the head must be after a command that was carried out."""
            if isinstance(result, hw.Checkpoint):  # edit, fork, checkout: the Debugger says where
                self.head = result.id
                return
            if isinstance(result, hw.Pause):
                # Not get_state(thread): LangGraph's read of the latest checkpoint raises where
                # the last step failed on conflicting writes; history reads each one by id.
                newest = next(iter(self.graph.get_state_history(_config(self.thread_id), limit=1)))
                latest = newest.config["configurable"]["checkpoint_id"]
                self.head = latest if latest not in old.checkpoints else result.checkpoint_id
                assert result.checkpoint_id == self.head
                assert (result.reason == "error") == (result.error is not None)
                assert (result.reason == "interrupt") == bool(result.interrupts)

        def check_views(self, result: Any) -> None:
            dbg, truth = self.dbg, self.truth
            history = dbg.history()
            assert [c.id for c in history] == truth.order
            for cp in history:
                parent, step, source, next_, values = truth.checkpoints[cp.id]
                assert (cp.parent_id, cp.step, cp.source, cp.next) == (parent, step, source, next_), cp.id
                if cp.id not in self.seen_values:  # values never change (checked above): read each once
                    assert dict(cp.values) == values, cp.id
                    self.seen_values.add(cp.id)
            assert dbg.breakpoints == {
                "before": [n for n in nodes if n in self.before],
                "after": [n for n in nodes if n in self.after],
            }
            if self.head is None:
                assert history == [] and dbg.state == {} and dbg.interrupts == []
                return
            head = dbg.head
            assert head.id == self.head
            assert head.next == truth.head_next
            assert dbg.state == truth.head_values
            assert {i.id: i.value for i in dbg.interrupts} == truth.pending
            if isinstance(result, hw.Pause) and result.reason != "error":
                assert {i.id for i in result.interrupts} == set(truth.pending)

        # ---------------------------------------------------------- what the model knows is wrong

        def known_ids(self) -> list[str]:
            return self.truth.order

        def pick(self, index: int) -> str:
            ids = self.known_ids()
            return ids[index % len(ids)]

        def can_run_on(self) -> bool:
            return self.head is not None and not self.truth.pending and bool(self.truth.head_next)

        # ---------------------------------------------------------- rules

        @initialize(data=st.sampled_from(spec.inputs), first=st.sampled_from(["start", "empty"]))
        def begin(self, data: Mapping[str, Any], first: str) -> None:
            """Most sequences start a run first; some try commands on the empty thread."""
            if first == "start":
                self.start(data)

        @rule(data=st.sampled_from(spec.inputs))
        def start(self, data: Mapping[str, Any]) -> None:
            self.command(lambda: self.dbg.start(dict(data)))

        def finishing(self) -> bool:
            """After a breakpoint past the last node, going on only reports the run done."""
            last = self.dbg.last_pause
            return (
                last is not None
                and last.reason == "breakpoint"
                and not last.next
                and last.checkpoint_id == self.head
            )

        @precondition(lambda self: self.can_run_on() or self.finishing())
        @rule(how=st.sampled_from(["step", "cont"]))
        def go_on(self, how: str) -> None:
            self.command(getattr(self.dbg, how))

        @precondition(lambda self: not self.can_run_on() and not self.finishing())
        @rule(how=st.sampled_from(["step", "cont"]))
        def go_on_refused(self, how: str) -> None:
            """Nothing to run, or an interrupt waits for an answer."""
            self.command(getattr(self.dbg, how), must_refuse=True)

        @rule(
            where=st.sampled_from(["before", "after", "clear"]),
            chosen=st.lists(st.sampled_from((*nodes, BOGUS_NODE)), max_size=2),
        )
        def breakpoints(self, where: str, chosen: list[str]) -> None:
            bad = BOGUS_NODE in chosen or (where != "clear" and not chosen)
            if where == "clear":
                cleared = set(chosen) if chosen else set(nodes)

                def clear() -> None:
                    self.before -= cleared
                    self.after -= cleared

                result = self.command(
                    lambda: self.dbg.clear_breakpoints(*chosen), must_refuse=bad, then=clear
                )
            else:
                method = self.dbg.break_before if where == "before" else self.dbg.break_after
                target = self.before if where == "before" else self.after
                result = self.command(
                    lambda: method(*chosen), must_refuse=bad, then=lambda: target.update(chosen)
                )
            assert isinstance(result, hw.DebuggerError) == bad

        @precondition(lambda self: bool(self.truth.pending))
        @rule(answers=st.lists(st.sampled_from(spec.answers), min_size=2, max_size=2), partial=st.booleans())
        def resume_valid(self, answers: list[Any], partial: bool) -> None:
            ids = list(self.truth.pending)
            if len(ids) == 1:
                value: Any = answers[0]
            else:
                value = {i: answers[n % 2] for n, i in enumerate(ids[: 1 if partial else None])}
            result = self.command(lambda: self.dbg.resume(value))
            assert isinstance(result, hw.Pause), result

        @rule(kind=st.sampled_from(["plain", "unknown id", "schema"]))
        def resume_invalid(self, kind: str) -> None:
            """Resume with nothing pending, a plain value for several, an id naming nothing, or
            an answer that fails the interrupt's response_schema (a plain value for one is fine)."""
            pending = list(self.truth.pending)
            if kind == "unknown id" and pending:
                self.command(lambda: self.dbg.resume({"0" * 32: spec.answers[0]}), must_refuse=True)
            elif kind == "schema" and len(pending) == 1 and spec.bad_answers:
                for bad in spec.bad_answers:
                    self.command(lambda bad=bad: self.dbg.resume(bad), must_refuse=True)
            else:
                self.command(lambda: self.dbg.resume(spec.answers[0]), must_refuse=len(pending) != 1)

        @rule(
            values=st.sampled_from((*spec.edits, {"not_a_key": 1}, ["not", "a", "mapping"])),
            as_node=st.sampled_from((None, *nodes, BOGUS_NODE)),
        )
        def edit(self, values: Any, as_node: str | None) -> None:
            bad = self.head is None or as_node == BOGUS_NODE or not isinstance(values, Mapping)
            bad = bad or "not_a_key" in values
            self.command(lambda: self.dbg.edit(values, as_node=as_node), must_refuse=bad)

        @rule(
            index=st.integers(0, 50),
            values=st.sampled_from((None, *spec.edits, "not a mapping")),
            as_node=st.sampled_from((None, *nodes, BOGUS_NODE)),
        )
        def fork(self, index: int, values: Any, as_node: str | None) -> None:
            if not self.known_ids():
                self.command(lambda: self.dbg.fork("abcdefgh", values), must_refuse=True)
                return
            target = self.pick(index)
            bad = as_node == BOGUS_NODE or isinstance(values, str)
            self.command(lambda: self.dbg.fork(target, values, as_node=as_node), must_refuse=bad)

        @rule(index=st.integers(0, 50), form=st.sampled_from(["whole", "tail", "head", "bogus", "foreign"]))
        def time_travel(self, index: int, form: str) -> None:
            """replay or checkout, with the id whole, as its short tail or head, one that names
            nothing, or one from another thread."""
            how = self.dbg.replay if index % 2 else self.dbg.checkout
            if form == "foreign":
                foreign = self.foreign_id()
                self.command(lambda: how(foreign), must_refuse=True)
                return
            if not self.known_ids():
                self.command(lambda: how("abcdefgh"), must_refuse=True)
                return
            target = self.pick(index)
            given = {"whole": target, "tail": target[-8:], "head": target[:6], "bogus": "zzzzzzzz"}[form]
            ambiguous = form == "head" and sum(i.startswith(given) for i in self.known_ids()) > 1
            self.command(lambda: how(given), must_refuse=form == "bogus" or ambiguous)

        def foreign_id(self) -> str:
            """A checkpoint of another thread on the same saver."""
            if self.foreign is None:
                other = hw.debug(spec.graph(), thread_id=f"other-{self.thread_id}", checkpointer=saver)
                other.start(dict(spec.inputs[0]))
                self.foreign = other.head.id
            return self.foreign

    ThreadMachine.__name__ = f"ThreadMachine_{spec.name}"
    return ThreadMachine


# (graph, saver, sequences): the shares add up to >= 1,000 sequences
PLAN = [
    ("mixed", "memory", 240),
    ("mixed", "sqlite", 80),
    ("rounds", "sqlite", 60),
    ("parallel_interrupts", "memory", 160),
    ("subgraph_interrupt", "memory", 160),
    ("failing_node", "memory", 140),
    ("approve_reject", "memory", 100),
    ("schema_interrupt", "sqlite", 80),
]


def test_replaying_a_parallel_round_reproduces_the_run(tmp_path: Path) -> None:
    """Each checkpoint keeps what it was when saved, so a replay runs what ran from it.

    Found by the machine below: with LangGraph's default "async" durability the join's barrier
    set was saved while the branches wrote into it, so a saved "left, right" checkpoint read
    back as "left, right, join" and its replay ran the join a step early (a different run).
    """
    dbg = hw.debug(rounds_graph(6), checkpointer=f"sqlite:{tmp_path / 'rounds.sqlite'}")
    original = dbg.start({"trail": [], "rounds": 0})
    graph = dbg.backend._graph  # type: ignore[attr-defined]
    for cp in dbg.history():
        assert graph.get_state(_config(dbg.thread_id, cp.id)).next == cp.next, cp.id
    rounds = [cp.id for cp in dbg.history() if cp.next == ("left", "right")]
    assert len(rounds) == 6
    for cid in rounds:
        replayed = dbg.replay(cid)
        assert (replayed.reason, replayed.values) == ("done", original.values)


def test_plan_adds_up_to_a_thousand_sequences() -> None:
    assert sum(n for _, _, n in PLAN) >= 1000


@pytest.mark.parametrize(("graph", "saver_kind", "sequences"), PLAN, ids=[f"{g}-{s}" for g, s, _ in PLAN])
def test_history_is_never_changed_or_lost(
    graph: str,
    saver_kind: str,
    sequences: int,
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    saver: BaseCheckpointSaver[Any] = (
        InMemorySaver() if saver_kind == "memory" else sqlite_saver(tmp_path / "history.sqlite")
    )
    key = f"{graph}-{saver_kind}"
    SEQUENCES[key] = 0
    OUTCOMES[key] = Counter()
    machine = machine_for(SPECS[graph], saver, key)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=sequences,
            stateful_step_count=STEPS_PER_SEQUENCE,
            deadline=None,
            derandomize=True,
            database=None,
            phases=(Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck),
        ),
    )
    ran = SEQUENCES[key]
    outcomes = OUTCOMES[key]
    print(f"{key}: {ran} sequences, {outcomes.total()} commands: {dict(outcomes.most_common())}")
    record_property("sequences", ran)
    record_property("commands", outcomes.total())
    assert ran >= sequences
