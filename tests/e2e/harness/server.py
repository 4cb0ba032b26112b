"""A private JupyterLab server for the browser tests: start, wait until it answers, stop.

The server runs from this virtualenv's Python (so its `python3` kernel imports `hitl_widgets`),
listens on a free loopback port with a random token, and keeps everything it writes in one
temporary directory: notebooks (`root`), user settings, workspaces, runtime files (kernel
connection files, read by `harness.kernel`) and the default checkpoint database
(`HITL_WIDGETS_DB`). `tests/` is on the kernels' `PYTHONPATH`, so a notebook can
`import graphs`. `window.jupyterapp` is exposed in JupyterLab and Notebook 7: the in-page
helpers (`page_helpers.js`) drive the app through it.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from harness.lab_settings import LIGHT_THEME, write_user_settings

TESTS_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 30.0
POLL_S = 0.1
Ui = Literal["lab", "notebook7"]


@dataclass
class JupyterServer:
    """One running `jupyter lab` process and the folders it owns (all under `base`)."""

    base: Path
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen[bytes] | None = None
    url: str = ""

    @property
    def root(self) -> Path:
        """The server's root dir: notebooks written here are served at their relative path."""
        return self.base / "root"

    @property
    def runtime_dir(self) -> Path:
        return self.base / "runtime"

    @property
    def settings_dir(self) -> Path:
        return self.base / "settings"

    @property
    def log_path(self) -> Path:
        return self.base / "server.log"

    @property
    def db_path(self) -> Path:
        """The kernels' default checkpoint file (`HITL_WIDGETS_DB`)."""
        return self.base / "checkpoints.sqlite"

    def start(self) -> None:
        """Launch the server; returns once it has bound its port (see `wait_ready`)."""
        for folder in (self.root, self.runtime_dir, self.settings_dir, self.base / "workspaces"):
            folder.mkdir(parents=True, exist_ok=True)
        write_user_settings(self.settings_dir)
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port=0",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.password=",
            "--ServerApp.allow_root=True",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.expose_app_in_browser=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",
        ]
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=self.root,
            env=self._environment(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        python_path = [str(TESTS_DIR), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
        env.update(
            {
                "PYTHONPATH": os.pathsep.join(python_path),
                "HITL_WIDGETS_DB": str(self.db_path),
                "JUPYTER_RUNTIME_DIR": str(self.runtime_dir),
                "JUPYTER_CONFIG_DIR": str(self.base / "config"),
                "JUPYTER_DATA_DIR": str(self.base / "data"),
                "JUPYTERLAB_SETTINGS_DIR": str(self.settings_dir),
                "JUPYTERLAB_WORKSPACES_DIR": str(self.base / "workspaces"),
                "IPYTHONDIR": str(self.base / "ipython"),
            }
        )
        return env

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> None:
        """Block until the server answers `/api/status` (raises with the server log if it died)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self._raise_if_exited()
            if not self.url:
                self.url = self._url_from_info_file()
            if self.url and self._answers():
                return
            time.sleep(POLL_S)
        raise TimeoutError(f"JupyterLab did not answer within {timeout_s:.0f}s\n{self.log_tail()}")

    def _url_from_info_file(self) -> str:
        for info_file in self.runtime_dir.glob("jpserver-*.json"):
            try:
                info = json.loads(info_file.read_text())
            except (OSError, json.JSONDecodeError):
                continue  # being written right now
            if self.process is not None and info.get("pid") == self.process.pid:
                return f"http://127.0.0.1:{info['port']}"
        return ""

    def _answers(self) -> bool:
        try:
            self.api("GET", "/api/status")
        except (urllib.error.URLError, ConnectionError):
            return False
        return True

    def _raise_if_exited(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no server log)"
        tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(line[:300] for line in tail)  # a node stack trace can be one huge line

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API with the token; returns the decoded JSON answer (or None)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as answer:
            raw = answer.read()
        return json.loads(raw) if raw else None

    def page_url(self, path: str, ui: Ui = "lab", workspace: str = "e2e") -> str:
        """The browser address of the notebook at `path` (relative to `root`).

        `ui="lab"` opens it in JupyterLab in its own workspace (so no tab of an earlier test is
        restored); `ui="notebook7"` opens it in Notebook 7 (`/notebooks/<path>`).
        """
        quoted = quote(path)
        if ui == "lab":
            return f"{self.url}/lab/workspaces/{quote(workspace)}/tree/{quoted}?token={self.token}"
        if ui == "notebook7":
            return f"{self.url}/notebooks/{quoted}?token={self.token}"
        raise ValueError(f"ui must be 'lab' or 'notebook7', not {ui!r}")

    def set_theme(self, theme: str = LIGHT_THEME) -> None:
        """Store `theme` as the user's theme: pages loaded afterwards start in it."""
        raw = json.dumps({"theme": theme})
        self.api("PUT", "/lab/api/settings/@jupyterlab/apputils-extension:themes", {"raw": raw})

    def shut_down_sessions(self, under: str) -> None:
        """Shut down the kernels of every notebook session whose path lies in the folder `under`."""
        prefix = under.rstrip("/") + "/"
        for session in self.api("GET", "/api/sessions"):
            if session["path"].startswith(prefix):
                self.api("DELETE", f"/api/sessions/{session['id']}")

    def stop(self) -> None:
        """Ask the server to shut down (it stops its kernels), then end its process group."""
        if self.process is None:
            return
        if self.process.poll() is None and self.url:
            try:
                self.api("POST", "/api/shutdown")
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except (urllib.error.URLError, ConnectionError, subprocess.TimeoutExpired):
                pass  # fall through to the signals below
        self._end_process_group()

    def _end_process_group(self) -> None:
        assert self.process is not None
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
                break
            except subprocess.TimeoutExpired:
                continue
