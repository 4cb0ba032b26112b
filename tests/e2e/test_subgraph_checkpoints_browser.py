"""A root checkpoint opens what its subgraphs saved (issue 13): in real JupyterLab, the
selected checkpoint's "Inside subgraphs" section lists the checkpoints of `mid` and of the
`inner` subgraph it ran, and a row shows that checkpoint's own state.

Screenshots (light and dark) go to test-artifacts/test_subgraph_checkpoints_browser/<test>/.
"""

from __future__ import annotations

from harness import Lab
from playwright.sync_api import expect
from widgets_e2e import open_debugger, screenshots, wait_for_pause


def test_a_checkpoint_before_a_subgraph_opens_the_subgraphs_checkpoints(lab: Lab) -> None:
    nb, view = open_debugger(lab, "nested_teams", "dbg.start({'trail': [], 'count': 0})")
    wait_for_pause(nb)
    before_mid = nb.kernel.eval("next(c.id for c in dbg.history() if c.next == ('mid',))")
    inside_ids = nb.kernel.eval(f"[c.id[-8:] for c in dbg.subgraph_checkpoints({before_mid!r})]")
    assert len(inside_ids) == 9

    section = view.get_by_test_id("hw-inside")
    expect(section).to_be_hidden()  # the head (the end) runs no subgraph next
    view.get_by_test_id(f"hw-row-{before_mid[-8:]}").click()
    expect(section).to_be_visible()
    section.locator("summary").click()
    rows = view.get_by_test_id("hw-inside-list").get_by_role("listitem")
    expect(rows).to_have_count(9)
    expect(rows.nth(3)).to_contain_text("mid/inner")
    # inner before y: its own state, which the root history never shows
    view.get_by_test_id(f"hw-inside-{inside_ids[5]}").click()
    values = view.get_by_test_id("hw-inside-values")
    expect(values).to_contain_text("State of mid/inner at step 1")
    expect(values.get_by_test_id("hw-inside-json")).to_contain_text('"x"')
    expect(values.get_by_test_id("hw-inside-json")).not_to_contain_text('"y"')
    expect(view.get_by_test_id("hw-error")).to_have_count(0)
    screenshots(nb, "inside-subgraphs", view.get_by_test_id("hw-detail"))
