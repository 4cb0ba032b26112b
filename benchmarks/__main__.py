"""Run every benchmark once and print each figure and ratio against its target.

python -m benchmarks            # everything
python -m benchmarks stepping   # only some parts, by name
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from benchmarks import (
    browser,
    bundle,
    export,
    history,
    remote_overhead,
    stepping,
    streaming,
    sync_volume,
    team,
    token_latency,
)

PARTS: dict[str, Callable[[], dict[str, float]]] = {
    "stepping": stepping.measure,
    "streaming": streaming.measure,
    "history": history.measure,
    "sync_volume": sync_volume.measure,
    "browser": browser.measure,
    "token_latency": token_latency.measure,
    "remote": remote_overhead.measure_with_own_server,
    "bundle": bundle.measure,
    "team": team.measure,
    "export": export.measure,
}

# figure -> (target, "<=" or ">="): what each ratio or size must stay within.
TARGETS: dict[str, tuple[float, str]] = {
    "stepping_ratio": (1.05, "<="),
    "running_ratio": (1.05, "<="),
    "running_ratio_same_saves": (1.05, "<="),
    "streaming_ratio": (1.10, "<="),
    "history_ratio": (0.05, "<="),
    "sync_bytes_per_step": (8 * 1024, "<="),
    "browser_10000_run_to_first_row_ms": (1000.0, "<="),
    "browser_growth_10k_over_1k": (12.0, "<="),
    "remote_ratio": (1.15, "<="),
    "bundle_kb": (300.0, "<="),
    **{
        f"{store}_{thread}_{figure}": target
        for store in ("pg", "sqlite")
        for thread in team.THREADS
        for figure, target in (
            # issue 11 sets the ratio for Postgres; SQLite's figures must only not get worse
            # (its own before/after table is in the README: its raw reads are fast, so the
            # ratio says little there)
            *((("history_ratio", (0.05, "<=")),) if store == "pg" else ()),
            ("head_s", (0.05, "<=")),
            ("page_s", (0.05, "<=")),
            ("follow_s", (0.05, "<=")),
        )
    },
}


def verdict(name: str, value: float) -> str:
    if name not in TARGETS:
        return ""
    target, sense = TARGETS[name]
    met = value <= target if sense == "<=" else value >= target
    return f"target {sense} {target:g}: {'met' if met else 'MISSED'}"


def main(names: list[str]) -> int:
    chosen = names or list(PARTS)
    unknown = [n for n in chosen if n not in PARTS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(PARTS)}", file=sys.stderr)
        return 2
    print(f"# hitl_widgets benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"# {platform.platform()}, Python {platform.python_version()}, {platform.processor() or 'cpu'}")
    results: dict[str, Any] = {}
    for name in chosen:
        started = time.perf_counter()
        figures = PARTS[name]()
        results.update(figures)
        print(f"\n## {name} ({time.perf_counter() - started:.1f} s)")
        for key, value in figures.items():
            print(f"{key:32} {value:12.4f}  {verdict(key, value)}")
    print("\n" + json.dumps(results))
    missed = [k for k, v in results.items() if verdict(k, v).endswith("MISSED")]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
