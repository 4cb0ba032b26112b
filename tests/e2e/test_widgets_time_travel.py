"""Time travel and state edits from the widgets in JupyterLab: fork a past checkpoint picked in
the tree (with edited values and an as_node), edit the head's state, checkout and replay; the
parts shown alone stay consistent with each other and with cells; and Notebook 7."""

from __future__ import annotations

import re

from harness import Lab
from playwright.sync_api import expect
from widgets_e2e import SETUP, debugger_cell, open_debugger, screenshots, wait_for_pause

RUN_PIPELINE = 'dbg.start({"input": "go", "trail": []})'
PAST = "[cp.id for cp in dbg.history() if cp.next == ('step_2',)][0]"


def test_fork_from_a_past_checkpoint_in_the_tree(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline", RUN_PIPELINE)
    past = nb.kernel.eval(PAST)
    view.get_by_test_id(f"hw-row-{past[-8:]}").click()
    detail = view.get_by_test_id("hw-detail")
    expect(detail.get_by_test_id("hw-detail-title")).to_contain_text(past[-8:])
    expect(detail.get_by_test_id("hw-changes")).to_contain_text("step_1")
    detail.get_by_test_id("hw-edit").click()
    editor = detail.get_by_test_id("hw-state-editor")
    expect(editor).to_have_value(re.compile(r'"input": "go"'))
    editor.fill('{"input": "forked", "trail": ["step_1"]}')
    detail.get_by_test_id("hw-as-node").select_option("step_1")
    screenshots(nb, "fork-editor", detail)
    detail.get_by_test_id("hw-apply").click()

    assert nb.kernel.wait_until(f"dbg.head.parent_id == {past!r}")
    assert nb.kernel.eval("dbg.state") == {"input": "forked", "trail": ["step_1"]}, (
        "unchanged keys are not sent"
    )
    head = nb.kernel.eval("dbg.head.id")
    expect(view.locator('[role="treeitem"][data-head="true"]')).to_have_attribute("data-id", head)
    view.get_by_test_id("hw-continue").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state['trail']") == ["step_1", "step_2", "step_3"]
    assert nb.kernel.eval("len({cp.parent_id for cp in dbg.history()})") < nb.kernel.eval(
        "len(dbg.history())"
    )
    screenshots(nb, "forked-tree", view.get_by_test_id("hw-panel-tree"))


def test_edit_the_head_state(lab: Lab) -> None:
    nb, view = open_debugger(
        lab, "review_edit", 'dbg.break_before("human_review_edit")\ndbg.start({"summary": ""})'
    )
    detail = view.get_by_test_id("hw-detail")
    before = nb.kernel.eval("dbg.head.id")
    detail.get_by_test_id("hw-edit").click()
    editor = detail.get_by_test_id("hw-state-editor")
    expect(editor).to_have_value(re.compile("The cat sat"))

    editor.fill('{"summary": "broken}')
    detail.get_by_test_id("hw-apply").click()
    expect(detail.get_by_test_id("hw-editor-error")).to_contain_text("Invalid JSON at line 1")
    editor.fill('{"summary": "The cat sat on the mat and looked at the stars."}')
    detail.get_by_test_id("hw-apply").click()
    expect(detail.get_by_test_id("hw-editor-error")).to_contain_text("Nothing changed")
    assert nb.kernel.eval("dbg.head.id") == before, "nothing was sent"

    editor.fill('{"summary": "A dog slept."}')
    detail.get_by_test_id("hw-as-node").select_option("generate_summary")
    detail.get_by_test_id("hw-apply").click()
    expect(detail.get_by_test_id("hw-values")).to_contain_text("A dog slept.")
    assert nb.kernel.eval("dbg.state") == {"summary": "A dog slept."}
    assert nb.kernel.eval("dbg.head.parent_id") == before
    assert nb.kernel.eval("list(dbg.head.writes)") == ["generate_summary"]
    screenshots(nb, "edited-state", view)


def test_checkout_and_replay_from_the_tree(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline", RUN_PIPELINE)
    past = nb.kernel.eval(PAST)
    row = view.get_by_test_id(f"hw-row-{past[-8:]}")
    row.click()
    view.get_by_test_id("hw-checkout").click()
    assert nb.kernel.wait_until(f"dbg.head.id == {past!r}")
    expect(row).to_have_attribute("data-head", "true")

    newest = nb.kernel.eval("dbg.history()[0].id")
    view.get_by_test_id(f"hw-row-{newest[-8:]}").click()
    expect(view.get_by_test_id("hw-back-to-head")).to_be_visible()
    view.get_by_test_id("hw-back-to-head").click()
    expect(view.get_by_test_id("hw-detail-title")).to_contain_text(past[-8:])

    first = nb.kernel.eval("dbg.history()[-1].id")  # the input checkpoint
    view.get_by_test_id(f"hw-row-{first[-8:]}").click()
    checkpoints = nb.kernel.eval("len(dbg.history())")
    view.get_by_test_id("hw-replay").click()
    preview = view.get_by_test_id("hw-replay-preview")
    expect(preview).to_contain_text("runs again: __start__, step_1, step_2, step_3")
    view.get_by_test_id("hw-replay-cancel").click()
    expect(preview).to_have_count(0)
    assert nb.kernel.eval("len(dbg.history())") == checkpoints, "a cancelled replay ran nothing"
    view.get_by_test_id("hw-replay").click()
    view.get_by_test_id("hw-replay-confirm").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    wait_for_pause(nb)
    assert nb.kernel.eval("dbg.state['trail']") == ["step_1", "step_2", "step_3"]
    assert nb.kernel.eval(f"dbg.head.id != {newest!r}"), "the replay made a new branch"


PARTS = [
    SETUP,
    'dbg = hw.debug(graphs.text_to_revise(), checkpointer="sqlite:t.sqlite")\ndbg.start({"some_text": "hi"})',
    "hw.GraphView(dbg)",
    "hw.CheckpointTree(dbg)",
    "hw.InterruptPanel(dbg)",
    "hw.StateInspector(dbg)",
]


def test_the_parts_alone_follow_cells_and_each_other(lab: Lab) -> None:
    nb = lab.open_notebook(PARTS)
    nb.run_all()
    graph = nb.output(2).get_by_test_id("hw-view-graph")
    tree = nb.output(3).get_by_test_id("hw-view-tree")
    panel = nb.output(4).get_by_test_id("hw-view-interrupts")
    state = nb.output(5).get_by_test_id("hw-view-state")
    expect(graph.get_by_test_id("hw-node-human_node")).to_have_class(re.compile(r"\bhw-interrupted\b"))
    expect(panel.get_by_test_id("hw-interrupt-0")).to_be_visible()
    expect(state.get_by_test_id("hw-values")).to_contain_text('"hi"')

    first = nb.kernel.eval("dbg.history()[-1].id")
    tree.get_by_test_id(f"hw-row-{first[-8:]}").click()  # selection is shared by the Debugger's widgets
    expect(state.get_by_test_id("hw-detail-title")).to_contain_text(first[-8:])
    state.get_by_test_id("hw-back-to-head").click()

    nb.append_and_run('dbg.resume("from a cell")')  # a cell's command updates every view
    expect(panel.get_by_test_id("hw-no-interrupts")).to_be_visible()
    expect(graph.get_by_test_id("hw-node-human_node")).to_have_class(re.compile(r"\bhw-last\b"))
    expect(state.get_by_test_id("hw-values")).to_contain_text("from a cell")
    expect(tree.locator('[role="treeitem"]')).to_have_count(nb.kernel.eval("len(dbg.history())"))
    for index, name in ((2, "graph-alone"), (3, "tree-alone"), (5, "state-alone")):
        screenshots(nb, name, nb.output(index))


def test_notebook7_shows_and_drives_the_same_debugger(lab: Lab) -> None:
    nb = lab.open_notebook([SETUP, debugger_cell("text_to_revise"), 'dbg.start({"some_text": "hi"})'])
    nb.run_all()
    nb7 = lab.open(nb.path, ui="notebook7")
    index = nb7.append_and_run("dbg")
    view = nb7.output(index).get_by_test_id("hw-view-debugger")
    expect(view.get_by_test_id("hw-interrupt-0")).to_be_visible()
    view.get_by_test_id("hw-answer-0").fill('"answered in Notebook 7"')
    view.get_by_test_id("hw-resume-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb7.kernel.eval("dbg.state") == {"some_text": "answered in Notebook 7"}
    screenshots(nb7, "notebook7", view)


def test_sidecar_keeps_the_debugger_in_a_side_panel(lab: Lab) -> None:
    nb = lab.open_notebook(
        [
            SETUP,
            debugger_cell("text_to_revise"),
            'dbg.start({"some_text": "hi"})\npanel = dbg.sidecar(title="Debugger")',
        ]
    )
    nb.run_all()
    side = nb.page.get_by_test_id("hw-view-debugger").last
    expect(side).to_be_visible()
    assert nb.notebook.get_by_test_id("hw-view-debugger").count() == 1, (
        "the side panel is outside the notebook"
    )
    side.get_by_test_id("hw-answer-0").fill('"from the side panel"')
    side.get_by_test_id("hw-resume-0").click()
    expect(side.get_by_test_id("hw-reason")).to_have_text("done")
    expect(nb.output(1).get_by_test_id("hw-reason")).to_have_text("done")  # the view in the notebook follows
    assert nb.kernel.eval("dbg.state") == {"some_text": "from the side panel"}
    nb.screenshot("sidecar")


def test_try_a_node_on_a_past_checkpoint_from_its_panel(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline", RUN_PIPELINE)
    past = nb.kernel.eval(PAST)
    checkpoints = nb.kernel.eval("len(dbg.history())")
    view.get_by_test_id(f"hw-row-{past[-8:]}").click()
    view.get_by_test_id("hw-try").click()
    panel = view.get_by_test_id("hw-try-panel")
    panel.get_by_test_id("hw-try-node").select_option("step_3")
    panel.get_by_test_id("hw-try-values").fill("[1]")
    panel.get_by_test_id("hw-try-run").click()
    expect(panel.get_by_test_id("hw-try-error")).to_contain_text("JSON object")
    panel.get_by_test_id("hw-try-values").fill('{"input": "what if"}')
    panel.get_by_test_id("hw-try-run").click()
    result = panel.get_by_test_id("hw-try-result")
    expect(result).to_contain_text(
        f"Tried step_3 on checkpoint {past[-8:]}: it would write (nothing written)"
    )
    expect(result.get_by_test_id("hw-try-json")).to_contain_text("step_3")
    assert nb.kernel.eval("len(dbg.history())") == checkpoints, "trying a node wrote nothing"
    screenshots(nb, "try-a-node", view)
    # a watched key is marked in the state view, its condition as the mark's title
    nb.kernel.exec("dbg.watch('trail', when=lambda state: len(state['trail']) > 2)")
    mark = view.get_by_test_id("hw-values-json").get_by_test_id("hw-watched-trail")
    expect(mark).to_have_text("watched")
    expect(mark).to_have_attribute("title", re.compile(r"^Watched when "))
    screenshots(nb, "watched-key", view.get_by_test_id("hw-values-json"))
