"""The JupyterLab user settings every test server starts with, and the theme names.

Written as `<plugin package>/<plugin name>.jupyterlab-settings` files into the server's own
settings dir (`JUPYTERLAB_SETTINGS_DIR`), which JupyterLab and Notebook 7 both read:

- the light theme, so screenshots start from a known theme;
- no news or update check (a toast asking about news would cover the page, and it would reach
  the network);
- notebooks render every cell (`windowingMode: none`): the default windowing leaves cells that
  are out of view empty, so reading their output from the DOM would be unreliable;
- no autosave: a test's page never writes its notebook behind the test's back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LIGHT_THEME = "JupyterLab Light"
DARK_THEME = "JupyterLab Dark"
THEMES = {"light": LIGHT_THEME, "dark": DARK_THEME}

USER_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/themes": {"theme": LIGHT_THEME},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


def write_user_settings(settings_dir: Path) -> None:
    for plugin, values in USER_SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))
