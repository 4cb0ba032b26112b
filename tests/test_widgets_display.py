"""How the widgets show up: a displayed Debugger is the full debugger widget; every widget has
a plain-text form; all widgets of one Debugger agree, whoever changed it; `sidecar()` opens
the debugger in a side panel."""

from __future__ import annotations

import pytest
from graphs import MakeDebugger
from widgets_client import WidgetClient

import hitl_widgets as hw
from hitl_widgets.widgets import DebuggerWidget
from hitl_widgets.widgets.bundle import CSS_PATH, ESM_PATH

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def test_the_package_exports_the_widgets() -> None:
    assert {"GraphView", "CheckpointTree", "InterruptPanel", "StateInspector"} <= set(hw.__all__)
    assert hw.GraphView.__module__ == "hitl_widgets.widgets.views"


def test_a_displayed_debugger_is_the_full_debugger_widget(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    bundle = dbg._repr_mimebundle_()
    assert WIDGET_MIME in bundle
    assert bundle["text/plain"] == repr(dbg)


def test_the_widgets_load_the_built_bundle() -> None:
    assert ESM_PATH.is_file(), "run `npm run build` first"
    widget_js = ESM_PATH.read_text()
    assert "innerHTML" not in widget_js, "payloads and state are text, never markup"
    assert CSS_PATH.is_file()


def test_each_widget_reads_as_text(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    dbg.start({"some_text": "<script>alert(1)</script>"})
    texts = {
        cls.__name__: cls(dbg)._repr_mimebundle_()[0]["text/plain"]
        for cls in (DebuggerWidget, hw.GraphView, hw.CheckpointTree, hw.InterruptPanel, hw.StateInspector)
    }
    assert "Paused: interrupt" in texts["DebuggerWidget"]
    assert "<script>alert(1)</script>" in texts["DebuggerWidget"]
    assert texts["GraphView"].startswith("Graph: human_node")
    assert "__start__ -> human_node" in texts["GraphView"]
    assert "step" in texts["CheckpointTree"] and dbg.head.short_id in texts["CheckpointTree"]
    assert "interrupt" in texts["InterruptPanel"] and "human_node" in texts["InterruptPanel"]
    assert texts["StateInspector"].startswith(f"State at {dbg.head.short_id}")
    assert "some_text" in texts["StateInspector"]


def test_every_widget_follows_the_debugger_whoever_drives_it(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("text_to_revise")
    graph, panel, tree = hw.GraphView(dbg), hw.InterruptPanel(dbg), hw.CheckpointTree(dbg)
    dbg.start({"some_text": "hi"})  # from Python, as a cell or a magic would
    assert graph.head_id == panel.head_id == tree.head_id == dbg.head.id
    assert [i["id"] for i in panel.interrupts] == [i.id for i in dbg.interrupts]
    assert graph.status["next"] == ["human_node"]

    WidgetClient(panel).result("resume", value="bye")  # from one widget
    for widget in (graph, panel, tree):
        assert widget.interrupts == []
        assert widget.head_id == dbg.head.id
        assert widget.status["reason"] == "done"


def test_selection_is_shared_by_the_widgets_of_one_debugger(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    tree, inspector = WidgetClient(hw.CheckpointTree(dbg)), hw.StateInspector(dbg)
    other = hw.StateInspector(make_debugger("pipeline"))
    dbg.start({"input": "go", "trail": []})
    past = dbg.history()[-1]
    tree.result("select", checkpoint_id=past.id)
    assert inspector.selected == past.id
    assert other.selected is None
    tree.result("select", checkpoint_id=None)
    assert inspector.selected is None


def test_a_closed_widget_stops_listening(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    widget = hw.GraphView(dbg)
    widget.close()
    dbg.start({"input": "go", "trail": []})
    assert widget.head_id is None


def test_a_widget_needs_a_debugger() -> None:
    with pytest.raises(TypeError, match="takes a hitl_widgets Debugger"):
        hw.GraphView("not a debugger")  # type: ignore[arg-type]


def test_sidecar_opens_the_debugger_in_a_side_panel_once_the_page_is_jupyterlab(
    make_debugger: MakeDebugger,
) -> None:
    from sidecar import Sidecar

    from hitl_widgets.widgets import DebuggerWidget

    dbg = make_debugger("text_to_revise")
    side = dbg.sidecar(title="My debugger")
    assert side.panel is None, "no panel before the page says it can show one"
    say = side.launcher._on_msg
    say(side.launcher, {"kind": "side-panel", "lab": False}, [])  # Notebook 7: the cell shows it
    assert side.panel is None
    say(side.launcher, {"kind": "side-panel", "lab": True}, [])
    assert isinstance(side.panel, Sidecar)
    assert (side.panel.title, side.panel.anchor) == ("My debugger", "split-right")
    (output,) = side.panel.outputs
    shown = output["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert isinstance(DebuggerWidget.widgets[shown], DebuggerWidget)  # type: ignore[attr-defined]
    panel = side.panel
    say(side.launcher, {"kind": "side-panel", "lab": True}, [])  # shown again: still one panel
    assert side.panel is panel
    side.close()
    assert dbg.thread_id in dbg.sidecar().title
