"""A big, strange state in the browser: folded and cut, with a way to see more, and the widget
answers clicks all along.

One state holds a 10 MB string, a million-item list, a 20,000-key dict, a 100-deep nesting,
NaN and infinities and 10,000 chat messages, and the interrupt that follows asks about all of
it. The test checks what reaches the page (a bounded DOM, cut values marked with their real
size), opens "more" on the million-item list, then answers the interrupt from the widget and
the run ends: the widget stays usable. How long the page's main thread was busy is
written to test-artifacts (a measurement for people, not an assertion).
"""

from __future__ import annotations

import json

from harness import Lab
from playwright.sync_api import expect

BIG = """
import math
from typing import Any
from typing_extensions import TypedDict
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt
import hitl_widgets as hw

def nested(depth):
    value = "bottom"
    for _ in range(depth):
        value = {"down": [value]}
    return value

class Big(TypedDict, total=False):
    text: str
    items: list
    table: dict
    deep: Any
    floats: dict
    messages: list
    answer: str

def produce(state):
    return {
        "text": "ab" * 5_000_000,
        "items": list(range(1_000_000)),
        "table": {f"key_{i}": i for i in range(20_000)},
        "deep": nested(100),
        "floats": {"nan": math.nan, "inf": math.inf, "-inf": -math.inf},
        "messages": [(HumanMessage if i % 2 else AIMessage)(content=f"message {i}", id=str(i)) for i in range(10_000)],
    }

def ask(state):
    return {"answer": str(interrupt({"about": state["items"], "text": state["text"], "deep": state["deep"]}))}

builder = StateGraph(Big)
builder.add_node("produce", produce)
builder.add_node("ask", ask)
builder.add_node("after", lambda s: {"answer": s["answer"] + "!"})
builder.add_edge(START, "produce")
builder.add_edge("produce", "ask")
builder.add_edge("ask", "after")
builder.add_edge("after", END)
dbg = hw.debug(builder, checkpointer="sqlite:t.sqlite")
dbg
"""

# Long tasks (main thread busy > 50 ms) from now on, for the record.
WATCH_LONG_TASKS = """() => {
  window.__hw_long = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) window.__hw_long.push(Math.round(entry.duration));
  }).observe({ type: "longtask", buffered: false });
}"""
# Elements and characters of text in the widget: what the page holds.
SIZE = "root => ({ elements: root.querySelectorAll('*').length, chars: root.textContent.length })"


def test_a_ten_megabyte_state_is_folded_and_the_widget_stays_usable(lab: Lab) -> None:
    nb = lab.open_notebook([BIG])
    nb.page.set_viewport_size({"width": 1280, "height": 2600})  # the whole widget in one screenshot
    nb.page.evaluate(WATCH_LONG_TASKS)
    nb.run_all()
    view = nb.output(0).get_by_test_id("hw-view-debugger")
    expect(view).to_be_visible()
    # Started from the widget: a cell ending in `dbg.start(...)` would print the Pause's repr,
    # which holds every value (37 MB of text here; see the hardening report).
    view.get_by_test_id("hw-start-input").fill('{"answer": ""}')
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("interrupt")
    values = view.get_by_test_id("hw-values")
    expect(values).to_contain_text("10000000 characters")  # the real size, not what was sent
    shown = view.evaluate(SIZE)
    assert shown["elements"] < 5_000 and shown["chars"] < 200_000, shown
    nb.screenshot("folded", element=view)

    # "more" on the interrupt's million-item list: the next items arrive, not all million
    payload = view.get_by_test_id("hw-payload-0")
    rows_before = payload.locator(".hw-json-row").count()
    more_items = payload.get_by_test_id("hw-more").filter(has_text="more items")
    expect(more_items).to_have_count(1)
    more_items.click()
    expect(payload.locator(".hw-json-row")).not_to_have_count(rows_before)
    assert payload.locator(".hw-json-row").count() < rows_before + 1_000  # a page, not a million
    after_more = view.evaluate(SIZE)
    nb.screenshot("payload-after-more", element=payload)
    assert after_more["elements"] < 10_000 and after_more["chars"] < 600_000, after_more

    # the widget still answers: resume from the answer box, then the run ends
    view.get_by_test_id("hw-answer-0").fill('"keep it"')
    view.get_by_test_id("hw-resume-0").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state['answer']") == "keep it!"
    nb.screenshot("after-resume", element=view)

    long_tasks = nb.page.evaluate("() => window.__hw_long")
    record = {"long_tasks_ms": long_tasks, "widget_after_more": after_more, "widget_folded": shown}
    (lab.artifacts_dir / "page-load.json").write_text(json.dumps(record, indent=2))
    print(record)
    lab.assert_no_page_errors()
