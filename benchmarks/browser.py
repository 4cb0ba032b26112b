"""5: the debugger in JupyterLab in headless Chromium — display to first paint, and scrolling.

For threads of 1,000 and 10,000 checkpoints (the history benchmark's growing-state thread)
and a 200-node graph: the time from the debugger's root entering the page to its first
painted checkpoint row (or graph node), and from running the cell that displays it. Then the
10,000-row tree is scrolled, a few rows a frame, and the 200-node graph is zoomed (Ctrl+wheel)
and panned (a mouse drag) by Playwright's real input, recording frame times next to the page's
idle frame time.

Uses the end-to-end test harness (tests/e2e/harness): a private JupyterLab and Debian's
Chromium, as the browser tests do.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks import history

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "e2e"))
from harness import JupyterServer, Lab, NotebookPage  # noqa: E402
from harness.browser import launch_chromium, new_context  # noqa: E402
from harness.problems import PageProblems  # noqa: E402

LabMaker = Callable[[str], Lab]


@contextmanager
def lab_session(base: Path) -> Iterator[LabMaker]:
    """A JupyterLab and a headless Chromium for one benchmark, stopped after it; yields a
    function making a `Lab` (its own browser context) under a name."""
    with sync_playwright() as playwright:
        server = JupyterServer(base=base / "lab")
        server.start()
        browser = launch_chromium(playwright)
        try:
            server.wait_ready()
            host = server.url.split("://", 1)[1]
            yield lambda name: Lab(server, new_context(browser), name, base / "artifacts", PageProblems(host))
        finally:
            browser.close()
            server.stop()
            shutil.rmtree(base / "lab", ignore_errors=True)


# Marks when the debugger's root and then `selector` inside it enter the page (performance.now()).
WATCH = """(selector) => {
  const marks = { run: performance.now(), root: null, first: null };
  window.__hw_marks = marks;
  const root = '[data-testid="hw-view-debugger"]';
  const observer = new MutationObserver(() => {
    if (marks.root === null && document.querySelector(root)) marks.root = performance.now();
    if (marks.first === null && document.querySelector(`${root} ${selector}`)) {
      marks.first = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
}"""

# Scrolls the tree by `px` a frame for `steps` frames (px = 0: the page's idle frames, the
# baseline); returns the frame times (ms).
SCROLL = """async ([steps, px]) => {
  const el = document.querySelector('[data-testid="hw-view-debugger"] .hw-tree-scroll');
  const frames = [];
  let last = await new Promise(requestAnimationFrame);
  for (let i = 1; i <= steps; i++) {
    el.scrollTop += px;
    const now = await new Promise(requestAnimationFrame);
    frames.push(now - last);
    last = now;
  }
  return frames;
}"""
# A brisk wheel scroll: about four rows a frame, 240 frames (roughly 1,000 rows in 4 s).
SCROLL_STEPS, SCROLL_PX = 240, 100

# Records the page's frame times (ms) until `window.__hw_frames.stop` is set: started before
# real input (Playwright's mouse and wheel) zooms or pans the graph, read after it.
RECORD_FRAMES = """() => {
  const frames = { times: [], stop: false };
  window.__hw_frames = frames;
  let last = performance.now();
  const tick = (now) => {
    frames.times.push(now - last);
    last = now;
    if (!frames.stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
}"""
ZOOM_PAN_STEPS = 120

SETUP = f"import sys\nsys.path.insert(0, {str(REPO)!r})\nimport hitl_widgets as hw\nfrom benchmarks import graphs, history"


def _first_paint(lab: Lab, cells: list[str], selector: str) -> tuple[float, float, NotebookPage]:
    """Run `cells`, then display `dbg`: (display to first paint, run to first paint) in ms."""
    notebook = lab.open_notebook([SETUP, *cells])
    notebook.run_all()
    notebook.page.evaluate(WATCH, selector)
    index = notebook.append_and_run("dbg")
    notebook.output(index).locator(selector).first.wait_for(timeout=120_000)
    marks = notebook.page.evaluate("() => window.__hw_marks")
    return marks["first"] - marks["root"], marks["first"] - marks["run"], notebook


def _thread_cells(db: Path) -> list[str]:
    return [f"dbg = hw.debug(graphs.growing(0), checkpointer='sqlite:{db}', thread_id=history.THREAD)"]


def _zoom_or_pan(notebook: NotebookPage, mode: str) -> list[float]:
    """Frame times while real input zooms (Ctrl+wheel, in then out) or pans (a drag) the graph."""
    page = notebook.page
    svg = page.locator('[data-testid="hw-view-debugger"] .hw-graph-svg').first
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + 40
    page.mouse.move(x, y)
    page.evaluate(RECORD_FRAMES)
    if mode == "zoom":
        page.keyboard.down("Control")
        for step in range(ZOOM_PAN_STEPS):
            page.mouse.wheel(0, -12 if step < ZOOM_PAN_STEPS // 2 else 12)
        page.keyboard.up("Control")
    else:
        page.mouse.down()
        for step in range(ZOOM_PAN_STEPS):
            page.mouse.move(x, y + (step % 60) * 4)
        page.mouse.up()
    frames: list[float] = page.evaluate(
        "() => { window.__hw_frames.stop = true; return window.__hw_frames.times; }"
    )
    return frames


def measure() -> dict[str, float]:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        dbs = {}
        for n in (1_000, 10_000):
            dbs[n] = base / f"thread-{n}.sqlite"
            history.build(dbs[n], n)
        with lab_session(base) as make_lab:
            for n, db in dbs.items():
                lab = make_lab(f"bench{n}")
                shown, ran, notebook = _first_paint(lab, _thread_cells(db), '[role="treeitem"]')
                results[f"browser_{n}_display_to_first_row_ms"] = shown
                results[f"browser_{n}_run_to_first_row_ms"] = ran
                if n == 10_000:
                    idle: list[float] = notebook.page.evaluate(SCROLL, [60, 0])
                    frames: list[float] = notebook.page.evaluate(SCROLL, [SCROLL_STEPS, SCROLL_PX])
                    results["browser_10000_idle_frame_median_ms"] = statistics.median(idle)
                    results["browser_10000_scroll_frame_median_ms"] = statistics.median(frames)
                    results["browser_10000_scroll_frame_p95_ms"] = sorted(frames)[int(len(frames) * 0.95)]
                lab.close()
            lab = make_lab("bench-graph")
            shown, ran, notebook = _first_paint(
                lab,
                ["dbg = hw.debug(graphs.linear(200), checkpointer='memory')"],
                '[data-testid="hw-node-n199"]',
            )
            results["browser_graph200_display_to_first_paint_ms"] = shown
            results["browser_graph200_run_to_first_paint_ms"] = ran
            for mode in ("zoom", "pan"):
                frames = _zoom_or_pan(notebook, mode)
                results[f"browser_graph200_{mode}_frame_median_ms"] = statistics.median(frames)
                results[f"browser_graph200_{mode}_frame_p95_ms"] = sorted(frames)[int(len(frames) * 0.95)]
            lab.close()
    results["browser_growth_10k_over_1k"] = (
        results["browser_10000_display_to_first_row_ms"] / results["browser_1000_display_to_first_row_ms"]
    )
    return results
