"""Subgraphs as places to stop (issue 13), in real JupyterLab: a click on a node inside a
subgraph sets a breakpoint by its path, a run stops there and the graph, the status line and
the state view say where, and Step into / Step go on inside.

The graph (`graphs.nested_teams`): a → mid(m1 → inner(x → y) → m2) → b; each node appends its
name to `trail`. Screenshots: test-artifacts/test_widgets_subgraph_places/<test>/.
"""

from __future__ import annotations

import re

from harness import Lab
from playwright.sync_api import expect
from widgets_e2e import has_class, open_debugger, screenshots

START = '{"trail": [], "count": 0}'


def stands_inside(path: str, *next_paths: str) -> str:
    """A kernel expression: the run stopped inside `path`, with `next_paths` next there."""
    return (
        "dbg.running is None and dbg.last_pause is not None and dbg.last_pause.inside is not None"
        f" and dbg.last_pause.inside.path == {path!r} and dbg.last_pause.inside.next_paths == {next_paths!r}"
    )


def test_a_breakpoint_clicked_inside_a_subgraph_stops_there_and_says_where(lab: Lab) -> None:
    nb, view = open_debugger(lab, "nested_teams")
    graph = view.get_by_test_id("hw-graph")
    y = graph.get_by_test_id("hw-node-mid:inner:y")
    y.click()
    assert nb.kernel.wait_until("dbg.breakpoints['before'] == ['mid/inner/y']")
    expect(y).to_have_class(has_class("hw-bp-before"))
    expect(graph.get_by_test_id("hw-bp-before-mid:inner:y")).to_be_visible()
    m1 = graph.get_by_test_id("hw-node-mid:m1")
    m1.click(modifiers=["Shift"])
    assert nb.kernel.wait_until("dbg.breakpoints['after'] == ['mid/m1']")
    expect(m1).to_have_class(has_class("hw-bp-after"))

    view.get_by_test_id("hw-start-input").fill(START)
    view.get_by_test_id("hw-start").click()
    assert nb.kernel.wait_until(stands_inside("mid", "mid/inner"))  # after m1, inside mid
    expect(view.get_by_test_id("hw-stands-inside")).to_have_text("in mid")
    view.get_by_test_id("hw-continue").click()
    assert nb.kernel.wait_until(stands_inside("mid/inner", "mid/inner/y"))
    expect(y).to_have_class(has_class("hw-next"))
    expect(graph.get_by_test_id("hw-node-mid:inner")).to_have_class(has_class("hw-here"))
    expect(graph.get_by_test_id("hw-node-mid")).to_have_class(has_class("hw-here"))
    expect(graph.get_by_test_id("hw-node-mid")).not_to_have_class(has_class("hw-next"))
    status = view.get_by_test_id("hw-status")
    expect(status).to_contain_text("inside mid/inner, next: mid/inner/y")
    expect(status).to_contain_text("at the breakpoint before mid/inner/y")
    expect(view.get_by_test_id("hw-stands-inside")).to_have_text("in mid/inner")
    # the state view: the subgraph's own state first, the root's still there below
    expect(view.get_by_test_id("hw-here-title")).to_contain_text("State of subgraph mid/inner")
    expect(view.get_by_test_id("hw-here-json")).to_contain_text('"x"')
    expect(view.get_by_test_id("hw-values")).not_to_contain_text('"m1"')  # root: mid not back yet
    assert nb.kernel.eval("dbg.last_pause.inside.values['trail']") == ["a", "m1", "x"]
    screenshots(nb, "breakpoint-and-pause-inside", view.get_by_test_id("hw-split"))
    screenshots(nb, "state-inside", view.get_by_test_id("hw-panel-state"))
    screenshots(nb, "status-inside", view.locator(".hw-toolbar-wrap"))
    expect(view.get_by_test_id("hw-graph-showing")).to_contain_text("(step 1), in mid/inner")

    # the state editor edits the subgraph's state there: its nodes are the as_node choices
    view.get_by_test_id("hw-edit").click()
    options = view.get_by_test_id("hw-as-node").locator("option")
    expect(options).to_have_text(
        ["(let LangGraph infer)", "x", "y", "__input__ (special)", "__copy__ (special)"]
    )
    expect(view.get_by_test_id("hw-editor")).to_contain_text("Edit the state of subgraph mid/inner")
    view.get_by_test_id("hw-cancel").click()

    view.get_by_test_id("hw-step").click()  # y: inner's last step hands back to mid
    assert nb.kernel.wait_until(stands_inside("mid", "mid/m2"))
    expect(graph.get_by_test_id("hw-node-mid:m2")).to_have_class(has_class("hw-next"))
    expect(graph.get_by_test_id("hw-node-mid:inner")).not_to_have_class(has_class("hw-here"))
    expect(status).to_contain_text("inside mid, next: mid/m2")
    view.get_by_test_id("hw-continue").click()
    assert nb.kernel.wait_until("dbg.running is None and dbg.last_pause.reason == 'done'")
    expect(view.get_by_test_id("hw-stands-inside")).to_have_count(0)
    expect(graph.get_by_test_id("hw-node-mid")).not_to_have_class(has_class("hw-here"))
    assert nb.kernel.eval("dbg.state['trail']") == ["a", "m1", "x", "y", "m2", "b"]


def test_step_into_enters_a_subgraph_and_step_goes_on_inside(lab: Lab) -> None:
    nb, view = open_debugger(lab, "nested_teams")
    graph = view.get_by_test_id("hw-graph")
    into = view.get_by_test_id("hw-step-into")
    expect(into).to_be_disabled()
    expect(into).to_have_attribute("data-why", re.compile("start the graph"))
    expect(into).to_have_attribute("aria-keyshortcuts", "F11")
    graph.get_by_test_id("hw-node-a").click()
    assert nb.kernel.wait_until("dbg.breakpoints['before'] == ['a']")
    view.get_by_test_id("hw-start-input").fill(START)
    view.get_by_test_id("hw-start").click()
    assert nb.kernel.wait_until("dbg.running is None and dbg.last_pause is not None")
    view.get_by_test_id("hw-step").click()
    assert nb.kernel.wait_until("dbg.running is None and dbg.head.next == ('mid',)")
    expect(graph.get_by_test_id("hw-node-mid")).to_have_class(has_class("hw-next"))
    expect(into).to_be_enabled()
    into.click()
    assert nb.kernel.wait_until(stands_inside("mid", "mid/m1"))
    expect(graph.get_by_test_id("hw-node-mid:m1")).to_have_class(has_class("hw-next"))
    expect(view.get_by_test_id("hw-status")).to_contain_text("inside mid, next: mid/m1")
    # F11 (as in VS Code), with the focus anywhere in the widget
    view.get_by_test_id("hw-status").click()
    nb.page.keyboard.press("F11")
    assert nb.kernel.wait_until(stands_inside("mid", "mid/inner"))
    expect(view.get_by_test_id("hw-status")).to_contain_text("inside mid, next: mid/inner")  # the page knows
    nb.page.keyboard.press("F11")
    assert nb.kernel.wait_until(stands_inside("mid/inner", "mid/inner/x"))
    x = graph.get_by_test_id("hw-node-mid:inner:x")
    expect(x).to_have_class(has_class("hw-next"))
    expect(graph.get_by_test_id("hw-node-mid:inner")).to_have_class(has_class("hw-here"))
    view.get_by_test_id("hw-step").click()  # one of inner's own supersteps
    assert nb.kernel.wait_until(stands_inside("mid/inner", "mid/inner/y"))
    expect(graph.get_by_test_id("hw-node-mid:inner:y")).to_have_class(has_class("hw-next"))
    expect(x).not_to_have_class(has_class("hw-next"))
    expect(view.get_by_test_id("hw-here-json")).to_contain_text('"x"')
    screenshots(nb, "stepped-into", view.get_by_test_id("hw-split"))
    assert nb.kernel.eval("dbg.last_pause.inside.values['trail']") == ["a", "m1", "x"]
