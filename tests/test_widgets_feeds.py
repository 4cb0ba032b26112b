"""What the widgets stream to the browser: the checkpoint skeleton once, then only new records;
the head's values once, then only changed keys; values bounded, with "see more" by path; and a
per-step volume that stays small however large the state grows."""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Annotated, Any

from graphs import MakeDebugger
from langgraph.graph import START, StateGraph
from typing_extensions import TypedDict
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.widgets import DebuggerWidget
from hitl_widgets.widgets.paths import EDITABLE_BYTES, PAGE_BYTES
from hitl_widgets.widgets.wire import json_size

# The sync-volume target: bytes sent to the browser per step, once the state is large.
STEP_BYTES_LIMIT = 8 * 1024


class GrowingState(TypedDict):
    log: Annotated[list[str], operator.add]
    note: str


def growing_graph(kib_per_step: int = 1) -> StateGraph:
    """One node that appends about `kib_per_step` KiB to the state and loops forever."""

    def grow(state: GrowingState) -> dict[str, Any]:
        n = len(state["log"])
        return {"log": [f"{n:06d} " + "x" * (1024 * kib_per_step - 7)], "note": f"entry {n}"}

    builder = StateGraph(GrowingState)
    builder.add_node("grow", grow)
    builder.add_edge(START, "grow")
    builder.add_edge("grow", "grow")
    return builder


def growing(tmp_path: Path) -> hw.Debugger:
    """A Debugger on `growing_graph`, stopping before each run of its node."""
    dbg = hw.debug(growing_graph(), checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}")
    dbg.break_before("grow")
    return dbg


def test_history_is_sent_once_then_only_new_records(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = WidgetClient(hw.CheckpointTree(dbg))
    assert c.result("history") == {"rows": []}
    dbg.break_before("step_1", "step_2", "step_3")
    dbg.start({"input": "go", "trail": []})
    seen = list(dict.fromkeys(row[0] for push in c.customs("history") for row in push["rows"]))
    for _ in range(3):
        before = len(c.customs("history"))
        dbg.cont()
        pushes = c.customs("history")[before:]
        # A run's checkpoints go out as they are saved and again, complete, when it ends.
        new = list(dict.fromkeys(row[0] for push in pushes for row in push["rows"]))
        assert new, "each run pushes what it made"
        assert not set(new) & set(seen), "no record of an earlier run is sent again"
        assert all(cid > max(seen) for cid in new), "only records newer than what the browser holds"
        seen += new
    assert sorted(seen) == sorted(cp.id for cp in dbg.history())


def test_history_rows_are_compact_arrays(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    dbg.start({"some_text": "hi"})
    c = WidgetClient(hw.CheckpointTree(dbg))
    rows = c.result("history")["rows"]
    head = dbg.head
    assert rows[0][:6] == [
        head.id,
        head.parent_id,
        head.step,
        head.source,
        list(head.writes),
        list(head.next),
    ]
    assert isinstance(rows[0][6], int), "time as epoch milliseconds"


def test_no_feed_is_sent_to_a_view_that_never_asked(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = WidgetClient(hw.GraphView(dbg))
    dbg.start({"input": "go", "trail": []})
    assert c.customs("history") == []
    assert c.customs("state") == []


def test_head_state_is_sent_once_then_only_changed_keys(tmp_path: Path) -> None:
    dbg = growing(tmp_path)
    c = WidgetClient(hw.StateInspector(dbg))
    dbg.start({"log": [], "note": ""})
    head = c.result("head_state")
    assert head["id"] == dbg.head.id
    dbg.step()
    (push,) = c.customs("state")
    assert push["base"] == head["id"]
    assert push["id"] == dbg.head.id
    assert set(push["set"]) == {"log", "note"}
    assert push["removed"] == []


def test_checkpoint_detail_sends_only_what_changed_from_the_parent(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    c = WidgetClient(DebuggerWidget(dbg))
    dbg.start({"input": "go", "trail": []})
    last = dbg.head
    detail = c.result("checkpoint", checkpoint_id=last.id)
    assert detail["checkpoint"]["id"] == last.id
    assert detail["values"] == {"input": "go", "trail": ["step_1", "step_2", "step_3"]}
    assert detail["changes"] == [
        {"key": "trail", "op": "change", "before": [], "after": ["step_3"], "offset": 2}
    ]
    without_values = c.result("checkpoint", checkpoint_id=last.id, values=False)
    assert "values" not in without_values


def test_values_are_bounded_and_see_more_pages_through_them(tmp_path: Path) -> None:
    dbg = growing(tmp_path)
    c = WidgetClient(DebuggerWidget(dbg))
    long_note = "n" * 50_000
    dbg.start({"log": [f"item {i}" for i in range(500)], "note": long_note})
    head = dbg.head.id
    values = c.result("checkpoint", checkpoint_id=head)["values"]
    log = values["log"]
    assert log[-1]["$type"] == "more"
    shown = len(log) - 1
    assert values["note"]["$type"] == "str" and values["note"]["length"] == 50_000

    note = c.result("more", source="checkpoint", id=head, path=["note"])["value"]
    assert note == long_note
    page = c.result("more", source="checkpoint", id=head, path=["log"], offset=shown)["value"]
    assert page[0] == f"item {shown}"
    assert c.error("more", source="checkpoint", id=head, path=["nope"])["type"] == "DebuggerError"
    assert c.error("more", source="checkpoint", id=head, path=["log", 99999])["type"] == "DebuggerError"


def test_show_all_reads_a_string_longer_than_a_page_to_its_end(tmp_path: Path) -> None:
    """ "show all" asks for a cut string from character 0, then from each character it got so far,
    until it has the whole string: every character can be read, whatever its length."""
    dbg = growing(tmp_path)
    c = WidgetClient(DebuggerWidget(dbg))
    note = "".join(f"{i:07d}\n" for i in range(120_000))  # 960,000 characters
    dbg.start({"log": [], "note": note})
    head = dbg.head.id
    got = ""
    while True:
        page = c.result("more", source="checkpoint", id=head, path=["note"], offset=len(got))["value"]
        got += page if isinstance(page, str) else page["text"]
        if isinstance(page, str):
            break
        assert page["length"] == len(note) - len(got) + len(page["text"])
    assert got == note
    assert c.error("more", source="checkpoint", id=head, path=[], offset=3)["type"] == "DebuggerError"


def test_a_page_of_see_more_and_the_editable_values_are_bounded_in_bytes(tmp_path: Path) -> None:
    """200 strings of 10 kB are within a page's item and string limits but 2 MB together: a page
    stops at its byte budget and says how many items are left, and the next page goes on."""
    dbg = growing(tmp_path)
    c = WidgetClient(DebuggerWidget(dbg))
    big = [f"{i:03d}" + "x" * 10_000 for i in range(200)]
    dbg.start({"log": big, "note": "n"})
    head = dbg.head.id
    page = c.result("more", source="checkpoint", id=head, path=["log"])["value"]
    assert json_size(page) <= PAGE_BYTES
    assert page[-1] == {"$type": "more", "count": 200 - (len(page) - 1)}
    shown = len(page) - 1
    assert page[:shown] == big[:shown]
    rest = c.result("more", source="checkpoint", id=head, path=["log"], offset=shown)["value"]
    assert rest[0] == big[shown]

    dbg.edit({"log": big * 3})  # 6 MB in the list
    values = c.result("editable", checkpoint_id=dbg.head.id)["values"]
    assert json_size(values) <= EDITABLE_BYTES
    assert values["log"][-1]["$type"] == "more"


def test_editable_values_come_whole(tmp_path: Path) -> None:
    dbg = growing(tmp_path)
    c = WidgetClient(hw.StateInspector(dbg))
    dbg.start({"log": ["a"] * 300, "note": "n" * 5_000})
    values = c.result("editable", checkpoint_id=dbg.head.id)["values"]
    assert values["note"] == "n" * 5_000
    assert len(values["log"]) == len(dbg.state["log"])


def test_bytes_per_step_stay_small_as_the_state_grows(tmp_path: Path) -> None:
    """A full debugger in the browser (skeleton, head state, the head's changes fetched after
    each step as the state panel does), stepping a state that grows 1 KiB per step."""
    dbg = growing(tmp_path)
    c = WidgetClient(DebuggerWidget(dbg))
    dbg.start({"log": [], "note": ""})
    c.result("history")
    c.result("head_state")
    for _ in range(150):
        dbg.step()
    worst = 0
    for _ in range(5):
        mark = len(c.messages)
        dbg.step()
        c.result("checkpoint", checkpoint_id=dbg.head.id, values=False)
        worst = max(worst, c.bytes_since(mark))
    assert len(dbg.state["log"]) > 150
    assert worst <= STEP_BYTES_LIMIT, f"{worst} bytes for one step"


def test_the_first_screen_of_history_comes_before_the_rest(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "x", "trail": []})
    fresh = make_debugger("pipeline", thread_id=dbg.thread_id)
    c = WidgetClient(DebuggerWidget(fresh))
    first = c.result("history", limit=2)["rows"]
    everything = c.result("history")["rows"]
    assert len(first) == 2
    assert first == everything[:2]
    assert len(everything) == len(dbg.history()) == 5
