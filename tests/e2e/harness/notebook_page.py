"""One notebook open in one browser page (JupyterLab or Notebook 7), and what tests do with it.

Cells are run through the notebook's own run command (what Shift+Enter does), and every wait is
on page or kernel state: the command's promise (the kernel replied), then the kernel status the
page shows turning "idle". Widget views render after that, asynchronously: assert on them with
Playwright's `expect(...)`, which retries until its timeout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from harness.kernel import KernelProbe, traceback_text
from harness.lab_settings import THEMES
from harness.server import JupyterServer

KERNEL_TIMEOUT_MS = 180_000
CELL_TIMEOUT_MS = 300_000


class CellError(AssertionError):
    """A cell run by the harness produced an error output."""


@dataclass
class NotebookPage:
    """The notebook at `path` (relative to the server root) open in `page`."""

    page: Page
    path: str
    server: JupyterServer
    artifacts_dir: Path
    kernel_id: str = ""
    panel_id: str = ""
    _kernel: KernelProbe | None = field(default=None, repr=False)

    def wait_until_ready(self) -> None:
        """Wait for the app, the notebook's document and kernel, the kernel going idle, and the
        splash screen leaving."""
        kernel_id = self.page.wait_for_function(
            "path => window.__e2e.kernelId(path)", arg=self.path, timeout=KERNEL_TIMEOUT_MS
        )
        self.kernel_id = kernel_id.json_value()
        self.panel_id = self.page.evaluate("path => window.__e2e.panel(path).id", self.path)
        self.wait_for_idle()
        self.page.wait_for_function("() => window.__e2e.splashGone()")

    # ------------------------------------------------------------------ running cells

    def run_all(self, allow_errors: bool = False) -> None:
        """Run every cell in order and wait for the kernel. Stops at the first cell that shows an
        error, and raises CellError with its traceback unless `allow_errors`."""
        count: int = self.page.evaluate("path => window.__e2e.cellCount(path)", self.path)
        self._run(list(range(count)), allow_errors)

    def run_cell(self, index: int, allow_errors: bool = False) -> None:
        """Run the cell at `index` (0-based) and wait for the kernel; raise CellError on an error."""
        self._run([index], allow_errors)

    def append_and_run(self, source: str, allow_errors: bool = False) -> int:
        """Add a code cell with `source` at the end, run it, wait; returns its index."""
        index: int = self.page.evaluate(
            "([path, source]) => window.__e2e.appendCell(path, source)", [self.path, source]
        )
        self._run([index], allow_errors)
        return index

    def _run(self, indices: list[int], allow_errors: bool) -> None:
        errors: list[dict[str, Any]] = self.page.evaluate(
            "([path, indices, timeout]) => window.__e2e.runCells(path, indices, timeout)",
            [self.path, indices, CELL_TIMEOUT_MS],
        )
        self.wait_for_idle()
        if errors and not allow_errors:
            raise CellError("\n".join(_describe_error(error) for error in errors))

    def wait_for_idle(self) -> None:
        """Wait until the page shows its kernel idle (started, and not running a cell)."""
        self.page.wait_for_function(
            "path => window.__e2e.kernelStatus(path) === 'idle'", arg=self.path, timeout=KERNEL_TIMEOUT_MS
        )

    # ------------------------------------------------------------------ reading the page

    @property
    def notebook(self) -> Locator:
        """This notebook's panel in the page."""
        return self.page.locator(f'[id="{self.panel_id}"]')

    def cell(self, index: int) -> Locator:
        return self.notebook.locator(".jp-Cell").nth(index)

    def output(self, index: int) -> Locator:
        """The output area of the cell at `index`: find widget views inside it."""
        return self.cell(index).locator(".jp-OutputArea")

    def output_text(self, index: int) -> str:
        """The text the output area of the cell at `index` shows."""
        return self.output(index).inner_text()

    @property
    def kernel(self) -> KernelProbe:
        """A client of this page's kernel: `nb.kernel.eval("dbg.state")`."""
        if self._kernel is None:
            self._kernel = KernelProbe(self.server.runtime_dir / f"kernel-{self.kernel_id}.json")
        return self._kernel

    # ------------------------------------------------------------------ looks

    def set_theme(self, name: str) -> None:
        """Switch this page to the "light" or "dark" JupyterLab theme and wait until it applies."""
        theme = THEMES[name]
        self.page.evaluate("theme => window.__e2e.setTheme(theme)", theme)
        self.page.wait_for_function("theme => window.__e2e.themeShown(theme)", arg=theme)

    def screenshot(self, label: str, element: Locator | None = None) -> Path:
        """Save a PNG of the whole page (or of `element` only); returns its path,
        test-artifacts/<module>/<test>/<label>.png."""
        path = self.artifacts_dir / f"{label}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if element is None:
            self.page.screenshot(path=path, full_page=True)
        else:
            element.screenshot(path=path)
        return path

    def close(self) -> None:
        if self._kernel is not None:
            self._kernel.close()
            self._kernel = None
        self.page.close()


def _describe_error(error: dict[str, Any]) -> str:
    traceback = traceback_text(error.get("traceback"))
    return f"cell {error['cell']} raised {error['ename']}: {error['evalue']}\n{traceback}"
