"""A long thread in the browser: the checkpoint tree keeps only the rows in view in the DOM,
reaches the oldest checkpoint by scrolling or End, and receives the skeleton once. The time
from display to the first painted row is written to test-artifacts (a measurement, not an
assertion: timings belong to benchmarks)."""

from __future__ import annotations

import json
import os

from harness import Lab
from playwright.sync_api import expect

CHECKPOINTS = int(os.environ.get("HITL_E2E_CHECKPOINTS", "1000"))

LONG_THREAD = f"""
import operator
from typing import Annotated, Any
from typing_extensions import TypedDict
from langgraph.graph import StateGraph, START, END
import hitl_widgets as hw

class Counter(TypedDict):
    n: int

def tick(state: Counter) -> dict[str, Any]:
    return {{"n": state["n"] + 1}}

builder = StateGraph(Counter)
builder.add_node("tick", tick)
builder.add_edge(START, "tick")
builder.add_conditional_edges("tick", lambda s: END if s["n"] >= {CHECKPOINTS - 2} else "tick")
dbg = hw.debug(builder, checkpointer="sqlite:t.sqlite")
dbg.start({{"n": 0}}, config={{"recursion_limit": {CHECKPOINTS + 100}}})
"""

# Records when the debugger's root and its first tree row enter the page (performance.now()).
WATCH_FIRST_PAINT = """() => {
  const marks = { run: performance.now(), root: null, row: null };
  window.__hw_marks = marks;
  const observer = new MutationObserver(() => {
    if (marks.root === null && document.querySelector('[data-testid="hw-view-debugger"]')) marks.root = performance.now();
    if (marks.row === null && document.querySelector('[data-testid="hw-view-debugger"] [role="treeitem"]')) {
      marks.row = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
}"""


def test_a_long_thread_is_a_virtual_list(lab: Lab) -> None:
    nb = lab.open_notebook([LONG_THREAD])
    nb.run_all()
    nb.page.evaluate(WATCH_FIRST_PAINT)
    index = nb.append_and_run("dbg")
    view = nb.output(index).get_by_test_id("hw-view-debugger")
    rows = view.locator('[role="treeitem"]')
    expect(rows.first).to_be_visible()
    marks = nb.page.evaluate("() => window.__hw_marks")
    timing = {
        "checkpoints": CHECKPOINTS,
        "run_to_first_row_ms": round(marks["row"] - marks["run"]),
        "display_to_first_row_ms": round(marks["row"] - marks["root"]),
    }
    (lab.artifacts_dir / "timing.json").parent.mkdir(parents=True, exist_ok=True)
    (lab.artifacts_dir / "timing.json").write_text(json.dumps(timing, indent=2))
    print(timing)

    assert nb.kernel.eval("len(dbg.history())") == CHECKPOINTS
    assert rows.count() < 60, "only the rows in view (and a few around them) exist"
    head = nb.kernel.eval("dbg.head.id")
    expect(rows.first).to_have_attribute("data-id", head)
    rows.first.click()
    rows.first.press("End")
    oldest = nb.kernel.eval("dbg.history()[-1].id")
    expect(view.get_by_test_id(f"hw-row-{oldest[-8:]}")).to_be_focused()
    assert rows.count() < 60
    rows.last.press("Enter")
    expect(view.get_by_test_id("hw-detail-title")).to_contain_text(oldest[-8:])
    nb.screenshot("long-thread-end", element=view.get_by_test_id("hw-panel-tree"))

    scroller = view.locator(".hw-tree-scroll")
    scroller.evaluate("el => { el.scrollTop = el.scrollHeight / 2; }")
    middle = nb.kernel.eval(f"dbg.history()[{CHECKPOINTS // 2}].id")
    expect(view.get_by_test_id(f"hw-row-{middle[-8:]}")).to_be_attached()
