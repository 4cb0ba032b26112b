"""`Lab`: what one e2e test gets from the `lab` fixture — its own folder on the shared server,
its own browser context, its pages, its artifacts folder and its page-problem log.

    nb = lab.open_notebook(["import hitl_widgets as hw, graphs", "dbg = hw.debug(...)\\ndbg"])
    nb.run_all()
    nb7 = lab.open(nb.path, ui="notebook7")

When the test ends the fixture closes the pages, shuts down the kernels of the test's folder,
puts the user theme back to light, and fails the test if any page logged a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext

from harness.notebook_page import NotebookPage
from harness.notebooks import write_notebook
from harness.problems import PageProblems
from harness.server import JupyterServer, Ui


@dataclass
class Lab:
    server: JupyterServer
    context: BrowserContext
    folder: str
    """The test's folder, relative to the server root (its notebooks live there)."""
    artifacts_dir: Path
    problems: PageProblems
    pages: list[NotebookPage] = field(default_factory=list)

    def write_notebook(self, cells: Sequence[str], name: str = "test.ipynb") -> str:
        """Write a notebook of code cells into the test's folder; returns its server path."""
        path = f"{self.folder}/{name}"
        write_notebook(self.server.root / path, cells)
        return path

    def open_notebook(self, cells: Sequence[str], name: str = "test.ipynb", ui: Ui = "lab") -> NotebookPage:
        """Write a notebook of code cells and open it (see `open`); no cell has run yet."""
        return self.open(self.write_notebook(cells, name), ui)

    def open(self, path: str, ui: Ui = "lab") -> NotebookPage:
        """Open the notebook at server path `path` in a new page, in JupyterLab (`ui="lab"`) or
        Notebook 7 (`ui="notebook7"`), and wait until its kernel is idle.

        Pages of one notebook share its kernel (one session per path).
        """
        page = self.context.new_page()
        self.problems.watch(page)
        notebook = NotebookPage(page, path, self.server, self.artifacts_dir)
        self.pages.append(notebook)
        page.goto(self.server.page_url(path, ui, workspace=self.folder.replace("/", "-")))
        notebook.wait_until_ready()
        return notebook

    def assert_no_page_errors(self) -> None:
        """Fail now if any page of this test logged an error, raised, opened a dialog, or
        reached for another host (the fixture also checks this when the test ends)."""
        self.problems.assert_none()

    def screenshot_all(self, label: str) -> None:
        """A screenshot of every open page (`<label>-<n>.png`): what the fixture saves on failure."""
        for number, notebook in enumerate(self.pages):
            if not notebook.page.is_closed():
                notebook.screenshot(f"{label}-{number}")

    def close(self) -> None:
        for notebook in self.pages:
            notebook.close()
        self.context.close()
        self.server.shut_down_sessions(self.folder)
        self.server.set_theme()
