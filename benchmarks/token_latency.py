"""From a token produced by a model in the kernel to it painted in the browser's live panel.

A graph whose model streams 200 words (and the spaces between them), a token every 20 ms, runs from the widget in JupyterLab in
headless Chromium. The kernel records when each token was produced; the page records, for
each change of the node's token box, the frame it was painted in (the first animation frame
after the change) and how many characters it then showed. Both clocks are this machine's wall clock.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from benchmarks.browser import REPO, lab_session

WORDS, DELAY_S = 200, 0.02
SETUP = (
    f"import sys\nsys.path.insert(0, {str(REPO)!r})\nimport hitl_widgets as hw\nfrom benchmarks import graphs\n"
    f"dbg = hw.debug(graphs.speaker({WORDS}, {DELAY_S}), checkpointer='memory')\ndbg"
)
# Records (paint time in epoch ms, characters shown) each time the token box changes.
WATCH = """() => {
  window.__hw_paints = [];
  const observer = new MutationObserver(() => {
    const box = document.querySelector('[data-testid="hw-live-text-speak"]');
    if (box === null) return;
    const chars = box.textContent.length;
    requestAnimationFrame(() => window.__hw_paints.push([performance.timeOrigin + performance.now(), chars]));
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}"""


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, lab_session(Path(tmp)) as make_lab:
        lab = make_lab("bench-tokens")
        notebook = lab.open_notebook([SETUP])
        notebook.run_all()
        view = notebook.output(0).get_by_test_id("hw-view-debugger")
        notebook.page.evaluate(WATCH)
        view.get_by_test_id("hw-start-input").fill('{"text": ""}')
        view.get_by_test_id("hw-start").click()
        notebook.kernel.wait_until("dbg.last_pause is not None and dbg.running is None")
        view.get_by_test_id("hw-live-text-speak").wait_for()
        produced: list[list[float]] = notebook.kernel.eval("graphs.PRODUCED")
        paints: list[list[float]] = notebook.page.evaluate("() => window.__hw_paints")
        lab.close()
    latencies = []
    for made, chars in produced:
        shown = next((at for at, painted in paints if painted >= chars), None)
        if shown is not None:
            latencies.append(shown - made)
    return {
        "token_paint_median_ms": statistics.median(latencies),
        "token_paint_p95_ms": sorted(latencies)[int(len(latencies) * 0.95)],
        "token_paint_max_ms": max(latencies),
        "tokens_painted": float(len(latencies)),
        "token_batches_painted": float(len(paints)),
    }


if __name__ == "__main__":
    for name, value in measure().items():
        print(f"{name}: {value:.1f}")
