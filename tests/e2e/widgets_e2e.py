"""Shared steps of the widget browser tests (tests/e2e/test_widgets_*.py): a notebook that
shows a Debugger on one of the seed graphs, the widget's root, and screenshots in both themes.

The widgets' `data-testid`s are defined in js/ (see js/ui/*.ts); tests select by them only.
"""

from __future__ import annotations

import re

from harness import Lab, NotebookPage
from harness.server import Ui
from playwright.sync_api import Locator, expect

SETUP = "import graphs\nimport hitl_widgets as hw"
# A LangChain HITLRequest review of two actions, each with its own allowed decisions.
HITL_GRAPH = """
from typing import Any
from typing_extensions import TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.types import interrupt

class ReviewState(TypedDict):
    decisions: list[Any]

def review(state: ReviewState) -> dict[str, Any]:
    answer = interrupt({
        "action_requests": [
            {"name": "send_email", "args": {"to": "a@example.com"}, "description": "Send the email?"},
            {"name": "delete_file", "args": {"path": "/tmp/x"}, "description": "Delete it?"},
        ],
        "review_configs": [
            {"action_name": "send_email", "allowed_decisions": ["approve", "edit", "reject"]},
            {"action_name": "delete_file", "allowed_decisions": ["approve", "reject"]},
        ],
    })
    return {"decisions": answer["decisions"]}

builder = StateGraph(ReviewState)
builder.add_node("review", review)
builder.add_edge(START, "review")
builder.add_edge("review", END)
dbg = hw.debug(builder, checkpointer="sqlite:t.sqlite")
dbg.start({"decisions": []})
dbg
"""

# The widget class a cell displays -> the `view` its root is named after.
VIEW_NAMES = {
    "": "debugger",
    "hw.GraphView": "graph",
    "hw.CheckpointTree": "tree",
    "hw.InterruptPanel": "interrupts",
    "hw.StateInspector": "state",
}


def debugger_cell(graph: str, *, view: str = "") -> str:
    """A cell making `dbg` on `graphs.<graph>()` (its own SQLite file) and displaying it, or
    `view` (e.g. "hw.GraphView") over it."""
    make = f'dbg = hw.debug(graphs.{graph}(), checkpointer="sqlite:t.sqlite")'
    return f"{make}\n{view}(dbg)" if view else f"{make}\ndbg"


def open_debugger(
    lab: Lab, graph: str, *cells: str, view: str = "", ui: Ui = "lab"
) -> tuple[NotebookPage, Locator]:
    """Open a notebook showing the debugger (or `view`) on `graph` in JupyterLab (or Notebook 7),
    then run `cells`; returns the page and the widget's root (`hw-view-<name>`)."""
    nb = lab.open_notebook([SETUP, debugger_cell(graph, view=view), *cells], ui=ui)
    nb.run_all()
    root = nb.output(1).get_by_test_id(f"hw-view-{VIEW_NAMES[view]}")
    expect(root).to_be_visible()
    return nb, root


def wait_for_pause(nb: NotebookPage) -> None:
    """Wait until no command runs in the kernel's Debugger."""
    nb.kernel.wait_until("dbg.running is None and dbg.last_pause is not None")


def has_class(name: str) -> re.Pattern[str]:
    """For `expect(...).to_have_class(...)`: the element has class `name` among others."""
    return re.compile(rf"\b{name}\b")


def screenshots(nb: NotebookPage, label: str, element: Locator) -> None:
    """`<label>-light.png` and `<label>-dark.png` of `element`; the page is left in light."""
    nb.screenshot(f"{label}-light", element=element)
    nb.set_theme("dark")
    nb.screenshot(f"{label}-dark", element=element)
    nb.set_theme("light")
