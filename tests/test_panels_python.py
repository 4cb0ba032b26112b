"""The Python side of the debugger panels (issue 12, part B), without a browser: `dbg.diff`
between any two checkpoints, on both backends; tracebacks as the user reads them; the widget's
status saying which breakpoint was hit and which node failed; checkpoints sent to the tree
while a run saves them, the last of a burst included."""

from __future__ import annotations

import threading
from pathlib import Path

import graphs
import pytest
from graphs import MakeDebugger
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.diff import Change
from hitl_widgets.text import failed_tasks, user_traceback
from hitl_widgets.widgets import DebuggerWidget
from hitl_widgets.widgets.pacer import Pacer


def test_diff_between_any_two_checkpoints(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "go", "trail": []})
    by_step = {cp.step: cp for cp in dbg.history()}
    # the input checkpoint has only `trail`; the last one adds `input` and three steps
    assert dbg.diff(by_step[-1].id, by_step[3].id) == [
        Change("input", "add", after="go"),
        Change("trail", "change", before=[], after=["step_1", "step_2", "step_3"]),
    ]
    # a list that kept its first items: only what follows them, with their offset
    assert dbg.diff(by_step[1].id, by_step[3].id) == [
        Change("trail", "change", before=[], after=["step_2", "step_3"], offset=1)
    ]
    assert dbg.diff(by_step[3].id, by_step[-1].id)[-1] == Change("input", "remove", before="go"), (
        "removed last"
    )
    assert dbg.diff(by_step[3].id[-8:], by_step[3].id) == [], "short ids; nothing from a checkpoint to itself"


def test_diff_of_a_grown_list_carries_only_the_new_items(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.chat_agent(history=300), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    dbg.start({"messages": [{"role": "user", "content": "book a hotel"}]})
    loaded = next(cp for cp in dbg.history() if cp.writes == ("load_history",))
    (change,) = dbg.diff(loaded.parent_id or "", loaded.id)
    assert (change.key, change.op, change.offset, len(change.after)) == ("messages", "change", 1, 300)


def test_diff_refuses_an_unknown_checkpoint_naming_recent_ones(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    dbg.start({"some_text": "x"})
    with pytest.raises(hw.DebuggerError, match="recent"):
        dbg.diff("nosuchcheckpoint", dbg.head.id)


def test_a_traceback_starts_at_the_users_frames_with_cells_named(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.failing_node(), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    pause = dbg.start({"value": -1, "trail": []})
    assert pause.error is not None
    shown = user_traceback(pause.error, {graphs.__file__: 7})
    lines = shown.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert "library frames (" in lines[1] and "langgraph" in lines[1], "library frames folded into one line"
    assert lines[2] == "  Cell In[7], line 344, in _check" or lines[2].startswith("  Cell In[7], line ")
    assert "site-packages" not in shown and graphs.__file__ not in shown
    assert "ValueError: value must not be negative, got -1" in shown
    assert failed_tasks(pause.error) == ["check"]


def test_the_status_says_which_breakpoint_stopped_the_run(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    widget = DebuggerWidget(dbg)
    dbg.break_before("step_2")
    dbg.break_after("step_3")
    dbg.start({"input": "go", "trail": []})
    assert widget.status["breakpoint_hit"] == "before step_2"
    dbg.cont()
    assert widget.status["breakpoint_hit"] == "after step_3"
    dbg.cont()
    assert widget.status["reason"] == "done" and widget.status["breakpoint_hit"] is None


def test_the_status_names_the_failed_node(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.failing_node(), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    widget = DebuggerWidget(dbg)
    dbg.start({"value": -1, "trail": []})
    assert widget.status["failed"] == ["check"]
    assert "library frames" in widget.status["error"]
    assert "site-packages" in widget.status["error_full"], "the whole traceback is kept"
    dbg.edit({"value": 1}, as_node="prepare")
    assert widget.status["failed"] == []


def test_checkpoints_reach_the_tree_while_the_run_saves_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    dbg = hw.debug(graphs.slow_pipeline(), checkpointer="sqlite:t.sqlite")
    client = WidgetClient(hw.CheckpointTree(dbg))
    client.call("history")
    client.send("run-1", "start", input={"input": "go", "trail": []})
    client.wait_until(lambda: Path("waiting-review").exists(), "the run to wait in its last node")
    # the checkpoint before `review` arrives although no superstep follows it for now
    client.wait_until(
        lambda: any(row[4] == ["write"] for push in client.customs("history") for row in push["rows"]),
        "the checkpoint `write` made, sent during the run",
    )
    assert dbg.running == "start"
    Path("go").touch()
    client.wait_until(lambda: client.reply("run-1"), "the run's end")
    sent = {row[0] for push in client.customs("history") for row in push["rows"]}
    assert sent == {cp.id for cp in dbg.history()}


def test_a_pacer_sends_at_once_then_the_last_of_a_burst() -> None:
    sent: list[int] = []
    done = threading.Event()
    count = 0

    def send() -> None:
        sent.append(count)
        if count == 5:
            done.set()

    pacer = Pacer(0.5, send)  # one call per two seconds
    for _ in range(5):
        count += 1
        pacer.call()
    assert sent == [1], "the first call goes at once, the next ones wait"
    assert done.wait(30), "the last call of the burst is sent when the interval ends"
    assert sent == [1, 5]


def test_a_view_of_a_thread_that_cannot_be_read_still_displays(tmp_path: Path) -> None:
    import sqlite3

    from langgraph.checkpoint.sqlite import SqliteSaver

    conn = sqlite3.connect(tmp_path / "lost.sqlite", check_same_thread=False)
    dbg = hw.debug(graphs.pipeline(), checkpointer=SqliteSaver(conn))
    dbg.start({"input": "go", "trail": []})
    tree = hw.CheckpointTree(dbg)
    conn.close()
    bundle = tree._repr_mimebundle_()
    assert bundle is not None
    assert bundle[0]["text/plain"].startswith("CheckpointTree: the thread cannot be read (ProgrammingError")
