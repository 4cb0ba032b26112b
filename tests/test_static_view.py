"""The static snapshot a displayed Debugger carries, so a saved notebook shows it without a
kernel: the graph as SVG, the head, pending interrupts and the newest checkpoints, every payload
as text, bounded in size; a notebook saved by nbclient and converted by nbconvert (nbviewer's
and GitHub's way) shows it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import graphs
import nbformat
import pytest
from saved_notebook import CELLS, HOSTILE, executed_notebook

import hitl_widgets as hw
from hitl_widgets.layered import layered_layout
from hitl_widgets.static_view import CHECKPOINTS_SHOWN, NODES_DRAWN, STATIC_CLASS, snapshot_html
from hitl_widgets.widgets.static_output import LAB_RULES, WIDGET_MIME

# Elements and attributes that would make a payload markup that runs or reaches out.
ACTIVE_TAGS = {"script", "img", "iframe", "object", "embed", "link", "image", "use", "foreignobject", "a"}


class Parsed(HTMLParser):
    """Every element, attribute, SVG node and edge of some HTML, and the text it shows."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.nodes: list[str] = []
        self.edges: list[str] = []
        self.texts: list[str] = []
        self._in: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in.append(tag)
        for name, value in attrs:
            self.attributes.append((name, value or ""))
            if name == "data-edge":
                self.edges.append(value or "")
            if name == "data-node":
                self.nodes.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if not {"script", "style"} & set(self._in):
            self.texts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)


def assert_inert(parsed: Parsed) -> None:
    """No element or attribute that runs code or loads anything."""
    assert not ACTIVE_TAGS & set(parsed.tags), parsed.tags
    assert not [name for name, _ in parsed.attributes if name.startswith("on")]
    assert not [name for name, _ in parsed.attributes if name in ("src", "href", "xlink:href")]
    assert not [name for name, value in parsed.attributes if "url(" in value or "javascript:" in value]


@pytest.fixture
def sqlite(tmp_path: Path) -> str:
    return f"sqlite:{tmp_path / 't.sqlite'}"


@pytest.mark.parametrize("graph", ["tool_review_agent", "subgraph_interrupt", "research_agent"])
def test_the_graph_is_drawn_with_every_node_and_edge(sqlite: str, graph: str) -> None:
    dbg = hw.debug(graphs.GRAPHS[graph](), checkpointer=sqlite)  # a loop; a subgraph; both, and a self-loop
    parsed = Parsed(snapshot_html(dbg))
    assert "svg" in parsed.tags
    assert sorted(parsed.nodes) == sorted(n.id for n in dbg.topology.nodes)
    assert sorted(parsed.edges) == sorted(f"{e.source} -> {e.target}" for e in dbg.topology.edges)
    names = {n.name for n in dbg.topology.nodes if n.kind in ("node", "subgraph")}
    assert names <= {text.strip() for text in parsed.texts}  # each node's name, subgraphs' included


def test_the_layout_puts_the_flow_downwards_and_sends_cycles_back_up() -> None:
    labels = {"__start__": "start", "agent": "agent", "tools": "tools", "__end__": "end"}
    edges = [("__start__", "agent"), ("agent", "tools"), ("agent", "__end__"), ("tools", "agent")]
    layout = layered_layout(labels, [*edges, ("tools", "tools"), ("agent", "nowhere")])
    layer = {i: placed.layer for i, placed in layout.nodes.items()}
    assert layer == {"__start__": 0, "agent": 1, "tools": 2, "__end__": 2}
    assert {(s, t): up for s, t, up in layout.edges} == {
        ("__start__", "agent"): False,
        ("agent", "tools"): False,
        ("agent", "__end__"): False,
        ("tools", "agent"): True,
        ("tools", "tools"): True,
    }
    tools, end = layout.nodes["tools"], layout.nodes["__end__"]
    assert tools.x + tools.width <= end.x or end.x + end.width <= tools.x  # side by side, apart
    assert all(p.x >= 0 and p.x + p.width <= layout.width for p in layout.nodes.values())


def test_the_head_its_interrupt_and_the_newest_checkpoints_show(sqlite: str) -> None:
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=sqlite)
    dbg.start({"some_text": "draft"})
    text = Parsed(snapshot_html(dbg)).text
    head = dbg.head
    assert f"Paused: interrupt at checkpoint {head.short_id}" in text
    assert "next: human_node" in text
    assert f"State at {head.short_id}" in text and 'some_text: "draft"' in text
    interrupt = dbg.interrupts[0]
    assert f'interrupt {interrupt.id} in human_node: {{"text_to_revise": "draft"}}' in text
    for checkpoint in dbg.history():
        assert checkpoint.short_id in text
    assert re.search(rf"^\*\s+{head.short_id} ", text, re.MULTILINE)  # the head is marked


def test_only_the_newest_checkpoints_show(sqlite: str) -> None:
    names = tuple(f"step_{i}" for i in range(CHECKPOINTS_SHOWN + 4))
    dbg = hw.debug(graphs.pipeline(names), checkpointer=sqlite)
    dbg.start({"trail": []})
    history = dbg.history()
    assert len(history) > CHECKPOINTS_SHOWN
    text = Parsed(snapshot_html(dbg)).text
    rows = re.findall(r"^[* ]\s+([0-9a-f]{8})\s+-?\d+\s", text, re.MULTILINE)
    assert rows == [c.short_id for c in history[:CHECKPOINTS_SHOWN]]
    assert "older checkpoints not shown" in text
    assert "Paused: done" in text


def test_a_hostile_payload_is_text_never_markup(sqlite: str) -> None:
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=sqlite)
    dbg.start({"some_text": HOSTILE})
    markup = snapshot_html(dbg)
    parsed = Parsed(markup)
    assert_inert(parsed)
    assert set(parsed.tags) <= {"div", "pre", "span", "svg", "g", "title", "rect", "text", "path", "polygon"}
    assert parsed.text.count(HOSTILE) == 2  # the state and the interrupt, as text
    assert "<script" not in markup and "<img" not in markup


def test_the_snapshot_is_bounded(sqlite: str) -> None:
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=sqlite)
    dbg.start({"some_text": "x" * 2_000_000})
    assert len(snapshot_html(dbg)) < 12_000  # the value is cut, in the state and in the interrupt
    chat = hw.debug(graphs.chat_agent(history=300), checkpointer=sqlite)
    chat.start({"messages": [("user", "y" * 100_000)]})
    text = Parsed(snapshot_html(chat)).text
    assert len(text) < 16_000
    assert "earlier not shown" in text  # the last messages only


def test_a_graph_too_large_to_draw_is_counted(sqlite: str) -> None:
    names = tuple(f"step_{i}" for i in range(NODES_DRAWN))  # with start and end: 2 more
    dbg = hw.debug(graphs.pipeline(names), checkpointer=sqlite)
    parsed = Parsed(snapshot_html(dbg))
    assert "svg" not in parsed.tags
    assert f"Graph: {NODES_DRAWN + 2} nodes, {NODES_DRAWN + 1} edges (too many to draw here)" in parsed.text


def test_each_view_shows_its_own_parts(sqlite: str) -> None:
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=sqlite)
    dbg.start({"some_text": "draft"})
    graph = Parsed(snapshot_html(dbg, hw.GraphView.static_parts))
    assert "svg" in graph.tags and "Newest checkpoints" not in graph.text
    tree = Parsed(snapshot_html(dbg, hw.CheckpointTree.static_parts)).text
    assert "Newest checkpoints" in tree and "Pending interrupts" not in tree
    assert "svg" not in Parsed(snapshot_html(dbg, hw.InterruptPanel.static_parts)).tags


def test_an_empty_thread_shows_its_graph(sqlite: str) -> None:
    dbg = hw.debug(graphs.text_to_revise(), checkpointer=sqlite)
    parsed = Parsed(snapshot_html(dbg))
    assert "human_node" in parsed.nodes and "No checkpoints yet." in parsed.text


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The notebook of `saved_notebook`, executed and written to disk."""
    path = tmp_path_factory.mktemp("saved") / "saved.ipynb"
    nbformat.write(executed_notebook(), str(path))
    return path


def test_a_displayed_debugger_is_its_snapshot_then_the_live_widget(saved: Path) -> None:
    notebook = nbformat.read(str(saved), as_version=4)
    for cell in notebook.cells[1:]:
        snapshot, widget = cell.outputs
        assert snapshot.output_type == widget.output_type == "display_data"
        assert set(snapshot.data) == {"text/html"}
        assert f'class="{STATIC_CLASS}"' in snapshot.data["text/html"]
        assert snapshot.data["text/html"].startswith(f"<style>{LAB_RULES}</style>")
        assert WIDGET_MIME in widget.data and "text/html" not in widget.data
    assert "<Debugger thread=" in notebook.cells[1].outputs[1].data["text/plain"]


def test_nbconvert_shows_the_snapshot_of_a_saved_notebook(saved: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", str(saved)], check=True, capture_output=True
    )
    page = saved.with_suffix(".html").read_text()
    body = page[page.index("<body") :]
    parsed = Parsed(body[: body.rindex("</body>")])
    assert parsed.text.count("a saved view: run the cell for the live debugger") == 2  # dbg, GraphView
    # the cell's code, then the debugger's state and interrupt, as text
    assert parsed.text.count(HOSTILE) == 3
    assert "Paused: interrupt at checkpoint" in parsed.text
    assert {"__start__", "human_node", "__end__"} <= set(parsed.nodes)
    assert "img" not in parsed.tags
    assert not [name for name, _ in parsed.attributes if name.startswith("on")]


def test_the_saved_snapshot_is_where_the_debugger_stood_last() -> None:
    notebook = executed_notebook([*CELLS, 'dbg.resume("edited")'])
    snapshot = Parsed(notebook.cells[1].outputs[0].data["text/html"]).text
    assert "Paused: done" in snapshot and 'some_text: "edited"' in snapshot
    assert "No pending interrupts." in snapshot and HOSTILE not in snapshot


def test_the_node_that_asks_inside_a_subgraph_is_marked(sqlite: str) -> None:
    dbg = hw.debug(graphs.subgraph_interrupt(), checkpointer=sqlite)
    assert dbg.start({"topic": "otters", "notes": [], "findings": []}).reason == "interrupt"
    markup = snapshot_html(dbg, ("graph",))
    marked = re.findall(r'data-node="([^"]+)"><rect [^>]*stroke="#d9534f"', markup)
    assert marked == ["team", "team:ask_human"]  # the subgraph's box, then the node in it
