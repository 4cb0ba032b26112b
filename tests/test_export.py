"""Exporting a thread (`Debugger.export_json` / `export_html`, `hw.load_export`, the widget's
Export button) on real graphs and real savers: the document holds every checkpoint of every
branch with its values, changes, interrupts and errors, bounded to its size budget; it reads
back; bad paths are refused with nothing written. The HTML in a browser: tests/e2e/test_export_browser.py."""

from __future__ import annotations

import json
import operator
import os
from pathlib import Path
from typing import Annotated, Any

import graphs
import pytest
from export_thread import HOSTILE, forked_thread
from graphs import MakeDebugger
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.export.document import bounded_value
from hitl_widgets.model import keyed
from hitl_widgets.serialize import to_json
from hitl_widgets.widgets import DebuggerWidget


@pytest.fixture
def dbg(tmp_path: Path) -> hw.Debugger:
    return forked_thread(f"sqlite:{tmp_path / 'threads.sqlite'}")


def test_json_export_holds_every_branch_with_values_changes_and_interrupts(
    dbg: hw.Debugger, tmp_path: Path
) -> None:
    path = dbg.export_json(tmp_path / "thread.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"]) == ("hitl_widgets.export", 1)
    assert doc["thread"] == {"id": dbg.thread_id, "backend": "local"}
    assert {n["id"] for n in doc["graph"]["nodes"]} >= {"draft", "review"}
    history = dbg.history()
    entries = {e["id"]: e for e in doc["checkpoints"]}
    assert [e["id"] for e in doc["checkpoints"]] == [cp.id for cp in history]
    for cp in history:
        entry = entries[cp.id]
        assert (entry["parent_id"], entry["step"], entry["source"]) == (cp.parent_id, cp.step, cp.source)
        assert (entry["writes"], entry["next"]) == (list(cp.writes), list(cp.next))
        assert entry["values"] == {k: to_json(v) for k, v in keyed(cp.values).items()}
    assert len([cp for cp in history if cp.step == 1]) == 2, "both branches' step-1 checkpoints"

    head = entries[dbg.head.id]
    assert doc["head"] == dbg.head.id
    assert head["values"]["note"] == f"forked {HOSTILE}"
    assert [i["value"] for i in head["interrupts"]] == [{"question": "approve?", "note": f"forked {HOSTILE}"}]
    assert head["answered"] == []
    # the head's change from its parent: only the new draft message (the list grew)
    [change] = head["changes"]
    assert (change["key"], change["op"], change["offset"]) == ("messages", "change", 1)
    assert change["after"][0]["$type"] == "AIMessage"
    assert change["after"][0]["content"] == f"draft of forked {HOSTILE}"
    # the answered interrupt of the first branch: asked at its checkpoint with its answer, and
    # what the node made of the answer in the child
    done = next(e for e in doc["checkpoints"] if e["writes"] == ["review"])
    asked_at = entries[done["parent_id"]]
    assert asked_at["interrupts"] == []
    [answered] = asked_at["answered"]
    assert answered["node"] == "review"
    assert answered["value"] == {"question": "approve?", "note": HOSTILE}
    assert answered["answer"] == f"approved {HOSTILE}"
    assert done["changes"][0]["after"][0]["content"] == f"approved {HOSTILE}"
    assert doc["cut"] == {"values": 0, "omitted": 0}


def test_json_export_reads_back_with_load_export(dbg: hw.Debugger, tmp_path: Path) -> None:
    path = dbg.export_json(tmp_path / "thread.json")
    loaded = hw.load_export(path)
    assert loaded.thread_id == dbg.thread_id
    assert [cp.id for cp in loaded.history()] == [cp.id for cp in dbg.history()]
    assert [cp.id for cp in loaded.history(limit=2)] == [cp.id for cp in dbg.history(limit=2)]
    head = loaded.checkpoint(dbg.head.short_id)  # the short id, as people type it
    assert head == dbg.head  # same skeleton (values are not compared)
    assert head.values["note"] == f"forked {HOSTILE}"
    assert loaded.interrupts_at(head.id)[0]["value"]["note"] == f"forked {HOSTILE}"
    assert loaded.changes(head.id)[0]["key"] == "messages"
    assert loaded.errors_at(head.id) == {}
    asked_at = next(
        cp
        for cp in dbg.history()
        if cp.step == 1 and cp.source == "loop" and cp.next == ("review",) and cp.id != dbg.head.id
    )
    assert loaded.answered_at(asked_at.id)[0]["answer"] == f"approved {HOSTILE}"
    assert repr(loaded).startswith(f"<ExportedThread thread={dbg.thread_id!r} checkpoints=6")
    with pytest.raises(hw.DebuggerError, match="no checkpoint 'nothere' in this export"):
        loaded.checkpoint("nothere")


def test_html_export_carries_the_same_document_and_no_raw_payload(dbg: hw.Debugger, tmp_path: Path) -> None:
    page = dbg.export_html(tmp_path / "thread.html")
    text = page.read_text(encoding="utf-8")
    assert "</script><script>window.__pwned" not in text, "a payload could close the data element"
    assert "<!--<script>" not in text
    from_html = hw.load_export(page).document
    from_json = hw.load_export(dbg.export_json(tmp_path / "thread.json")).document
    assert {**from_html, "exported_at": None} == {**from_json, "exported_at": None}
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    html_view = hw.load_export(page)._repr_html_()
    assert html_view.startswith('<iframe sandbox="allow-scripts" srcdoc="') and "<script" not in html_view


def test_values_beyond_the_budget_are_cut_and_marked(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}")
    dbg.start({"some_text": "x" * 100_000})
    path = dbg.export_json(tmp_path / "big.json", value_bytes=5_000)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_size < 3 * 5_000 * len(doc["checkpoints"]), "each value and change is bounded"
    head = doc["checkpoints"][0]
    assert head["cut"] == ["some_text"]
    cut = head["values"]["some_text"]
    assert cut["$type"] == "str" and cut["length"] == 100_000 and cut["text"] == "x" * len(cut["text"])
    assert 4_000 < len(cut["text"]) <= 5_000
    assert doc["cut"]["values"] == len(doc["checkpoints"]) - 1  # all but the input checkpoint hold it

    # an overall budget spent: the oldest checkpoints keep their skeleton, lose values and changes
    small = json.loads(
        dbg.export_json(tmp_path / "small.json", value_bytes=5_000, total_bytes=6_000).read_text()
    )
    kept = [e for e in small["checkpoints"] if e["values"] is not None]
    assert kept == small["checkpoints"][: len(kept)] and 0 < len(kept) < len(small["checkpoints"])
    assert small["cut"]["omitted"] == len(small["checkpoints"]) - len(kept)
    assert all(e["changes"] is None for e in small["checkpoints"][len(kept) :])


class Growing(TypedDict):
    steps: int
    log: Annotated[list[Any], operator.add]


def growing_thread(tmp_path: Path, steps: int) -> hw.Debugger:
    """One node looping `steps` times, appending a message and a string each time."""

    def work(state: Growing) -> dict[str, Any]:
        n = state["steps"]
        return {"steps": n + 1, "log": [AIMessage(content=f"message {n}"), f"line {n}"]}

    builder = StateGraph(Growing)
    builder.add_node("work", work)
    builder.add_edge(START, "work")
    builder.add_conditional_edges("work", lambda s: "work" if s["steps"] < steps else END, ["work", END])
    dbg = hw.debug(builder, checkpointer=f"sqlite:{tmp_path / 'growing.sqlite'}")
    dbg.start({"steps": 0, "log": []})
    return dbg


def test_each_checkpoint_reads_as_its_own_state_bounded(tmp_path: Path) -> None:
    """The export reuses a parent's JSON for what a step left alone or appended to: each
    checkpoint's values must still be exactly its own state's, bounded, before and after the
    list outgrows the budget."""
    dbg = growing_thread(tmp_path, 40)
    doc = json.loads(dbg.export_json(tmp_path / "grow.json", value_bytes=2_000).read_text())
    cut_at = []
    for entry in doc["checkpoints"]:
        values = keyed(dbg.checkpoint(entry["id"]).values)
        assert entry["values"] == {k: bounded_value(v, 2_000)[0] for k, v in values.items()}
        cut_at.append("log" in entry["cut"])
    assert any(cut_at) and not all(cut_at), "the list outgrew the budget during the thread"


def test_a_node_error_is_exported(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.failing_node(), checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}")
    pause = dbg.start({"value": -1, "trail": []})
    assert pause.reason == "error"
    doc = json.loads(dbg.export_json(tmp_path / "error.json").read_text())
    assert doc["status"]["reason"] == "error"
    assert "value must not be negative, got -1" in doc["status"]["error"]
    assert "ValueError" in doc["checkpoints"][0]["errors"]["check"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("thread.txt", "must end in .json"),
        ("missing/thread.json", "does not exist"),
        ("folder.json", "it is a folder"),
    ],
)
def test_bad_paths_are_refused_and_nothing_is_written(
    dbg: hw.Debugger, tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "folder.json").mkdir()
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(hw.DebuggerError, match=message):
        dbg.export_json(tmp_path / name)
    assert sorted(os.listdir(tmp_path)) == before
    with pytest.raises(hw.DebuggerError, match=r"must end in \.html or \.htm"):
        dbg.export_html(tmp_path / "thread.json")


def test_a_failed_export_leaves_the_older_file_whole(dbg: hw.Debugger, tmp_path: Path) -> None:
    path = dbg.export_json(tmp_path / "thread.json")
    older = path.read_bytes()
    with pytest.raises(hw.DebuggerError, match="value_bytes must be a whole number"):
        dbg.export_json(path, value_bytes=0)
    unwritable = tmp_path / "locked"
    unwritable.mkdir()
    (unwritable / "thread.json").mkdir()
    with pytest.raises(hw.DebuggerError, match="it is a folder"):
        dbg.export_json(unwritable / "thread.json")
    with pytest.raises(hw.DebuggerError, match=r"cannot write /sys: .*; nothing was written"):
        dbg.export_html("/sys/thread.html")  # a folder no process may write in, root included
    assert path.read_bytes() == older
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temporary file left"


def test_the_export_button_writes_the_thread_beside_the_notebook(
    dbg: hw.Debugger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    summary = WidgetClient(DebuggerWidget(dbg)).result("export")["summary"]
    written = tmp_path / f"{dbg.thread_id}.html"
    assert written.is_file()
    assert summary.startswith(f"Exported 6 checkpoint(s) to {written.name} (")
    assert f"{written.stat().st_size / 1000:.1f} kB" in summary


def test_export_on_every_backend(make_debugger: MakeDebugger, tmp_path: Path) -> None:
    """A server's thread exports too: its history and states are read over HTTP."""
    dbg = make_debugger("text_to_revise")
    dbg.start({"some_text": "original"})
    dbg.resume("edited")
    dbg.fork(dbg.history()[-2].id, {"some_text": "forked"})
    loaded = hw.load_export(dbg.export_html(tmp_path / "thread.html"))
    assert [cp.id for cp in loaded.history()] == [cp.id for cp in dbg.history()]
    assert loaded.document["thread"]["backend"] == dbg.backend_kind
    assert loaded.checkpoint(dbg.head.id).values == {"some_text": "forked"}
    [asked_at] = [e for e in loaded.document["checkpoints"] if e["answered"]]
    assert asked_at["answered"][0]["value"] == {"text_to_revise": "original"}
    # a local saver keeps the answer; a server's state does not say it
    assert asked_at["answered"][0].get("answer") == ("edited" if dbg.backend_kind == "local" else None)


def test_an_empty_thread_exports_and_reads_back(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}")
    loaded = hw.load_export(dbg.export_html(tmp_path / "empty.html"))
    assert loaded.history() == [] and loaded.head is None
    assert loaded.document["checkpoints"] == [] and loaded.document["status"] is None


def test_load_export_refuses_what_is_not_an_export(dbg: hw.Debugger, tmp_path: Path) -> None:
    (tmp_path / "other.json").write_text('{"format": "something else"}')
    (tmp_path / "broken.json").write_text("{")
    (tmp_path / "page.html").write_text("<html><body>hello</body></html>")
    newer = json.loads(dbg.export_json(tmp_path / "thread.json").read_text()) | {"version": 2}
    (tmp_path / "newer.json").write_text(json.dumps(newer))
    for name, message in [
        ("missing.json", "cannot read the export"),
        ("other.json", "its format is not 'hitl_widgets.export'"),
        ("broken.json", "not JSON"),
        ("page.html", "not a hitl_widgets HTML export"),
        ("newer.json", "is export version 2; this hitl_widgets reads version 1"),
    ]:
        with pytest.raises(hw.DebuggerError, match=message):
            hw.load_export(tmp_path / name)


def test_a_damaged_export_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"format": "hitl_widgets.export", "version": 1, "checkpoints": [{"id": "x"}]}')
    with pytest.raises(hw.DebuggerError, match="is a damaged hitl_widgets export: KeyError"):
        hw.load_export(damaged)
