"""The end-to-end harness: real JupyterLab, real Chromium, driven by Playwright (Python).

Tests use the `lab` fixture (tests/e2e/conftest.py) and the objects it hands out; see
tests/e2e/README.md for a worked example.

- `server.JupyterServer` — a private `jupyter lab` on a free loopback port (session-scoped).
- `browser` — Debian's Chromium, headless, and a fresh context per test.
- `lab.Lab` — one test's folder, pages, artifacts and page-problem log.
- `notebook_page.NotebookPage` — a notebook open in a page: run cells, read outputs, switch
  theme, take screenshots, and `.kernel` to evaluate Python in the page's own kernel.
- `kernel.KernelProbe` — that Python-side probe.
- `problems.PageProblems` — console errors, uncaught exceptions, dialogs, off-host requests.
- `notebooks.write_notebook` — .ipynb files with a kernelspec.
"""

from harness.kernel import KernelError, KernelProbe
from harness.lab import Lab
from harness.notebook_page import CellError, NotebookPage
from harness.server import JupyterServer

__all__ = ["CellError", "JupyterServer", "KernelError", "KernelProbe", "Lab", "NotebookPage"]
