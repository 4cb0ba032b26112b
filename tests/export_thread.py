"""A thread worth exporting: two branches (a fork), interrupts (one answered, one pending),
LangChain messages, and hostile text in the state, an interrupt payload and an answer."""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import interrupt
from typing_extensions import TypedDict

import hitl_widgets as hw

# Each part would set window.__pwned or open a dialog if it ever ran as HTML or script.
HOSTILE = (
    '<img src=x onerror="window.__pwned=1;alert(1)">'
    "</script><script>window.__pwned=2;alert(2)</script>"
    "<!--<script>window.__pwned=3</script>"
)


class ReviewState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    note: str


def draft(state: ReviewState) -> dict[str, Any]:
    return {"messages": [AIMessage(content=f"draft of {state['note']}")]}


def review(state: ReviewState) -> dict[str, Any]:
    answer = interrupt({"question": "approve?", "note": state["note"]})
    return {"messages": [HumanMessage(content=str(answer))]}


def review_graph() -> StateGraph:
    builder = StateGraph(ReviewState)
    builder.add_node("draft", draft)
    builder.add_node("review", review)
    builder.add_edge(START, "draft")
    builder.add_edge("draft", "review")
    builder.add_edge("review", END)
    return builder


def forked_thread(checkpointer: str) -> hw.Debugger:
    """Run to the interrupt, answer it (the run ends), then fork the step-0 checkpoint with a new
    note and run that branch to its own interrupt, left pending."""
    dbg = hw.debug(review_graph(), checkpointer=checkpointer)
    dbg.start({"messages": [HumanMessage(content="hi")], "note": HOSTILE})
    dbg.resume(f"approved {HOSTILE}")
    first_step = next(cp for cp in dbg.history() if cp.step == 0)
    dbg.fork(first_step.id, {"note": f"forked {HOSTILE}"})
    dbg.cont()
    return dbg
