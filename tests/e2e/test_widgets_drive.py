"""Driving a graph from the debugger widget in JupyterLab: start from typed JSON, step,
continue, breakpoints set by clicking graph nodes, keyboard shortcuts, and refusals shown in
the widget. Each test checks the page and the Debugger in the page's kernel."""

from __future__ import annotations

import re

from harness import Lab
from playwright.sync_api import expect
from widgets_e2e import open_debugger, screenshots, wait_for_pause


def test_start_step_and_continue(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline")
    expect(view.get_by_test_id("hw-status")).to_contain_text("No checkpoint yet")
    nb.kernel.exec('dbg.break_before("step_2")')
    expect(view.get_by_test_id("hw-node-step_2")).to_have_class(re.compile(r"\bhw-bp-before\b"))

    view.get_by_test_id("hw-start-input").fill('{"input": "go", "trail": []}')
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("breakpoint")
    wait_for_pause(nb)
    assert nb.kernel.eval("dbg.state") == {"input": "go", "trail": ["step_1"]}
    assert nb.kernel.eval("list(dbg.head.next)") == ["step_2"]
    expect(view.get_by_test_id("hw-node-step_2")).to_have_class(re.compile(r"\bhw-next\b"))
    expect(view.get_by_test_id("hw-node-step_1")).to_have_class(re.compile(r"\bhw-last\b"))
    screenshots(nb, "paused-at-breakpoint", view)

    view.get_by_test_id("hw-step").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("step")
    assert nb.kernel.wait_until("dbg.state['trail'] == ['step_1', 'step_2']")
    expect(view.get_by_test_id("hw-node-step_3")).to_have_class(re.compile(r"\bhw-next\b"))

    view.get_by_test_id("hw-continue").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state['trail']") == ["step_1", "step_2", "step_3"]
    rows = view.get_by_test_id("hw-tree").locator('[role="treeitem"]')
    expect(rows).to_have_count(nb.kernel.eval("len(dbg.history())"))
    expect(view.locator('[role="treeitem"][data-head="true"]')).to_have_attribute(
        "data-id", nb.kernel.eval("dbg.head.id")
    )


def test_click_a_node_to_break_before_it_and_hit_it(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline")
    node = view.get_by_test_id("hw-node-step_2")
    node.click()
    expect(node).to_have_class(re.compile(r"\bhw-bp-before\b"))
    expect(view.get_by_test_id("hw-bp-before-step_2")).to_be_visible()
    assert nb.kernel.wait_until("dbg.breakpoints['before'] == ['step_2']")

    view.get_by_test_id("hw-node-step_3").click(modifiers=["Shift"])
    expect(view.get_by_test_id("hw-bp-after-step_3")).to_be_visible()
    assert nb.kernel.wait_until("dbg.breakpoints == {'before': ['step_2'], 'after': ['step_3']}")

    view.get_by_test_id("hw-start-input").fill('{"input": "go", "trail": []}')
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("breakpoint")
    wait_for_pause(nb)
    assert nb.kernel.eval("list(dbg.last_pause.next)") == ["step_2"]
    screenshots(nb, "breakpoints", view.get_by_test_id("hw-graph"))

    node.click()  # toggles it off again
    expect(node).not_to_have_class(re.compile(r"\bhw-bp-before\b"))
    assert nb.kernel.wait_until("dbg.breakpoints == {'before': [], 'after': ['step_3']}")
    view.get_by_test_id("hw-continue").click()
    wait_for_pause(nb)
    assert nb.kernel.wait_until(
        "dbg.last_pause.reason == 'breakpoint' and dbg.state['trail'][-1] == 'step_3'"
    )


def test_context_menu_sets_a_breakpoint_after_a_node(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline")
    view.get_by_test_id("hw-node-step_1").click(button="right")
    menu = view.get_by_test_id("hw-node-menu")
    expect(menu).to_be_visible()
    menu.get_by_test_id("hw-menu-after").click()
    expect(menu).to_be_hidden()
    assert nb.kernel.wait_until("dbg.breakpoints['after'] == ['step_1']")


def test_invalid_start_input_is_refused_and_nothing_runs(lab: Lab) -> None:
    nb, view = open_debugger(lab, "text_to_revise")
    box = view.get_by_test_id("hw-start-input")
    box.fill('{"some_text": hi}')
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-start-error")).to_contain_text("Invalid JSON at line 1")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert nb.kernel.eval("len(dbg.history())") == 0
    screenshots(nb, "invalid-json", view)

    box.fill('{"no_such_key": 1}')  # valid JSON the Debugger refuses: shown, nothing changed
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-error")).to_contain_text("unknown input key")
    assert nb.kernel.eval("len(dbg.history())") == 0
    screenshots(nb, "refused-by-the-debugger", view)


def test_keyboard_shortcuts_and_tree_navigation(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline", 'dbg.break_before("step_1", "step_2", "step_3")')
    expect(view.get_by_test_id("hw-step")).to_have_attribute("title", re.compile(r"F10"))
    box = view.get_by_test_id("hw-start-input")
    box.fill('{"input": "go", "trail": []}')
    box.press("Control+Enter")
    wait_for_pause(nb)
    expect(view.get_by_test_id("hw-reason")).to_have_text("breakpoint")

    box.press("F10")  # step, from anywhere in the widget
    assert nb.kernel.wait_until("dbg.state['trail'] == ['step_1']")
    expect(view.get_by_test_id("hw-status")).to_contain_text("step_2")
    box.press("F8")  # continue: stops at the next breakpoint
    assert nb.kernel.wait_until("dbg.state['trail'] == ['step_1', 'step_2']")

    rows = view.locator('[role="treeitem"]')
    expect(rows).to_have_count(nb.kernel.eval("len(dbg.history())"))
    rows.first.click()
    rows.first.press("ArrowDown")
    second = rows.nth(1)
    expect(second).to_be_focused()
    second.press("Enter")
    expect(second).to_have_attribute("aria-selected", "true")
    selected = second.get_attribute("data-id")
    expect(view.get_by_test_id("hw-detail-title")).to_contain_text(selected[-8:] if selected else "?")
    expect(view.get_by_test_id("hw-back-to-head")).to_be_visible()
    assert nb.kernel.eval("dbg.state['trail']") == ["step_1", "step_2"], "arrow keys move no notebook cell"


GATED_LOOP = """
import threading
from typing import Any
from typing_extensions import TypedDict
from langgraph.graph import StateGraph, START, END
import hitl_widgets as hw

gate = threading.Event()

class Count(TypedDict):
    n: int

def tick(state: Count) -> dict[str, Any]:
    gate.wait(timeout=120)
    return {"n": state["n"] + 1}

builder = StateGraph(Count)
builder.add_node("tick", tick)
builder.add_edge(START, "tick")
builder.add_conditional_edges("tick", lambda s: END if s["n"] >= 1000 else "tick")
dbg = hw.debug(builder, checkpointer="sqlite:t.sqlite")
dbg
"""


def test_pause_stops_a_running_continue_at_the_next_superstep(lab: Lab) -> None:
    nb = lab.open_notebook([GATED_LOOP])
    nb.run_all()
    view = nb.output(0).get_by_test_id("hw-view-debugger")
    view.get_by_test_id("hw-start-input").fill('{"n": 0}')
    view.get_by_test_id("hw-start").click()
    pause = view.get_by_test_id("hw-pause")
    expect(pause).to_be_enabled()  # a run is going: the kernel is free, the widget live
    expect(view.get_by_test_id("hw-status")).to_contain_text("Running start")
    expect(view.get_by_test_id("hw-step")).to_be_disabled()
    screenshots(nb, "running", view.get_by_test_id("hw-status").locator(".."))
    pause.click()
    nb.kernel.exec("gate.set()")  # let the node in flight finish
    expect(view.get_by_test_id("hw-reason")).to_have_text("step")
    wait_for_pause(nb)
    assert nb.kernel.eval("dbg.last_pause.reason") == "step"
    assert nb.kernel.eval("dbg.state['n']") < 1000, "it stopped long before the end"
    expect(pause).to_be_disabled()
