"""8: exporting a 1,000-checkpoint thread — the file's size and the time to write it (JSON and
HTML), the reads it is made of (one snapshot per checkpoint, against LangGraph's one walk of
`get_state_history`), and the time the HTML takes to show its tree in headless Chromium,
opened from disk.

Two threads of the history benchmark's growing-state graph: one whose state grows 32 bytes a
step, one whose state grows 1 KiB a step. Both reach the default budgets: values cut to 20 kB
from the middle of the thread on, and the 10 MB total spent before the oldest checkpoints.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from benchmarks.graphs import growing
from benchmarks.history import THREAD
from benchmarks.timing import best_of

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "e2e"))
from harness.browser import launch_chromium  # noqa: E402

N_CHECKPOINTS = 1_000
THREADS = {"32b": 32, "1kib": 1024}  # bytes the state grows a step
RUNS = 3


def _thread(db: Path, item_bytes: int) -> None:
    from hitl_widgets.backends.checkpointers import sqlite_saver

    steps = N_CHECKPOINTS - 2
    graph = growing(steps, item_bytes).compile(checkpointer=sqlite_saver(db))
    graph.invoke(
        {"steps": 0, "log": []}, {"configurable": {"thread_id": THREAD}, "recursion_limit": steps + 10}
    )


def measure() -> dict[str, float]:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for name, item_bytes in THREADS.items():
            results |= _thread_figures(Path(tmp), name, item_bytes, browser)
        browser.close()
    return results


def _thread_figures(base: Path, name: str, item_bytes: int, browser: Browser) -> dict[str, float]:
    import hitl_widgets as hw

    db = base / f"{name}.sqlite"
    _thread(db, item_bytes)
    dbg = hw.debug(growing(0), checkpointer=f"sqlite:{db}", thread_id=THREAD)
    graph = dbg.backend._graph  # type: ignore[attr-defined]
    config = {"configurable": {"thread_id": THREAD}}
    ids = [cp.id for cp in dbg.history()]
    walk, snapshots = best_of(
        RUNS,
        (lambda _: list(graph.get_state_history(config)), lambda: None),
        (lambda _: [dbg.backend.snapshot(i) for i in ids], lambda: None),
    )
    json_path, html_path = base / f"{name}.json", base / f"{name}.html"
    json_s, html_s = best_of(
        RUNS,
        (lambda _: dbg.export_json(json_path), lambda: None),
        (lambda _: dbg.export_html(html_path), lambda: None),
    )
    dbg.close()
    cut = json.loads(json_path.read_text(encoding="utf-8"))["cut"]
    return {
        f"export_{name}_keys_cut": cut["values"],
        f"export_{name}_without_values": cut["omitted"],
        f"export_{name}_checkpoints": len(ids),
        f"export_{name}_read_walk_s": walk,
        f"export_{name}_read_snapshots_s": snapshots,
        f"export_{name}_json_s": json_s,
        f"export_{name}_json_mb": json_path.stat().st_size / 1e6,
        f"export_{name}_html_s": html_s,
        f"export_{name}_html_mb": html_path.stat().st_size / 1e6,
        f"export_{name}_open_to_tree_ms": min(_open(browser, html_path) for _ in range(RUNS)),
    }


def _open(browser: Browser, page_path: Path) -> float:
    """Milliseconds from asking Chromium for the file to its tree's first row and the head's
    values on screen."""
    context = browser.new_context()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(page_path.as_uri(), wait_until="commit")
    page.wait_for_selector('[data-testid^="hw-row-"]')
    page.wait_for_selector('[data-testid="hw-values-json"]')
    shown = (time.perf_counter() - started) * 1000
    context.close()
    return shown
