"""Faults as the person at the notebook sees them: the stop button pressed during a long
`dbg.cont()` in a cell, and a node that raises. The widget says what happened (its status and
node-error box), the cell shows no traceback, and the thread goes on from the widget.

(Python-side checks of the same faults, with a real kernel and without a browser, and of a
kernel restarted at an interrupt or killed mid-run, are in tests/test_hardening_faults.py.)
"""

from __future__ import annotations

import threading

from harness import Lab
from playwright.sync_api import expect

GRAPH = """
import os, time
import graphs, hitl_widgets as hw
from langgraph.graph import END, START, StateGraph

def slow(state):
    open("at-slow", "w").close()
    while not os.path.exists("go"):
        time.sleep(0.02)
    return {"trail": ["slow"]}

def check(state):
    if state["input"] == "bad":
        raise ValueError("input must not be 'bad'")
    return {"trail": ["checked"]}

builder = StateGraph(graphs.StepsState)
builder.add_node("first", lambda s: {"trail": ["first"]})
builder.add_node("slow", slow)
builder.add_node("check", check)
builder.add_edge(START, "first")
builder.add_edge("first", "slow")
builder.add_edge("slow", "check")
builder.add_edge("check", END)
dbg = hw.debug(builder, checkpointer="sqlite:t.sqlite")
dbg.break_before("slow")
dbg.start({"input": "bad", "trail": []});
dbg
"""
# Runs a cell through the notebook's own command without waiting for it to finish.
RUN_WITHOUT_WAITING = "([path, index]) => { window.__e2e.runCells(path, [index], 600000); return true; }"


def test_stop_button_during_cont_then_a_node_error_then_fixed_from_the_widget(lab: Lab) -> None:
    nb = lab.open_notebook([GRAPH, "pause = dbg.cont()"])
    nb.page.set_viewport_size({"width": 1280, "height": 1600})
    nb.run_cell(0)
    view = nb.output(0).get_by_test_id("hw-view-debugger")
    expect(view.get_by_test_id("hw-reason")).to_have_text("breakpoint")
    folder = lab.server.root / lab.folder

    nb.page.evaluate(RUN_WITHOUT_WAITING, [nb.path, 1])
    while not (folder / "at-slow").exists():  # the run is inside `slow`
        threading.Event().wait(0.05)
    nb.page.locator('[data-command="notebook:interrupt-kernel"]').first.click()  # the stop button
    nb.wait_for_idle()

    expect(view.get_by_test_id("hw-reason")).to_have_text("error")
    error = view.get_by_test_id("hw-node-error")
    expect(error).to_contain_text("KeyboardInterrupt: the run was stopped")
    assert nb.output_text(1) == ""  # no traceback in the cell: the Pause holds it
    assert nb.kernel.eval("[pause.reason, dbg.running, dbg.head.next]") == ["error", None, ["slow"]]
    nb.screenshot("stopped", element=view)

    # go on from the widget: the slow node finishes, then `check` raises
    (folder / "go").touch()
    view.get_by_test_id("hw-continue").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("error")
    expect(error).to_contain_text("ValueError: input must not be 'bad'")
    assert nb.kernel.eval("dbg.head.next") == ["check"]
    nb.screenshot("node-error", element=view)

    # fix the state from a cell, continue from the widget
    nb.kernel.exec("dbg.edit({'input': 'good'}, as_node='slow')")
    view.get_by_test_id("hw-continue").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state['trail']") == ["first", "slow", "checked"]
    lab.assert_no_page_errors()
