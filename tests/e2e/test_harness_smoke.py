"""Proves the e2e harness: the kernel imports hitl_widgets, JupyterLab and Notebook 7 render
anywidget views, clicks reach Python and Python changes reach the page, the page's kernel can be
probed from the test, themes switch, screenshots are written, and no page logs an error."""

from __future__ import annotations

import sys

from harness import Lab
from playwright.sync_api import expect

COUNTER_WIDGET = '''
import anywidget, traitlets

class Counter(anywidget.AnyWidget):
    _esm = """
    export default { render({ model, el }) {
      const button = document.createElement("button");
      button.className = "e2e-counter";
      const show = () => { button.textContent = `count ${model.get("value")}`; };
      button.addEventListener("click", () => {
        model.set("value", model.get("value") + 1);
        model.save_changes();
      });
      model.on("change:value", show);
      show();
      el.append(button);
    } };
    """
    value = traitlets.Int(0).tag(sync=True)

counter = Counter()
counter
'''

DEBUGGER_CELLS = [
    "import os\nimport graphs\nimport hitl_widgets as hw",
    "dbg = hw.debug(graphs.text_to_revise())\ndbg",
]
# The root element of the full debugger view (js/widget.ts: `hw-view-<view>`).
DEBUGGER_ROOT = '[data-testid="hw-view-debugger"]'


def test_anywidget_renders_and_syncs_both_ways(lab: Lab) -> None:
    nb = lab.open_notebook(["import sys\nprint(sys.executable)", COUNTER_WIDGET])
    nb.run_all()
    assert nb.output_text(0).strip() == sys.executable  # the kernel runs this virtualenv's Python
    button = nb.output(1).locator("button.e2e-counter")
    expect(button).to_have_text("count 0")
    button.click()
    button.click()
    assert nb.kernel.wait_until("counter.value == 2")
    nb.append_and_run("counter.value = 10")
    expect(button).to_have_text("count 10")
    lab.assert_no_page_errors()


def test_debugger_displays_runs_and_opens_in_notebook7(lab: Lab) -> None:
    nb = lab.open_notebook(DEBUGGER_CELLS)
    nb.run_all()
    assert nb.kernel.eval("os.environ['HITL_WIDGETS_DB']") == str(lab.server.db_path)
    expect(nb.output(1).locator(DEBUGGER_ROOT)).to_be_visible()

    nb.append_and_run('dbg.start({"some_text": "x"})')
    assert nb.kernel.eval("[i.value for i in dbg.interrupts]") == [{"text_to_revise": "x"}]
    nb.screenshot("lab-light")
    nb.set_theme("dark")
    nb.screenshot("lab-dark")

    nb7 = lab.open(nb.path, ui="notebook7")
    assert nb7.kernel_id == nb.kernel_id  # one session per notebook: the same kernel, the same dbg
    index = nb7.append_and_run("dbg")
    expect(nb7.output(index).locator(DEBUGGER_ROOT)).to_be_visible()
    assert nb7.kernel.eval("len(dbg.interrupts)") == 1
    nb7.screenshot("notebook7")
    lab.assert_no_page_errors()
