"""Big and strange states: the Debugger and the widget's Python side never raise, and every
message they send is valid JSON that a kernel can carry and small, however big the state.

A node puts the value into the state and the next node asks about it with `interrupt()`, so
each value is both state and interrupt payload. The run is started from the widget, as a click
would; then the tree, the state, a checkpoint's detail and a page of "see more" are asked for.
Every message the widget sends is packed with the kernel's own `json_packer` (strict JSON, UTF-8)
and measured. Values no checkpointer can store (a cycle, a 5,000-deep nesting, objects with no
serializable form) end the run in an error `Pause` that names the problem, the thread intact;
as live objects they go through the serializer and the text views, which bound them too.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import math
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import pytest
from jupyter_client.session import json_packer
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt
from typing_extensions import TypedDict
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.model import PendingInterrupt
from hitl_widgets.serialize import pause_json, to_json
from hitl_widgets.text import history_text, interrupts_text, pause_text, state_text
from hitl_widgets.widgets import DebuggerWidget
from hitl_widgets.widgets.paths import PAGE
from hitl_widgets.widgets.wire import LADDER, interrupt_view, values_json

MB = 1_000_000
# Most bytes one message may take: every push and reply but a page of "see more".
MESSAGE_BOUND = 64_000
# A page of "see more": bounded by items and string length (`widgets.paths.PAGE`: 200 items,
# strings up to 200,000 characters), not by bytes, so 200 strings of 10,000 characters make a
# 2 MB page. Bounded for these states; a byte budget is left to the widget's paths module.
PAGE_BOUND = 2_500_000
# Most characters of a plain-text view (magics, terminals).
TEXT_BOUND = 20_000


class Box(TypedDict, total=False):
    blob: Any
    note: str


class Colour(enum.Enum):
    RED = "red"


class Card(pydantic.BaseModel):
    title: str
    tags: list[str]


@dataclasses.dataclass
class Point:
    x: float
    y: float


class NoRepr:
    def __repr__(self) -> str:
        raise RuntimeError("this object refuses to be shown")


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"down": [value]}
    return value


def cyclic() -> Any:
    loop: dict[str, Any] = {"name": "loop"}
    loop["self"] = loop
    return loop


# Values a checkpointer stores: the run pauses at the interrupt about them.
STORABLE: dict[str, Callable[[], Any]] = {
    "a 10 MB string": lambda: "x" * (10 * MB),
    "a 10 MB state in 1,000 keys": lambda: {f"key_{i}": "v" * 10_000 for i in range(1_000)},
    "a million-item list": lambda: list(range(MB)),
    "a 100-deep nesting": lambda: nested(100),
    "a 20,000-key dict": lambda: {f"k{i}": i for i in range(20_000)},
    "NaN, infinities and -0.0": lambda: {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "z": -0.0},
    "a 10 MB key": lambda: {"k" * (10 * MB): "value"},
    "keys that show alike": lambda: {1: "int one", "1": "str one", (1,): "tuple one"},
    "a lone surrogate, a NUL and RTL override": lambda: "a\ud800b\x00c\u202eevil",
    "a megabyte of bytes": lambda: bytes(range(256)) * 4_000,
    "a numpy array of a million floats with NaN": lambda: np.where(np.arange(MB) % 7, np.arange(MB), np.nan),
    "a set, a frozenset and a tuple": lambda: [{3, 1, 2}, frozenset({"b", "a"}), (1, "two", 3.0)],
    "a datetime, a Decimal, a UUID and an Enum": lambda: [
        datetime.datetime(2024, 2, 29, tzinfo=datetime.UTC),
        decimal.Decimal("3.14159265358979323846264338327950288"),
        uuid.UUID(int=7),
        Colour.RED,
    ],
    "a pydantic model and a dataclass": lambda: [
        Card(title="t" * 5_000, tags=["a"] * 1_000),
        Point(1.5, math.inf),
    ],
    "10,000 chat messages": lambda: [
        (HumanMessage if i % 2 else AIMessage)(content=f"message {i} " * 20, id=str(i)) for i in range(10_000)
    ],
    "__proto__, constructor and $type keys": lambda: {
        "__proto__": {"polluted": True},
        "constructor": {"prototype": {"polluted": True}},
        "$type": "str",
        "text": "not a cut string",
    },
}

# Values no checkpointer stores: the run ends in an error Pause that names the problem.
UNSTORABLE: dict[str, tuple[Callable[[], Any], str]] = {
    "a cycle": (cyclic, "Recursion limit reached"),
    "a 5,000-deep nesting": (lambda: nested(5_000), "Recursion limit reached"),
    "an object with no serializable form": (NoRepr, "not msgpack serializable"),
    "a lambda": (lambda: lambda x: x, "not msgpack serializable"),
    "an int beyond 64 bits": (lambda: 2**100, "Integer exceeds 64-bit range"),
}


def graph_holding(make: Callable[[], Any]) -> StateGraph:
    def produce(state: Box) -> dict[str, Any]:
        return {"blob": make(), "note": "produced"}

    def ask(state: Box) -> dict[str, Any]:
        return {"note": str(interrupt({"about": state.get("blob"), "question": "keep it?"}))[:20]}

    builder = StateGraph(Box)
    builder.add_node("produce", produce)
    builder.add_node("ask", ask)
    builder.add_edge(START, "produce")
    builder.add_edge("produce", "ask")
    builder.add_edge("ask", END)
    return builder


def packed_sizes(client: WidgetClient, since: int = 0) -> list[tuple[str, int]]:
    """Each message the widget sent, packed as the kernel packs it (strict: a fallback warns)."""
    sizes = []
    for message in client.messages[since:]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            packed = json_packer(message)
        content = message.get("content", {})
        kind = f"custom {content.get('kind')}" if message.get("method") == "custom" else "traits"
        sizes.append((kind, len(packed)))
    return sizes


def markers(value: Any) -> list[dict[str, Any]]:
    """The `$type` markers in a bounded view: where it was cut or could not be shown as is."""
    if isinstance(value, dict):
        found = [value] if "$type" in value else []
        return found + [m for v in value.values() for m in markers(v)]
    if isinstance(value, list):
        return [m for v in value for m in markers(v)]
    return []


@pytest.mark.parametrize("name", list(STORABLE))
def test_a_strange_state_is_shown_bounded_and_nothing_raises(name: str, tmp_path: Path) -> None:
    dbg = hw.debug(graph_holding(STORABLE[name]), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    client = WidgetClient(DebuggerWidget(dbg))
    client.result("history")
    client.result("head_state")

    started = client.result("start", input={"note": "go"})
    pause = dbg.last_pause
    assert pause is not None and started["reason"] == pause.reason == "interrupt", pause
    detail = client.result("checkpoint", checkpoint_id=dbg.head.id)
    blob_view = detail["values"]["blob"]
    page = client.result("more", source="checkpoint", id=dbg.head.id, path=["blob"])
    payload = client.result("more", source="interrupt", id=dbg.interrupts[0].id, path=["about"])

    for kind, size in packed_sizes(client):
        assert size <= (PAGE_BOUND if kind == "custom reply" else MESSAGE_BOUND), (kind, size)
    assert max(size for kind, size in packed_sizes(client) if kind != "custom reply") <= MESSAGE_BOUND
    assert json.dumps([detail, started, client.widget.interrupts, client.widget.status], allow_nan=False)
    for view in (blob_view, page["value"], payload["value"]):
        json.dumps(view, allow_nan=False)
    # What was cut says so (a marker with a count or a length), and "see more" shows more of it.
    if len(json.dumps(blob_view)) < len(json.dumps(to_json(dbg.state["blob"], PAGE))):
        assert markers(blob_view), "cut without saying so"
        assert len(json.dumps(page["value"])) >= len(json.dumps(blob_view))
    for text in (
        pause_text(pause),
        state_text(dbg.state),
        interrupts_text(dbg.interrupts),
        history_text(dbg.history()),
    ):
        assert len(text) <= TEXT_BOUND


@pytest.mark.parametrize("name", list(UNSTORABLE))
def test_a_value_no_checkpointer_stores_ends_the_run_in_an_error_that_names_it(
    name: str, tmp_path: Path
) -> None:
    make, words = UNSTORABLE[name]
    dbg = hw.debug(graph_holding(make), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    client = WidgetClient(DebuggerWidget(dbg))
    client.result("history")

    started = client.result("start", input={"note": "go"})

    assert started["reason"] == "error"
    pause = dbg.last_pause
    assert pause is not None and pause.error is not None and words in pause.error
    assert words in client.widget.status["error"]  # the status line tells the person
    assert dbg.head.next == ("produce",)  # the thread stays at its last checkpoint, and can go on
    assert [c.step for c in dbg.history()] == [0, -1]
    dbg.edit({"note": "fixed"}, as_node="produce")
    assert dbg.cont().reason == "interrupt"
    for kind, size in packed_sizes(client):
        assert size <= MESSAGE_BOUND, (kind, size)


@pytest.mark.parametrize("name", [*STORABLE, *UNSTORABLE])
def test_live_strange_values_through_the_serializer_and_text_views(name: str) -> None:
    """The values as objects (as a Pause or a pending interrupt holds them before any saver
    sees them): bounded, strict JSON, never an exception."""
    value = STORABLE[name]() if name in STORABLE else UNSTORABLE[name][0]()
    pending = PendingInterrupt(id="0" * 32, value={"about": value}, node="ask", ns=("ask:1",))
    pause = hw.Pause(
        reason="interrupt",
        checkpoint_id="c" * 36,
        next=("ask",),
        interrupts=(pending,),
        values={"blob": value},
    )

    views = [values_json({"blob": value}), interrupt_view(pending), pause_json(pause, LADDER[-1])]
    for view in views:
        assert len(json_packer(view)) <= MESSAGE_BOUND
    for text in (state_text({"blob": value}), interrupts_text([pending]), pause_text(pause)):
        assert len(text) <= TEXT_BOUND


def test_see_more_pages_through_a_million_items_and_a_10_mb_string(tmp_path: Path) -> None:
    dbg = hw.debug(
        graph_holding(lambda: {"items": list(range(MB)), "text": "ab" * (5 * MB)}),
        checkpointer=f"sqlite:{tmp_path / 't.sqlite'}",
    )
    client = WidgetClient(DebuggerWidget(dbg))
    dbg.start({"note": "go"})
    shown = client.result("head_state")["values"]["blob"]

    (cut_list,) = [m for m in markers(shown["items"]) if m["$type"] == "more"]
    first = len(shown["items"]) - 1
    assert shown["items"][:first] == list(range(first)) and cut_list["count"] == MB - first
    later = client.result("more", source="checkpoint", id=dbg.head.id, path=["blob", "items"], offset=500_000)
    assert later["value"][:3] == [500_000, 500_001, 500_002] and later["value"][-1]["$type"] == "more"
    assert shown["text"]["$type"] == "str" and shown["text"]["length"] == 10 * MB
    longer = client.result("more", source="checkpoint", id=dbg.head.id, path=["blob", "text"])["value"]
    assert longer["length"] == 10 * MB and len(longer["text"]) > len(shown["text"]["text"])
    for kind, size in packed_sizes(client):
        assert size <= (PAGE_BOUND if kind == "custom reply" else MESSAGE_BOUND), (kind, size)
