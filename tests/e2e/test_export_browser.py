"""An exported thread opened from disk (`file://`, no server, no kernel) in headless Chromium:
the graph, the tree with both branches, a checkpoint's state and changes, the pending
interrupt, all read-only; every hostile text shows as text, no script from it runs, and the
page asks the network for nothing. Also `hw.load_export`'s notebook view (the page in a frame),
and the widget's Export button in JupyterLab."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_thread import HOSTILE, forked_thread
from harness import Lab
from harness.browser import new_context
from harness.problems import PageProblems
from playwright.sync_api import Browser, FrameLocator, Locator, Page, Route, expect
from widgets_e2e import open_debugger, wait_for_pause

import hitl_widgets as hw
from hitl_widgets.model import short_id


@pytest.fixture
def dbg(tmp_path: Path) -> hw.Debugger:
    return forked_thread(f"sqlite:{tmp_path / 'threads.sqlite'}")


@pytest.fixture
def page(chromium: Browser) -> Iterator[tuple[Page, PageProblems, list[str]]]:
    """A page that records page problems (dialogs, errors, requests out) and every request for
    anything but a file: (page, problems, such requests)."""
    context = new_context(chromium)
    page = context.new_page()
    problems = PageProblems(server_host="")
    problems.watch(page)
    requested: list[str] = []

    def record(route: Route) -> None:
        if not route.request.url.startswith("file://"):
            requested.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**", record)
    yield page, problems, requested
    context.close()


def test_an_exported_thread_reads_offline_as_text_and_read_only(
    dbg: hw.Debugger, tmp_path: Path, page: tuple[Page, PageProblems, list[str]]
) -> None:
    browser, problems, requested = page
    path = dbg.export_html(tmp_path / "thread.html")
    browser.goto(path.as_uri())
    view = browser.get_by_test_id("hw-view-debugger")
    expect(view).to_be_visible()

    # the whole tree: every checkpoint of both branches
    history = dbg.history()
    for cp in history:
        expect(view.get_by_test_id(f"hw-row-{short_id(cp.id)}")).to_be_visible()
    expect(view.locator("[data-testid^=hw-row-]")).to_have_count(len(history))
    # the graph, drawn
    expect(view.get_by_test_id("hw-panel-graph").get_by_test_id("hw-node-review")).to_be_visible()

    # the head's state and its changes, the payload as text
    values = view.get_by_test_id("hw-values")
    expect(values).to_contain_text(f"forked {HOSTILE}")
    # a change reads as one line, its start (the rest folds)
    expect(view.get_by_test_id("hw-changes")).to_contain_text(f"draft of forked {HOSTILE[:60]}")
    expect(view.get_by_test_id("hw-interrupts")).to_contain_text(f"forked {HOSTILE}")

    # another checkpoint: the first branch's end, whose change is the answer to its interrupt
    done = next(cp for cp in history if cp.writes == ("review",))
    view.get_by_test_id(f"hw-row-{short_id(done.id)}").click()
    expect(view.get_by_test_id("hw-detail-title")).to_contain_text(short_id(done.id))
    expect(view.get_by_test_id("hw-changes")).to_contain_text(f"approved {HOSTILE[:60]}")
    expect(values).to_contain_text(f"draft of {HOSTILE}")
    # where that interrupt was asked: the question and its answer
    assert done.parent_id is not None
    view.get_by_test_id(f"hw-row-{short_id(done.parent_id)}").click()
    asked = view.get_by_test_id("hw-answered-here")
    expect(asked).to_contain_text("Interrupt in review asked:")
    expect(asked).to_contain_text(HOSTILE)
    expect(asked.get_by_test_id("hw-answer-here")).to_contain_text(f"approved {HOSTILE}")

    # read-only: commands disabled with the reason, no Export button, no settings
    for testid in ("hw-step", "hw-continue", "hw-start", "hw-fork", "hw-replay", "hw-checkout", "hw-try"):
        button = view.get_by_test_id(testid)
        expect(button).to_be_disabled()
        expect(button).to_have_attribute("title", _read_only())
    view.get_by_test_id("hw-back-to-head").click()
    expect(view.get_by_test_id("hw-resume-0")).to_be_disabled()
    expect(view.get_by_test_id("hw-resume-0")).to_have_attribute("title", _read_only())
    expect(view.get_by_test_id("hw-export")).to_be_hidden()
    expect(view.get_by_test_id("hw-status")).to_contain_text(f"Read-only export of {_date(path)}")

    # nothing from the payloads ran or became markup
    _assert_inert(browser, view)
    assert requested == []
    problems.assert_none()


def test_load_export_shows_the_same_view_in_a_frame(
    dbg: hw.Debugger, tmp_path: Path, page: tuple[Page, PageProblems, list[str]]
) -> None:
    browser, problems, requested = page
    loaded = hw.load_export(dbg.export_json(tmp_path / "thread.json"))
    notebook_output = tmp_path / "output.html"
    notebook_output.write_text(f"<!DOCTYPE html><html><body>{loaded._repr_html_()}</body></html>")
    browser.goto(notebook_output.as_uri())
    frame: FrameLocator = browser.frame_locator("iframe")
    view = frame.get_by_test_id("hw-view-debugger")
    expect(view.locator("[data-testid^=hw-row-]")).to_have_count(len(dbg.history()))
    expect(view.get_by_test_id("hw-values")).to_contain_text(f"forked {HOSTILE}")
    assert browser.evaluate("window.__pwned") is None
    assert requested == []
    problems.assert_none()


def _assert_inert(browser: Page, view: Locator) -> None:
    assert browser.evaluate("window.__pwned") is None
    assert browser.locator("img").count() == 0
    # the page's own scripts only: the two data elements and the loader
    assert browser.locator("script").count() == 3
    assert view.locator("[onerror], [onload]").count() == 0


def _read_only() -> re.Pattern[str]:
    return re.compile(r"^Read-only export: nothing runs or changes here\.")


def _date(path: Path) -> str:
    return hw.load_export(path).document["exported_at"][:19].replace("T", " ")


def test_the_export_button_writes_the_page_beside_the_notebook(lab: Lab) -> None:
    nb, view = open_debugger(lab, "pipeline", 'dbg.start({"input": "go", "trail": []})')
    wait_for_pause(nb)
    view.get_by_test_id("hw-export").click()
    hint = view.get_by_test_id("hw-hint")
    expect(hint).to_contain_text(re.compile(r"^Exported 5 checkpoint\(s\) to [\w-]+\.html \([\d.]+ kB\)$"))
    name = nb.kernel.eval("dbg.thread_id") + ".html"
    assert name in hint.inner_text()
    assert nb.kernel.eval(f"hw.load_export({name!r}).thread_id == dbg.thread_id") is True
