"""The remote backend's overhead: a 20-step run stepped one superstep at a time on a LangGraph
server, through the Debugger against the same steps made with raw `langgraph_sdk` calls
(`runs.wait(..., interrupt_before="*")` then `threads.get_state` each step).

    python -m benchmarks.remote_overhead [URL]

Without a URL it starts `langgraph dev` with `tests/langgraph.json` (the `pipeline_20` graph)
in a scratch directory and stops it at the end. Each side runs `REPEATS` times, alternating;
the fastest run of each is kept (the one the machine disturbed least).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from langgraph_sdk import get_sync_client

import hitl_widgets as hw

ASSISTANT = "pipeline_20"
STEPS = 20
INPUT: dict[str, Any] = {"input": "x", "trail": []}
REPEATS = 3


def _raw(url: str) -> int:
    """Start to a breakpoint before the first node, then one superstep per call; returns the steps."""
    sdk = get_sync_client(url=url, api_key=None)
    thread_id = sdk.threads.create()["thread_id"]
    sdk.runs.wait(thread_id, ASSISTANT, input=INPUT, interrupt_before=["step_1"])
    state = sdk.threads.get_state(thread_id)
    steps = 0
    while state["next"]:
        sdk.runs.wait(thread_id, ASSISTANT, input=None, interrupt_before="*")
        state = sdk.threads.get_state(thread_id)
        steps += 1
    sdk.close()
    return steps


def _debugger(url: str) -> int:
    """The same through the Debugger: `break_before`, `start`, then `step()` until done."""
    dbg = hw.debug(url=url, assistant_id=ASSISTANT)
    dbg.break_before("step_1")
    dbg.start(INPUT)
    steps = 1
    while dbg.step().reason != "done":
        steps += 1
    dbg.backend.close()
    return steps


def _timed(work: Callable[[str], Any], url: str) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work(url)
    return time.perf_counter() - started, result


def measure(url: str) -> dict[str, float]:
    """Seconds for the 20-step run both ways, their ratio, and the per-step figures in ms."""
    raw_best = debugger_best = float("inf")
    for _ in range(REPEATS):
        raw_s, raw_steps = _timed(_raw, url)
        debugger_s, debugger_steps = _timed(_debugger, url)
        assert raw_steps == debugger_steps == STEPS, (raw_steps, debugger_steps)
        raw_best, debugger_best = min(raw_best, raw_s), min(debugger_best, debugger_s)
    connect_s, dbg = _timed(lambda u: hw.debug(url=u, assistant_id=ASSISTANT), url)
    dbg.start(INPUT)
    history_s, history = _timed(lambda _: dbg.history(), url)
    reread_s, _ = _timed(lambda _: dbg.history(), url)
    return {
        "remote_raw_20_steps_s": raw_best,
        "remote_debugger_20_steps_s": debugger_best,
        "remote_ratio": debugger_best / raw_best,
        "remote_raw_ms_per_step": 1000 * raw_best / (STEPS + 1),
        "remote_overhead_ms_per_step": 1000 * (debugger_best - raw_best) / (STEPS + 1),
        "remote_connect_ms": 1000 * connect_s,
        "remote_history_first_read_ms": 1000 * history_s,
        "remote_history_reread_ms": 1000 * reread_s,
        "remote_history_checkpoints": float(len(history)),
    }


def measure_with_own_server() -> dict[str, float]:
    """`measure` against a `langgraph dev` started for it (the tests' fixture server)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from langgraph_server import start_server

    with tempfile.TemporaryDirectory() as workdir, start_server(Path(workdir)) as server:
        return measure(server.url)


def main(argv: list[str]) -> int:
    figures = measure(argv[0]) if argv else measure_with_own_server()
    for key, value in figures.items():
        print(f"{key:34} {value:12.2f}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
