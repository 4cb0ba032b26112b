"""Answering interrupts from the widgets in JupyterLab: the answer box, Agent Inbox
HumanInterrupt actions, LangChain HITLRequest decisions, a response_schema form, several
interrupts in one resume, and payloads that are hostile HTML shown as text."""

from __future__ import annotations

from harness import Lab
from playwright.sync_api import expect
from widgets_e2e import HITL_GRAPH, open_debugger, screenshots, wait_for_pause

MESSAGES = "[m.content for m in dbg.state['messages']]"
AGENT_START = 'dbg.start({"messages": [{"role": "user", "content": "find me a hotel"}]})'


def test_resume_from_the_answer_box(lab: Lab) -> None:
    nb, view = open_debugger(lab, "text_to_revise", 'dbg.start({"some_text": "original"})')
    card = view.get_by_test_id("hw-interrupt-0")
    expect(card.get_by_test_id("hw-payload-0")).to_contain_text('"original"')
    screenshots(nb, "interrupt", view)
    answer = view.get_by_test_id("hw-answer-0")
    answer.fill('"edited"')
    view.get_by_test_id("hw-resume-0").click()
    expect(view.get_by_test_id("hw-no-interrupts")).to_be_visible()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    wait_for_pause(nb)
    assert nb.kernel.eval("dbg.state") == {"some_text": "edited"}


def test_human_interrupt_accept(lab: Lab) -> None:
    nb, view = open_debugger(lab, "tool_review_agent", AGENT_START)
    block = view.get_by_test_id("hw-hi-0")
    expect(block).to_contain_text("search_hotel")
    expect(block.get_by_test_id("hw-hi-ignore-0")).to_have_count(0)  # its config does not allow ignore
    screenshots(nb, "human-interrupt", view.get_by_test_id("hw-interrupt-0"))
    block.get_by_test_id("hw-hi-accept-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert "Found the Grand Hotel in Paris." in nb.kernel.eval(MESSAGES)


def test_human_interrupt_edit(lab: Lab) -> None:
    nb, view = open_debugger(lab, "tool_review_agent", AGENT_START)
    view.get_by_test_id("hw-hi-edit-0").click()
    args = view.get_by_test_id("hw-hi-args-0")
    expect(args).to_have_value('{\n  "city": "Paris"\n}')
    args.fill('{"city": Rome}')
    view.get_by_test_id("hw-hi-send-edit-0").click()
    expect(view.get_by_test_id("hw-hi-error-0")).to_contain_text("Invalid JSON")
    args.fill('{"city": "Rome"}')
    view.get_by_test_id("hw-hi-send-edit-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert "Found the Grand Hotel in Rome." in nb.kernel.eval(MESSAGES)


def test_two_interrupts_answered_in_one_resume(lab: Lab) -> None:
    nb, view = open_debugger(lab, "parallel_interrupts", 'dbg.start({"text_1": "a", "text_2": "b"})')
    expect(view.get_by_test_id("hw-interrupt-1")).to_be_visible()
    nodes = nb.kernel.eval("[i.node for i in dbg.interrupts]")
    cards = {view.get_by_test_id(f"hw-interrupt-{i}").get_attribute("data-interrupt-id"): i for i in range(2)}
    ids = nb.kernel.eval("[i.id for i in dbg.interrupts]")
    for node, interrupt_id in zip(nodes, ids, strict=True):
        view.get_by_test_id(f"hw-answer-{cards[interrupt_id]}").fill(f'"answer for {node}"')
    screenshots(nb, "two-interrupts", view.get_by_test_id("hw-interrupts"))
    view.get_by_test_id("hw-resume-all").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state") == {
        "text_1": "answer for human_node_1",
        "text_2": "answer for human_node_2",
    }


def test_a_response_schema_gives_a_checked_form(lab: Lab) -> None:
    nb, view = open_debugger(lab, "schema_interrupt", 'dbg.start({"rating": 0})')
    form = view.get_by_test_id("hw-form-0")
    rating = form.get_by_test_id("hw-form-0-rating")
    rating.fill("9")
    form.get_by_test_id("hw-form-send-0").click()
    expect(form.get_by_test_id("hw-form-error-0-rating")).to_have_text("must be at most 5")
    assert nb.kernel.eval("len(dbg.interrupts)") == 1
    rating.fill("4")
    form.get_by_test_id("hw-form-0-comment").fill("fine")
    screenshots(nb, "schema-form", view.get_by_test_id("hw-interrupt-0"))
    form.get_by_test_id("hw-form-send-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state") == {"rating": 4}


def test_hitl_request_decisions_one_per_action(lab: Lab) -> None:
    nb = lab.open_notebook(["import hitl_widgets as hw", HITL_GRAPH])
    nb.run_all()
    view = nb.output(1).get_by_test_id("hw-view-debugger")
    block = view.get_by_test_id("hw-hitl-0")
    expect(block.get_by_test_id("hw-hitl-0-1-edit")).to_have_count(0)  # not allowed for delete_file
    block.get_by_test_id("hw-hitl-0-0-edit").click()
    block.get_by_test_id("hw-hitl-args-0-0").fill('{"to": "b@example.com"}')
    block.get_by_test_id("hw-hitl-send-0").click()
    expect(block.get_by_test_id("hw-hitl-error-0")).to_contain_text("Choose a decision for every action")
    block.get_by_test_id("hw-hitl-0-1-reject").click()
    block.get_by_test_id("hw-hitl-message-0-1").fill("keep it")
    screenshots(nb, "hitl-request", view.get_by_test_id("hw-interrupt-0"))
    block.get_by_test_id("hw-hitl-send-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state['decisions']") == [
        {"type": "edit", "edited_action": {"name": "send_email", "args": {"to": "b@example.com"}}},
        {"type": "reject", "message": "keep it"},
    ]


HOSTILE = (
    '<img src=x onerror="window.__hw_xss = 1; alert(1)">'
    "<script>window.__hw_xss = 2; alert(2)</script>"
    '<b onmouseover="alert(3)">bold</b><iframe src="javascript:alert(4)"></iframe>'
)


def test_a_payload_of_html_and_scripts_is_shown_as_text(lab: Lab) -> None:
    start = f"dbg.start({{'some_text': {HOSTILE!r} * 2}})"
    nb, view = open_debugger(lab, "text_to_revise", start)
    payload = view.get_by_test_id("hw-payload-0")
    expect(payload).to_contain_text(HOSTILE)
    for tag in ("img", "script", "iframe", "b"):
        expect(view.locator(tag)).to_have_count(0)
    values = view.get_by_test_id("hw-values")
    expect(values).to_contain_text("<script>")
    view.get_by_test_id("hw-answer-0").fill(f'"{HOSTILE.replace(chr(34), chr(39))}"')
    view.get_by_test_id("hw-resume-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    expect(view.get_by_test_id("hw-changes")).to_contain_text("<img src=x onerror=")
    for tag in ("img", "script", "iframe", "b"):
        expect(view.locator(tag)).to_have_count(0)
    assert nb.page.evaluate("() => window.__hw_xss === undefined")
    screenshots(nb, "hostile-payload", view)
    lab.assert_no_page_errors()  # an alert that ran would be a page problem
