"""serialize.to_json: any state becomes bounded JSON, and it never raises."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import numpy as np
from langchain_core.messages import AIMessage, HumanMessage
from pydantic import BaseModel

from hitl_widgets.serialize import Limits, to_json


class Color(Enum):
    RED = "red"


@dataclass
class Point:
    x: int
    y: int


class Person(BaseModel):
    name: str
    tags: set[str]


class BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")


class Opaque:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<Opaque>"


def roundtrips(value: Any) -> Any:
    return json.loads(json.dumps(to_json(value), allow_nan=False))


def test_plain_json_is_unchanged() -> None:
    value = {"a": [1, 2.5, "x", None, True], "b": {"c": []}}
    assert roundtrips(value) == value


def test_langchain_messages_show_their_type_and_fields() -> None:
    out = roundtrips(
        [HumanMessage("hi", id="1"), AIMessage("", tool_calls=[{"name": "t", "args": {}, "id": "c1"}])]
    )
    assert out[0]["$type"] == "HumanMessage"
    assert out[0]["content"] == "hi"
    assert out[1]["tool_calls"][0]["name"] == "t"


def test_models_dataclasses_sets_bytes_enums_dates() -> None:
    out = roundtrips(
        {
            "person": Person(name="Ada", tags={"b", "a"}),
            "point": Point(1, 2),
            "set": {3, 1, 2},
            "bytes": b"\x00\x01hello",
            "enum": Color.RED,
            "when": datetime(2026, 1, 2, tzinfo=UTC),
        }
    )
    assert out["person"]["$type"] == "Person"
    assert out["person"]["name"] == "Ada"
    assert out["point"] == {"$type": "Point", "x": 1, "y": 2}
    assert out["set"] == {"$type": "set", "items": [1, 2, 3]}
    assert out["bytes"]["$type"] == "bytes" and out["bytes"]["length"] == 7
    assert out["enum"] == {"$type": "Color", "value": "red"}
    assert out["when"].startswith("2026-01-02")


def test_numpy_values() -> None:
    out = roundtrips({"scalar": np.float32(1.5), "int": np.int64(7), "array": np.arange(6).reshape(2, 3)})
    assert out["scalar"] == 1.5
    assert out["int"] == 7
    assert out["array"]["$type"] == "ndarray"
    assert out["array"]["shape"] == [2, 3]
    assert out["array"]["items"] == [0, 1, 2, 3, 4, 5]


def test_nan_infinity_and_huge_ints_stay_valid_json() -> None:
    out = roundtrips([math.nan, math.inf, -math.inf, 2**70])
    assert out[0] == {"$type": "float", "repr": "nan"}
    assert out[1] == {"$type": "float", "repr": "inf"}
    assert out[3] == str(2**70)


def test_cycles_depth_and_size_are_bounded() -> None:
    cyclic: dict[str, Any] = {"name": "loop"}
    cyclic["self"] = cyclic
    assert roundtrips(cyclic)["self"]["$type"] == "cycle"

    deep: list[Any] = []
    node = deep
    for _ in range(50):
        node.append([])
        node = node[0]
    text = json.dumps(to_json(deep, Limits(max_depth=5)))
    assert '"$type": "depth"' in text

    big = to_json(list(range(10_000)), Limits(max_items=10))
    assert big[:10] == list(range(10))
    assert big[10] == {"$type": "more", "count": 9_990}

    long = to_json("x" * 5_000, Limits(max_str=100))
    assert long == {"$type": "str", "text": "x" * 100, "length": 5_000}

    wide = to_json({str(i): i for i in range(500)}, Limits(max_items=3))
    assert wide["$more"] == {"$type": "more", "count": 497}


def test_unknown_and_hostile_objects_never_raise() -> None:
    out = roundtrips({"opaque": Opaque(), "bad": BadRepr(), 3: "int key", (1, 2): "tuple key"})
    assert out["opaque"] == {"$type": "Opaque", "repr": "<Opaque>"}
    assert out["bad"]["$type"] == "BadRepr"
    assert "repr failed" in out["bad"]["repr"]
    assert out["3"] == "int key"
    assert out["(1, 2)"] == "tuple key"


def test_a_ten_megabyte_state_is_cut_to_a_small_payload() -> None:
    state = {"blob": "y" * 10_000_000, "rows": [{"i": i, "text": "z" * 100} for i in range(100_000)]}
    encoded = json.dumps(to_json(state))
    assert len(encoded) < 50_000


def test_repeated_send_tasks_read_as_one_name_with_a_count() -> None:
    from hitl_widgets.model import node_list

    assert node_list(("agent", "tools", "tools", "tools", "review")) == "agent, tools×3, review"
    assert node_list(("a", "b", "a"), ",") == "a,b,a"  # only repeats in a row fold
    assert node_list(()) == ""
