"""Before and after: the team threads read by an older checkout of the package and by this one.

    git archive <commit> hitl_widgets tests benchmarks | tar -x -C /tmp/old
    cp benchmarks/team.py benchmarks/graphs.py /tmp/old/benchmarks/
    python -m benchmarks.team_compare /tmp/old pg sqlite

Each store's threads are built once (as `benchmarks.team` builds them); every reading side then
runs in a fresh child process of each checkout (its own `hitl_widgets` on `PYTHONPATH`), and
each result prints as one JSON line. A side of the old code that takes minutes (a whole
Postgres thread loaded to read its head) runs once and is stopped after `OLD_SECONDS`.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import team

OLD_SECONDS = 300
# What the old code is asked: on Postgres only what finishes in minutes; on SQLite everything.
OLD_SIDES = {"pg": ("head", "page", "history"), "sqlite": team.SIDES[1:]}


def run(root: Path, store: str, thread_id: str, side: str, tries: int) -> dict[str, Any]:
    """The fastest of `tries` fresh children of the checkout at `root` reading one side."""
    best: dict[str, Any] = {}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (team.CHILD_MEMORY_BYTES, team.CHILD_MEMORY_BYTES))

    for _ in range(tries):
        started = time.perf_counter()
        try:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.team", "child", store, thread_id, side],
                capture_output=True,
                text=True,
                cwd=root,
                preexec_fn=limit,
                timeout=OLD_SECONDS,
                env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"failed": f"stopped after {time.perf_counter() - started:.0f} s"}
        if out.returncode:
            return {"failed": (out.stderr.strip().splitlines() or ["?"])[-1][:160]}
        found = dict(json.loads(out.stdout.strip().splitlines()[-1]))
        if not best or found["seconds"] < best["seconds"]:
            best = found
    return best


def compare(old_root: Path, store: str, label: str) -> None:
    for name, (n_checkpoints, item_bytes) in team.THREADS.items():
        thread_id = f"{name}-{time.time_ns()}"
        saver, pool = team._saver(store)
        started = time.perf_counter()
        team.build(saver, thread_id, n_checkpoints, item_bytes)
        if pool is not None:
            pool.close()
        print(json.dumps({"store": label, "thread": name, "build_s": time.perf_counter() - started}))
        for code, root, sides in (("before", old_root, OLD_SIDES[label]), ("after", team.ROOT, team.SIDES)):
            for side in sides:
                # whole-thread reads take seconds: once; first reads: the best of three kernels
                tries = 1 if side in ("raw", "history") or (code == "before" and label == "pg") else 3
                found = run(root, store, thread_id, side, tries)
                print(
                    json.dumps({"store": label, "thread": name, "code": code, "side": side, **found}),
                    flush=True,
                )


def main(old_root: Path, stores: list[str]) -> None:
    sys.path.insert(0, str(team.ROOT / "tests"))
    from postgres_server import start_postgres

    if "pg" in stores:
        with start_postgres() as server:
            compare(old_root, server.fresh_database(), "pg")
    if "sqlite" in stores:
        with tempfile.TemporaryDirectory() as folder:
            compare(old_root, str(Path(folder) / "team.sqlite"), "sqlite")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
