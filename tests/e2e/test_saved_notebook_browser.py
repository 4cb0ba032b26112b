"""A saved notebook shows the debugger without its widget model: its static snapshot, as it
stood last, in JupyterLab and Notebook 7 with a new kernel, and in JupyterLab with none,
trusted or not; with the cell run, the live widget shows and the snapshot hides, so the
debugger never shows twice.

What JupyterLab does with the widget output when the model is missing is part of what is
tested: trusted, it renders "Error displaying widget: model not found" (with a kernel, and
logs it) or "Loading widget..." (without one), never the output's other mimetypes; the
snapshot's CSS hides that text.
"""

from __future__ import annotations

import nbformat
from harness import Lab, NotebookPage
from nbformat.sign import NotebookNotary
from playwright.sync_api import Locator, Page, expect
from saved_notebook import HOSTILE, executed_notebook
from widgets_e2e import SETUP, screenshots

CELL = f'dbg = hw.debug(graphs.text_to_revise(), checkpointer="sqlite:t.sqlite")\ndbg.start({{"some_text": {HOSTILE!r}}})\ndbg'
MODEL_NOT_FOUND = "Error displaying widget: model not found"
# What jupyterlab_widgets logs when it renders MODEL_NOT_FOUND (WidgetRenderer.renderModel).
MODEL_NOT_FOUND_LOG = "console.error: Error: widget model not found"


def assert_static_view(output: Locator, *texts: str, graph: bool = True) -> None:
    """The snapshot shows, with `texts`: the graph (unless JupyterLab's sanitizer, for an
    untrusted notebook, dropped the SVG) and no element a payload could have made."""
    static = output.locator(".hw-static")
    expect(static).to_be_visible()
    expect(static).to_contain_text("a saved view: run the cell for the live debugger")
    for text in texts:
        expect(static).to_contain_text(text)
    expect(static.locator("svg rect")).to_have_count(3 if graph else 0)  # start, human_node, end
    expect(static.locator("img, script")).to_have_count(0)


def expect_logged(lab: Lab, count: int) -> None:
    """jupyterlab_widgets logged "widget model not found" `count` times (JupyterLab's own
    report of the missing model, expected here); every other page problem still fails the test."""
    logged = [p for p in lab.problems.found if MODEL_NOT_FOUND_LOG in p]
    assert len(logged) == count, lab.problems.found
    lab.problems.found[:] = [p for p in lab.problems.found if p not in logged]


def test_the_live_widget_hides_the_snapshot_and_a_reopened_notebook_shows_it(lab: Lab) -> None:
    nb = lab.open_notebook([SETUP, CELL], name="saved.ipynb")
    nb.run_all()
    output = nb.output(1)
    expect(output.get_by_test_id("hw-view-debugger")).to_be_visible()
    expect(output.locator(".hw-static")).to_have_count(1)
    expect(output.locator(".hw-static")).to_be_hidden()  # not shown twice
    nb.append_and_run('dbg.edit({"some_text": "edited"})')  # the snapshot follows, out of sight
    expect(output.locator(".hw-static")).to_contain_text('some_text: "edited"')
    expect(output.locator(".hw-static")).to_be_hidden()
    nb.page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    nb.close()
    lab.server.shut_down_sessions(lab.folder)

    again = lab.open(nb.path)  # saved from JupyterLab: trusted; a new kernel, without the model
    output = again.output(1)
    assert_static_view(output, 'some_text: "edited"', "next: human_node")  # as it stood last
    missing = output.locator(".jupyter-widgets", has_text=MODEL_NOT_FOUND)
    expect(missing).to_have_count(1)  # what JupyterLab renders for the widget output...
    expect(missing).to_be_hidden()  # ...hidden by the snapshot's CSS
    screenshots(again, "reopened-with-a-new-kernel", output)
    expect_logged(lab, 1)
    again.close()
    lab.server.shut_down_sessions(lab.folder)

    notebook7 = lab.open(nb.path, ui="notebook7")  # Notebook 7 renders outputs as JupyterLab does
    output = notebook7.output(1)
    assert_static_view(output, 'some_text: "edited"', "next: human_node")
    missing = output.locator(".jupyter-widgets", has_text=MODEL_NOT_FOUND)
    expect(missing).to_have_count(1)
    expect(missing).to_be_hidden()
    expect_logged(lab, 1)
    notebook7.run_cell(0)
    notebook7.run_cell(1)  # the live widget replaces the snapshot
    expect(output.get_by_test_id("hw-view-debugger")).to_be_visible()
    expect(output.locator(".hw-static")).to_be_hidden()
    assert notebook7.kernel.eval("len(dbg.interrupts)") == 1


def open_without_kernel(lab: Lab, path: str) -> Page:
    """Open the notebook at `path` (which names no kernel) choosing "No Kernel" in JupyterLab's
    kernel dialog; returns the page once the notebook is loaded."""
    page = lab.context.new_page()
    lab.problems.watch(page)
    page.goto(lab.server.page_url(path, workspace=path.replace("/", "-").replace(".", "-")))
    page.locator(".jp-Dialog").get_by_role("button", name="No Kernel").click()
    page.wait_for_function("path => window.__e2e.panel(path)?.context.isReady", arg=path)
    page.wait_for_function("() => window.__e2e.splashGone()")
    return page


def write_saved_notebook(lab: Lab, name: str, *, trusted: bool) -> str:
    """The notebook of `saved_notebook`, run by nbclient, without a kernel name (so JupyterLab
    asks), signed with the server's key if `trusted` (as JupyterLab's own save would)."""
    notebook = executed_notebook()
    del notebook.metadata["kernelspec"], notebook.metadata["language_info"]
    if trusted:
        NotebookNotary(data_dir=str(lab.server.base / "data")).sign(notebook)
    path = f"{lab.folder}/{name}"
    (lab.server.root / lab.folder).mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(lab.server.root / path))
    return path


PAUSED = ("Paused: interrupt at checkpoint", f'{{"text_to_revise": "{HOSTILE}"}}')


def test_a_saved_notebook_opened_with_no_kernel_shows_the_snapshot(lab: Lab) -> None:
    trusted = open_without_kernel(lab, write_saved_notebook(lab, "trusted.ipynb", trusted=True))
    output = trusted.locator(".jp-Cell").nth(1).locator(".jp-OutputArea")
    assert_static_view(output, *PAUSED)
    loading = output.locator(".jp-OutputArea-output", has_text="Loading widget...")
    expect(loading).to_have_count(1)  # what JupyterLab renders for the widget output, for good...
    expect(loading).to_be_hidden()  # ...hidden by the snapshot's CSS
    graph_view = trusted.locator(".jp-Cell").nth(2).locator(".jp-OutputArea")
    expect(graph_view.locator(".hw-static svg")).to_be_visible()
    expect(graph_view.locator(".hw-static")).not_to_contain_text("Newest checkpoints")
    NotebookPage(trusted, "", lab.server, lab.artifacts_dir).screenshot("trusted-no-kernel", output)

    untrusted = open_without_kernel(lab, write_saved_notebook(lab, "untrusted.ipynb", trusted=False))
    output = untrusted.locator(".jp-Cell").nth(1).locator(".jp-OutputArea")
    assert_static_view(output, *PAUSED, graph=False)  # sanitized HTML: the same view, without the SVG...
    expect(output.locator(".hw-static")).to_contain_text("start human_node end")  # ...but its nodes
    expect(output.get_by_text("<Debugger thread=")).to_be_visible()  # the widget output's text/plain
    NotebookPage(untrusted, "", lab.server, lab.artifacts_dir).screenshot("untrusted-no-kernel", output)
