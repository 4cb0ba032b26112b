"""Faults: kernel restarts, Ctrl-C in the middle of a run, a kernel killed mid-run, node errors.

Each test drives a real IPython kernel (jupyter_client's `KernelManager`, the same kernel a
notebook gets) with a real SQLite file, breaks it the way users do, and checks that the thread
is whole afterwards (every checkpoint's parent is there, LangGraph reads the thread, the run
can go on) and that the `Pause` says what happened. For a LangGraph server killed mid-run, the
Debugger's side is `tests/test_remote_faults.py::test_a_server_that_dies_mid_run_is_reported_and_the_debugger_stays_usable`;
the last test here checks what a widget shows then.
"""

from __future__ import annotations

import ast
import json
import os
import random
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.manager import KernelManager

import hitl_widgets as hw
from hitl_widgets.model import short_id

TESTS = Path(__file__).parent
TIMEOUT = 120.0
ROUNDS = 10  # Ctrl-C at random moments of a run

# A pipeline whose nodes leave a marker file as they start and take `seconds`; `slow` waits (in
# short sleeps, so Ctrl-C lands in it) until the file `go` exists.
GRAPH_CODE = """
import os, time
import graphs, hitl_widgets as hw
from langgraph.graph import END, START, StateGraph

def marked(name, wait=False, seconds=0.0):
    def node(state):
        open(f"at-{name}", "w").close()
        time.sleep(seconds)
        while wait and not os.path.exists("go"):
            time.sleep(0.02)
        return {"trail": [name]}
    return node

def pipeline(names, slow=(), seconds=0.0):
    builder = StateGraph(graphs.StepsState)
    previous = START
    for name in names:
        builder.add_node(name, marked(name, wait=name in slow, seconds=seconds))
        builder.add_edge(previous, name)
        previous = name
    builder.add_edge(previous, END)
    return builder

def whole(dbg):
    '''The thread as a list of (id, parent, step) after checking LangGraph reads every checkpoint.'''
    graph = dbg.backend._graph
    config = {"configurable": {"thread_id": dbg.thread_id, "checkpoint_ns": ""}}
    truth = [(s.config["configurable"]["checkpoint_id"],
              s.parent_config["configurable"]["checkpoint_id"] if s.parent_config else None,
              s.metadata["step"]) for s in graph.get_state_history(config)]
    ids = {t[0] for t in truth}
    assert all(parent is None or parent in ids for _, parent, _ in truth), "a checkpoint lost its parent"
    assert [(c.id, c.parent_id, c.step) for c in dbg.history()] == truth, "the Debugger reads another thread"
    return truth
"""


class Kernel:
    """A real IPython kernel in a folder of its own, driven like a notebook drives it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
            "HITL_WIDGETS_DB": str(folder / "default.sqlite"),
        }
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(cwd=str(folder), env=env)
        self._connect()

    def _connect(self) -> None:
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=TIMEOUT)

    def run(self, code: str) -> dict[str, Any]:
        """Run a cell; its reply content (status, ename, evalue). Output goes to the test log."""
        reply = self.client.execute_interactive(code, timeout=TIMEOUT)
        content: dict[str, Any] = reply["content"]
        return content

    def ok(self, code: str) -> None:
        content = self.run(code)
        assert content["status"] == "ok", f"{content.get('ename')}: {content.get('evalue')}"

    def eval(self, expression: str) -> Any:
        """The value of `expression` in the kernel, through JSON."""
        reply = self.client.execute_interactive(
            "", timeout=TIMEOUT, user_expressions={"v": f"__import__('json').dumps({expression})"}
        )
        value = reply["content"]["user_expressions"]["v"]
        assert value["status"] == "ok", f"{expression}: {value.get('ename')}: {value.get('evalue')}"
        return json.loads(ast.literal_eval(value["data"]["text/plain"]))

    def start_cell(self, code: str) -> str:
        """Send a cell without waiting for it; its message id."""
        return str(self.client.execute(code))

    def wait_reply(self, msg_id: str) -> dict[str, Any]:
        while True:
            reply = self.client.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                content: dict[str, Any] = reply["content"]
                return content

    def wait_for_file(self, name: str) -> None:
        """Wait until the kernel's code made this file (a node started): state, not time."""
        event = threading.Event()
        path = self.folder / name
        while not path.exists():
            event.wait(0.02)

    def restart(self) -> None:
        self.client.stop_channels()
        self.manager.restart_kernel(now=True)
        self._connect()

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture
def kernel(tmp_path: Path) -> Iterator[Kernel]:
    kernel = Kernel(tmp_path)
    try:
        yield kernel
    finally:
        kernel.close()


# ---------------------------------------------------------------- a kernel restarted at an interrupt

RESTART_CASES = [
    # (graph, input, checkpointer, answer): the default SQLite file, and one named in the cell
    ("text_to_revise", {"some_text": "before the restart"}, None, "'after the restart'"),
    ("subgraph_interrupt", {"topic": "owls", "findings": [], "notes": []}, "sqlite:t.sqlite", "'more owls'"),
    (
        "parallel_interrupts",
        {"text_1": "a", "text_2": "b"},
        "sqlite:t.sqlite",
        "{i.id: i.value['text_to_revise'] + '!' for i in dbg.interrupts}",
    ),
]


@pytest.mark.parametrize(
    ("graph", "input", "checkpointer", "answer"), RESTART_CASES, ids=[c[0] for c in RESTART_CASES]
)
def test_a_kernel_restarted_at_an_interrupt_resumes_from_sqlite(
    kernel: Kernel, graph: str, input: dict[str, Any], checkpointer: str | None, answer: str
) -> None:
    attach = f"dbg = hw.debug(graphs.{graph}(), thread_id='kept', checkpointer={checkpointer!r})"
    kernel.ok(GRAPH_CODE + "\n" + attach + f"\npause = dbg.start({input!r})")
    assert kernel.eval("pause.reason") == "interrupt"
    pending = kernel.eval("sorted([i.id, i.value, i.node, list(i.ns)] for i in dbg.interrupts)")
    thread = kernel.eval("whole(dbg)")
    state = kernel.eval("dbg.state")

    kernel.restart()
    assert kernel.eval("'dbg' in globals()") is False  # a new process: nothing survived but the file
    kernel.ok(GRAPH_CODE + "\n" + attach)

    assert kernel.eval("sorted([i.id, i.value, i.node, list(i.ns)] for i in dbg.interrupts)") == pending
    assert kernel.eval("whole(dbg)") == thread
    assert kernel.eval("dbg.state") == state
    assert kernel.eval("dbg.head.id") == thread[0][0]
    kernel.ok(f"done = dbg.resume({answer})")
    assert kernel.eval("done.reason") == "done"
    assert kernel.eval("dbg.interrupts") == []
    assert kernel.eval("whole(dbg)")[-len(thread) :] == thread  # the old checkpoints, untouched


# ---------------------------------------------------------------- Ctrl-C during cont()


def test_ctrl_c_during_cont_leaves_the_thread_whole_and_says_so(kernel: Kernel) -> None:
    kernel.ok(
        GRAPH_CODE
        + "\ndbg = hw.debug(pipeline(['first', 'slow', 'last'], slow={'slow'}), checkpointer='sqlite:t.sqlite')"
        + "\ndbg.break_before('slow')\nat = dbg.start({'input': 'x', 'trail': []})"
    )
    before = kernel.eval("whole(dbg)")

    cell = kernel.start_cell("pause = dbg.cont()")
    kernel.wait_for_file("at-slow")
    kernel.manager.interrupt_kernel()  # SIGINT, what the notebook's stop button sends
    reply = kernel.wait_reply(cell)

    assert reply["status"] == "ok"  # no traceback: the run's Pause tells it
    assert kernel.eval("pause.reason") == "error"
    assert kernel.eval("pause.error").startswith("KeyboardInterrupt: the run was stopped")
    assert kernel.eval("pause.checkpoint_id") == kernel.eval("at.checkpoint_id")
    assert kernel.eval("dbg.running") is None
    assert kernel.eval("whole(dbg)") == before
    assert kernel.eval("dbg.head.next") == ["slow"]

    (kernel.folder / "go").touch()
    kernel.ok("done = dbg.cont()")
    assert kernel.eval("done.reason") == "done"
    assert kernel.eval("dbg.state['trail']") == ["first", "slow", "last"]
    assert kernel.eval("whole(dbg)")[-len(before) :] == before


@pytest.mark.parametrize(
    ("nodes", "seconds"),
    [(40, 0.01), (150, 0.0)],
    ids=["nodes that sleep: Ctrl-C lands in them", "instant nodes: Ctrl-C lands in LangGraph and the saver"],
)
def test_ctrl_c_at_random_moments_of_a_long_run_never_breaks_the_thread(
    kernel: Kernel, nodes: int, seconds: float
) -> None:
    """Ctrl-C wherever it lands (a node, LangGraph's loop, a checkpoint being saved, the
    toolkit around the run): the thread stays whole, and going on finishes the run with every
    node exactly once. Each round replays the whole pipeline from its first checkpoint."""
    names = [f"n{i:03d}" for i in range(nodes)]
    kernel.ok(
        GRAPH_CODE
        + f"\ndbg = hw.debug(pipeline({names!r}, seconds={seconds}), checkpointer='sqlite:t.sqlite')"
        + "\ndbg.break_before('n000')\nfirst = dbg.start({'input': 'x', 'trail': []}).checkpoint_id"
    )
    rng = random.Random(6)
    landed: Counter[str] = Counter()
    # Ctrl-C must land in the cell's code: one that lands in ipykernel's own handling of the
    # request (before the cell's code starts, or after it ends) loses the cell's reply, which is
    # ipykernel's matter, not ours. So the cell says when it started, and a run that ends before
    # the Ctrl-C waits for it.
    cell_code = (
        "outcome = None\nopen('cell-started', 'w').close()\noutcome = dbg.replay(first)\n"
        "if outcome.reason == 'done':\n"
        "    try:\n        time.sleep(60)\n    except KeyboardInterrupt:\n        pass\n"
    )
    for _ in range(ROUNDS):
        (kernel.folder / "cell-started").unlink(missing_ok=True)
        cell = kernel.start_cell(cell_code)
        kernel.wait_for_file("cell-started")
        threading.Event().wait(rng.uniform(0.0, 0.45))  # where it lands is the point, not a measure
        kernel.manager.interrupt_kernel()
        reply = kernel.wait_reply(cell)
        outcome = kernel.eval("None if outcome is None else [outcome.reason, outcome.error]")
        if reply["status"] == "error":  # Ctrl-C outside the run (before or after it): a traceback
            assert reply["ename"] == "KeyboardInterrupt"
            landed["around the run"] += 1
        elif outcome[0] == "error":  # inside: the Pause says so
            assert outcome[1].startswith("KeyboardInterrupt: the run was stopped")
            landed["inside the run"] += 1
        else:
            assert outcome[0] == "done"
            landed["after the run"] += 1
        assert kernel.eval("dbg.running") is None
        kernel.eval("whole(dbg)")
        trail = kernel.eval("dbg.state['trail']")
        assert trail == names[: len(trail)], "a node ran twice or out of order"
        if kernel.eval("bool(dbg.head.next)"):
            kernel.ok("finished = dbg.cont()")
        assert kernel.eval("dbg.state['trail']") == names
    kernel.eval("whole(dbg)")
    print(f"Ctrl-C {ROUNDS} times: {dict(landed)}")
    assert landed["inside the run"] > 0


# ---------------------------------------------------------------- a kernel killed in the middle of a run


def test_a_kernel_killed_mid_run_leaves_a_thread_a_new_kernel_can_finish(kernel: Kernel) -> None:
    make = (
        GRAPH_CODE
        + "\ndbg = hw.debug(pipeline(['first', 'second', 'slow', 'last'], slow={'slow'}),"
        + " thread_id='killed', checkpointer='sqlite:t.sqlite')"
    )
    kernel.ok(make)
    kernel.start_cell("dbg.start({'input': 'x', 'trail': []})")
    kernel.wait_for_file("at-slow")

    kernel.restart()  # kills the busy kernel outright (SIGKILL), as "restart" on a hung kernel does
    kernel.ok(make)

    thread = kernel.eval("whole(dbg)")
    assert kernel.eval("dbg.state['trail']") == ["first", "second"]
    assert kernel.eval("dbg.head.next") == ["slow"]
    (kernel.folder / "go").touch()
    kernel.ok("done = dbg.cont()")
    assert kernel.eval("done.reason") == "done"
    assert kernel.eval("dbg.state['trail']") == ["first", "second", "slow", "last"]
    assert kernel.eval("whole(dbg)")[-len(thread) :] == thread


# ---------------------------------------------------------------- a node that raises


def test_a_node_error_pauses_at_the_last_checkpoint_and_can_be_fixed(tmp_path: Path) -> None:
    import graphs

    dbg = hw.debug(graphs.failing_node(), checkpointer=f"sqlite:{tmp_path / 't.sqlite'}")
    pause = dbg.start({"value": -1, "trail": []})
    ids = [c.id for c in dbg.history()]

    assert pause.reason == "error"
    assert pause.error is not None and "ValueError: value must not be negative, got -1" in pause.error
    assert "Traceback" in pause.error
    assert pause.next == ("check",) and dbg.head.id == ids[0]
    again = dbg.cont()  # the same error again, and still nothing new in the thread
    assert again.reason == "error" and [c.id for c in dbg.history()] == ids

    dbg.edit({"value": 1}, as_node="prepare")
    done = dbg.cont()
    assert done.reason == "done"
    assert done.values["trail"] == ["prepared", "checked", "finished"]
    assert [c.id for c in dbg.history()][-len(ids) :] == ids


# ---------------------------------------------------------------- a server killed in the middle of a run


def test_a_server_killed_mid_run_leaves_no_view_showing_a_run(tmp_path: Path) -> None:
    """The Debugger side is `test_remote_faults.py`'s; this is what the person sees: the start
    request answered with the lost connection, and the status no longer running."""
    from langgraph_server import start_server
    from widgets_client import WidgetClient

    from hitl_widgets.widgets import DebuggerWidget

    with start_server(tmp_path) as server:
        dbg = hw.debug(url=server.url, assistant_id="blocking")
        client = WidgetClient(DebuggerWidget(dbg))
        in_node = threading.Event()
        dbg.observe(lambda e: in_node.set() if e.kind == "progress" and e.next == ("blocking",) else None)
        client.send("start", "start", input={"input": "x", "trail": []})
        assert in_node.wait(TIMEOUT)
        assert client.widget.status["running"] == "start"
        saved = {c.id for c in dbg.history()}
        os.killpg(server.process.pid, signal.SIGKILL)

        reply = client.wait_until(lambda: client.reply("start"), "the answer to start")
    assert reply["ok"] is False
    assert f"lost the connection to the LangGraph server at {server.url}" in reply["error"]["message"]
    assert dbg.running is None
    status = client.widget.status
    assert status["running"] is None
    # the last known checkpoint stays in view, with the error (not "No checkpoint yet")
    assert status["checkpoint_id"] in saved
    assert status["reason"] == "error"
    assert status["summary"].startswith("start failed: ")
    assert f"LangGraph server at {server.url}" in status["summary"]
    assert short_id(status["checkpoint_id"]) in status["summary"]
