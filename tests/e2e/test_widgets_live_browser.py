"""A run seen live in the browser: tokens appear while the node that makes them still runs, the
running node is marked in the graph, and the run settings are read and set from the widget.
The graph is async and its run is started from the widget's button, so it runs on the
notebook's own event loop while the kernel stays free."""

from __future__ import annotations

import re

from harness import Lab
from playwright.sync_api import expect
from widgets_e2e import SETUP, has_class, screenshots

GATED = (
    "import live_graphs\ndbg = hw.debug(live_graphs.gated_chat('gate'), checkpointer='sqlite:t.sqlite')\ndbg"
)


def test_tokens_appear_while_the_node_still_runs(lab: Lab) -> None:
    nb = lab.open_notebook([SETUP, GATED])
    nb.run_all()
    view = nb.output(1).get_by_test_id("hw-view-debugger")
    view.get_by_test_id("hw-start-input").fill('{"messages": [["user", "hi"]], "notes": []}')
    view.get_by_test_id("hw-start").click()

    text = view.get_by_test_id("hw-live-text-speak")
    expect(text).to_contain_text("word39")  # every token, in the order streamed
    expect(text).to_contain_text("word0 word1 word2")
    expect(view.get_by_test_id("hw-node-speak")).to_have_class(has_class("hw-running"))
    expect(view.get_by_test_id("hw-live-running")).to_have_text("Running: speak")
    assert nb.kernel.eval("dbg.running") == "start"  # the node has not returned yet
    screenshots(nb, "tokens-while-running", view)

    nb.kernel.exec("open('gate', 'w').close()")
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state['messages'][-1].content.split()[-1]") == "word39"
    expect(view.get_by_test_id("hw-node-speak")).not_to_have_class(has_class("hw-running"))
    expect(view.get_by_test_id("hw-live-running")).to_have_text("Last run")


def test_a_graph_of_plain_steps_shows_its_running_node_live(lab: Lab) -> None:
    """Plain steps are run without LangGraph's worker threads (nothing but updates to stream),
    and the widget still marks the node in flight and lists what each node returned."""
    nb = lab.open_notebook(
        [
            SETUP,
            "import live_graphs\n"
            "from hitl_widgets.backends.live_reach import streams_updates_only\n"
            "graph = live_graphs.gated_steps('gate').compile()\n"
            "dbg = hw.debug(graph, checkpointer='sqlite:t.sqlite')\n"
            "dbg",
        ]
    )
    nb.run_all()
    assert nb.kernel.eval("streams_updates_only(graph)") is True
    view = nb.output(1).get_by_test_id("hw-view-debugger")
    view.get_by_test_id("hw-start-input").fill('{"n": 0}')
    view.get_by_test_id("hw-start").click()

    expect(view.get_by_test_id("hw-node-wait")).to_have_class(has_class("hw-running"))
    expect(view.get_by_test_id("hw-live-running")).to_have_text("Running: wait")
    expect(view.get_by_test_id("hw-node-count")).not_to_have_class(has_class("hw-running"))
    assert nb.kernel.eval("dbg.running") == "start"
    screenshots(nb, "plain-steps-running", view)

    nb.kernel.exec("open('gate', 'w').close()")
    expect(view.get_by_test_id("hw-reason")).to_have_text("done")
    assert nb.kernel.eval("dbg.state") == {"n": 11}
    expect(view.get_by_test_id("hw-live-running")).to_have_text("Last run")


def test_run_settings_are_shown_and_applied_from_the_widget(lab: Lab) -> None:
    nb = lab.open_notebook(
        [
            SETUP,
            "import live_graphs\n"
            "dbg = hw.debug(live_graphs.chatty(), checkpointer='sqlite:t.sqlite', config={'configurable': {'tone': 'warm'}})\n"
            "dbg",
        ]
    )
    nb.run_all()
    view = nb.output(1).get_by_test_id("hw-view-debugger")
    view.get_by_test_id("hw-settings").locator("summary").click()
    config = view.get_by_test_id("hw-settings-config")
    expect(config).to_have_value(re.compile(r'"tone": "warm"'))

    config.fill('{"configurable": {"thread_id": "elsewhere"}}')
    view.get_by_test_id("hw-settings-apply").click()
    expect(view.get_by_test_id("hw-settings-config-error")).to_contain_text("thread_id")
    assert nb.kernel.eval("dbg.config") == {"configurable": {"tone": "warm"}}

    config.fill("{}")
    view.get_by_test_id("hw-settings-context").fill('{"user": "ann"}')
    view.get_by_test_id("hw-settings-apply").click()
    assert nb.kernel.wait_until("dbg.context == {'user': 'ann'}")
    assert nb.kernel.eval("dbg.config") == {}
    screenshots(nb, "run-settings", view.get_by_test_id("hw-settings"))

    view.get_by_test_id("hw-start-input").fill('{"messages": [["user", "hi"]], "notes": []}')
    view.get_by_test_id("hw-start").click()
    expect(view.get_by_test_id("hw-reason")).to_have_text("interrupt")
    assert nb.kernel.eval("dbg.state['notes']") == ["think:ann:plain"]
    expect(view.get_by_test_id("hw-live-text-think")).to_contain_text("night bird")
