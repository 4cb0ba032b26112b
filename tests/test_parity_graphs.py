"""Parity: StateGraph patterns from LangGraph's docs, run by plain LangGraph and by the Debugger.

Each test builds the graph twice (so neither run sees the other's saver, cache or counters),
runs one scenario with `invoke` + `Command(resume=...)` and with `start` + `resume`/`cont`,
and asserts the same interrupts at each stop, the same values, and the same checkpoint
history (step, source, next, parent links, writers).
"""

from __future__ import annotations

import dataclasses
import operator
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage
from langchain_core.runnables import RunnableConfig
from langgraph.cache.memory import InMemoryCache
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.runtime import Runtime
from langgraph.types import CachePolicy, Command, RetryPolicy, Send, interrupt
from parity import (
    CONTINUE,
    Run,
    assert_same,
    debugger_history,
    norm,
    plain_history,
    run_debugger,
    run_plain,
)
from pydantic import BaseModel
from typing_extensions import TypedDict

import hitl_widgets as hw

Build = Callable[[BaseCheckpointSaver[Any]], Any]


def both(
    build: Build,
    input: Any,
    answers: list[Any],
    saver: Callable[[], BaseCheckpointSaver[Any]] = InMemorySaver,
    **run: Any,
) -> tuple[Run, Run]:
    """The scenario by plain LangGraph and through a Debugger, each on its own compiled graph."""
    plain = run_plain(build(saver()), input, answers, **run)
    debugged = run_debugger(hw.debug(build(saver()), thread_id="debugged"), input, answers, **run)
    return debugged, plain


def line(schema: Any, checkpointer: Any, *nodes: tuple[str, Any], **schemas: Any) -> Any:
    """START → the nodes in order, compiled: the shape of most graphs here."""
    builder = StateGraph(schema, **schemas)
    previous = START
    for name, node in nodes:
        builder.add_node(name, node)
        builder.add_edge(previous, name)
        previous = name
    return builder.compile(checkpointer=checkpointer)


# ---------------------------------------------------------------- Send map-reduce


class JokesState(TypedDict):
    topic: str
    subjects: list[str]
    jokes: Annotated[list[str], operator.add]
    best: str


def map_reduce(saver: BaseCheckpointSaver[Any]) -> Any:
    def generate_topics(state: JokesState) -> dict[str, Any]:
        return {"subjects": [f"{state['topic']} {kind}" for kind in ("lions", "penguins", "owls")]}

    def generate_joke(state: dict[str, str]) -> dict[str, Any]:
        return {"jokes": [f"Why did the {state['subject']} cross the road?"]}

    def continue_to_jokes(state: JokesState) -> list[Send]:
        return [Send("generate_joke", {"subject": s}) for s in state["subjects"]]

    def best_joke(state: JokesState) -> dict[str, Any]:
        return {"best": interrupt({"pick one": sorted(state["jokes"])})}

    builder = StateGraph(JokesState)
    builder.add_node("generate_topics", generate_topics)
    builder.add_node("generate_joke", generate_joke)
    builder.add_node("best_joke", best_joke)
    builder.add_edge(START, "generate_topics")
    builder.add_conditional_edges("generate_topics", continue_to_jokes, ["generate_joke"])
    builder.add_edge("generate_joke", "best_joke")
    builder.add_edge("best_joke", END)
    return builder.compile(checkpointer=saver)


def _sqlite(tmp_path: Path) -> Callable[[], BaseCheckpointSaver[Any]]:
    def make() -> BaseCheckpointSaver[Any]:
        conn = sqlite3.connect(tmp_path / "user.sqlite", check_same_thread=False)
        return SqliteSaver(conn)

    return make


@pytest.mark.parametrize("saver_kind", ["memory", "sqlite"])
def test_send_map_reduce_on_the_users_own_saver(saver_kind: str, tmp_path: Path) -> None:
    saver = InMemorySaver if saver_kind == "memory" else _sqlite(tmp_path)
    debugged, plain = both(map_reduce, {"topic": "wild"}, ["Why did the wild owls cross the road?"], saver)
    assert_same(debugged, plain)
    # the fan-out step is named after the node its Send tasks ran
    assert ("generate_joke",) in [row.writes for row in debugged.history]


# ---------------------------------------------------------------- defer=True


class DeferState(TypedDict):
    aggregate: Annotated[list[str], operator.add]


def deferred(saver: BaseCheckpointSaver[Any]) -> Any:
    def node(name: str) -> Callable[[DeferState], dict[str, Any]]:
        return lambda state: {"aggregate": [name]}

    builder = StateGraph(DeferState)
    for name in ("a", "b", "b_2"):
        builder.add_node(name, node(name))
    builder.add_node("c", node("c"), defer=True)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("a", "c")
    builder.add_edge("b", "b_2")
    builder.add_edge("b_2", "c")
    builder.add_edge("c", END)
    return builder.compile(checkpointer=saver)


def test_deferred_node_runs_once_after_the_longer_branch() -> None:
    debugged, plain = both(deferred, {"aggregate": []}, [])
    assert_same(debugged, plain)
    assert debugged.final == {"aggregate": ["a", "b", "b_2", "c"]}


def test_deferred_node_behind_a_breakpoint() -> None:
    """Stopping before the deferred node and going on runs it once, as plain LangGraph does."""

    def with_breakpoint(saver: BaseCheckpointSaver[Any]) -> Any:
        graph = deferred(saver)
        return graph.copy(update={"interrupt_before_nodes": ["c"]})

    debugged, plain = both(with_breakpoint, {"aggregate": []}, [CONTINUE])
    assert_same(debugged, plain)


# ---------------------------------------------------------------- subgraphs


class SubState(TypedDict):
    text: str
    visits: Annotated[int, operator.add]


def sub_with_interrupt(checkpointer: Any) -> Any:
    def ask(state: SubState) -> dict[str, Any]:
        answer = interrupt({"edit": state["text"]})
        return {"text": f"{state['text']} + {answer}", "visits": 1}

    return line(SubState, checkpointer, ("ask", ask))


def parent_of(sub: Any, saver: BaseCheckpointSaver[Any], rounds: int = 1) -> Any:
    def prepare(state: SubState) -> dict[str, Any]:
        return {"text": state["text"].upper()}

    def again(state: SubState) -> Literal["sub", "__end__"]:
        return "sub" if state["text"].count("+") < rounds else END

    builder = StateGraph(SubState)
    builder.add_node("prepare", prepare)
    builder.add_node("sub", sub)
    builder.add_edge(START, "prepare")
    builder.add_edge("prepare", "sub")
    builder.add_conditional_edges("sub", again, ["sub", END])
    return builder.compile(checkpointer=saver)


def test_subgraph_interrupt() -> None:
    debugged, plain = both(
        lambda saver: parent_of(sub_with_interrupt(None), saver), {"text": "draft", "visits": 0}, ["ok"]
    )
    assert_same(debugged, plain)
    assert debugged.stops == [[{"edit": "DRAFT"}]]


def test_subgraph_with_its_own_persistent_state_called_twice() -> None:
    """`checkpointer=True`: the subgraph keeps its state from one call to the next."""
    debugged, plain = both(
        lambda saver: parent_of(sub_with_interrupt(True), saver, rounds=2),
        {"text": "draft", "visits": 0},
        ["one", "two"],
    )
    assert_same(debugged, plain)
    assert len(debugged.stops) == 2


class HandoffState(TypedDict):
    log: Annotated[list[str], operator.add]


def handoff(saver: BaseCheckpointSaver[Any]) -> Any:
    """A subgraph node that sends the parent elsewhere with `Command(graph=Command.PARENT)`."""

    def decide(state: HandoffState) -> Command[Any]:
        target = interrupt("where to?")
        return Command(graph=Command.PARENT, goto=target, update={"log": [f"sub chose {target}"]})

    sub = StateGraph(HandoffState)
    sub.add_node("decide", decide)
    sub.add_edge(START, "decide")

    builder = StateGraph(HandoffState)
    builder.add_node("sub", sub.compile())
    builder.add_node("left", lambda state: {"log": ["left"]})
    builder.add_node("right", lambda state: {"log": ["right"]})
    builder.add_edge(START, "sub")
    builder.add_edge("left", END)
    builder.add_edge("right", END)
    return builder.compile(checkpointer=saver)


def test_subgraph_hands_off_to_the_parent() -> None:
    debugged, plain = both(handoff, {"log": []}, ["right"])
    assert_same(debugged, plain)
    assert debugged.final == {"log": ["sub chose right", "right"]}


# ---------------------------------------------------------------- several interrupts in one node


class FormState(TypedDict):
    name: str
    age: int


def form(saver: BaseCheckpointSaver[Any]) -> Any:
    def ask(state: FormState) -> dict[str, Any]:
        name = interrupt("What is your name?")
        age = interrupt(f"How old are you, {name}?")
        return {"name": name, "age": int(age)}

    return line(FormState, saver, ("ask", ask))


def test_several_interrupts_in_one_node_are_answered_in_order() -> None:
    debugged, plain = both(form, {"name": "", "age": 0}, ["Ada", "36"])
    assert_same(debugged, plain)
    assert debugged.stops == [["What is your name?"], ["How old are you, Ada?"]]


# ---------------------------------------------------------------- parallel interrupts answered by id


class ParallelState(TypedDict):
    answers: Annotated[list[str], operator.add]


def parallel(saver: BaseCheckpointSaver[Any]) -> Any:
    def asker(topic: str) -> Callable[[ParallelState], dict[str, Any]]:
        return lambda state: {"answers": [f"{topic}: {interrupt(f'about {topic}?')}"]}

    builder = StateGraph(ParallelState)
    for topic in ("cats", "dogs"):
        builder.add_node(topic, asker(topic))
        builder.add_edge(START, topic)
    return builder.compile(checkpointer=saver)


def test_parallel_interrupts_answered_by_id() -> None:
    def by_id(pending: Any) -> dict[str, str]:
        return {i.id: str(i.value).removeprefix("about ").upper() for i in pending}

    debugged, plain = both(parallel, {"answers": []}, [by_id])
    assert_same(debugged, plain)
    assert sorted(debugged.final["answers"]) == ["cats: CATS?", "dogs: DOGS?"]


# ---------------------------------------------------------------- Command(resume=..., update=...)


class ApprovalState(TypedDict):
    draft: str
    note: str
    outcome: str


def approval(saver: BaseCheckpointSaver[Any]) -> Any:
    def review(state: ApprovalState) -> Command[Literal["publish", "discard"]]:
        decision = interrupt({"approve?": state["draft"]})
        return Command(goto="publish" if decision == "approve" else "discard")

    builder = StateGraph(ApprovalState)
    builder.add_node("write", lambda state: {"draft": "Hello"})
    builder.add_node("review", review)
    builder.add_node("publish", lambda state: {"outcome": f"published {state['draft']} ({state['note']})"})
    builder.add_node("discard", lambda state: {"outcome": "discarded"})
    builder.add_edge(START, "write")
    builder.add_edge("write", "review")
    return builder.compile(checkpointer=saver)


def test_resume_with_a_command_that_also_updates_the_state() -> None:
    answer = Command(resume="approve", update={"note": "checked by Ada"})
    debugged, plain = both(approval, {"draft": "", "note": "", "outcome": ""}, [answer])
    assert_same(debugged, plain)
    assert debugged.final["outcome"] == "published Hello (checked by Ada)"


def test_resume_with_a_command_that_also_goes_to_a_node() -> None:
    answer = Command(resume="reject", update={"note": "too short"}, goto="publish")
    debugged, plain = both(approval, {"draft": "", "note": "", "outcome": ""}, [answer])
    assert_same(debugged, plain)


# ---------------------------------------------------------------- context_schema and configurable


@dataclass
class UserContext:
    user: str
    language: str = "en"


class GreetState(TypedDict):
    log: Annotated[list[str], operator.add]


def contextual(saver: BaseCheckpointSaver[Any]) -> Any:
    def greet(state: GreetState, runtime: Runtime[UserContext], config: RunnableConfig) -> dict[str, Any]:
        tone = config["configurable"].get("tone", "plain")
        return {"log": [f"{tone} hello {runtime.context.user} ({runtime.context.language})"]}

    def confirm(state: GreetState, runtime: Runtime[UserContext], config: RunnableConfig) -> dict[str, Any]:
        answer = interrupt(f"continue, {runtime.context.user}?")
        tone = config["configurable"].get("tone", "plain")
        return {"log": [f"{tone} {answer} from {runtime.context.user}"]}

    return line(
        GreetState, saver, ("greet", greet), ("confirm", confirm), ("bye", greet), context_schema=UserContext
    )


def test_context_and_configurable_values_hold_across_pauses() -> None:
    """Given once to start(), they reach the nodes run after a breakpoint and after resume."""

    def with_breakpoint(saver: BaseCheckpointSaver[Any]) -> Any:
        return contextual(saver).copy(update={"interrupt_after_nodes": ["greet"]})

    debugged, plain = both(
        with_breakpoint,
        {"log": []},
        [CONTINUE, "yes"],
        config={"configurable": {"tone": "warm"}},
        context=UserContext(user="Ada", language="fr"),
    )
    assert_same(debugged, plain)
    assert debugged.final == {"log": ["warm hello Ada (fr)", "warm yes from Ada", "warm hello Ada (fr)"]}


def test_context_given_to_debug_is_used_by_every_run() -> None:
    graph = contextual(InMemorySaver())
    plain = run_plain(
        contextual(InMemorySaver()),
        {"log": []},
        ["yes"],
        context=UserContext(user="Bo"),
        config={"configurable": {"tone": "dry"}},
    )
    dbg = hw.debug(
        graph, thread_id="debugged", context=UserContext(user="Bo"), config={"configurable": {"tone": "dry"}}
    )
    assert dbg.context == UserContext(user="Bo")
    assert dbg.config["configurable"] == {"tone": "dry"}
    assert_same(run_debugger(dbg, {"log": []}, ["yes"]), plain)


def test_context_changed_between_runs_is_used_from_then_on() -> None:
    dbg = hw.debug(contextual(InMemorySaver()), thread_id="debugged")
    pause = dbg.start({"log": []}, context=UserContext(user="Ada"))
    assert pause.interrupts[0].value == "continue, Ada?"
    dbg.context = UserContext(user="Bo")
    dbg.config = {"configurable": {"tone": "loud"}}
    pause = dbg.resume("yes")
    assert pause.values["log"] == ["plain hello Ada (en)", "loud yes from Bo", "loud hello Bo (en)"]


@pytest.mark.parametrize(
    "config", [{"configurable": {"thread_id": "other"}}, {"configurable": {"checkpoint_id": "1f0"}}]
)
def test_a_config_naming_the_thread_or_a_checkpoint_is_refused(config: dict[str, Any]) -> None:
    dbg = hw.debug(
        contextual(InMemorySaver()),
        thread_id="debugged",
        context=UserContext(user="Ada"),
        config={"configurable": {"tone": "warm"}},
    )
    with pytest.raises(hw.DebuggerError, match=r"thread_id=|checkout"):
        dbg.start({"log": []}, config=config)
    with pytest.raises(hw.DebuggerError, match=r"thread_id=|checkout"):
        dbg.config = config
    with pytest.raises(hw.DebuggerError, match=r"thread_id=|checkout"):
        hw.debug(contextual(InMemorySaver()), config=config)
    assert dbg.history() == []
    assert dbg.config["configurable"] == {"tone": "warm"}  # nothing changed


# ---------------------------------------------------------------- input/output schemas


class InputState(TypedDict):
    question: str


class OutputState(TypedDict):
    answer: str


class OverallState(InputState, OutputState):
    notes: str


def schemas(saver: BaseCheckpointSaver[Any]) -> Any:
    def think(state: InputState) -> dict[str, Any]:
        return {"notes": f"thinking about {state['question']}"}

    def answer(state: OverallState) -> dict[str, Any]:
        approved = interrupt({"notes": state["notes"]})
        return {"answer": f"{state['question']} -> {approved}"}

    return line(
        OverallState,
        saver,
        ("think", think),
        ("answer", answer),
        input_schema=InputState,
        output_schema=OutputState,
    )


def test_input_and_output_schemas() -> None:
    debugged, plain = both(schemas, {"question": "why?"}, ["because"])
    assert_same(debugged, plain)
    assert debugged.final["answer"] == "why? -> because"


# ---------------------------------------------------------------- pydantic and dataclass states


class Order(BaseModel):
    item: str
    quantity: int = 1
    confirmed: bool = False


def pydantic_state(saver: BaseCheckpointSaver[Any]) -> Any:
    def double(state: Order) -> dict[str, Any]:
        return {"quantity": state.quantity * 2}

    def confirm(state: Order) -> dict[str, Any]:
        return {"confirmed": interrupt({"confirm": state.item, "quantity": state.quantity}) == "yes"}

    return line(Order, saver, ("double", double), ("confirm", confirm))


def test_pydantic_state() -> None:
    debugged, plain = both(pydantic_state, {"item": "tea", "quantity": 3}, ["yes"])
    assert_same(debugged, plain)
    assert debugged.final == {"item": "tea", "quantity": 6, "confirmed": True}


def test_pydantic_state_given_invalid_input_shows_the_error_and_keeps_the_thread_readable() -> None:
    bad = {"item": "tea", "quantity": "many"}
    graph = pydantic_state(InMemorySaver())
    with pytest.raises(Exception, match="quantity"):
        graph.invoke(bad, {"configurable": {"thread_id": "plain"}})
    # plain LangGraph cannot read this thread's history back: get_state_history raises too
    with pytest.raises(Exception, match="quantity"):
        list(graph.get_state_history({"configurable": {"thread_id": "plain"}}))
    saved = list(graph.checkpointer.list({"configurable": {"thread_id": "plain", "checkpoint_ns": ""}}))

    dbg = hw.debug(pydantic_state(InMemorySaver()), thread_id="debugged")
    try:
        pause = dbg.start(bad)
    except hw.DebuggerError as refused:
        message = str(refused)
    else:
        assert pause.reason == "error", pause
        assert pause.error is not None
        message = pause.error
        assert "validation error" in repr(pause).lower()  # the exception line, not LangGraph's note
    assert "quantity" in message
    history = dbg.history()  # no raw ValidationError
    assert len(history) == len(saved)
    for checkpoint in history:
        assert isinstance(checkpoint.values, dict)
    if history:
        assert dbg.head.id == history[0].id
    # the bad value stays in the thread's state: the next run fails on it in plain LangGraph too
    with pytest.raises(Exception, match="quantity"):
        graph.invoke({"item": "tea", "quantity": 2}, {"configurable": {"thread_id": "plain"}})
    again = dbg.start({"item": "tea", "quantity": 2})
    assert again.reason == "error"
    assert "validation error" in repr(again).lower()


@dataclass
class Basket:
    items: Annotated[list[str], operator.add] = field(default_factory=list)
    total: int = 0


def dataclass_state(saver: BaseCheckpointSaver[Any]) -> Any:
    def add(state: Basket) -> dict[str, Any]:
        extra = interrupt({"basket": state.items})
        return {"items": [extra], "total": len(state.items) + 1}

    return line(Basket, saver, ("add", add))


def test_dataclass_state() -> None:
    debugged, plain = both(dataclass_state, {"items": ["bread"]}, ["milk"])
    assert_same(debugged, plain)
    assert debugged.final == {"items": ["bread", "milk"], "total": 2}


# ---------------------------------------------------------------- RemoveMessage


class ChatState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def trimming(saver: BaseCheckpointSaver[Any]) -> Any:
    def reply(state: ChatState) -> dict[str, Any]:
        return {
            "messages": [
                AIMessage(content=f"reply {len(state['messages'])}", id=f"ai-{len(state['messages'])}")
            ]
        }

    def trim(state: ChatState) -> dict[str, Any]:
        keep = interrupt({"messages": len(state["messages"]), "keep how many?": 2})
        return {"messages": [RemoveMessage(id=m.id) for m in state["messages"][: -int(keep)]]}  # type: ignore[arg-type]

    return line(ChatState, saver, ("reply", reply), ("trim", trim))


def test_remove_message() -> None:
    start = {"messages": [HumanMessage(content=f"hi {i}", id=f"h-{i}") for i in range(3)]}
    debugged, plain = both(trimming, start, [2])
    assert_same(debugged, plain)
    assert [m["content"] for m in debugged.final["messages"]] == ["hi 2", "reply 3"]


# ---------------------------------------------------------------- RetryPolicy and CachePolicy


class CountState(TypedDict):
    value: int
    log: Annotated[list[str], operator.add]


def retrying(saver: BaseCheckpointSaver[Any]) -> Any:
    attempts: list[int] = []

    def flaky(state: CountState) -> dict[str, Any]:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError(f"attempt {len(attempts)} failed")
        return {"value": state["value"] + 1, "log": [f"ok after {len(attempts)} attempts"]}

    builder = StateGraph(CountState)
    builder.add_node(
        "flaky", flaky, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.001, jitter=False)
    )
    builder.add_node("check", lambda state: {"log": [f"checked {interrupt('check?')}"]})
    builder.add_edge(START, "flaky")
    builder.add_edge("flaky", "check")
    return builder.compile(checkpointer=saver)


def test_retry_policy() -> None:
    debugged, plain = both(retrying, {"value": 1, "log": []}, ["yes"])
    assert_same(debugged, plain)
    assert debugged.final["log"] == ["ok after 3 attempts", "checked yes"]


def cached(saver: BaseCheckpointSaver[Any]) -> Any:
    calls: list[int] = []

    def expensive(state: CountState) -> dict[str, Any]:
        calls.append(state["value"])
        return {"log": [f"computed {state['value'] * 10} (call {len(calls)})"]}

    def again(state: CountState) -> Literal["expensive", "__end__"]:
        return "expensive" if interrupt("again?") == "yes" else END

    builder = StateGraph(CountState)
    builder.add_node(
        "expensive", expensive, cache_policy=CachePolicy(key_func=lambda state: str(state.get("value")))
    )
    builder.add_node("ask", lambda state: {})
    builder.add_edge(START, "expensive")
    builder.add_edge("expensive", "ask")
    builder.add_conditional_edges("ask", again, ["expensive", END])
    return builder.compile(checkpointer=saver, cache=InMemoryCache())


def test_cache_policy_serves_the_second_call_from_the_cache() -> None:
    debugged, plain = both(cached, {"value": 4, "log": []}, ["yes", "no"])
    assert_same(debugged, plain)
    assert debugged.final["log"] == ["computed 40 (call 1)", "computed 40 (call 1)"]


# ---------------------------------------------------------------- replay (time travel) and node errors


def test_replay_from_a_past_checkpoint_with_the_kept_context() -> None:
    """`replay` is plain LangGraph's `invoke(None, {checkpoint_id})`: a new branch, same nodes run."""
    context = UserContext(user="Ada")
    graph = contextual(InMemorySaver())
    config = {"configurable": {"thread_id": "plain"}}
    first = run_plain(graph, {"log": []}, ["yes"], context=context)
    review = next(s for s in graph.get_state_history(config) if s.next == ("confirm",))
    replayed = run_plain(
        graph,
        None,
        ["no"],
        context=context,
        after=first,
        from_checkpoint=review.config["configurable"]["checkpoint_id"],
    )

    dbg = hw.debug(contextual(InMemorySaver()), thread_id="debugged")
    run_debugger(dbg, {"log": []}, ["yes"], context=context)
    pause = dbg.replay(next(c for c in dbg.history() if c.next == ("confirm",)).id)
    assert [i.value for i in pause.interrupts] == ["continue, Ada?"]
    done = dbg.resume("no")
    assert (
        norm(done.values)
        == replayed.final
        == {"log": ["plain hello Ada (en)", "plain no from Ada", "plain hello Ada (en)"]}
    )
    assert debugger_history(dbg.history()) == replayed.history


class FailState(TypedDict):
    value: int


def failing(saver: BaseCheckpointSaver[Any]) -> Any:
    def check(state: FailState) -> dict[str, Any]:
        if state["value"] < 0:
            raise ValueError(f"value must not be negative, got {state['value']}")
        return {"value": state["value"] * 2}

    return line(FailState, saver, ("prepare", lambda state: {"value": state["value"] - 1}), ("check", check))


def test_node_error_names_the_exception_line_and_leaves_the_history_plain_leaves() -> None:
    graph = failing(InMemorySaver())
    config = {"configurable": {"thread_id": "plain"}}
    with pytest.raises(ValueError, match="must not be negative"):
        graph.invoke({"value": 0}, config)
    dbg = hw.debug(failing(InMemorySaver()), thread_id="debugged")
    pause = dbg.start({"value": 0})
    assert pause.reason == "error"
    assert "ValueError: value must not be negative, got -1" in repr(pause)
    assert "During task" not in repr(pause)
    assert debugger_history(dbg.history()) == plain_history(list(graph.get_state_history(config)), {})
    assert pause.next == graph.get_state(config).next == ("check",)


# ---------------------------------------------------------------- values at an interrupt


def fast_and_asking(saver: BaseCheckpointSaver[Any]) -> Any:
    builder = StateGraph(ParallelState)
    builder.add_node("fast", lambda state: {"answers": ["fast"]})
    builder.add_node("ask", lambda state: {"answers": [interrupt("and you?")]})
    builder.add_edge(START, "fast")
    builder.add_edge(START, "ask")
    return builder.compile(checkpointer=saver)


def test_values_at_an_interrupt_hold_what_the_finished_parallel_tasks_wrote() -> None:
    """Plain `invoke` returns, and `get_state` shows, the writes of the tasks of the interrupted
    step that finished; resuming does not run them again."""
    graph = fast_and_asking(InMemorySaver())
    config = {"configurable": {"thread_id": "plain"}}
    assert graph.invoke({"answers": []}, config)["answers"] == ["fast"]
    dbg = hw.debug(fast_and_asking(InMemorySaver()), thread_id="debugged")
    pause = dbg.start({"answers": []})
    assert pause.values == graph.get_state(config).values == {"answers": ["fast"]}
    assert dbg.state == {"answers": ["fast"]}
    debugged, plain = both(fast_and_asking, {"answers": []}, ["me"])
    assert_same(debugged, plain)


def test_fork_then_continue_with_the_kept_context() -> None:
    """`fork` + `cont` is plain `update_state` on a past checkpoint + `invoke(None)`, and the
    context given at start still reaches the nodes."""
    context = UserContext(user="Ada", language="pt")
    graph = contextual(InMemorySaver())
    config = {"configurable": {"thread_id": "plain"}}
    first = run_plain(graph, {"log": []}, ["yes"], context=context)
    review = next(s for s in graph.get_state_history(config) if s.next == ("confirm",))
    forked = graph.update_state(review.config, {"log": ["(edited)"]}, as_node="greet")
    forked_run = run_plain(
        graph,
        None,
        ["ok"],
        context=context,
        after=first,
        from_checkpoint=forked["configurable"]["checkpoint_id"],
    )

    dbg = hw.debug(contextual(InMemorySaver()), thread_id="debugged", context=context)
    run_debugger(dbg, {"log": []}, ["yes"])
    dbg.fork(
        next(c for c in dbg.history() if c.next == ("confirm",)).id, {"log": ["(edited)"]}, as_node="greet"
    )
    pause = dbg.cont()
    assert [i.value for i in pause.interrupts] == ["continue, Ada?"]
    done = dbg.resume("ok")
    assert norm(done.values) == forked_run.final
    assert forked_run.final["log"][-2:] == ["plain ok from Ada", "plain hello Ada (pt)"]
    # LangGraph keeps no as_node for an update: only the Debugger can name it
    rows = debugger_history(dbg.history())
    assert [r.writes for r in rows if r.source == "update"] == [("greet",)]
    assert [
        r if r.source != "update" else dataclasses.replace(r, writes=()) for r in rows
    ] == forked_run.history
