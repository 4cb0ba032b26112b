"""The state, interrupt, tree and toolbar panels for real agents (issue 12, part B), in
JupyterLab and Notebook 7: one test per bug (5, 6, 8, 9) and per gap (4, 5, 6, 7, 9, 10), each
checking what the page shows and the Python side after the clicks, with light and dark
screenshots under test-artifacts/test_panels_browser/<test>/."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from harness import Lab, NotebookPage
from playwright.sync_api import Locator, expect
from widgets_e2e import HITL_GRAPH, SETUP, debugger_cell, open_debugger, screenshots, wait_for_pause

ROWS = '[role="treeitem"]'
PIPELINE_INPUT = '{"input": "go", "trail": []}'


def wait_for_file(path: Path) -> None:
    """Wait until a graph's node has made `path` (it says where the run is)."""
    while not path.exists():
        threading.Event().wait(0.05)


def row_of(view: Locator, nb: NotebookPage, expr: str) -> Locator:
    """The tree row of the checkpoint whose id the kernel gives for `expr`."""
    return view.locator(f'{ROWS}[data-id="{nb.kernel.eval(expr)}"]')


# ---------------------------------------------------------------- bugs


def test_bug5_a_schema_form_starts_on_its_defaults(lab: Lab) -> None:
    nb, view = open_debugger(
        lab, "schema_defaults", 'dbg.start({"draft": "first draft", "action": "", "notify": False})'
    )
    form = view.get_by_test_id("hw-form-0")
    expect(form.get_by_test_id("hw-form-0-action")).to_have_value("revise")  # Literal[...] = "revise"
    notify = form.get_by_test_id("hw-form-0-notify")
    expect(notify).not_to_be_checked()
    # the checkbox starts its line, its label beside it (not centred in a 420 px field)
    field = notify.locator("xpath=..")
    box, field_box = notify.bounding_box(), field.bounding_box()
    label = field.locator(".hw-label").bounding_box()
    assert box and field_box and label
    assert box["x"] - field_box["x"] < 8
    assert label["x"] > box["x"] + box["width"]
    assert abs((label["y"] + label["height"] / 2) - (box["y"] + box["height"] / 2)) < 6
    screenshots(nb, "form-defaults", view.get_by_test_id("hw-interrupt-0"))
    notify.check()
    form.get_by_test_id("hw-form-send-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    wait_for_pause(nb)
    assert nb.kernel.eval("dbg.state") == {"draft": "first draft", "action": "revise", "notify": True}


def test_bug6_checkpoints_and_state_show_while_a_run_saves_them(lab: Lab) -> None:
    nb, view = open_debugger(lab, "slow_pipeline")
    folder = lab.server.root / lab.folder
    view.get_by_test_id("hw-start-input").fill(PIPELINE_INPUT)
    view.get_by_test_id("hw-start").click()
    wait_for_file(folder / "waiting-review")  # the run waits in its last node
    expect(view.get_by_test_id("hw-status")).to_contain_text("superstep(s) saved")
    rows = view.get_by_test_id("hw-tree").locator(ROWS)
    expect(rows).to_have_count(5)  # input, start, fetch, think, write: all saved so far
    expect(view.get_by_test_id("hw-tree-empty")).to_be_hidden()
    expect(view.get_by_test_id("hw-live")).to_be_visible()  # the state shows the newest one
    expect(view.get_by_test_id("hw-detail-title")).not_to_contain_text("No checkpoint")
    expect(view.get_by_test_id("hw-values")).to_contain_text("write")
    assert nb.kernel.eval("dbg.running") == "start"
    screenshots(nb, "live-run", view)
    (folder / "go").touch()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    wait_for_pause(nb)
    expect(rows).to_have_count(nb.kernel.eval("len(dbg.history())"))
    assert nb.kernel.eval("dbg.state['trail']") == ["fetch", "think", "write", "review"]


LOST_STORAGE = """
import sqlite3
from langgraph.checkpoint.sqlite import SqliteSaver
conn = sqlite3.connect("lost.sqlite", check_same_thread=False)
saver = SqliteSaver(conn)
dbg = hw.debug(graphs.pipeline(), checkpointer=saver)
dbg.start({"input": "go", "trail": []})
tree = hw.CheckpointTree(dbg)
"""
# Records whether "Opening checkpoint…" showed, however briefly.
WATCH_OPENING = """(root) => {
  window.__hw_opening = false;
  const note = root.querySelector('[data-testid="hw-opening"]');
  new MutationObserver(() => {
    if (!note.hidden && note.textContent.includes("Opening checkpoint")) window.__hw_opening = true;
  }).observe(note, { childList: true, subtree: true, attributes: true });
}"""


def test_bug8_errors_are_counted_cleared_and_a_lost_store_offers_a_retry(lab: Lab) -> None:
    # (The same error counted, not stacked, and cleared by a later success: shown here on the
    # tree's own error area; nodes inside a subgraph no longer offer a failing click.)
    nb, _view = open_debugger(lab, "subgraph_interrupt")

    # checkpoints kept in a database whose connection is lost before the tree first loads
    cell = nb.append_and_run(LOST_STORAGE + "conn.close()\ntree")
    tree = nb.output(cell).get_by_test_id("hw-view-tree")
    expect(tree.get_by_test_id("hw-tree-empty")).to_contain_text("Could not load the checkpoints")
    retry = tree.get_by_test_id("hw-tree-retry")
    errors = tree.get_by_test_id("hw-errors-tree")
    for count in (2, 3):
        retry.click()
        expect(errors.get_by_test_id("hw-error-count")).to_have_text(f"×{count}")
    expect(errors.get_by_test_id("hw-error")).to_have_count(1)
    expect(errors).to_contain_text("Load checkpoints failed")
    screenshots(nb, "lost-store-retry", tree)
    nb.kernel.exec('saver.conn = conn = sqlite3.connect("lost.sqlite", check_same_thread=False)')
    retry.click()
    rows = tree.locator(ROWS)
    expect(rows).to_have_count(nb.kernel.eval("len(dbg.history())"))
    expect(errors.get_by_test_id("hw-error")).to_have_count(0)

    # lost again: a row click says at once that it is opening, then what went wrong, there
    nb.kernel.exec("conn.close()")
    tree.evaluate(WATCH_OPENING)
    rows.nth(2).click()
    expect(errors).to_contain_text("Open the checkpoint failed")
    assert nb.page.evaluate("() => window.__hw_opening") is True
    expect(tree.get_by_test_id("hw-opening")).to_be_hidden()
    screenshots(nb, "lost-store-row-click", tree)


def test_bug9_decision_toggles_are_pressed_buttons_marked_by_more_than_colour(lab: Lab) -> None:
    nb = lab.open_notebook([SETUP, HITL_GRAPH])
    nb.run_all()
    view = nb.output(1).get_by_test_id("hw-view-debugger")
    block = view.get_by_test_id("hw-hitl-0")
    approve, reject = block.get_by_test_id("hw-hitl-0-0-approve"), block.get_by_test_id("hw-hitl-0-0-reject")
    expect(approve).to_have_attribute("aria-pressed", "false")
    approve.click()
    expect(approve).to_have_attribute("aria-pressed", "true")
    expect(approve).to_have_text("✓ Approve")  # a mark, not only a colour
    reject.click()
    expect(approve).to_have_attribute("aria-pressed", "false")
    expect(approve).to_have_text("Approve")
    expect(reject).to_have_attribute("aria-pressed", "true")
    block.get_by_test_id("hw-hitl-message-0-0").fill("not now")
    block.get_by_test_id("hw-hitl-0-1-approve").click()
    screenshots(nb, "pressed-decisions", view.get_by_test_id("hw-interrupt-0"))
    block.get_by_test_id("hw-hitl-send-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state['decisions']") == [
        {"type": "reject", "message": "not now"},
        {"type": "approve"},
    ]


# ---------------------------------------------------------------- gaps


def test_gap4_messages_read_as_a_conversation_in_state_diff_and_payload(lab: Lab) -> None:
    start = 'dbg.start({"messages": [{"role": "user", "content": "book a hotel in Paris"}]})'
    nb, view = open_debugger(lab, "chat_agent", start, ui="notebook7")
    expect(view.get_by_test_id("hw-reason")).to_have_text("interrupt")

    # the interrupt's payload: the last three messages, as chat
    payload = view.get_by_test_id("hw-payload-0")
    messages = payload.get_by_test_id("hw-msg")
    expect(messages).to_have_count(3)
    expect(messages.nth(0)).to_have_attribute("data-role", "ai")
    call = messages.nth(0).get_by_test_id("hw-msg-call")
    for part in ("book_hotel", 'hotel: "Grand Hotel"', "nights: 2"):
        expect(call).to_contain_text(part)
    expect(messages.nth(1)).to_have_attribute("data-role", "tool")
    expect(messages.nth(1)).to_contain_text("result of book_hotel")
    expect(messages.nth(1)).to_contain_text("Booked 2 nights at Grand Hotel.")
    expect(messages.nth(2)).to_contain_text("Booked 2 nights at the Grand Hotel in Paris.")
    expect(payload).not_to_contain_text("AIMessage {")
    messages.nth(0).locator("summary", has_text="ids and fields").click()  # ids on demand
    message_id = nb.kernel.eval("dbg.interrupts[0].value['messages'][0].id")
    expect(messages.nth(0)).to_contain_text(message_id)
    screenshots(nb, "conversation-payload", view.get_by_test_id("hw-interrupt-0"))

    # the state: a conversation of 306 messages, its first ones shown, the rest on demand
    values = view.get_by_test_id("hw-values")
    expect(values).to_contain_text("[306 messages]")
    expect(values.get_by_test_id("hw-msg").first).to_contain_text("book a hotel in Paris")

    # the step that added 300 messages is one line of the diff, opening to the messages
    row_of(view, nb, "next(cp.id for cp in dbg.history() if cp.writes == ('load_history',))").click()
    changes = view.get_by_test_id("hw-changes").get_by_test_id("hw-change")
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text("messages[1…300]300 new messages")
    changes.locator("summary").click()
    expect(changes.get_by_test_id("hw-msg").first).to_contain_text("question 0")
    screenshots(nb, "conversation-diff", view.get_by_test_id("hw-detail"))

    # a tool call's result in the diff reads as a chat line
    row_of(
        view, nb, "min((cp for cp in dbg.history() if cp.writes == ('tools',)), key=lambda cp: cp.step).id"
    ).click()
    expect(view.get_by_test_id("hw-changes")).to_contain_text(
        "tool (search_hotel): Found the Grand Hotel in Paris."
    )

    view.get_by_test_id("hw-answer-0").fill("yes, send it")  # plain text, no quotes
    view.get_by_test_id("hw-resume-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    wait_for_pause(nb)
    assert nb.kernel.eval("dbg.state['messages'][-1].content") == "(reviewer) yes, send it"


def test_gap5_commands_are_enabled_only_when_they_can_act(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline")
    step, cont, pause = (view.get_by_test_id(f"hw-{c}") for c in ("step", "continue", "pause"))
    expect(step).to_be_disabled()
    expect(step).to_have_attribute("title", re.compile("start the graph with an input first"))
    expect(cont).to_be_disabled()
    expect(pause).to_have_attribute("title", re.compile(r"^Nothing is running\.\nPause \(Shift\+F8\)$"))
    expect(view.get_by_test_id("hw-start")).to_be_enabled()
    view.get_by_test_id("hw-start-input").press("F10")  # the shortcut says why, sends nothing
    expect(view.get_by_test_id("hw-hint")).to_contain_text("Step: The thread is empty")
    expect(view.get_by_test_id("hw-error")).to_have_count(0)
    assert nb.kernel.eval("len(dbg.history())") == 0

    nb.kernel.exec('dbg.break_before("step_2")')
    view.get_by_test_id("hw-start-input").fill(PIPELINE_INPUT)
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("breakpoint")
    expect(step).to_be_enabled()
    expect(cont).to_be_enabled()
    cont.click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    expect(step).to_be_disabled()
    expect(cont).to_have_attribute("title", re.compile("The run is finished"))
    expect(view.get_by_test_id("hw-hint")).to_have_text("")
    # an earlier checkpoint, with a node still to run after it, can be replayed
    row_of(view, nb, "dbg.history()[1].id").click()
    expect(view.get_by_test_id("hw-replay")).to_be_enabled()
    expect(view.get_by_test_id("hw-error")).to_have_count(0)
    screenshots(nb, "disabled-when-done", view)
    assert nb.kernel.eval("dbg.state['trail']") == ["step_1", "step_2", "step_3"]


def test_gap6_errors_sit_next_to_their_cause_and_clear(lab: Lab) -> None:
    review = 'dbg2 = hw.debug(graphs.schema_defaults(strict=True), checkpointer="sqlite:t2.sqlite")\n'
    review += 'dbg2.start({"draft": "d", "action": "", "notify": False})\ndbg2'
    nb = lab.open_notebook([SETUP, debugger_cell("pipeline"), review])
    nb.run_all()
    view = nb.output(1).get_by_test_id("hw-view-debugger")
    top = view.get_by_test_id("hw-errors")

    # a start input the Debugger refuses: at the input box
    box = view.get_by_test_id("hw-start-input")
    box.fill('{"no_such_key": 1}')
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-errors-start")).to_contain_text("unknown input key")
    expect(top).to_be_hidden()
    box.fill(PIPELINE_INPUT)  # typing again: the error has done its work
    expect(view.get_by_test_id("hw-errors-start")).to_be_hidden()
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")

    # an unknown state key: at the state editor
    view.get_by_test_id("hw-edit").click()
    editor = view.get_by_test_id("hw-state-editor")
    editor.fill('{"input": "go", "trail": ["step_1", "step_2", "step_3"], "bogus": 1}')
    view.get_by_test_id("hw-apply").click()
    in_editor = view.get_by_test_id("hw-editor").get_by_test_id("hw-errors-editor")
    expect(in_editor).to_contain_text("unknown state key")
    expect(top).to_be_hidden()
    screenshots(nb, "error-at-the-editor", view.get_by_test_id("hw-detail"))
    editor.fill('{"input": "edited", "trail": ["step_1", "step_2", "step_3"]}')
    expect(in_editor).to_be_hidden()
    view.get_by_test_id("hw-apply").click()
    assert nb.kernel.wait_until("dbg.state['input'] == 'edited'")

    # an answer its interrupt's schema refuses: at the answer box
    other = nb.output(2).get_by_test_id("hw-view-debugger")
    other.get_by_test_id("hw-answer-box-0").locator("summary").click()
    other.get_by_test_id("hw-answer-0").fill('{"action": "approve", "bogus": 1}')
    other.get_by_test_id("hw-resume-0").click()
    interrupt_id = nb.kernel.eval("dbg2.interrupts[0].id")
    at_answer = other.get_by_test_id("hw-interrupt-0").get_by_test_id(f"hw-errors-answer-{interrupt_id}")
    expect(at_answer).to_contain_text("does not fit its response_schema")
    expect(other.get_by_test_id("hw-errors")).to_be_hidden()
    screenshots(nb, "error-at-the-answer", other.get_by_test_id("hw-interrupt-0"))
    assert nb.kernel.eval("len(dbg2.interrupts)") == 1
    other.get_by_test_id("hw-answer-0").fill('{"action": "approve"}')
    expect(at_answer).to_be_hidden()
    other.get_by_test_id("hw-resume-0").click()
    expect(other.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg2.state['action']") == "approve"


def test_gap7_answers_take_plain_text_and_cards_lead_with_their_actions(lab: Lab) -> None:
    agent = 'dbg2 = hw.debug(graphs.tool_review_agent(), checkpointer="sqlite:t2.sqlite")\n'
    agent += 'dbg2.start({"messages": [{"role": "user", "content": "find me a hotel"}]})\ndbg2'
    nb = lab.open_notebook([SETUP, debugger_cell("text_to_revise"), 'dbg.start({"some_text": "x"})', agent])
    nb.run_all()
    view = nb.output(1).get_by_test_id("hw-view-debugger")
    expect(view.get_by_test_id("hw-step")).to_have_attribute("title", re.compile("interrupt is pending"))
    answer = view.get_by_test_id("hw-answer-0")
    answer.fill("hello world")
    view.get_by_test_id("hw-resume-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    wait_for_pause(nb)
    assert nb.kernel.eval("dbg.state") == {"some_text": "hello world"}

    card = nb.output(3).get_by_test_id("hw-view-debugger").get_by_test_id("hw-interrupt-0")
    expect(card.get_by_test_id("hw-payload-box-0")).not_to_have_attribute("open", "")  # raw on demand
    expect(card.get_by_test_id("hw-payload-0")).to_be_hidden()
    expect(card.get_by_test_id("hw-answer-0")).to_be_hidden()
    expect(card.locator(".hw-primary:visible")).to_have_count(0)
    screenshots(nb, "structured-card", card)
    card.get_by_test_id("hw-hi-edit-0").click()
    expect(card.locator(".hw-primary:visible")).to_have_count(1)  # the one that sends
    card.get_by_test_id("hw-answer-box-0").locator("summary").click()
    box = card.get_by_test_id("hw-answer-0")
    box.fill('[\n  {\n    "type": "response",\n    "args": "no hotel today"\n  }\n]')
    expect(box).to_have_attribute("rows", "6")  # sized to what it holds
    screenshots(nb, "answer-box-sized", card)
    card.get_by_test_id("hw-resume-0").click()
    expect(nb.output(3).get_by_test_id("hw-reason")).to_have_text("done")
    assert "no hotel today" in nb.kernel.eval("[m.content for m in dbg2.state['messages']]")


def test_gap9_history_follows_the_head_keeps_colours_finds_and_compares(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline", f"dbg.start({PIPELINE_INPUT})")
    rows = view.get_by_test_id("hw-tree").locator(ROWS)
    expect(rows).to_have_count(5)
    colours = {r.get_attribute("data-id"): r.get_attribute("data-branch") for r in rows.all()}
    assert set(colours.values()) == {"0"}

    # replay from step 1: the selection comes back to the new head
    row_of(view, nb, "next(cp.id for cp in dbg.history() if cp.step == 1)").click()
    view.get_by_test_id("hw-replay").click()
    expect(view.get_by_test_id("hw-replay-preview")).to_contain_text("runs again: step_2, step_3")
    view.get_by_test_id("hw-replay-confirm").click()
    nb.kernel.wait_until("dbg.running is None and len(dbg.history()) > 5")
    expect(rows).to_have_count(nb.kernel.eval("len(dbg.history())"))
    head = view.locator(f'{ROWS}[data-head="true"]')
    expect(head).to_have_attribute("aria-selected", "true")
    assert (
        nb.kernel.eval(
            "__import__('hitl_widgets.widgets.selection').widgets.selection.selection_of(dbg).selected"
        )
        is None
    )

    # fork an old checkpoint: every branch keeps its colour, the new one takes its own
    after_replay = {r.get_attribute("data-id"): r.get_attribute("data-branch") for r in rows.all()}
    assert {after_replay[i] for i in colours} == {"0"} and "1" in after_replay.values()
    row_of(view, nb, "next(cp.id for cp in dbg.history() if cp.step == 2 and cp.id < dbg.head.id)").click()
    view.get_by_test_id("hw-fork").click()
    nb.kernel.wait_until(f"len(dbg.history()) == {len(after_replay) + 1}")
    expect(rows).to_have_count(len(after_replay) + 1)
    after_fork = {r.get_attribute("data-id"): r.get_attribute("data-branch") for r in rows.all()}
    assert all(after_fork[i] == b for i, b in after_replay.items())
    assert "2" in after_fork.values()

    # find: step 3 exists on two branches; Enter opens the first
    search = view.get_by_test_id("hw-tree-search")
    search.fill("#3")
    threes = nb.kernel.eval("sum(cp.step == 3 for cp in dbg.history())")
    assert threes >= 2
    expect(view.get_by_test_id("hw-tree-found")).to_have_text(f"{threes} found")
    expect(view.locator(f"{ROWS}.hw-match")).to_have_count(threes)
    search.press("Enter")  # the first match: the fork, which is the head
    expect(view.get_by_test_id("hw-tree-found")).to_have_text(f"1 of {threes} found")
    expect(view.locator(f"{ROWS}.hw-match").first).to_have_attribute("data-head", "true")
    search.press("Enter")  # the next one, on an older branch
    expect(view.get_by_test_id("hw-tree-found")).to_have_text(f"2 of {threes} found")
    first_step_3 = view.locator(f"{ROWS}.hw-match").nth(1)
    expect(first_step_3).to_have_attribute("aria-selected", "true")
    assert nb.kernel.wait_until(
        "__import__('hitl_widgets.widgets.selection').widgets.selection.selection_of(dbg).selected"
        f" == {first_step_3.get_attribute('data-id')!r}"
    )

    # compare it with the input checkpoint
    view.get_by_test_id("hw-compare-with").click()
    expect(view.get_by_test_id("hw-compare-pick")).to_be_visible()
    row_of(view, nb, "min(dbg.history(), key=lambda cp: cp.step).id").click()
    compared = view.get_by_test_id("hw-compare-changes")
    keys = nb.kernel.eval(
        f"[c.key for c in dbg.diff({first_step_3.get_attribute('data-id')!r},"
        " min(dbg.history(), key=lambda cp: cp.step).id)]"
    )
    assert keys == ["trail", "input"]
    expect(compared).to_contain_text("-trail[0]")
    expect(compared).to_contain_text('-input"go"')
    screenshots(nb, "find-and-compare", view)
    rows.first.press("Escape")  # in the list: stop comparing
    expect(view.get_by_test_id("hw-compare")).to_be_hidden()
    search.press("Escape")  # in the search box: clear it
    expect(view.locator(f"{ROWS}.hw-match")).to_have_count(0)
    expect(view.get_by_test_id("hw-tree-found")).to_have_text("")


FAILING = """
import graphs, hitl_widgets as hw
from langgraph.graph import END, START, StateGraph

def check(state):
    if state["input"] == "bad":
        raise ValueError("input must not be 'bad'")
    return {"trail": ["checked"]}

builder = StateGraph(graphs.StepsState)
builder.add_node("check", check)
builder.add_edge(START, "check")
builder.add_edge("check", END)
dbg = hw.debug(builder, checkpointer="sqlite:t.sqlite")
dbg.break_before("check")
dbg.start({"input": "bad", "trail": []})
dbg
"""
PARALLEL = """
dbg2 = hw.debug(graphs.parallel_interrupts(), checkpointer="sqlite:t2.sqlite")
dbg2.start({"text_1": "a", "text_2": "b"})
hw.InterruptPanel(dbg2)
"""


def test_gap10_the_failed_node_the_users_traceback_the_breakpoint_and_partial_answers(lab: Lab) -> None:
    nb = lab.open_notebook([FAILING, PARALLEL])
    nb.page.set_viewport_size({"width": 1280, "height": 1600})
    nb.run_all()
    view = nb.output(0).get_by_test_id("hw-view-debugger")
    expect(view.get_by_test_id("hw-bp-hit")).to_have_text("at the breakpoint before check")
    view.get_by_test_id("hw-continue").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("error")
    expect(view.get_by_test_id("hw-node-check")).to_have_class(re.compile(r"\bhw-failed\b"))
    error = view.get_by_test_id("hw-node-error")
    expect(error).to_contain_text("Node error in check: ValueError: input must not be 'bad'")
    traceback = view.get_by_test_id("hw-traceback")
    expect(traceback).to_contain_text(re.compile(r"Cell In\[\d+\], line \d+, in check"))
    expect(traceback).not_to_contain_text("ipykernel")
    lines = traceback.inner_text().splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert re.match(r"\s+… \d+ library frames \(.*langgraph.*\)", lines[1]), lines[1]
    assert lines[2].strip().startswith("Cell In["), "the user's frame comes next"
    screenshots(nb, "failed-node", view)
    assert nb.kernel.eval("dbg.last_pause.reason") == "error"

    # as_node choices said in words
    view.get_by_test_id("hw-edit").click()
    as_node = view.get_by_test_id("hw-as-node")
    help_text = view.get_by_test_id("hw-as-node-help")
    as_node.select_option("check")
    expect(help_text).to_contain_text("As if node check wrote these values")
    as_node.select_option("__input__")
    expect(help_text).to_contain_text("graph's input")
    as_node.select_option("__copy__")
    expect(help_text).to_contain_text("Copy the checkpoint as it is")
    expect(as_node.locator("option", has_text="__copy__ (special)")).to_have_count(1)
    screenshots(nb, "as-node-explained", view.get_by_test_id("hw-editor"))

    # one of two parallel interrupts answered: a trace of it stays
    panel = nb.output(1).get_by_test_id("hw-view-interrupts")
    first = next(
        i for i in range(2) if "human_node_1" in panel.get_by_test_id(f"hw-interrupt-{i}").inner_text()
    )
    panel.get_by_test_id(f"hw-answer-{first}").fill("first answer")
    panel.get_by_test_id(f"hw-resume-{first}").click()
    expect(panel.get_by_test_id("hw-answered")).to_contain_text('Answered human_node_1: "first answer"')
    expect(panel.get_by_test_id("hw-interrupt-1")).to_have_count(0)
    assert nb.kernel.wait_until("len(dbg2.interrupts) == 1 and dbg2.interrupts[0].node == 'human_node_2'")
    screenshots(nb, "partial-answer-trace", panel)
    panel.get_by_test_id("hw-answer-0").fill("second answer")
    panel.get_by_test_id("hw-resume-0").click()
    expect(panel.get_by_test_id("hw-no-interrupts")).to_be_visible()
    assert nb.kernel.wait_until("dbg2.state == {'text_1': 'first answer', 'text_2': 'second answer'}")
