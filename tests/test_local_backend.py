"""What only a graph in this kernel can show: checkpointers, LangGraph's own view, processes, threads."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import graphs
import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph

import hitl_widgets as hw
from hitl_widgets.backends.checkpointers import default_db_path


def langgraph_view(dbg: hw.Debugger) -> dict[str, tuple[Any, ...]]:
    """The thread as LangGraph's own get_state_history sees it."""
    graph = dbg.backend._graph  # type: ignore[attr-defined]
    config = {"configurable": {"thread_id": dbg.thread_id}}
    return {
        s.config["configurable"]["checkpoint_id"]: (
            (s.parent_config or {}).get("configurable", {}).get("checkpoint_id"),
            s.metadata["step"],
            s.metadata["source"],
            tuple(sorted(s.next)),
            s.values,
        )
        for s in graph.get_state_history(config)
    }


def our_view(dbg: hw.Debugger) -> dict[str, tuple[Any, ...]]:
    return {
        cp.id: (cp.parent_id, cp.step, cp.source, tuple(sorted(cp.next)), dict(cp.values))
        for cp in dbg.history()
    }


@pytest.mark.parametrize("checkpointer", ["sqlite", "memory"])
def test_history_matches_langgraph_across_branches_edits_and_sends(tmp_path: Path, checkpointer: str) -> None:
    spec = f"sqlite:{tmp_path / 'h.sqlite'}" if checkpointer == "sqlite" else "memory"
    dbg = hw.debug(graphs.human_input_graph(), checkpointer=spec)
    dbg.break_before("human_input")
    dbg.start({"user_input": "", "trail": []})
    dbg.edit({"user_input": "first"}, as_node="human_input")
    dbg.cont()
    past = next(cp for cp in dbg.history() if cp.writes == ("step_1",))
    dbg.fork(past.id, {"trail": ["again"]}, as_node="step_1")
    dbg.cont()
    dbg.replay(past.id)
    assert our_view(dbg) == langgraph_view(dbg)

    fan = hw.debug(graphs.map_reduce(), checkpointer=spec)
    fan.start({"items": [1, 2, 3], "results": []})
    assert our_view(fan) == langgraph_view(fan)
    assert sorted(fan.state["results"]) == [10, 20, 30]


@pytest.mark.parametrize("checkpointer", ["sqlite", "memory"])
def test_history_read_bit_by_bit_equals_history_read_at_once(tmp_path: Path, checkpointer: str) -> None:
    spec = f"sqlite:{tmp_path / 'inc.sqlite'}" if checkpointer == "sqlite" else InMemorySaver()
    dbg = hw.debug(graphs.pipeline(), checkpointer=spec, thread_id="inc")
    dbg.break_before("step_2")
    seen = [cp.id for cp in dbg.history()]
    commands = [
        lambda: dbg.start({"input": "x", "trail": []}),
        lambda: dbg.edit({"input": "edited"}, as_node="step_1"),
        lambda: dbg.step(),
        lambda: dbg.cont(),
        lambda: dbg.fork(dbg.history()[-2].id, {"trail": ["forked"]}, as_node="step_1"),
        lambda: dbg.cont(),
        lambda: dbg.replay(dbg.history()[-3].id),
    ]
    for command in commands:
        command()
        seen = [cp.id for cp in dbg.history()]  # each read fetches only what is new
    fresh = hw.debug(graphs.pipeline(), checkpointer=spec, thread_id="inc")
    assert seen == [cp.id for cp in fresh.history()]
    skeleton = [(c.id, c.parent_id, c.step, c.source, c.next, c.writes) for c in dbg.history()]
    assert skeleton == [(c.id, c.parent_id, c.step, c.source, c.next, c.writes) for c in fresh.history()]


def test_history_reads_no_values_until_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dbg = hw.debug(graphs.pipeline(), checkpointer=f"sqlite:{tmp_path / 'lazy.sqlite'}")
    dbg.start({"input": "x", "trail": []})
    loads: list[str] = []
    backend = dbg.backend
    original = backend.values_at
    monkeypatch.setattr(backend, "values_at", lambda cid: loads.append(cid) or original(cid))

    history = dbg.history()
    assert loads == []
    assert history[1].values["trail"] == ["step_1", "step_2"]
    assert history[1].values["trail"] == ["step_1", "step_2"]
    assert loads == [history[1].id]


def test_default_checkpointer_is_an_sqlite_file(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.text_to_revise())
    dbg.start({"some_text": "x"})
    path = default_db_path()
    assert path == tmp_path / "default.sqlite"
    assert path.exists()
    again = hw.debug(graphs.text_to_revise(), thread_id=dbg.thread_id)
    assert again.interrupts[0].value == {"text_to_revise": "x"}


def test_a_compiled_graph_keeps_its_own_checkpointer() -> None:
    saver = InMemorySaver()
    dbg = hw.debug(graphs.text_to_revise().compile(checkpointer=saver), thread_id="own")
    dbg.start({"some_text": "x"})
    assert "own" in saver.storage
    assert not default_db_path().exists()


def test_checkpointer_spec_must_be_known() -> None:
    with pytest.raises(hw.DebuggerError, match="'memory', 'sqlite:PATH'"):
        hw.debug(graphs.pipeline(), checkpointer="mysql://x")
    with pytest.raises(hw.DebuggerError, match="cannot connect to the Postgres database at postgresql://me@"):
        hw.debug(graphs.pipeline(), checkpointer="postgresql://me:secret@127.0.0.1:1/none")
    with pytest.raises(hw.DebuggerError, match="compiled LangGraph graph or a StateGraph builder"):
        hw.debug(object())
    with pytest.raises(hw.DebuggerError, match="thread_id"):
        hw.debug(graphs.pipeline(), thread_id="")


def test_a_paused_sqlite_thread_resumes_in_a_second_process(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite"
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=f"sqlite:{db}", thread_id="survivor")
    pause = dbg.start({"some_text": "before restart"})
    assert pause.reason == "interrupt"

    script = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import graphs, hitl_widgets as hw
        dbg = hw.debug(graphs.text_to_revise(), checkpointer="sqlite:{db}", thread_id="survivor")
        pending = [i.value for i in dbg.interrupts]
        pause = dbg.resume("after restart")
        print(json.dumps({{"pending": pending, "reason": pause.reason, "values": pause.values}}))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "pending": [{"text_to_revise": "before restart"}],
        "reason": "done",
        "values": {"some_text": "after restart"},
    }
    assert dbg.state == {"some_text": "after restart"}
    assert dbg.interrupts == []


class Gate:
    """A node that waits until the test lets it finish, and says when it started."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, state: Any) -> dict[str, Any]:
        self.started.set()
        assert self.release.wait(timeout=60)
        return {"trail": ["gate"]}


def gated_pipeline(gate: Gate) -> StateGraph:
    builder = graphs.pipeline(("step_1", "step_2"))
    builder.add_node("gate", gate)
    builder.add_edge(START, "gate")
    return builder


def test_a_command_during_a_run_is_refused_and_pause_stops_at_the_next_superstep(tmp_path: Path) -> None:
    gate = Gate()
    dbg = hw.debug(gated_pipeline(gate), checkpointer=f"sqlite:{tmp_path / 'g.sqlite'}")
    events: list[str] = []
    dbg.observe(lambda e: events.append(e.kind))
    running = dbg.in_background(lambda: dbg.start({"input": "x", "trail": []}))
    assert gate.started.wait(timeout=60)

    assert dbg.running == "start"
    before = [cp.id for cp in dbg.history()]
    with pytest.raises(hw.DebuggerError, match=r"start\(\) is still running.*pause\(\)"):
        dbg.step()
    with pytest.raises(hw.DebuggerError, match="still running"):
        dbg.edit({"input": "y"})
    assert [cp.id for cp in dbg.history()] == before  # reads do not wait, and nothing changed

    assert dbg.pause() is True
    gate.release.set()
    pause = running.result(timeout=60)
    assert pause.reason == "step"
    assert pause.next == ("step_2",)
    assert dbg.running is None
    assert events[0] == "running" and events[-1] == "paused" and "progress" in events

    assert dbg.cont().values["trail"] == ["gate", "step_1", "step_2"]
    assert dbg.pause() is False


def test_keyboard_interrupt_leaves_the_thread_at_its_last_checkpoint(tmp_path: Path) -> None:
    def interrupted(state: Any) -> dict[str, Any]:
        raise KeyboardInterrupt

    builder = graphs.pipeline(("step_1",))
    builder.add_node("stop_here", interrupted)
    builder.add_edge("step_1", "stop_here")
    dbg = hw.debug(builder, checkpointer=f"sqlite:{tmp_path / 'k.sqlite'}")
    pause = dbg.start({"input": "x", "trail": []})
    assert pause.reason == "error"
    assert pause.error is not None and "KeyboardInterrupt" in pause.error
    assert dbg.state["trail"] == ["step_1"]
    assert set(dbg.head.next) == {"stop_here"}


def test_listeners_hear_commands_and_a_broken_listener_breaks_nothing(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.pipeline(), checkpointer=f"sqlite:{tmp_path / 'l.sqlite'}")
    heard: list[tuple[str, str | None]] = []

    def broken(event: hw.DebuggerEvent) -> None:
        raise RuntimeError("a view failed")

    dbg.observe(broken)
    stop = dbg.observe(lambda e: heard.append((e.kind, e.command)))
    dbg.break_before("step_2")
    dbg.start({"input": "x", "trail": []})
    stop()
    dbg.cont()
    assert heard[0] == ("changed", "break_before")
    assert heard[1] == ("running", "start")
    assert heard[-1] == ("paused", "start")
    assert ("progress", "start") in heard
    assert ("running", "cont") not in heard


def test_start_passes_config_through(tmp_path: Path) -> None:
    dbg = hw.debug(
        graphs.pipeline(tuple(f"n{i}" for i in range(30))), checkpointer=f"sqlite:{tmp_path / 'r.sqlite'}"
    )
    pause = dbg.start({"input": "x", "trail": []}, config={"recursion_limit": 5})
    assert pause.reason == "error"
    assert pause.error is not None and "Recursion limit" in pause.error


def test_history_newer_than_gives_only_the_new_checkpoints(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.pipeline(), checkpointer=f"sqlite:{tmp_path / 'n.sqlite'}")
    dbg.break_before("step_2")
    dbg.start({"input": "x", "trail": []})
    seen = dbg.head.id
    dbg.cont()
    newer = dbg.history(newer_than=seen)
    assert [cp.writes for cp in newer] == [("step_3",), ("step_2",)]


def test_one_checkpoint_by_short_id(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.pipeline(), checkpointer=f"sqlite:{tmp_path / 'one.sqlite'}")
    dbg.start({"input": "x", "trail": []})
    wanted = dbg.history()[2]
    found = dbg.checkpoint(wanted.short_id)
    assert (found.id, found.parent_id, found.next, found.writes) == (
        wanted.id,
        wanted.parent_id,
        wanted.next,
        wanted.writes,
    )
    with pytest.raises(hw.DebuggerError, match="no checkpoint"):
        dbg.checkpoint("nothere")


def test_the_tip_of_a_branch_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:{tmp_path / 'tip.sqlite'}"
    dbg = hw.debug(graphs.pipeline(), checkpointer=db)
    dbg.break_before("step_2")
    dbg.start({"input": "x", "trail": []})
    fresh = hw.debug(graphs.pipeline(), checkpointer=db, thread_id=dbg.thread_id)
    snapshots: dict[str, list[str]] = {"dbg": [], "fresh": []}
    for name, debugger in (("dbg", dbg), ("fresh", fresh)):
        original = debugger.backend.snapshot
        monkeypatch.setattr(
            debugger.backend, "snapshot", lambda cid, n=name, o=original: snapshots[n].append(cid) or o(cid)
        )

    for _ in range(3):
        assert dbg.history()[0].next == ("step_2",)
        assert fresh.history()[0].next == ("step_2",)
    assert snapshots["dbg"] == []  # the run that stopped at the tip said what comes next
    assert snapshots["fresh"] == [dbg.head.id]  # read once, then kept


def test_reprs_of_a_huge_state_stay_short(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=f"sqlite:{tmp_path / 'big.sqlite'}")
    pause = dbg.start({"some_text": "s" * 10_000_000})
    assert pause.reason == "interrupt"
    assert len(pause.values["some_text"]) == 10_000_000
    assert len(repr(pause)) < 2_000
    assert "human_node" in repr(pause)
    assert len(repr(pause.interrupts[0])) < 1_000
    assert len(repr(dbg.head)) < 1_000


@pytest.mark.parametrize("checkpointer", ["sqlite", "memory"])
def test_the_newest_few_read_alone_equal_the_same_read_with_the_rest(
    tmp_path: Path, checkpointer: str
) -> None:
    spec = f"sqlite:{tmp_path / 'few.sqlite'}" if checkpointer == "sqlite" else InMemorySaver()
    dbg = hw.debug(graphs.pipeline(), checkpointer=spec, thread_id="few")
    dbg.start({"input": "x", "trail": []})
    dbg.fork(dbg.history()[2].id, {"trail": ["forked"]}, as_node="step_1")
    dbg.cont()

    fresh = hw.debug(graphs.pipeline(), checkpointer=spec, thread_id="few")
    first_screen = fresh.history(limit=4)
    everything = fresh.history()
    skeleton = [(c.id, c.parent_id, c.step, c.source, c.next, c.writes) for c in everything]
    assert [(c.id, c.parent_id, c.step, c.source, c.next, c.writes) for c in first_screen] == skeleton[:4]
    assert len(everything) == 8  # 5 of the first run, the fork, and 2 steps after it
