"""The graph for real agents (issue 12, part A), in real JupyterLab and Notebook 7: a self-loop
drawn on its node, a subgraph lit as next and as last run, breakpoints by path on the nodes inside a
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
from widgets_e2e import SETUP, debugger_cell, has_class, open_debugger, screenshots, wait_for_pause

AGENT_INPUT = '{"topic": "bees", "notes": [], "sources": [], "revisions": 0}'
START_AGENT = f"dbg.start({AGENT_INPUT})"


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return dict(found)


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


def test_bug3_nodes_inside_a_subgraph_take_breakpoints_by_path(lab: Lab) -> None:
    nb, view = open_debugger(lab, "research_agent")
    inner = view.get_by_test_id("hw-node-research_team:search")
    expect(inner).to_be_visible()
    expect(inner).to_have_attribute("role", "button")  # in this kernel, every node takes one
    expect(inner.locator("title")).to_contain_text("research_team/search")
    expect(inner).to_have_attribute("aria-label", re.compile("Enter: breakpoint before"))
    inner.click()
    assert nb.kernel.wait_until("dbg.breakpoints['before'] == ['research_team/search']")
    expect(inner).to_have_class(has_class("hw-bp-before"))
    inner.click()  # a second click removes it
    assert nb.kernel.wait_until("dbg.breakpoints == {'before': [], 'after': []}")
    expect(inner).not_to_have_class(has_class("hw-bp-before"))
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
    # a conditional breakpoint typed in the menu, read in the kernel with the notebook's names
    nb.kernel.exec("rounds = 2")
    node.locator(".hw-g-box").click(
        button="right", position={"x": shape["width"] - 3, "y": shape["height"] - 3}
    )
    menu.get_by_test_id("hw-menu-before-when").click()
    menu.get_by_test_id("hw-menu-condition").fill("len(state) > rounds")
    menu.get_by_test_id("hw-menu-condition").press("Enter")
    assert nb.kernel.wait_until("dbg.breakpoint_conditions['before'] == {'publish': 'len(state) > rounds'}")
    node.locator(".hw-g-box").click(
        button="right", position={"x": shape["width"] - 3, "y": shape["height"] - 3}
    )
    expect(menu.get_by_test_id("hw-menu-before")).to_have_text(
        "Remove breakpoint before (when len(state) > rounds)"
    )
    screenshots(nb, "conditional-breakpoint-menu", view)


# ---------------------------------------------------------------- gaps


def scale(graph: Locator) -> float:
    return float(graph.get_attribute("data-scale") or "nan")


def test_gap1_the_graph_gets_room_split_zoom_pan_fit_and_maximise(lab: Lab) -> None:
    nb, view = open_debugger(lab, "research_agent")
    graph = view.get_by_test_id("hw-graph")
    svg = graph.get_by_test_id("hw-graph-svg")
    split, handle = view.get_by_test_id("hw-split"), view.get_by_test_id("hw-split-handle")
    graph_panel, tree_panel = view.get_by_test_id("hw-panel-graph"), view.get_by_test_id("hw-panel-tree")
    expect(handle).to_have_attribute("aria-valuenow", "55")
    assert box(graph_panel)["width"] > box(tree_panel)["width"], "the graph gets the larger share"
    fitted = scale(graph)
    assert fitted >= 0.75, "never shrunk below the readable scale"
    label = graph.get_by_test_id("hw-node-research_team:summarize").locator("text")
    assert box(label)["height"] >= 9, "labels stay readable"
    screenshots(nb, "split", split)

    handle.focus()  # the split, by keyboard and by mouse
    nb.page.keyboard.press("ArrowRight")
    nb.page.keyboard.press("ArrowRight")
    expect(handle).to_have_attribute("aria-valuenow", "65")
    at = box(handle)
    nb.page.mouse.move(at["x"] + at["width"] / 2, at["y"] + at["height"] / 2)
    nb.page.mouse.down()
    nb.page.mouse.move(box(split)["x"] + box(split)["width"] * 0.4, at["y"] + at["height"] / 2, steps=5)
    nb.page.mouse.up()
    expect(handle).to_have_attribute("aria-valuenow", "40")
    assert box(graph_panel)["width"] < box(tree_panel)["width"]

    svg.focus()  # zoom and fit by keyboard; never below the readable scale
    nb.page.keyboard.press("+")
    assert scale(graph) > fitted
    for _ in range(6):
        nb.page.keyboard.press("-")
    assert scale(graph) == 0.75
    nb.page.keyboard.press("0")
    assert scale(graph) == fitted
    scene = graph.locator(".hw-graph-scene")
    before = scene.get_attribute("transform")
    nb.page.keyboard.press("ArrowDown")  # pan by keyboard
    assert scene.get_attribute("transform") != before
    centre = box(svg)
    nb.page.mouse.move(centre["x"] + 10, centre["y"] + 10)
    nb.page.keyboard.down("Control")  # zoom with Ctrl+wheel
    nb.page.mouse.wheel(0, -300)
    nb.page.keyboard.up("Control")
    expect(graph).not_to_have_attribute("data-scale", f"{fitted:.3f}")
    graph.get_by_test_id("hw-graph-fit").click()
    expect(graph).to_have_attribute("data-scale", f"{fitted:.3f}")
    before = scene.get_attribute("transform")
    nb.page.mouse.move(centre["x"] + 10, centre["y"] + 300)  # drag on blank space pans
    nb.page.mouse.down()
    nb.page.mouse.move(centre["x"] + 10, centre["y"] + 150, steps=4)
    nb.page.mouse.up()
    assert scene.get_attribute("transform") != before
    assert nb.kernel.eval("dbg.breakpoints") == {"before": [], "after": []}, "a drag sets no breakpoint"

    maximise = graph.get_by_test_id("hw-graph-maximise")
    tall = box(graph.get_by_test_id("hw-graph-viewport"))["height"]
    maximise.click()
    expect(maximise).to_have_attribute("aria-pressed", "true")
    expect(tree_panel).to_be_hidden()
    expect(handle).to_be_hidden()
    assert box(graph_panel)["width"] >= box(split)["width"] - 2
    assert box(graph.get_by_test_id("hw-graph-viewport"))["height"] >= tall
    graph.get_by_test_id("hw-node-draft").click()  # still a working graph: a breakpoint
    assert nb.kernel.wait_until("dbg.breakpoints['before'] == ['draft']")
    screenshots(nb, "maximised", graph)
    nb.page.keyboard.press("Escape")
    expect(maximise).to_have_attribute("aria-pressed", "false")
    expect(tree_panel).to_be_visible()


def test_gap1_two_hundred_nodes_stay_readable_and_narrow_widgets_stack(lab: Lab) -> None:
    nb = lab.open_notebook(
        [
            SETUP,
            "names = tuple(f'node_{i:03d}' for i in range(200))\ndbg = hw.debug(graphs.pipeline(names))\ndbg",
        ]
    )
    nb.run_all()
    view = nb.output(1).get_by_test_id("hw-view-debugger")
    graph = view.get_by_test_id("hw-graph")
    expect(graph).to_have_attribute("data-nodes", "202")
    assert scale(graph) == 0.75, "a 200-node graph is panned, not shrunk to unreadable"
    first = graph.get_by_test_id("hw-node-node_000").locator("text")
    assert box(first)["height"] >= 9
    assert box(graph.get_by_test_id("hw-graph-viewport"))["height"] <= 660
    screenshots(nb, "two-hundred-nodes", view.get_by_test_id("hw-split"))
    nb.page.set_viewport_size({"width": 760, "height": 1000})  # a narrow notebook: stacked
    graph_panel, tree_panel = view.get_by_test_id("hw-panel-graph"), view.get_by_test_id("hw-panel-tree")
    expect(view.get_by_test_id("hw-split-handle")).to_be_hidden()
    assert box(tree_panel)["y"] >= box(graph_panel)["y"] + box(graph_panel)["height"]
    nb.kernel.exec("dbg.break_before('node_000')")
    expect(graph.get_by_test_id("hw-node-node_000")).to_have_class(has_class("hw-bp-before"))
    screenshots(nb, "stacked", view.get_by_test_id("hw-split"))


def test_gap2_the_graph_follows_the_selected_checkpoint(lab: Lab) -> None:
    nb, view = open_debugger(lab, "research_agent", 'dbg.break_after("classify", "draft")', START_AGENT)
    wait_for_pause(nb)
    view.get_by_test_id("hw-continue").click()  # runs the research team and the draft
    assert nb.kernel.wait_until("dbg.head.writes == ('draft',)")
    graph = view.get_by_test_id("hw-graph")
    showing = graph.get_by_test_id("hw-graph-showing")
    head = nb.kernel.eval("dbg.head.id")
    expect(showing).to_have_text(re.compile(rf"^Head: checkpoint {head[-8:]}"))
    expect(graph.get_by_test_id("hw-node-critique")).to_have_class(has_class("hw-next"))
    past = nb.kernel.eval("[c.id for c in dbg.history() if c.next == ('research_team',)][0]")
    view.locator(f'[role="treeitem"][data-id="{past}"]').click()
    expect(showing).to_have_text(re.compile(rf"Selected checkpoint {past[-8:]} \(step 2\), not the head"))
    expect(graph).to_have_attribute("data-showing", past)
    expect(graph).to_have_class(has_class("hw-graph-past"))
    expect(graph.get_by_test_id("hw-node-research_team")).to_have_class(has_class("hw-next"))
    expect(graph.get_by_test_id("hw-node-classify")).to_have_class(has_class("hw-last"))
    expect(graph.get_by_test_id("hw-node-critique")).not_to_have_class(has_class("hw-next"))
    expect(graph.get_by_test_id("hw-node-draft")).not_to_have_class(has_class("hw-last"))
    assert nb.kernel.eval("dbg.head.id") == head, "looking at a checkpoint moves nothing"
    screenshots(nb, "selected-checkpoint", view.get_by_test_id("hw-split"))
    graph.get_by_test_id("hw-graph-to-head").click()
    expect(showing).to_have_text(re.compile("^Head:"))
    expect(graph.get_by_test_id("hw-node-critique")).to_have_class(has_class("hw-next"))


def test_gap2_the_graph_shows_the_interrupts_pending_at_the_selected_checkpoint(lab: Lab) -> None:
    nb, view = open_debugger(
        lab, "subgraph_interrupt", 'dbg.start({"topic": "bees", "findings": [], "notes": []})'
    )
    waiting = nb.kernel.eval("dbg.head.id")
    nb.kernel.exec("dbg.checkout(dbg.head.parent_id)")  # the head leaves; the interrupt stays there
    graph = view.get_by_test_id("hw-graph")
    team, asker = graph.get_by_test_id("hw-node-team"), graph.get_by_test_id("hw-node-team:ask_human")
    expect(graph.get_by_test_id("hw-graph-showing")).not_to_contain_text(waiting[-8:])
    expect(team).not_to_have_class(has_class("hw-interrupted"))
    view.locator(f'[role="treeitem"][data-id="{waiting}"]').click()
    expect(graph.get_by_test_id("hw-graph-showing")).to_contain_text(f"Selected checkpoint {waiting[-8:]}")
    expect(team).to_have_class(has_class("hw-interrupted"))
    expect(asker).to_have_class(has_class("hw-interrupted"))
    expect(asker).to_have_attribute("aria-label", re.compile("has a pending interrupt"))
    assert (
        nb.kernel.eval("len(dbg.interrupts)") == 0
        and nb.kernel.eval("len(dbg.interrupts_at(" + repr(waiting) + "))") == 1
    )
    screenshots(nb, "interrupt-at-selected", graph)


def test_gap8_shortcuts_anywhere_in_the_widget_help_on_question_mark_distinct_focus_ring(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline", 'dbg.break_before("step_1", "step_2", "step_3")')
    title = view.locator(".hw-title")
    title.click(position={"x": box(title)["width"] * 0.7, "y": 6})  # blank space in the widget
    assert nb.page.evaluate("() => document.activeElement?.dataset.testid") == "hw-view-debugger"
    nb.kernel.exec('dbg.start({"input": "go", "trail": []})')
    expect(view.get_by_test_id("hw-reason")).to_have_text("breakpoint")
    view.get_by_test_id("hw-status").click()  # blank text: focus stays in the widget
    nb.page.keyboard.press("F10")
    assert nb.kernel.wait_until("dbg.state['trail'] == ['step_1']")
    # the step's checkpoint is saved a moment before its command is over: F8 waits for that
    expect(view.get_by_test_id("hw-continue")).to_be_enabled()
    nb.page.keyboard.press("F8")
    assert nb.kernel.wait_until("dbg.state['trail'] == ['step_1', 'step_2']")

    nb.page.keyboard.press("?")
    help_box = view.get_by_test_id("hw-help")
    expect(help_box).to_be_visible()
    for keys in ("F10", "F8", "Shift+F8", "+ / − / 0", "Esc"):
        expect(help_box).to_contain_text(keys)
    nb.page.keyboard.press("Escape")
    expect(help_box).to_have_count(0)
    view.get_by_test_id("hw-help-button").click()
    expect(help_box).to_be_visible()
    screenshots(nb, "help", view)
    help_box.get_by_test_id("hw-help-close").click()
    expect(help_box).to_have_count(0)

    graph = view.get_by_test_id("hw-graph")
    graph.get_by_test_id("hw-graph-svg").focus()
    nb.page.keyboard.press("Tab")  # to the first node, by keyboard: its focus ring shows
    focused = graph.get_by_test_id("hw-node-step_1")
    expect(focused).to_be_focused()
    ring = focused.locator(".hw-g-focus")
    expect(ring).to_be_visible()
    nxt = graph.get_by_test_id("hw-node-step_3")
    expect(nxt).to_have_class(has_class("hw-next"))
    stroke = "(el) => { const s = getComputedStyle(el); return [s.stroke, s.strokeDasharray]; }"
    ring_stroke = ring.evaluate(stroke)
    next_stroke = nxt.locator(".hw-g-box").evaluate(stroke)
    assert ring_stroke[0] != next_stroke[0], "the focus ring is not the blue of 'next'"
    assert ring_stroke[1] == "none" and next_stroke[1] != "none"
    nb.page.keyboard.press("Enter")  # and it acts: a breakpoint toggled off
    assert nb.kernel.wait_until("'step_1' not in dbg.breakpoints['before']")
    screenshots(nb, "focus-ring", graph)
