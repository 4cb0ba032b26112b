"""What went wrong in a test's pages, collected while it runs, so a test can fail on it.

A page problem is any of: a console message of type "error", an uncaught exception
(`pageerror`), a JavaScript dialog (`alert`/`confirm`/`prompt`: a payload's `onerror=alert(1)`
that ran would show up here), or a request to any host but the test's own server (the tests
run offline; a request out means something tried the network, e.g. a Mermaid render).
`beforeunload` prompts are accepted silently: they only mean a notebook had unsaved changes.

`KNOWN_NOISE` lists the only errors ignored: each is matched on its message AND on where it was
raised, and says why it is harmless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Dialog, Error, Page, Request

STACK_LINES = 6


@dataclass(frozen=True)
class KnownNoise:
    message: str
    """A regular expression the error's message must match."""
    origin: str
    """A regular expression the error's stack (or console location) must match."""
    reason: str


NOTEBOOK7_CORE = r"/static/notebook/notebook_core\."
KNOWN_NOISE = (
    KnownNoise(
        message=r"^Cannot read properties of undefined \(reading 'schema'\)$",
        origin=NOTEBOOK7_CORE,
        reason="Notebook 7.6.5's own shortcuts plugin (@jupyter-notebook/application-extension:shortcuts) "
        "handles `pluginChanged` for @jupyterlab/docmanager-extension:plugin, which its settings "
        "registry never loaded; raised on every Notebook 7 page load, with or without user settings, "
        "before any notebook code runs. The page works.",
    ),
    KnownNoise(
        message=r"^Command 'filebrowser:open-path' not registered\.$",
        origin=NOTEBOOK7_CORE,
        reason="Notebook 7.6.5's notebook page restores the file browser (a JupyterLab plugin it bundles) "
        "once a notebook was opened in JupyterLab on the same server, through a command only its "
        "tree page registers. Nothing is lost: the notebook page has no file browser.",
    ),
)


def is_known_noise(message: str, origin: str) -> bool:
    return any(re.search(n.message, message) and re.search(n.origin, origin) for n in KNOWN_NOISE)


@dataclass
class PageProblems:
    """The problems of every page `watch`ed, in the order they happened."""

    server_host: str
    found: list[str] = field(default_factory=list)
    watched: int = 0

    def watch(self, page: Page) -> None:
        label = f"page {self.watched}"
        self.watched += 1
        page.on("console", lambda message: self._on_console(label, message))
        page.on("pageerror", lambda error: self._on_page_error(label, error))
        page.on("dialog", lambda dialog: self._on_dialog(label, dialog))
        page.on("request", lambda request: self._on_request(label, request))

    def _on_console(self, label: str, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if is_known_noise(message.text, where):
            return
        self.found.append(f"{label} console.error: {message.text} ({where})")

    def _on_page_error(self, label: str, error: Error) -> None:
        frames = (error.stack or "").splitlines()[1:STACK_LINES]
        if is_known_noise(error.message, frames[0] if frames else ""):
            return
        stack = "\n      ".join(frames)
        self.found.append(f"{label} uncaught {error.name}: {error.message}\n      {stack}")

    def _on_dialog(self, label: str, dialog: Dialog) -> None:
        if dialog.type == "beforeunload":
            dialog.accept()
            return
        self.found.append(f"{label} {dialog.type}() dialog: {dialog.message!r}")
        dialog.dismiss()

    def _on_request(self, label: str, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.server_host:
            self.found.append(f"{label} request to another host: {request.method} {request.url}")

    def assert_none(self) -> None:
        """Fail (AssertionError) with every problem found so far."""
        if self.found:
            raise AssertionError("problems in the page:\n  " + "\n  ".join(self.found))
