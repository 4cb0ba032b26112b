"""The graphs of the seed documents, as `StateGraph` builders (uncompiled).

Tests compile them through `hw.debug` (local) and the server loads `server_graphs.py`, which
compiles the same builders without a checkpointer (remote). Each is the smallest graph that
shows its pattern as the seeds write it.
"""

from __future__ import annotations

import itertools
import operator
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langchain_core.tools import BaseTool, tool
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode, tools_condition
from langgraph.types import Command, Send, interrupt
from live_graphs import LIVE_GRAPHS
from pydantic import BaseModel, ConfigDict
from typing_extensions import TypedDict

import hitl_widgets as hw
from hitl_widgets.fake_llm import ScriptedChatModel, tool_call

# ---------------------------------------------------------------- dynamic interrupt (text_to_revise)


class TextState(TypedDict):
    some_text: str


def human_node(state: TextState) -> dict[str, Any]:
    value = interrupt({"text_to_revise": state["some_text"]})
    return {"some_text": value}


def text_to_revise() -> StateGraph:
    builder = StateGraph(TextState)
    builder.add_node("human_node", human_node)
    builder.add_edge(START, "human_node")
    builder.add_edge("human_node", END)
    return builder


# ---------------------------------------------------------------- approve / reject with Command(goto=)


class ApprovalState(TypedDict):
    llm_output: str
    decision: str


def generate_llm_output(state: ApprovalState) -> dict[str, Any]:
    return {"llm_output": "This is the generated output."}


def human_approval(state: ApprovalState) -> Command[Literal["approved_path", "rejected_path"]]:
    decision = interrupt(
        {"question": "Do you approve the following output?", "llm_output": state["llm_output"]}
    )
    if decision == "approve":
        return Command(goto="approved_path", update={"decision": "approved"})
    return Command(goto="rejected_path", update={"decision": "rejected"})


def approved_node(state: ApprovalState) -> dict[str, Any]:
    return {"llm_output": state["llm_output"] + " [approved]"}


def rejected_node(state: ApprovalState) -> dict[str, Any]:
    return {"llm_output": state["llm_output"] + " [rejected]"}


def approve_reject() -> StateGraph:
    builder = StateGraph(ApprovalState)
    builder.add_node("generate_llm_output", generate_llm_output)
    builder.add_node("human_approval", human_approval)
    builder.add_node("approved_path", approved_node)
    builder.add_node("rejected_path", rejected_node)
    builder.add_edge(START, "generate_llm_output")
    builder.add_edge("generate_llm_output", "human_approval")
    builder.add_edge("approved_path", END)
    builder.add_edge("rejected_path", END)
    return builder


# ---------------------------------------------------------------- review and edit state


class SummaryState(TypedDict):
    summary: str


def generate_summary(state: SummaryState) -> dict[str, Any]:
    return {"summary": "The cat sat on the mat and looked at the stars."}


def human_review_edit(state: SummaryState) -> dict[str, Any]:
    result = interrupt(
        {
            "task": "Please review and edit the generated summary if necessary.",
            "generated_summary": state["summary"],
        }
    )
    return {"summary": result["edited_summary"]}


def downstream_use(state: SummaryState) -> dict[str, Any]:
    return {"summary": state["summary"] + " (used)"}


def review_edit() -> StateGraph:
    builder = StateGraph(SummaryState)
    builder.add_node("generate_summary", generate_summary)
    builder.add_node("human_review_edit", human_review_edit)
    builder.add_node("downstream_use", downstream_use)
    builder.add_edge(START, "generate_summary")
    builder.add_edge("generate_summary", "human_review_edit")
    builder.add_edge("human_review_edit", "downstream_use")
    builder.add_edge("downstream_use", END)
    return builder


# ---------------------------------------------------------------- review tool calls (add_human_in_the_loop)


def add_human_in_the_loop(wrapped: Any, *, interrupt_config: dict[str, bool] | None = None) -> BaseTool:
    """The seeds' wrapper: review a tool call (Agent Inbox `HumanInterrupt`) before it runs."""
    inner: BaseTool = wrapped if isinstance(wrapped, BaseTool) else tool(wrapped)
    config = interrupt_config or {
        "allow_accept": True,
        "allow_edit": True,
        "allow_respond": True,
        "allow_ignore": False,
    }

    @tool(inner.name, description=inner.description, args_schema=inner.args_schema)
    def call_tool_with_interrupt(**tool_input: Any) -> Any:
        request = {
            "action_request": {"action": inner.name, "args": tool_input},
            "config": config,
            "description": "Please review the tool call",
        }
        response = interrupt([request])[0]
        if response["type"] == "accept":
            return inner.invoke(tool_input)
        if response["type"] == "edit":
            return inner.invoke(response["args"]["args"])
        if response["type"] == "response":
            return response["args"]
        raise ValueError(f"Unsupported interrupt response type: {response['type']}")

    return call_tool_with_interrupt


def search_hotel(city: str) -> str:
    """Find a hotel in a city."""
    return f"Found the Grand Hotel in {city}."


class AgentState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def tool_review_agent() -> StateGraph:
    """A ReAct loop (model → tools → model) whose only tool is reviewed by a human."""
    model = ScriptedChatModel(script=[[tool_call("search_hotel", city="Paris")], "The Grand Hotel is free."])
    tools = [add_human_in_the_loop(search_hotel)]

    def agent(state: AgentState) -> dict[str, Any]:
        return {"messages": [model.bind_tools(tools).invoke(state["messages"])]}

    builder = StateGraph(AgentState)
    builder.add_node("agent", agent)
    builder.add_node("tools", ToolNode(tools))
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", tools_condition, ["tools", END])
    builder.add_edge("tools", "agent")
    return builder


# ---------------------------------------------------------------- validate input in a loop


class AgeState(TypedDict):
    age: int


def get_valid_age(state: AgeState) -> dict[str, Any]:
    prompt = "Please enter your age (must be a non-negative integer)."
    while True:
        user_input = interrupt(prompt)
        try:
            age = int(user_input)
            if age < 0:
                raise ValueError("Age must be non-negative.")
            break
        except (ValueError, TypeError):
            prompt = f"'{user_input}' is not valid. Please enter a non-negative integer for age."
    return {"age": age}


def validate_input() -> StateGraph:
    builder = StateGraph(AgeState)
    builder.add_node("get_valid_age", get_valid_age)
    builder.add_edge(START, "get_valid_age")
    builder.add_edge("get_valid_age", END)
    return builder


# ---------------------------------------------------------------- two parallel interrupts, resumed by id


class TwoTextState(TypedDict):
    text_1: str
    text_2: str


def human_node_1(state: TwoTextState) -> dict[str, Any]:
    return {"text_1": interrupt({"text_to_revise": state["text_1"]})}


def human_node_2(state: TwoTextState) -> dict[str, Any]:
    return {"text_2": interrupt({"text_to_revise": state["text_2"]})}


def parallel_interrupts() -> StateGraph:
    builder = StateGraph(TwoTextState)
    builder.add_node("human_node_1", human_node_1)
    builder.add_node("human_node_2", human_node_2)
    builder.add_edge(START, "human_node_1")
    builder.add_edge(START, "human_node_2")
    return builder


# ---------------------------------------------------------------- static breakpoints, a linear pipeline


class StepsState(TypedDict):
    input: str
    trail: Annotated[list[str], operator.add]


def _append(name: str) -> Any:
    def node(state: StepsState) -> dict[str, Any]:
        return {"trail": [name]}

    node.__name__ = name
    return node


def pipeline(names: tuple[str, ...] = ("step_1", "step_2", "step_3")) -> StateGraph:
    builder = StateGraph(StepsState)
    previous = START
    for name in names:
        builder.add_node(name, _append(name))
        builder.add_edge(previous, name)
        previous = name
    builder.add_edge(previous, END)
    return builder


# ---------------------------------------------------------------- human input through update_state(as_node=)


class InputState(TypedDict):
    user_input: str
    trail: Annotated[list[str], operator.add]


def human_input_graph() -> StateGraph:
    """The seeds' `human_input` node: a no-op a person fills in with update_state(as_node=)."""
    builder = StateGraph(InputState)
    builder.add_node("step_1", lambda s: {"trail": ["step_1"]})
    builder.add_node("human_input", lambda s: {})
    builder.add_node("step_3", lambda s: {"trail": [f"step_3 got {s.get('user_input', '')}"]})
    builder.add_edge(START, "step_1")
    builder.add_edge("step_1", "human_input")
    builder.add_edge("human_input", "step_3")
    builder.add_edge("step_3", END)
    return builder


# ---------------------------------------------------------------- an interrupt inside a subgraph


class ResearchState(TypedDict):
    topic: str
    findings: list[str]


class ProjectState(TypedDict):
    topic: str
    findings: list[str]
    notes: Annotated[list[str], operator.add]


def _research(state: ResearchState) -> dict[str, Any]:
    return {"findings": [*state["findings"], f"researched {state['topic']}"]}


def _ask_human(state: ResearchState) -> dict[str, Any]:
    answer = interrupt({"question": f"Anything to add about {state['topic']}?"})
    return {"findings": [*state["findings"], f"human: {answer}"]}


def subgraph_interrupt() -> StateGraph:
    """A research team (a compiled subgraph) that asks a human inside; shares `findings`."""
    inner = StateGraph(ResearchState)
    inner.add_node("research", _research)
    inner.add_node("ask_human", _ask_human)
    inner.add_edge(START, "research")
    inner.add_edge("research", "ask_human")
    outer = StateGraph(ProjectState)
    outer.add_node("plan", lambda s: {"notes": ["planned"]})
    outer.add_node("team", inner.compile())
    outer.add_node("write", lambda s: {"notes": ["written"]})
    outer.add_edge(START, "plan")
    outer.add_edge("plan", "team")
    outer.add_edge("team", "write")
    outer.add_edge("write", END)
    return outer


# ---------------------------------------------------------------- subgraphs two levels deep


class TrailState(TypedDict):
    trail: list[str]
    count: int


def _visit(name: str) -> Callable[[TrailState], dict[str, Any]]:
    def visit(state: TrailState) -> dict[str, Any]:
        return {"trail": [*state["trail"], name], "count": state.get("count", 0) + 1}

    return visit


def _chain(names: list[str], subgraphs: dict[str, Any]) -> StateGraph:
    builder = StateGraph(TrailState)
    previous = START
    for name in names:
        builder.add_node(name, subgraphs.get(name) or _visit(name))
        builder.add_edge(previous, name)
        previous = name
    builder.add_edge(previous, END)
    return builder


def nested_teams() -> StateGraph:
    """a → mid → b, where `mid` is a subgraph m1 → inner → m2 and `inner` one of its own,
    x → y: every node appends its name to `trail` and counts."""
    inner = _chain(["x", "y"], {}).compile()
    mid = _chain(["m1", "inner", "m2"], {"inner": inner}).compile()
    return _chain(["a", "mid", "b"], {"mid": mid})


def _ask(name: str) -> Callable[[TrailState], dict[str, Any]]:
    def ask(state: TrailState) -> dict[str, Any]:
        answer = interrupt({"question": f"{name}: go on?", "trail": state["trail"]})
        return {"trail": [*state["trail"], f"{name}={answer}"], "count": state.get("count", 0) + 1}

    return ask


def nested_asks() -> StateGraph:
    """a → mid → b, where `mid` asks a human (m_ask) then runs `inner`, which asks too (i_ask):
    an interrupt at each level of a two-level subgraph."""
    inner = StateGraph(TrailState)
    inner.add_node("x", _visit("x"))
    inner.add_node("i_ask", _ask("i_ask"))
    inner.add_edge(START, "x")
    inner.add_edge("x", "i_ask")
    inner.add_edge("i_ask", END)
    mid = _chain(["m_ask", "inner", "m2"], {"m_ask": _ask("m_ask"), "inner": inner.compile()})
    return _chain(["a", "mid", "b"], {"mid": mid.compile()})


# ---------------------------------------------------------------- a node that fails until fixed


class FlakyState(TypedDict):
    value: int
    trail: Annotated[list[str], operator.add]


def _check(state: FlakyState) -> dict[str, Any]:
    if state["value"] < 0:
        raise ValueError(f"value must not be negative, got {state['value']}")
    return {"trail": ["checked"]}


def failing_node() -> StateGraph:
    builder = StateGraph(FlakyState)
    builder.add_node("prepare", lambda s: {"trail": ["prepared"]})
    builder.add_node("check", _check)
    builder.add_node("finish", lambda s: {"trail": ["finished"]})
    builder.add_edge(START, "prepare")
    builder.add_edge("prepare", "check")
    builder.add_edge("check", "finish")
    builder.add_edge("finish", END)
    return builder


# ---------------------------------------------------------------- interrupt with a response schema

ANSWER_SCHEMA = {
    "type": "object",
    "properties": {"rating": {"type": "integer", "minimum": 1, "maximum": 5}, "comment": {"type": "string"}},
    "required": ["rating"],
}


class RatingState(TypedDict):
    rating: int


def _rate(state: RatingState) -> dict[str, Any]:
    answer = interrupt({"question": "Rate the answer"}, response_schema=ANSWER_SCHEMA)
    return {"rating": answer["rating"]}


def schema_interrupt() -> StateGraph:
    builder = StateGraph(RatingState)
    builder.add_node("rate", _rate)
    builder.add_edge(START, "rate")
    builder.add_edge("rate", END)
    return builder


# ---------------------------------------------------------------- a 14-node agent: a subgraph and a self-loop


class TeamState(TypedDict):
    topic: str
    sources: Annotated[list[str], operator.add]


class AgentRunState(TypedDict):
    topic: str
    notes: Annotated[list[str], operator.add]
    sources: list[str]  # the research team's, replaced whole when it returns
    revisions: int


def _note(name: str, key: str = "notes") -> Callable[[Any], dict[str, Any]]:
    return lambda state: {key: [name]}


def _revise(state: AgentRunState) -> dict[str, Any]:
    return {"notes": ["revise"], "revisions": state["revisions"] + 1}


def research_agent() -> StateGraph:
    """Fourteen nodes as a real agent's graph is drawn: nine at the root, among them a research
    team (a compiled subgraph of five), conditional routes, and `revise`, which loops on itself
    until it has revised twice."""
    team = StateGraph(TeamState)
    inner = ("plan", "search", "read", "summarize", "cite")
    for name in inner:
        team.add_node(name, _note(name, "sources"))
    team.add_edge(START, "plan")
    for a, b in itertools.pairwise(inner):
        team.add_edge(a, b)
    team.add_edge("cite", END)
    outer = StateGraph(AgentRunState)
    for name in ("intake", "classify", "draft", "critique", "fact_check", "format", "publish"):
        outer.add_node(name, _note(name))
    outer.add_node("research_team", team.compile())
    outer.add_node("revise", _revise)
    outer.add_edge(START, "intake")
    outer.add_edge("intake", "classify")
    outer.add_conditional_edges(
        "classify", lambda s: "research_team" if s["topic"] else "draft", ["research_team", "draft"]
    )
    outer.add_edge("research_team", "draft")
    outer.add_edge("draft", "critique")
    outer.add_conditional_edges(
        "critique", lambda s: "revise" if s["revisions"] < 2 else "fact_check", ["revise", "fact_check"]
    )
    outer.add_conditional_edges(
        "revise", lambda s: "revise" if s["revisions"] < 2 else "fact_check", ["revise", "fact_check"]
    )
    outer.add_edge("fact_check", "format")
    outer.add_edge("format", "publish")
    outer.add_edge("publish", END)
    return outer


# ---------------------------------------------------------------- an answer form with defaults


class Review(BaseModel):
    """An answer whose fields have defaults: a choice that starts on "revise", a flag, a note."""

    action: Literal["approve", "revise"] = "revise"
    notify: bool = False
    comment: str = ""


class StrictReview(Review):
    """The same answer, refusing keys it does not know (a check the browser leaves to Python)."""

    model_config = ConfigDict(extra="forbid")


class ReviewState(TypedDict):
    draft: str
    action: str
    notify: bool


def schema_defaults(*, strict: bool = False) -> StateGraph:
    schema = StrictReview if strict else Review

    def review(state: ReviewState) -> dict[str, Any]:
        answer = interrupt({"draft": state["draft"]}, response_schema=schema)
        checked = answer if isinstance(answer, Review) else schema.model_validate(answer)
        return {"action": checked.action, "notify": checked.notify}

    builder = StateGraph(ReviewState)
    builder.add_node("review", review)
    builder.add_edge(START, "review")
    builder.add_edge("review", END)
    return builder


# ---------------------------------------------------------------- an agent with a long conversation


def _earlier_turns(count: int) -> list[AnyMessage]:
    """`count` messages of an earlier conversation, a question and its answer in turn."""
    return [
        HumanMessage(f"question {i // 2}", id=f"h{i}")
        if i % 2 == 0
        else AIMessage(f"answer {i // 2}", id=f"a{i}")
        for i in range(count)
    ]


def book_hotel(hotel: str, nights: int) -> str:
    """Book nights in a hotel."""
    return f"Booked {nights} nights at {hotel}."


def chat_agent(history: int = 300) -> StateGraph:
    """A tool-calling agent over a long conversation: `load_history` adds `history` earlier
    messages in one step, the model calls `search_hotel` then `book_hotel` (tool calls with
    arguments, tool results), answers, and `confirm` asks a person, showing the last
    messages in its payload, whether to send the answer (any text will do)."""
    earlier = sum(1 for m in _earlier_turns(history) if isinstance(m, AIMessage))
    model = ScriptedChatModel(
        script=[
            *(["(earlier answer)"] * earlier),
            [tool_call("search_hotel", city="Paris")],
            [tool_call("book_hotel", hotel="Grand Hotel", nights=2)],
            "Booked 2 nights at the Grand Hotel in Paris.",
        ]
    )
    tools = [tool(search_hotel), tool(book_hotel)]

    def load_history(state: AgentState) -> dict[str, Any]:
        return {"messages": _earlier_turns(history)}

    def agent(state: AgentState) -> dict[str, Any]:
        return {"messages": [model.bind_tools(tools).invoke(state["messages"])]}

    def confirm(state: AgentState) -> dict[str, Any]:
        answer = interrupt({"question": "Send this answer?", "messages": state["messages"][-3:]})
        return {"messages": [HumanMessage(f"(reviewer) {answer}")]}

    builder = StateGraph(AgentState)
    builder.add_node("load_history", load_history)
    builder.add_node("agent", agent)
    builder.add_node("tools", ToolNode(tools))
    builder.add_node("confirm", confirm)
    builder.add_edge(START, "load_history")
    builder.add_edge("load_history", "agent")
    builder.add_conditional_edges("agent", tools_condition, {"tools": "tools", END: "confirm"})
    builder.add_edge("tools", "agent")
    builder.add_edge("confirm", END)
    return builder


# ---------------------------------------------------------------- a slow graph


def slow_pipeline(
    names: tuple[str, ...] = ("fetch", "think", "write", "review"), gate: str = "go"
) -> StateGraph:
    """A pipeline whose last node waits until a file named `gate` exists in the working folder
    (it makes `waiting-<node>` first): a run that is visibly under way for as long as a test
    needs, ended by the test, never by a timer."""
    last = names[-1]

    def wait(state: StepsState) -> dict[str, Any]:
        Path(f"waiting-{last}").touch()
        while not Path(gate).exists():
            time.sleep(0.02)
        return {"trail": [last]}

    builder = StateGraph(StepsState)
    previous = START
    for name in names:
        builder.add_node(name, wait if name == last else _append(name))
        builder.add_edge(previous, name)
        previous = name
    builder.add_edge(previous, END)
    return builder


# ---------------------------------------------------------------- a Send fan-out (map-reduce)


class FanState(TypedDict):
    items: list[int]
    results: Annotated[list[int], operator.add]


def map_reduce() -> StateGraph:
    """`Send` one `work` task per item (push tasks: no node name in their task paths), then join."""
    builder = StateGraph(FanState)
    builder.add_node("split", lambda s: {})
    builder.add_node("work", lambda s: {"results": [s["item"] * 10]})
    builder.add_node("join", lambda s: {})
    builder.add_edge(START, "split")
    builder.add_conditional_edges(
        "split", lambda s: [Send("work", {"item": i}) for i in s["items"]], ["work"]
    )
    builder.add_edge("work", "join")
    builder.add_edge("join", END)
    return builder


# ---------------------------------------------------------------- the registry tests and the server share


def pipeline_static() -> Any:
    """The seeds' static breakpoints, compiled in: before step_2, after step_3."""
    return pipeline().compile(interrupt_before=["step_2"], interrupt_after=["step_3"])


GRAPHS: dict[str, Any] = {
    "text_to_revise": text_to_revise,
    "approve_reject": approve_reject,
    "review_edit": review_edit,
    "tool_review_agent": tool_review_agent,
    "validate_input": validate_input,
    "parallel_interrupts": parallel_interrupts,
    "pipeline": pipeline,
    "pipeline_static": pipeline_static,
    "human_input_graph": human_input_graph,
    "subgraph_interrupt": subgraph_interrupt,
    "nested_teams": nested_teams,
    "nested_asks": nested_asks,
    "failing_node": failing_node,
    "schema_interrupt": schema_interrupt,
    "research_agent": research_agent,
    **LIVE_GRAPHS,
}
"""Graph name -> a function making it (a builder, or a graph compiled without a checkpointer).
The server serves each under the same name as its assistant id."""

MakeDebugger = Callable[..., hw.Debugger]
"""What the `make_debugger` fixture gives: `make("text_to_revise", thread_id=...)` -> a Debugger on
a fresh thread of that graph, on the backend the test runs for. (Here, not in conftest.py: a
whole-suite run imports another conftest module under that name.)"""

CONTRACT_BACKENDS = ("local", "postgres", "remote")
"""Where the contract suites run: SQLite and Postgres in this kernel, and a server."""
