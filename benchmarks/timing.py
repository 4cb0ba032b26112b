"""Measuring helpers: best-of-N wall time, and peak memory of a child process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def best_of(runs: int, work: Callable[[Any], Any], setup: Callable[[], Any] = lambda: None) -> float:
    """The fastest of `runs` timings of `work(setup())`, in seconds, not counting `setup`.

    The fastest run is the one the machine disturbed least.
    """
    best = float("inf")
    for _ in range(runs):
        prepared = setup()
        started = time.perf_counter()
        work(prepared)
        best = min(best, time.perf_counter() - started)
    return best


def in_child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module args...` and read the JSON it prints last (its figures)."""
    out = subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, check=True, timeout=1800
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))
