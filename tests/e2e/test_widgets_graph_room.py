"""The graph for real agents (issue 12, part A), in real JupyterLab and Notebook 7: a self-loop
drawn on its node, a subgraph lit as next and as last run, no breakpoint click offered inside a
subgraph, the sidecar in Notebook 7, the node menu kept inside the widget, the room the graph
gets (split, zoom, pan, fit, maximise, readable labels at 200 nodes), the graph following the
selected checkpoint, and shortcuts anywhere in the widget with their help on `?`.

Each test asserts on the page and on the kernel's Debugger, and takes light and dark
screenshots (test-artifacts/test_widgets_graph_room/<test>/).
"""

from __future__ import annotations

import re

from harness import Lab
from playwright.sync_api import Locator, expect
from widgets_e2e import SETUP, debugger_cell, open_debugger, screenshots, wait_for_pause

AGENT_INPUT = '{"topic": "bees", "notes": [], "sources": [], "revisions": 0}'
START_AGENT = f"dbg.start({AGENT_INPUT})"


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return dict(found)


def has_class(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b{name}\b")


# ---------------------------------------------------------------- bugs


def test_bug1_a_self_loop_leaves_and_reenters_its_own_node(lab: Lab) -> None:
    nb, view = open_debugger(lab, "research_agent", 'dbg.break_before("revise")', START_AGENT)
    wait_for_pause(nb)
    graph = view.get_by_test_id("hw-graph")
    revise = graph.get_by_test_id("hw-node-revise")
    loop = graph.get_by_test_id("hw-loop-revise")
    expect(revise).to_have_class(has_class("hw-next"))
    node, arc = box(revise.locator(".hw-g-box")), box(loop)
    right = node["x"] + node["width"]
    assert abs(arc["x"] - right) <= 4, "the loop starts on the node's right edge, not away from it"
    assert node["y"] - 12 <= arc["y"] and arc["y"] + arc["height"] <= node["y"] + node["height"] + 12
    assert arc["width"] >= 12, "the loop is drawn out of the node, with its arrow back into it"
    nb.kernel.exec("dbg.clear_breakpoints()")
    view.get_by_test_id("hw-step").click()
    assert nb.kernel.wait_until("dbg.head.writes == ('revise',) and dbg.head.next == ('revise',)")
    expect(revise).to_have_class(has_class("hw-last"))
    expect(revise).to_have_class(has_class("hw-next"))  # it runs again: the loop
    screenshots(nb, "self-loop", graph)


def test_bug2_a_subgraph_lights_up_as_next_then_as_last_run(lab: Lab) -> None:
    nb, view = open_debugger(lab, "research_agent", 'dbg.break_after("classify")', START_AGENT)
    wait_for_pause(nb)
    team = view.get_by_test_id("hw-node-research_team")
    expect(view.get_by_test_id("hw-status")).to_contain_text("research_team")
    expect(team).to_have_class(has_class("hw-next"))
    assert nb.kernel.eval("list(dbg.head.next)") == ["research_team"]
    screenshots(nb, "subgraph-next", view.get_by_test_id("hw-split"))
    view.get_by_test_id("hw-step").click()
    assert nb.kernel.wait_until("dbg.head.writes == ('research_team',)")
    expect(team).to_have_class(has_class("hw-last"))
    expect(team).not_to_have_class(has_class("hw-next"))
    expect(view.get_by_test_id("hw-node-draft")).to_have_class(has_class("hw-next"))
    assert nb.kernel.eval("dbg.state['sources']") == ["plan", "search", "read", "summarize", "cite"]
    screenshots(nb, "subgraph-last-run", view.get_by_test_id("hw-graph"))


def test_bug3_nodes_inside_a_subgraph_offer_no_breakpoint_click_and_say_why(lab: Lab) -> None:
    nb, view = open_debugger(lab, "research_agent")
    inner = view.get_by_test_id("hw-node-research_team:search")
    expect(inner).to_be_visible()
    expect(inner).not_to_have_attribute("role", "button")
    expect(inner).not_to_have_attribute("tabindex", re.compile(".*"))
    expect(inner.locator("title")).to_contain_text("inside subgraph research_team")
    expect(inner.locator("title")).to_contain_text("compiled with interrupt_before")
    expect(inner).to_have_attribute("aria-label", re.compile("no breakpoints inside a subgraph"))
    inner.click()
    inner.click(button="right")
    expect(view.get_by_test_id("hw-node-menu")).to_have_count(0)
    expect(view.get_by_test_id("hw-error")).to_have_count(0)  # no red banner: nothing was offered
    assert nb.kernel.eval("dbg.breakpoints") == {"before": [], "after": []}
    # The subgraph's own box takes a breakpoint for the whole subgraph.
    team = view.get_by_test_id("hw-node-research_team")
    team.locator(".hw-g-container-box").click(position={"x": 8, "y": 8})
    assert nb.kernel.wait_until("dbg.breakpoints['before'] == ['research_team']")
    expect(team).to_have_class(has_class("hw-bp-before"))
    expect(view.get_by_test_id("hw-bp-before-research_team")).to_be_visible()
    screenshots(nb, "subgraph-interior", view.get_by_test_id("hw-graph"))


def test_bug4_sidecar_in_notebook7_shows_the_debugger_in_the_cell_and_says_why(lab: Lab) -> None:
    nb = lab.open_notebook(
        [SETUP, debugger_cell("text_to_revise"), 'dbg.start({"some_text": "hi"})\nside = dbg.sidecar()'],
        ui="notebook7",
    )
    nb.run_all()
    out = nb.output(2)
    expect(out.get_by_test_id("hw-side-panel-note")).to_contain_text("Side panels need JupyterLab")
    fallback = out.get_by_test_id("hw-view-launcher")
    fallback.get_by_test_id("hw-answer-0").fill('"answered in Notebook 7"')
    fallback.get_by_test_id("hw-resume-0").click()
    expect(fallback.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state") == {"some_text": "answered in Notebook 7"}
    assert nb.kernel.eval("side.panel is None"), "no sidecar panel was made for a page that cannot show it"
    lab.assert_no_page_errors()  # no "Failed to create view ... tabCloseRequested"
    screenshots(nb, "sidecar-notebook7", out)


def test_bug4_sidecar_in_jupyterlab_opens_wide_beside_the_notebook(lab: Lab) -> None:
    nb = lab.open_notebook(
        [SETUP, debugger_cell("research_agent"), f"{START_AGENT}\nside = dbg.sidecar(title='Debugger')"]
    )
    nb.run_all()
    expect(nb.output(2).get_by_test_id("hw-side-panel-note")).to_contain_text("open beside the notebook")
    side = nb.page.get_by_role("tabpanel", name="Debugger").get_by_test_id("hw-view-debugger")
    expect(side).to_be_visible()
    assert box(side)["width"] >= 420, "the side panel takes half the main area, not a sidebar's 240 px"
    expect(side.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("side.panel.title") == "Debugger"
    nb.screenshot("sidecar-lab-light")
    nb.set_theme("dark")
    nb.screenshot("sidecar-lab-dark")


def test_bug7_the_node_menu_stays_inside_the_widget(lab: Lab) -> None:
    nb, view = open_debugger(lab, "research_agent")
    graph = view.get_by_test_id("hw-graph")
    graph.get_by_test_id("hw-graph-svg").focus()
    for _ in range(4):  # pan down to the last node, at the graph panel's bottom edge
        nb.page.keyboard.press("ArrowDown")
    node = graph.get_by_test_id("hw-node-publish")
    node_box = box(node)
    viewport = box(graph.get_by_test_id("hw-graph-viewport"))
    assert node_box["y"] + node_box["height"] <= viewport["y"] + viewport["height"]
    shape = box(node.locator(".hw-g-box"))
    node.locator(".hw-g-box").click(
        button="right", position={"x": shape["width"] - 3, "y": shape["height"] - 3}
    )
    menu = view.get_by_test_id("hw-node-menu")
    expect(menu).to_be_visible()
    shown, root = box(menu), box(view)
    assert root["x"] <= shown["x"] and shown["x"] + shown["width"] <= root["x"] + root["width"]
    assert root["y"] <= shown["y"] and shown["y"] + shown["height"] <= root["y"] + root["height"]
    # Nothing in the widget covers it: the point at each corner is the menu itself.
    menu.scroll_into_view_if_needed()
    corners = nb.page.evaluate(
        """el => { const r = el.getBoundingClientRect();
        return [[r.left + 3, r.top + 3], [r.right - 3, r.bottom - 3]].map(([x, y]) => el.contains(document.elementFromPoint(x, y))); }""",
        menu.element_handle(),
    )
    assert corners == [True, True]
    screenshots(nb, "node-menu", view)
    menu.get_by_test_id("hw-menu-after").click()
    assert nb.kernel.wait_until("dbg.breakpoints['after'] == ['publish']")
    expect(menu).to_be_hidden()
