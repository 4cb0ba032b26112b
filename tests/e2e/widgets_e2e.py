"""Shared steps of the widget browser tests (tests/e2e/test_widgets_*.py): a notebook that
shows a Debugger on one of the seed graphs, the widget's root, and screenshots in both themes.

The widgets' `data-testid`s are defined in js/ (see js/ui/*.ts); tests select by them only.
"""

from __future__ import annotations

from harness import Lab, NotebookPage
from playwright.sync_api import Locator, expect

SETUP = "import graphs\nimport hitl_widgets as hw"
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


def open_debugger(lab: Lab, graph: str, *cells: str, view: str = "") -> tuple[NotebookPage, Locator]:
    """Open a notebook showing the debugger (or `view`) on `graph`, then run `cells`; returns
    the page and the widget's root (`hw-view-<name>`)."""
    nb = lab.open_notebook([SETUP, debugger_cell(graph, view=view), *cells])
    nb.run_all()
    root = nb.output(1).get_by_test_id(f"hw-view-{VIEW_NAMES[view]}")
    expect(root).to_be_visible()
    return nb, root


def wait_for_pause(nb: NotebookPage) -> None:
    """Wait until no command runs in the kernel's Debugger."""
    nb.kernel.wait_until("dbg.running is None and dbg.last_pause is not None")


def screenshots(nb: NotebookPage, label: str, element: Locator) -> None:
    """`<label>-light.png` and `<label>-dark.png` of `element`; the page is left in light."""
    nb.screenshot(f"{label}-light", element=element)
    nb.set_theme("dark")
    nb.screenshot(f"{label}-dark", element=element)
    nb.set_theme("light")
