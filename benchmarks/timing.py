"""Measuring helpers: best-of-N wall time, and peak memory of a child process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

Timed = tuple[Callable[[Any], Any], Callable[[], Any]]
"""A piece of work and the setup that prepares its argument (not timed)."""


def best_of(runs: int, *contenders: Timed) -> list[float]:
    """The fastest of `runs` timings of each contender's `work(setup())`, in seconds.

    Contenders take turns, run by run, so drift on the machine (other load, a database that
    grows) hits them alike; the fastest run is the one the machine disturbed least.
    """
    best = [float("inf")] * len(contenders)
    for _ in range(runs):
        for i, (work, setup) in enumerate(contenders):
            prepared = setup()
            started = time.perf_counter()
            work(prepared)
            best[i] = min(best[i], time.perf_counter() - started)
    return best


def in_child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module args...` and read the JSON it prints last (its figures)."""
    out = subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, check=True, timeout=1800
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))
