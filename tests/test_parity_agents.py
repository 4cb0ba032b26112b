"""Parity: prebuilt agents (`create_react_agent`, LangChain v1 `create_agent` with
`HumanInTheLoopMiddleware`) driven by plain LangGraph and through the Debugger.

The model is `ScriptedChatModel`: it binds tools, asks for tool calls and streams tokens, so
the agents run offline and the same way every time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import HumanInTheLoopMiddleware
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import create_react_agent
from langgraph.types import interrupt
from parity import CONTINUE, Run, assert_same, run_debugger, run_plain

import hitl_widgets as hw
from hitl_widgets.fake_llm import ScriptedChatModel, tool_call

REQUEST = {"messages": [{"role": "user", "content": "Plan my trip to Paris."}]}
CALLS = [
    tool_call("search_hotel", city="Paris"),
    tool_call("book_hotel", hotel="Ritz", nights=2),
    tool_call("send_email", to="ada@example.com", body="Booked."),
    tool_call("ask_user", question="Which dates?"),
]


@tool
def search_hotel(city: str) -> str:
    """Find a hotel in a city."""
    return f"Found the Ritz in {city}."


@tool
def book_hotel(hotel: str, nights: int) -> str:
    """Book a hotel for some nights."""
    return f"Booked {hotel} for {nights} nights."


@tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    return f"Sent to {to}: {body}"


@tool
def ask_user(question: str) -> str:
    """Ask the user a question."""
    return "no answer"


TOOLS = [search_hotel, book_hotel, send_email, ask_user]


def both(build: Callable[[], Any], answers: Sequence[Any]) -> tuple[Run, Run]:
    plain = run_plain(build(), REQUEST, answers)
    debugged = run_debugger(hw.debug(build(), thread_id="debugged"), REQUEST, answers)
    return debugged, plain


def contents(run: Run) -> list[Any]:
    return [m["content"] for m in run.final["messages"]]


# ---------------------------------------------------------------- create_react_agent


def test_react_agent_with_a_breakpoint_before_tools() -> None:
    def build() -> Any:
        model = ScriptedChatModel(script=[CALLS[:2], "All set."])
        return create_react_agent(model, TOOLS, interrupt_before=["tools"], checkpointer=InMemorySaver())

    debugged, plain = both(build, [CONTINUE])
    assert_same(debugged, plain)
    assert contents(debugged)[-3:] == ["Found the Ritz in Paris.", "Booked Ritz for 2 nights.", "All set."]
    # the tool step ran as push tasks (one per call): it is still named as the writer
    assert ("tools",) in [row.writes for row in debugged.history]


def test_react_agent_whose_tool_calls_interrupt() -> None:
    @tool
    def book_hotel(hotel: str, nights: int) -> str:
        """Book a hotel, once a person agrees."""
        answer = interrupt({"book": hotel, "nights": nights})
        if answer["type"] == "edit":
            hotel = answer["args"]["hotel"]
        return f"Booked {hotel} for {nights} nights."

    def build() -> Any:
        model = ScriptedChatModel(script=[[CALLS[1]], "All set."])
        return create_react_agent(model, [book_hotel], checkpointer=InMemorySaver())

    debugged, plain = both(build, [{"type": "edit", "args": {"hotel": "Plaza"}}])
    assert_same(debugged, plain)
    assert contents(debugged)[-2:] == ["Booked Plaza for 2 nights.", "All set."]


# ---------------------------------------------------------------- create_agent + HumanInTheLoopMiddleware


def hitl_agent(mode: str) -> Callable[[], Any]:
    def build() -> Any:
        model = ScriptedChatModel(script=[CALLS, "Here is your plan."])
        middleware = HumanInTheLoopMiddleware(
            interrupt_on={"search_hotel": False, "book_hotel": True, "send_email": True, "ask_user": True},
            interrupt_mode=mode,  # type: ignore[arg-type]
        )
        return create_agent(model, TOOLS, middleware=[middleware], checkpointer=InMemorySaver())

    return build


DECISIONS = {
    "book_hotel": {
        "type": "edit",
        "edited_action": {"name": "book_hotel", "args": {"hotel": "Plaza", "nights": 3}},
    },
    "send_email": {"type": "reject", "message": "Not yet."},
    "ask_user": {"type": "respond", "message": "From the 3rd to the 6th."},
}
EXPECTED_TOOL_RESULTS = {  # the tool message each call ends with: its status, and text it holds
    "search_hotel": ("success", "Found the Ritz in Paris."),
    "book_hotel": ("success", "Booked Plaza for 3 nights."),
    "send_email": ("error", "User rejected the tool call for `send_email` with reason: Not yet."),
    "ask_user": ("success", "From the 3rd to the 6th."),
}


def assert_tool_results(run: Run) -> None:
    """Each tool call ended with the expected message (tool messages come in no fixed order)."""
    results = {m["name"]: (m["status"], m["content"]) for m in run.final["messages"] if m["type"] == "tool"}
    assert sorted(results) == sorted(EXPECTED_TOOL_RESULTS)
    for name, (status, text) in EXPECTED_TOOL_RESULTS.items():
        assert results[name][0] == status, name
        assert text in results[name][1], name


def test_create_agent_batched_review_approve_edit_reject_respond() -> None:
    """One interrupt lists every gated call; the decisions answer them by position."""
    decisions = {"decisions": [DECISIONS["book_hotel"], DECISIONS["send_email"], DECISIONS["ask_user"]]}
    debugged, plain = both(hitl_agent("batched"), [decisions])
    assert_same(debugged, plain)
    (request,) = debugged.stops[0]
    assert [a["name"] for a in request["action_requests"]] == ["book_hotel", "send_email", "ask_user"]
    assert_tool_results(debugged)


def test_create_agent_batched_review_approve_all() -> None:
    approve = {"decisions": [{"type": "approve"}] * 3}
    debugged, plain = both(hitl_agent("batched"), [approve])
    assert_same(debugged, plain)
    assert "Sent to ada@example.com: Booked." in contents(debugged)


@pytest.mark.parametrize("how", ["all at once", "one by one"])
def test_create_agent_per_call_review(how: str) -> None:
    """One interrupt per gated call, each with a response_schema, answered by interrupt id."""

    def answer_all(pending: Any) -> dict[str, Any]:
        return {i.id: DECISIONS[i.value["name"]] for i in pending}

    def answer_first(pending: Any) -> dict[str, Any]:
        first = min(pending, key=lambda i: i.value["name"])
        return {first.id: DECISIONS[first.value["name"]]}

    answers = [answer_all] if how == "all at once" else [answer_first] * 3
    debugged, plain = both(hitl_agent("per_call"), answers)
    assert_same(debugged, plain)
    assert sorted(v["name"] for v in debugged.stops[0]) == [
        "ask_user",
        "book_hotel",
        "send_email",
    ]
    assert_tool_results(debugged)


def test_create_agent_per_call_interrupts_carry_their_response_schema() -> None:
    dbg = hw.debug(hitl_agent("per_call")(), thread_id="debugged")
    pause = dbg.start(REQUEST)
    assert pause.reason == "interrupt"
    by_tool = {i.value["name"]: i for i in pause.interrupts}
    assert sorted(by_tool) == ["ask_user", "book_hotel", "send_email"]
    assert all(i.response_schema for i in pause.interrupts)
