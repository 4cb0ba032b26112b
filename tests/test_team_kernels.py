"""Many kernels on one thread: two real processes, each with its own Debugger, on SQLite and
on Postgres. A command made stale by the other kernel is refused and writes nothing; two
commands at once give one run; a kernel that dies holding the thread does not hold it forever.

Each kernel is `tests/team_kernel.py` in its own process, driven line by line over pipes. Its
graph's gated nodes wait for a file, so a test can keep one kernel's run in flight while the
other tries its command; every gated node's run is logged to one file both kernels share.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from team_kernel import team_graph
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.widgets import DebuggerWidget

ROOT = Path(__file__).resolve().parent.parent
KERNEL = Path(__file__).resolve().parent / "team_kernel.py"
ANSWER_SECONDS = 60.0


class Kernel:
    """One teammate's kernel: a process with a Debugger on the shared thread."""

    def __init__(self, checkpointer: str, thread_id: str, log: Path) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            "HITL_TEAM_LOG": str(log),
        }
        self.process = subprocess.Popen(
            [sys.executable, str(KERNEL), checkpointer, thread_id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def send(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        # a selector, not select(): a long test session's worker holds file descriptors past 1024
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            assert selector.select(ANSWER_SECONDS), "the kernel did not answer"
        line = self.process.stdout.readline()
        assert line, f"the kernel exited ({self.process.wait()})"
        return dict(json.loads(line))

    def ask(self, **command: Any) -> dict[str, Any]:
        self.send(**command)
        return self.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def both_at_once(a: Kernel, b: Kernel, gate: Path, **command: Any) -> tuple[Kernel, Kernel, dict[str, Any]]:
    """Both kernels send `command` at once, their runs held at `gate`: (winner, loser, the
    winner's answer). The winner's run waits at the gate, so the first answer is the loser's,
    which must be a refusal; then the gate opens and the winner's run ends."""
    for k in (a, b):
        assert k.ask(do="gate", path=str(gate))["ok"]
    for k in (a, b):
        k.send(**command)
    with selectors.DefaultSelector() as selector:
        for k in (a, b):
            selector.register(k.process.stdout, selectors.EVENT_READ, k)  # type: ignore[arg-type]
        ready = selector.select(ANSWER_SECONDS)
    assert ready, "no kernel answered"
    loser = ready[0][0].data
    refusal = loser.read()
    assert "refused" in refusal, refusal
    gate.touch()
    winner = b if loser is a else a
    return winner, loser, winner.read()


@dataclass
class Team:
    """A fresh thread of one database (an SQLite file, or Postgres by URL) and its kernels."""

    checkpointer: str
    thread_id: str
    log: Path
    started: list[Kernel] = field(default_factory=list)

    def two(self) -> tuple[Kernel, Kernel]:
        """Two kernels on the thread, started side by side."""
        self.started.extend(Kernel(self.checkpointer, self.thread_id, self.log) for _ in range(2))
        for k in self.started[-2:]:
            assert k.read() == {"ready": True}
        return self.started[-2], self.started[-1]


@pytest.fixture(params=["sqlite", "postgres"])
def team(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Team]:
    if request.param == "sqlite":
        checkpointer = f"sqlite:{tmp_path / 'team.sqlite'}"
    else:
        checkpointer = request.getfixturevalue("postgres_url")
    found = Team(checkpointer, str(uuid.uuid4()), tmp_path / "ran.log")
    yield found
    for k in found.started:
        k.stop()


def runs(tmp_path: Path) -> list[str]:
    log = tmp_path / "ran.log"
    return log.read_text().split() if log.exists() else []


def reached(marker: Path) -> None:
    """Wait until a gated node's run made `marker` (it is waiting at the gate)."""
    deadline = time.monotonic() + ANSWER_SECONDS
    while not marker.exists():
        assert time.monotonic() < deadline, f"no run reached {marker.name}"
        time.sleep(0.01)


def at_the_interrupt(a: Kernel, b: Kernel) -> str:
    """A starts the thread up to its question; both look at it. The interrupt's id."""
    assert a.ask(do="start")["reason"] == "interrupt"
    pending = a.ask(do="look")["interrupts"]
    assert b.ask(do="look")["interrupts"] == pending
    return str(pending[0])


def test_two_kernels_resuming_one_interrupt_make_one_run(team: Team, tmp_path: Path) -> None:
    a, b = team.two()
    at_the_interrupt(a, b)
    winner, loser, answer = both_at_once(a, b, tmp_path / "gate", do="resume", value="yes")
    assert answer["reason"] == "done"
    assert runs(tmp_path) == ["prep", "work", "wrap"]
    assert winner.ask(do="look") == loser.ask(do="look")


def test_an_edit_after_the_other_kernel_resumed_is_refused_and_writes_nothing(
    team: Team, tmp_path: Path
) -> None:
    a, b = team.two()
    at_the_interrupt(a, b)
    resumed = a.ask(do="resume", value="yes")
    assert resumed["reason"] == "done"
    refused = b.ask(do="edit", values={"topic": "coffee"}, as_node="ask")
    assert "refused" in refused
    assert resumed["head"][-8:] in refused["refused"]
    assert "source 'loop'" in refused["refused"] and "up to date" in refused["refused"]
    assert b.ask(do="look") == a.ask(do="look")  # nothing written, and B now sees A's run
    assert b.ask(do="edit", values={"topic": "coffee"}, as_node="ask")["ok"]


def test_a_step_while_the_other_kernel_continues_is_refused(team: Team, tmp_path: Path) -> None:
    a, b = team.two()
    at_the_interrupt(a, b)
    assert a.ask(do="resume", value="yes")["reason"] == "done"
    assert b.ask(do="look")["head"] == a.ask(do="look")["head"]
    # a new run up to the question, seen by both, then A continues past it, held at the gate
    at_the_interrupt(a, b)
    gate = tmp_path / "gate"
    assert a.ask(do="gate", path=str(gate))["ok"]
    a.send(do="resume", value="again")
    reached(tmp_path / "gate.waiting-work")  # A's run holds the thread
    before = runs(tmp_path)
    refused = b.ask(do="step")
    assert "refused" in refused and "running a command" in refused["refused"]
    gate.touch()
    assert a.read()["reason"] == "done"
    # once A's run is over, B's step (from the view it had) is stale, and says so
    stale = b.ask(do="step")
    assert "refused" in stale and "moved thread" in stale["refused"]
    assert runs(tmp_path)[len(before) :] == ["work", "wrap"]


def test_two_starts_at_once_make_one_root_chain(team: Team, tmp_path: Path) -> None:
    a, b = team.two()
    assert a.ask(do="look")["head"] is None and b.ask(do="look")["head"] is None
    winner, loser, answer = both_at_once(a, b, tmp_path / "gate", do="start")
    assert answer["reason"] == "interrupt"
    assert runs(tmp_path) == ["prep"]
    seen = winner.ask(do="look")
    assert loser.ask(do="look") == seen
    assert seen["roots"] == 1 and seen["checkpoints"] == 3  # input, then __start__ and prep's steps


def wait_for(check: Callable[[], bool]) -> None:
    """Until `check()` holds (a run in another process gets there), for at most 30 s."""
    for _ in range(300):
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("the other kernel never got there")


def test_a_dead_kernels_claim_is_released(team: Team, tmp_path: Path) -> None:
    a, b = team.two()
    assert a.ask(do="gate", path=str(tmp_path / "never"))["ok"]
    a.send(do="start", topic="from A, who is about to die")
    # A has saved its input and first step and now runs `prep`, holding the thread
    wait_for(lambda: b.ask(do="look")["checkpoints"] == 2)
    refusal = b.ask(do="cont")
    assert "running a command" in refusal.get("refused", ""), refusal
    a.process.send_signal(signal.SIGKILL)
    a.process.wait()
    # The database lets go of a dead kernel's claim: at once for SQLite's lock; Postgres ends the
    # session when it reads the closed socket. B goes on from what A left.
    answers: list[dict[str, Any]] = []

    def b_goes_on() -> bool:
        answers.append(b.ask(do="cont"))
        return "running a command" not in answers[-1].get("refused", "")

    wait_for(b_goes_on)
    assert answers[-1].get("reason") == "interrupt", answers[-1]
    assert b.ask(do="look")["roots"] == 1


def test_an_open_view_follows_what_another_kernel_does(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A widget in this kernel shows the other kernel's new checkpoints without any command here."""
    monkeypatch.setenv("HITL_TEAM_LOG", str(team.log))
    a, _ = team.two()
    dbg = hw.debug(team_graph(), checkpointer=team.checkpointer, thread_id=team.thread_id)
    client = WidgetClient(DebuggerWidget(dbg))
    assert client.result("history") == {"rows": []}
    started = a.ask(do="start")
    widget = client.widget
    client.wait_until(
        lambda: widget.head_id == started["head"] and "moved by another kernel" in widget.status["summary"],
        "the view to follow A's start",
    )
    sent = {row[0] for push in client.customs("history") for row in push["rows"]}
    assert sent == {c.id for c in dbg.history()} and len(sent) == 3
    assert [i["id"] for i in widget.interrupts] == a.ask(do="look")["interrupts"]
    # its own command is its own: the view says so, not "another kernel"
    dbg.resume("from this kernel")
    assert widget.status["reason"] == "done"
    assert "another kernel" not in widget.status["summary"]
    dbg.close()
