"""The example notebooks run under nbval, one pytest item per notebook.

Each notebook runs in its own `pytest --nbval-lax` process: its cells share one kernel and
must run in order, which a per-cell item cannot promise under `pytest -n 2` (xdist may hand
the cells of one notebook to two workers). Cells tagged `nbval-check-output` must print what
the notebook shows, once the substitutions of `notebooks/nbval_sanitize.cfg` (ids, times,
ports) are applied; the other cells must run without error. Notebooks about a shared Postgres
run against a database of the Postgres this test run starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SANITIZE = NOTEBOOKS / "nbval_sanitize.cfg"
CELL_SECONDS = 120
# Notebooks about a team's shared Postgres: they read its URL from this variable, and get a
# fresh database of the test run's own server.
POSTGRES_URL_ENV = "HITL_TEAM_POSTGRES"
POSTGRES_NOTEBOOKS = {"12_team_thread"}


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda path: path.stem)
def test_notebook_runs_and_shows_what_it_says(
    notebook: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "nbval.plugin",
        "-p",
        "no:cacheprovider",
        "--nbval-lax",
        "--nbval-current-env",
        f"--nbval-sanitize-with={SANITIZE}",
        f"--nbval-cell-timeout={CELL_SECONDS}",
        "-q",
        str(notebook),
    ]
    # Only nbval: the other plugins' start-up would cost seconds per notebook.
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    if notebook.stem in POSTGRES_NOTEBOOKS:
        env[POSTGRES_URL_ENV] = request.getfixturevalue("postgres_url")
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, (
        f"{notebook.name} failed under nbval:\n{result.stdout[-6000:]}{result.stderr[-2000:]}"
    )
