"""One Debugger used from several places at once: commands serialize, none interleaves.

A user clicks in two views of one Debugger (two widgets, their message handlers called from
two threads), or runs a magic while a widget's command is still going. The Debugger runs one command at a time and refuses (never queues) any other, with a
message naming the command in flight; reads never wait. These tests hold a real run inside a
node (a gate the test opens) and fire commands at it from many threads, hammer one Debugger
from two threads with no gate at all, and run `%hitl` magics while a run is in flight; each
ends by checking the thread against LangGraph's own reading of it.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from langgraph.graph import END, START, StateGraph
from test_hardening_history import RoundsState, read_truth, rounds_graph
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.debugger import DebuggerEvent
from hitl_widgets.widgets import CheckpointTree, DebuggerWidget, GraphView

WAIT = 60.0  # seconds a test waits for a thread before it calls the run stuck


class Gate:
    """Holds a node until the test opens it; says when a run is inside."""

    def __init__(self) -> None:
        self.inside = threading.Event()
        self.open = threading.Event()

    def node(self, state: RoundsState) -> dict[str, Any]:
        self.inside.set()
        assert self.open.wait(WAIT), "the test never opened the gate"
        return {"trail": ["gated"]}


def gated_graph(gate: Gate) -> StateGraph:
    builder = StateGraph(RoundsState)
    builder.add_node("first", lambda s: {"trail": ["first"]})
    builder.add_node("gated", gate.node)
    builder.add_node("last", lambda s: {"trail": ["last"]})
    builder.add_edge(START, "first")
    builder.add_edge("first", "gated")
    builder.add_edge("gated", "last")
    builder.add_edge("last", END)
    return builder


class EventLog:
    """Every event a Debugger emits, in order, to check that runs never interleave."""

    def __init__(self, dbg: hw.Debugger) -> None:
        self.events: list[DebuggerEvent] = []
        self._lock = threading.Lock()
        dbg.observe(self.record)

    def record(self, event: DebuggerEvent) -> None:
        with self._lock:
            self.events.append(event)

    def assert_serial(self) -> None:
        """Each "running" is followed by progress of that command only, then its "paused";
        nothing else ("changed", another "running") happens in between."""
        in_flight: str | None = None
        for event in self.events:
            if event.kind == "running":
                assert in_flight is None, f"{event.command} started while {in_flight} was running"
                in_flight = event.command
            elif event.kind in ("progress", "task", "update", "token", "custom"):  # during a run
                assert event.command == in_flight
            elif event.kind == "paused":
                assert in_flight in (None, event.command)  # a finished-at-breakpoint pause has no run
                in_flight = None
            else:
                assert in_flight is None, f"{event.command} changed the thread during {in_flight}"
        assert in_flight is None


def assert_agrees_with_langgraph(dbg: hw.Debugger) -> None:
    truth = read_truth(dbg.backend._graph, dbg.thread_id, dbg.head.id)  # type: ignore[attr-defined]
    history = dbg.history()
    assert [c.id for c in history] == truth.order
    for cp in history:
        parent, step, source, next_, values = truth.checkpoints[cp.id]
        assert (cp.parent_id, cp.step, cp.source, cp.next, dict(cp.values)) == (
            parent,
            step,
            source,
            next_,
            values,
        )
    assert dbg.state == truth.head_values
    assert {i.id: i.value for i in dbg.interrupts} == truth.pending


@pytest.fixture
def gate() -> Iterator[Gate]:
    gate = Gate()
    yield gate
    gate.open.set()  # never leave a run hanging


def attempts(dbg: hw.Debugger, first: str, last: str) -> dict[str, Callable[[], Any]]:
    """Every command a second view or a magic could send, on a graph from `first` to `last`."""
    return {
        "start": lambda: dbg.start({"trail": [], "rounds": 0}),
        "step": dbg.step,
        "cont": dbg.cont,
        "resume": lambda: dbg.resume("yes"),
        "edit": lambda: dbg.edit({"trail": ["x"]}, as_node=first),
        "fork": lambda: dbg.fork(dbg.history()[-1].id),
        "replay": lambda: dbg.replay(dbg.history()[-1].id),
        "checkout": lambda: dbg.checkout(dbg.history()[-1].id),
        "break_before": lambda: dbg.break_before(last),
        "break_after": lambda: dbg.break_after(first),
        "clear_breakpoints": dbg.clear_breakpoints,
    }


def test_commands_from_many_threads_during_a_run_are_refused_not_interleaved(
    gate: Gate, tmp_path: Path
) -> None:
    dbg = hw.debug(gated_graph(gate), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    log = EventLog(dbg)
    dbg.break_before("gated")
    dbg.start({"trail": [], "rounds": 0})
    before = [c.id for c in dbg.history()]

    running = dbg.in_background(dbg.cont)
    assert gate.inside.wait(WAIT)
    assert dbg.running == "cont"
    commands = attempts(dbg, "first", "last")
    barrier = threading.Barrier(len(commands))

    def fire(command: Callable[[], Any]) -> BaseException | None:
        barrier.wait(WAIT)
        try:
            command()
        except hw.DebuggerError as refused:
            return refused
        return None

    with ThreadPoolExecutor(len(commands)) as pool:
        outcomes = dict(zip(commands, pool.map(fire, commands.values()), strict=True))
    # Reads never wait for the run.
    assert [c.id for c in dbg.history()][-len(before) :] == before
    gate.open.set()
    pause = running.result(WAIT)

    for name, outcome in outcomes.items():
        assert isinstance(outcome, hw.DebuggerError), f"{name} was not refused"
        assert f"{name}() refused: cont() is still running" in str(outcome)
    assert pause.reason == "done"
    assert pause.values["trail"] == ["first", "gated", "last"]
    assert dbg.breakpoints == {"before": ["gated"], "after": []}
    log.assert_serial()
    assert_agrees_with_langgraph(dbg)


def test_two_views_hammering_one_debugger_never_interleave(tmp_path: Path) -> None:
    """Two threads send random commands with no pause between; each is carried out whole or
    refused; afterwards the thread is LangGraph's and every old checkpoint is intact."""
    dbg = hw.debug(rounds_graph(3), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    log = EventLog(dbg)
    dbg.start({"trail": [], "rounds": 0})
    refusals: list[str] = []
    done = threading.Barrier(2)

    def view(seed: int) -> None:
        rng = random.Random(seed)
        commands = attempts(dbg, "plan", "join")
        done.wait(WAIT)
        for _ in range(40):
            name = rng.choice(list(commands))
            try:
                commands[name]()
            except hw.DebuggerError as refused:
                refusals.append(str(refused))

    seen: dict[str, Any] = {}  # what a third view read while the two others clicked
    finished = threading.Event()

    def watch() -> None:
        while not finished.is_set():
            for cp in dbg.history():
                seen.setdefault(cp.id, (cp.parent_id, dict(cp.values)))

    with ThreadPoolExecutor(3) as pool:
        watcher = pool.submit(watch)
        for future in [pool.submit(view, seed) for seed in (1, 2)]:
            future.result(WAIT * 4)
        finished.set()
        watcher.result(WAIT)
    log.assert_serial()
    assert_agrees_with_langgraph(dbg)
    for cp in dbg.history():
        assert seen.get(cp.id, (cp.parent_id, dict(cp.values))) == (cp.parent_id, dict(cp.values))
    print(
        f"{len(refusals)} of 80 commands refused, {sum('still running' in r for r in refusals)} for overlap"
    )
    # Refused because the other view's command was running, or because of where the thread was.
    expected = ("is still running", "nothing to run", "nothing to resume")
    assert all(any(e in r for e in expected) for r in refusals), refusals


def test_a_magic_while_a_command_is_in_flight_is_refused_in_one_line(
    gate: Gate, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from IPython.testing.globalipapp import get_ipython

    ip: Any = get_ipython()
    ip.run_line_magic("load_ext", "hitl_widgets")
    dbg = hw.debug(gated_graph(gate), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    ip.user_ns["held"] = dbg
    try:
        ip.run_line_magic("hitl", "use held")
        dbg.break_before("gated")
        dbg.start({"trail": [], "rounds": 0})
        running = dbg.in_background(dbg.cont)  # what a widget's "continue" does
        assert gate.inside.wait(WAIT)
        capsys.readouterr()

        ip.run_cell("%hitl step")
        refused = capsys.readouterr()
        ip.run_cell("%hitl edit {'trail': ['x']} --as-node first")
        refused_edit = capsys.readouterr()
        ip.run_cell("%hitl state")  # reads do not wait
        read = capsys.readouterr()

        gate.open.set()
        pause = running.result(WAIT)
        ip.run_cell("%hitl state")
        after = capsys.readouterr()
    finally:
        ip.user_ns.pop("held", None)

    assert refused.out == "" and "Traceback" not in refused.err
    assert refused.err.strip().splitlines() == [
        f"UsageError: step() refused: cont() is still running on thread {dbg.thread_id!r}; "
        "wait for it, or call pause() to stop it at the next superstep"
    ]
    assert "edit() refused: cont() is still running" in refused_edit.err
    assert "first" in read.out and read.err == ""
    assert pause.reason == "done"
    assert '["first", "gated", "last"]' in after.out
    assert dbg.state["trail"] == ["first", "gated", "last"]
    assert_agrees_with_langgraph(dbg)


# ---------------------------------------------------------------- two widgets of one Debugger


def shown(client: WidgetClient) -> dict[str, Any]:
    """What a widget shows of the thread (its synced traits)."""
    widget = client.widget
    return {
        "head_id": widget.head_id,
        "breakpoints": widget.breakpoints,
        "interrupts": [i["id"] for i in widget.interrupts],
        "reason": widget.status.get("reason"),
        "running": widget.status.get("running"),
    }


def test_two_widgets_clicked_at_once_serialize_and_agree_afterwards(gate: Gate, tmp_path: Path) -> None:
    dbg = hw.debug(gated_graph(gate), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    log = EventLog(dbg)
    full, graph = WidgetClient(DebuggerWidget(dbg)), WidgetClient(GraphView(dbg))
    graph.result("set_breakpoint", node="gated", when="before", on=True)
    full.result("start", input={"trail": [], "rounds": 0})

    full.send("go", "cont")  # answered from a worker thread when the run ends
    assert gate.inside.wait(WAIT)
    clicks = [
        (graph, "set_breakpoint", {"node": "last", "when": "after", "on": True}),
        (full, "step", {}),
        (graph, "apply_state", {"checkpoint_id": dbg.history()[0].id, "values": {"trail": ["x"]}}),
        (full, "checkout", {"checkpoint_id": dbg.history()[-1].id}),
    ]
    barrier = threading.Barrier(len(clicks))

    def click(n: int) -> None:
        client, method, params = clicks[n]
        barrier.wait(WAIT)
        client.send(f"click-{n}", method, **params)

    with ThreadPoolExecutor(len(clicks)) as pool:
        list(pool.map(click, range(len(clicks))))
    for n, (client, method, _) in enumerate(clicks):
        reply = client.wait_until(lambda client=client, n=n: client.reply(f"click-{n}"), method)
        assert reply["ok"] is False and "cont() is still running" in reply["error"]["message"], reply
    gate.open.set()
    done = full.wait_until(lambda: full.reply("go"), "the continue")

    assert done["ok"] and done["result"]["reason"] == "done"
    breakpoints = {**dbg.breakpoints, "conditions": dbg.breakpoint_conditions}
    expected = {"head_id": dbg.head.id, "breakpoints": breakpoints, "interrupts": [], "reason": "done"}
    for client in (full, graph):
        client.wait_until(lambda client=client: shown(client)["running"] is None, "the run to end")
        assert {k: v for k, v in shown(client).items() if k != "running"} == expected
    assert dbg.breakpoints == {"before": ["gated"], "after": []}
    log.assert_serial()
    assert_agrees_with_langgraph(dbg)


def test_two_widgets_hammered_from_two_threads_answer_every_request_once(tmp_path: Path) -> None:
    dbg = hw.debug(rounds_graph(2), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    log = EventLog(dbg)
    clients = [WidgetClient(DebuggerWidget(dbg)), WidgetClient(CheckpointTree(dbg))]
    for client in clients:
        client.result("history")
        client.result("head_state")
    clients[0].result("start", input={"trail": [], "rounds": 0})
    sent: list[tuple[WidgetClient, str]] = []
    lock = threading.Lock()

    def hammer(n: int) -> None:
        rng, client = random.Random(n), clients[n]
        for i in range(30):
            ids = [c.id for c in dbg.history()]
            method, params = rng.choice(
                [
                    ("step", {}),
                    ("cont", {}),
                    ("replay", {"checkpoint_id": rng.choice(ids)}),
                    ("checkout", {"checkpoint_id": rng.choice(ids)}),
                    ("fork", {"checkpoint_id": rng.choice(ids), "values": None}),
                    ("set_breakpoint", {"node": rng.choice(["plan", "join"]), "when": "before", "on": True}),
                    ("clear_breakpoints", {}),
                    ("checkpoint", {"checkpoint_id": rng.choice(ids)}),
                    ("history", {}),
                ]
            )
            call_id = f"{n}-{i}"
            with lock:
                sent.append((client, call_id))
            client.send(call_id, method, **params)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(hammer, range(2)))
    for client, call_id in sent:
        client.wait_until(lambda client=client, call_id=call_id: client.reply(call_id), call_id)
        assert len([r for r in client.customs("reply") if r["id"] == call_id]) == 1
    for client in clients:
        client.wait_until(lambda client=client: shown(client)["running"] is None, "the last run to end")
    dbg.in_background(lambda: None).result(WAIT)  # nothing left in flight
    assert shown(clients[0]) == shown(clients[1])
    assert shown(clients[0])["head_id"] == dbg.head.id
    log.assert_serial()
    assert_agrees_with_langgraph(dbg)


def test_a_read_on_another_thread_never_undoes_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view reads the head (a query to the saver) while the user checks out a past checkpoint
    on another thread: the checkout stands. The read is held in its query while the checkout
    happens, the widest the window can be."""
    dbg = hw.debug(rounds_graph(1), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    dbg.start({"trail": [], "rounds": 0})
    past = dbg.history()[-1].id
    in_query, go_on = threading.Event(), threading.Event()
    latest = dbg.backend.latest_checkpoint_id

    def held_in_the_view(self: Any = None) -> str | None:
        if threading.current_thread().name == "view":
            in_query.set()
            assert go_on.wait(WAIT)
        return latest()

    monkeypatch.setattr(dbg.backend, "latest_checkpoint_id", held_in_the_view)
    view = threading.Thread(target=lambda: dbg.state, name="view")
    view.start()
    assert in_query.wait(WAIT)
    dbg.checkout(past)
    go_on.set()
    view.join(WAIT)

    assert dbg.head.id == past
    assert dbg.state == dict(dbg.history()[-1].values)


def test_history_read_during_a_run_is_complete_once_the_run_ends(tmp_path: Path) -> None:
    """A step's tasks save their writes in the background: a view reading history mid-run can
    see a checkpoint's child before a branch's writes (held back here, as a slow disk would).
    What it read then is read again when the run ends, so the history ends up LangGraph's."""
    dbg = hw.debug(rounds_graph(1), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    saver: Any = dbg.backend._graph.checkpointer  # type: ignore[attr-defined]
    put_writes = saver.put_writes
    held, release = threading.Event(), threading.Event()

    def slow_for_left(config: Any, writes: Any, task_id: str, task_path: str = "") -> None:
        if "left" in task_path and not release.is_set():
            held.set()
            assert release.wait(WAIT)
        put_writes(config, writes, task_id, task_path)

    saver.put_writes = slow_for_left
    running = dbg.in_background(lambda: dbg.start({"trail": [], "rounds": 0}))
    assert held.wait(WAIT)
    while not any(r.step == 2 for r in dbg.backend.skeleton()):  # the step after it is saved
        threading.Event().wait(0.01)
    dbg.history()  # a view reads now, while left's writes are not saved yet
    release.set()
    assert running.result(WAIT).reason == "done"

    assert [c.next for c in dbg.history() if c.step == 1] == [("left", "right")]
    assert_agrees_with_langgraph(dbg)
