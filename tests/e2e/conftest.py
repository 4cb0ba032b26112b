"""Fixtures of the browser tests: one JupyterLab per pytest worker, one Chromium per test
module, and a `lab` per test (its own folder, browser context, artifacts and page-problem check).

Every test in this folder joins the xdist group "e2e", so `pytest -n 2 --dist loadgroup` runs
them all on one worker, sharing that worker's JupyterLab, while other workers take the unit
tests. A test fails if any of its pages logged a console error, raised, opened a dialog or
requested another host. Screenshots go to test-artifacts/<test module>/<test>/; when a test
fails, a screenshot of each of its pages is saved there as failure-<n>.png.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from harness.browser import launch_chromium, new_context
from harness.lab import Lab
from harness.problems import PageProblems
from harness.server import JupyterServer
from playwright.sync_api import Browser, expect, sync_playwright

E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = E2E_DIR.parents[1] / "test-artifacts"
EXPECT_TIMEOUT_MS = 30_000
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put every e2e test in the xdist group "e2e" (before xdist reads the groups)."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.xdist_group("e2e"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so the `lab` fixture knows whether the test failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    """This worker's JupyterLab, answering on `jupyter_server.url`; stopped (kernels too) at the end."""
    server = JupyterServer(tmp_path_factory.mktemp("jupyter"))
    server.start()
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """A headless Chromium (Debian's /usr/bin/chromium) for one test module.

    Not one per session: while Playwright's sync API is open it marks its event loop as running
    in the main thread, and the unit tests this worker runs after the browser tests would find
    that loop there (a Debugger made then takes it for the notebook's loop and sends its runs to
    a loop that runs nothing; `asyncio.run` refuses to start).
    """
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def lab(jupyter_server: JupyterServer, chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """This test's view of JupyterLab: `lab.open_notebook([...])` gives a `NotebookPage`."""
    folder = f"{request.node.path.stem}/{re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name)}"
    artifacts_dir = ARTIFACTS_DIR / folder
    shutil.rmtree(artifacts_dir, ignore_errors=True)
    host = jupyter_server.url.split("://", 1)[1]
    test_lab = Lab(jupyter_server, new_context(chromium), folder, artifacts_dir, PageProblems(host))
    yield test_lab
    call = request.node.stash.get(REPORTS, {}).get("call")
    failed = call is not None and call.failed
    try:
        if failed:
            test_lab.screenshot_all("failure")
    finally:
        test_lab.close()
    if failed:
        print("\n".join(test_lab.problems.found))  # shown with the failure; the failure itself is the news
    else:
        test_lab.problems.assert_none()
