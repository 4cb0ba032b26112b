"""A checkpoint becomes a regression test: `Debugger.to_test` writes a pytest file and its fixture
from a checkpoint of a real graph kept in a module; the file is run by pytest in a subprocess,
green as written, red (showing the difference) once the node's behaviour changes.

Each graph module is written into the test's tmp folder, imported here, and imported by the
generated test from there (pytest puts a test file's folder on `sys.path`).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import graphs
import pytest
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver

import hitl_widgets as hw
from hitl_widgets import testing
from hitl_widgets.testing import comparable

PACKAGE_ROOT = Path(hw.__file__).resolve().parent.parent

SHOP = """
import operator
from typing import Annotated

from typing_extensions import TypedDict
from langgraph.graph import END, START, StateGraph


class Cart(TypedDict):
    items: Annotated[list[str], operator.add]
    total: int


def pick(state: Cart) -> dict:
    return {"items": ["apple", "pear"]}


def price(state: Cart) -> dict:
    return {"total": PRICE * len(state["items"])}


PRICE = 3
builder = StateGraph(Cart)
builder.add_node("pick", pick)
builder.add_node("price", price)
builder.add_edge(START, "pick")
builder.add_edge("pick", "price")
builder.add_edge("price", END)
graph = builder.compile()
"""

ASYNC_DESK = """
import asyncio

from typing_extensions import TypedDict
from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt


class Desk(TypedDict):
    question: str
    draft: str


async def draft(state: Desk) -> dict:
    await asyncio.sleep(0)
    return {"draft": state["question"].upper()}


async def review(state: Desk) -> dict:
    answer = interrupt({"check": state["draft"], "tone": TONE})
    return {"draft": answer}


TONE = "polite"
builder = StateGraph(Desk)
builder.add_node("draft", draft)
builder.add_node("review", review)
builder.add_edge(START, "draft")
builder.add_edge("draft", "review")
builder.add_edge("review", END)
graph = builder.compile()
"""

CHAT = """
from typing import Annotated

from typing_extensions import TypedDict
from langchain_core.messages import AnyMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages

from hitl_widgets.fake_llm import ScriptedChatModel


class Chat(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


MODEL = ScriptedChatModel(script=[REPLY])


def agent(state: Chat) -> dict:
    return {"messages": [MODEL.invoke(state["messages"])]}


def make_graph():
    builder = StateGraph(Chat)
    builder.add_node("agent", agent)
    builder.add_edge(START, "agent")
    builder.add_edge("agent", END)
    return builder.compile()
"""


NOTEBOOK = """
from langgraph.graph import END, START, StateGraph
from shop_moved import Cart

def pick(state):
    return {"items": ["apple", "pear"]}

def price(state):
    return {"total": 3 * len(state["items"])}

builder = StateGraph(Cart)
builder.add_node("pick", pick)
builder.add_node("price", price)
builder.add_edge(START, "pick")
builder.add_edge("pick", "price")
builder.add_edge("price", END)
graph = builder.compile()
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], ModuleType]]:
    """`module(name, source)`: the module written to tmp_path and imported."""
    monkeypatch.syspath_prepend(str(tmp_path))
    made: list[str] = []

    def make(name: str, source: str) -> ModuleType:
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
        made.append(name)
        importlib.invalidate_caches()
        return importlib.import_module(name)

    yield make
    for name in made:
        sys.modules.pop(name, None)


def pytest_run(test_file: Path) -> subprocess.CompletedProcess[str]:
    """The generated test run by pytest in its own process, from its folder."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file.name],
        cwd=test_file.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def at_next(dbg: hw.Debugger, *nodes: str) -> hw.Checkpoint:
    return next(cp for cp in dbg.history() if cp.next == nodes)


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "__pycache__")


def test_a_checkpoint_becomes_a_test_that_fails_when_the_node_changes(
    tmp_path: Path, module: Callable[[str, str], ModuleType]
) -> None:
    shop = module("shop", SHOP)
    dbg = hw.debug(shop.graph, checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}")
    dbg.start({"items": [], "total": 0})
    before = [cp.id for cp in dbg.history()]
    cp = at_next(dbg, "price")

    written = dbg.to_test(cp.short_id, tmp_path / "test_price.py")

    assert written == tmp_path / "test_price.py"
    source = written.read_text()
    assert 'GRAPH = "shop:graph"' in source
    assert "# ---- EXPECTED" in source and "#   {'total': 6}" in source
    assert 'expected = FIXTURE.update("price")' in source
    assert f"{cp.id} (step {cp.step}) of thread" in source
    fixture = testing.load_checkpoint(tmp_path / "test_price.fixture.json")
    assert (fixture.checkpoint_id, fixture.update("price")) == (cp.id, {"total": 6})
    assert [c.id for c in dbg.history()] == before  # the thread is untouched

    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--quiet", str(written)],
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout  # valid Python, no unused names

    green = pytest_run(written)
    assert green.returncode == 0, green.stdout + green.stderr
    assert "1 passed" in green.stdout

    (tmp_path / "shop.py").write_text(textwrap.dedent(SHOP).replace("PRICE = 3", "PRICE = 4"))
    red = pytest_run(written)
    assert red.returncode == 1
    assert "1 failed" in red.stdout
    assert "assert {'total': 8} == {'total': 6}" in red.stdout


def test_the_expected_update_written_by_hand_is_checked(
    tmp_path: Path, module: Callable[[str, str], ModuleType]
) -> None:
    shop = module("shop_pinned", SHOP)
    dbg = hw.debug(shop.graph, checkpointer="memory")
    dbg.start({"items": [], "total": 0})
    written = dbg.to_test(at_next(dbg, "price").id, tmp_path / "test_pinned.py")
    source = written.read_text()
    written.write_text(source.replace('expected = FIXTURE.update("price")', "expected = {'total': 7}"))
    red = pytest_run(written)
    assert red.returncode == 1 and "assert {'total': 6} == {'total': 7}" in red.stdout


def test_an_async_node_that_asks(tmp_path: Path, module: Callable[[str, str], ModuleType]) -> None:
    desk = module("async_desk", ASYNC_DESK)
    dbg = hw.debug(desk.graph, checkpointer=f"sqlite:{tmp_path / 'threads.sqlite'}")
    pause = dbg.start({"question": "why?", "draft": ""})
    assert pause.reason == "interrupt"
    cp = at_next(dbg, "review")

    written = dbg.to_test(cp.id, tmp_path / "test_review.py")

    fixture = testing.load_checkpoint(tmp_path / "test_review.fixture.json")
    assert fixture.update("review") is None
    assert fixture.interrupts("review") == ({"check": "WHY?", "tone": "polite"},)
    assert 'asked = FIXTURE.interrupts("review")' in written.read_text()
    green = pytest_run(written)
    assert green.returncode == 0, green.stdout + green.stderr

    (tmp_path / "async_desk.py").write_text(textwrap.dedent(ASYNC_DESK).replace('"polite"', '"curt"'))
    red = pytest_run(written)
    assert red.returncode == 1
    assert "'tone': 'curt'" in red.stdout and "'tone': 'polite'" in red.stdout


def test_messages_compare_without_their_run_ids(
    tmp_path: Path, module: Callable[[str, str], ModuleType]
) -> None:
    chat = module("chat_graph", CHAT.replace("[REPLY]", "['Owls hunt at night.']"))
    dbg = hw.debug(chat.make_graph(), checkpointer="memory")
    dbg.start({"messages": [("user", "Tell me about owls")]})
    cp = at_next(dbg, "agent")

    # a graph made by a function and kept in no global: the import path is given
    written = dbg.to_test(cp.id, tmp_path / "test_agent.py", graph_import="chat_graph:make_graph")

    fixture = testing.load_checkpoint(tmp_path / "test_agent.fixture.json")
    again = testing.run_node("chat_graph:make_graph", fixture, "agent")
    recorded, fresh = fixture.update("agent")["messages"][0], again.update["messages"][0]
    assert recorded.content == fresh.content == "Owls hunt at night."
    assert recorded.id != fresh.id  # every run names its message anew...
    assert comparable(again.update) == comparable(fixture.update("agent"))  # ...and that is not compared
    assert "without their `id`" in written.read_text()
    green = pytest_run(written)
    assert green.returncode == 0, green.stdout + green.stderr

    (tmp_path / "chat_graph.py").write_text(
        textwrap.dedent(CHAT).replace("[REPLY]", "['Owls sleep at night.']")
    )
    red = pytest_run(written)
    assert red.returncode == 1
    assert "Owls sleep at night." in red.stdout and "Owls hunt at night." in red.stdout


def test_a_node_named_instead_of_the_next(tmp_path: Path, module: Callable[[str, str], ModuleType]) -> None:
    shop = module("shop_named", SHOP)
    dbg = hw.debug(shop.graph, checkpointer="memory")
    dbg.start({"items": ["fig"], "total": 0})
    first = at_next(dbg, "pick")  # pick ran next; price is tested on that state

    written = dbg.to_test(first.id, tmp_path / "test_early_price.py", node="price")

    source = written.read_text()
    assert "def test_price() -> None:" in source and "def test_pick" not in source
    assert testing.load_checkpoint(tmp_path / "test_early_price.fixture.json").update("price") == {"total": 3}
    green = pytest_run(written)
    assert green.returncode == 0, green.stdout + green.stderr


def test_a_notebook_graph_fails_until_pointed_at_the_graph(
    tmp_path: Path, module: Callable[[str, str], ModuleType]
) -> None:
    module("shop_moved", SHOP)  # where the graph will move; the notebook builds its own
    notebook: dict[str, Any] = {"__name__": "__main__"}  # a notebook's namespace
    exec(NOTEBOOK, notebook)
    dbg = hw.debug(notebook["graph"], checkpointer="memory")
    dbg.start({"items": [], "total": 0})

    written = dbg.to_test(at_next(dbg, "price").id, tmp_path / "test_nb.py")

    source = written.read_text()
    assert "\nGRAPH = None\n" in source and 'GRAPH = "my_agent.graph:graph"' in source
    unset = pytest_run(written)
    assert unset.returncode == 1
    assert "GRAPH is not set: this test was written from a graph defined in a notebook" in unset.stdout

    written.write_text(source.replace("\nGRAPH = None\n", '\nGRAPH = "shop_moved:graph"\n'))
    green = pytest_run(written)
    assert green.returncode == 0, green.stdout + green.stderr


def test_several_next_nodes_get_a_test_each(tmp_path: Path, module: Callable[[str, str], ModuleType]) -> None:
    fan = module(
        "fan_out",
        """
        import operator
        from typing import Annotated

        from typing_extensions import TypedDict
        from langgraph.graph import START, StateGraph


        class Seen(TypedDict):
            seen: Annotated[list[str], operator.add]


        builder = StateGraph(Seen)
        builder.add_node("left", lambda s: {"seen": ["left"]})
        builder.add_node("right side", lambda s: {"seen": ["right"]})
        builder.add_edge(START, "left")
        builder.add_edge(START, "right side")
        graph = builder.compile()
        """,
    )
    dbg = hw.debug(fan.graph, checkpointer="memory")
    dbg.start({"seen": []})
    written = dbg.to_test(at_next(dbg, "left", "right side").id, tmp_path / "test_fan.py")
    source = written.read_text()
    assert "def test_left() -> None:" in source and "def test_right_side() -> None:" in source
    green = pytest_run(written)
    assert green.returncode == 0, green.stdout + green.stderr
    assert "2 passed" in green.stdout


# ---------------------------------------------------------------- bad input: nothing written


@pytest.fixture
def shop_dbg(tmp_path: Path, module: Callable[[str, str], ModuleType]) -> hw.Debugger:
    dbg = hw.debug(module("shop_bad", SHOP).graph, checkpointer="memory")
    dbg.start({"items": [], "total": 0})
    return dbg


def refused(dbg: hw.Debugger, folder: Path, match: str, *args: Any, **kwargs: Any) -> None:
    before = files(folder)
    with pytest.raises(hw.DebuggerError, match=match):
        dbg.to_test(*args, **kwargs)
    assert files(folder) == before


def test_unknown_and_ambiguous_checkpoints_are_refused(shop_dbg: hw.Debugger, tmp_path: Path) -> None:
    target = tmp_path / "test_x.py"
    refused(shop_dbg, tmp_path, "no checkpoint 'zzzzzz'", "zzzzzz", target)
    ids = [cp.id for cp in shop_dbg.history()]
    shared = ids[0][:6]  # UUIDv6: checkpoints made in one run share their leading (time) characters
    assert sum(i.startswith(shared) for i in ids) > 1
    refused(shop_dbg, tmp_path, "is ambiguous", shared, target)


def test_unknown_nodes_are_refused_naming_the_nodes(shop_dbg: hw.Debugger, tmp_path: Path) -> None:
    last = shop_dbg.history()[0]
    refused(
        shop_dbg, tmp_path, "needs a node of the graph: 'pick', 'price'", last.id, tmp_path / "t.py", "nope"
    )
    refused(shop_dbg, tmp_path, r"nothing ran after checkpoint .* name the node", last.id, tmp_path / "t.py")
    refused(
        shop_dbg,
        tmp_path,
        "cannot import 'no_such_module'",
        last.id,
        tmp_path / "t.py",
        "price",
        graph_import="no_such_module:graph",
    )
    refused(
        shop_dbg,
        tmp_path,
        "is 'package.module:name'",
        last.id,
        tmp_path / "t.py",
        "price",
        graph_import="shop_bad.graph",
    )


def test_paths_that_cannot_be_written_are_refused(shop_dbg: hw.Debugger, tmp_path: Path) -> None:
    cp = at_next(shop_dbg, "price").id
    refused(shop_dbg, tmp_path, "no folder .*missing", cp, tmp_path / "missing" / "test_x.py")
    (tmp_path / "test_dir.py").mkdir()
    refused(shop_dbg, tmp_path, "is a directory", cp, tmp_path / "test_dir.py")
    refused(shop_dbg, tmp_path, "must be a .py file", cp, tmp_path / "test_x.txt")
    refused(shop_dbg, tmp_path, "not a module name", cp, tmp_path / "test-x.py")
    # a folder no process may write in, root included (a read-only mode bit would not stop root)
    refused(shop_dbg, tmp_path, "cannot write .*nothing was written", cp, Path("/sys/test_x.py"))


class Box:
    """An object LangGraph's serializer has no encoding for (a saver that pickles keeps it)."""

    def __init__(self, size: int) -> None:
        self.size = size


def test_a_state_the_serializer_cannot_store_is_refused(
    tmp_path: Path, module: Callable[[str, str], ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes = module(
        "boxes",
        """
        from typing import Any

        from typing_extensions import TypedDict
        from langgraph.graph import END, START, StateGraph


        class Held(TypedDict):
            thing: Any
            n: int


        builder = StateGraph(Held)
        builder.add_node("count", lambda s: {"n": s["n"] + 1})
        builder.add_edge(START, "count")
        builder.add_edge("count", END)
        graph = builder.compile()
        """,
    )
    saver = SqliteSaver.from_conn_string(str(tmp_path / "pickles.sqlite"))
    with saver as pickling:
        pickling.serde = JsonPlusSerializer(pickle_fallback=True)
        dbg = hw.debug(boxes.graph, checkpointer=pickling)
        dbg.start({"thing": Box(3), "n": 0})
        cp = at_next(dbg, "count").id
        refused(
            dbg, tmp_path, "holds a value LangGraph's serializer cannot store", cp, tmp_path / "test_box.py"
        )

    notebook: dict[str, Any] = {"__name__": "__main__"}
    exec("from dataclasses import dataclass\n@dataclass\nclass Note:\n    text: str\n", notebook)
    monkeypatch.setattr(sys.modules["__main__"], "Note", notebook["Note"], raising=False)  # as in a kernel
    dbg = hw.debug(boxes.graph, checkpointer="memory")
    dbg.start({"thing": notebook["Note"]("hi"), "n": 0})
    refused(
        dbg,
        tmp_path,
        r"holds __main__\.Note, defined in the notebook",
        at_next(dbg, "count").id,
        tmp_path / "test_note.py",
    )


def test_a_node_that_raises_is_refused(tmp_path: Path, module: Callable[[str, str], ModuleType]) -> None:
    shop = module(
        "shop_raises",
        SHOP.replace('return {"total"', "raise ValueError('no prices today')\n    return {\"total\""),
    )
    dbg = hw.debug(shop.graph, checkpointer="memory")
    assert dbg.start({"items": [], "total": 0}).reason == "error"
    refused(
        dbg, tmp_path, "price raised ValueError: no prices today", at_next(dbg, "price").id, tmp_path / "t.py"
    )


def test_a_node_due_as_send_tasks_is_refused(tmp_path: Path) -> None:
    dbg = hw.debug(graphs.map_reduce(), checkpointer="memory")
    dbg.start({"items": [1, 2], "results": []})
    fanned = at_next(dbg, "work", "work").id
    refused(dbg, tmp_path, "'work' runs as Send tasks, each on its own input", fanned, tmp_path / "t.py")


def test_a_server_graph_is_refused(langgraph_server: Any, tmp_path: Path) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="pipeline")
    dbg.start({"input": "x", "trail": []})
    refused(dbg, tmp_path, "needs the graph in this kernel", dbg.history()[-1].id, tmp_path / "t.py")


def test_the_run_context_and_config_go_with_the_fixture(
    tmp_path: Path, module: Callable[[str, str], ModuleType]
) -> None:
    greeter = module(
        "greeter",
        """
        from dataclasses import dataclass

        from typing_extensions import TypedDict
        from langchain_core.runnables import RunnableConfig
        from langgraph.graph import END, START, StateGraph
        from langgraph.runtime import Runtime


        @dataclass
        class Who:
            user: str


        class Greeting(TypedDict):
            text: str


        def greet(state: Greeting, config: RunnableConfig, runtime: Runtime[Who]) -> dict:
            return {"text": f"{config['configurable']['greeting']}, {runtime.context.user}"}


        builder = StateGraph(Greeting, context_schema=Who)
        builder.add_node("greet", greet)
        builder.add_edge(START, "greet")
        builder.add_edge("greet", END)
        graph = builder.compile()
        """,
    )
    dbg = hw.debug(
        greeter.graph,
        checkpointer="memory",
        context=greeter.Who("ann"),
        config={"configurable": {"greeting": "Hello"}},
    )
    dbg.start({"text": ""})
    written = dbg.to_test(at_next(dbg, "greet").id, tmp_path / "test_greet.py")

    fixture = testing.load_checkpoint(tmp_path / "test_greet.fixture.json")
    assert (fixture.context, fixture.update("greet")) == (greeter.Who("ann"), {"text": "Hello, ann"})
    other = testing.run_node(greeter.graph, fixture, "greet", context=greeter.Who("bob"))
    assert other.update == {"text": "Hello, bob"}  # a test may give its own
    green = pytest_run(written)
    assert green.returncode == 0, green.stdout + green.stderr


def test_fixtures_and_graphs_a_test_cannot_use_say_why(
    tmp_path: Path, module: Callable[[str, str], ModuleType]
) -> None:
    shop = module("shop_fixture", SHOP)
    dbg = hw.debug(shop.graph, checkpointer="memory")
    dbg.start({"items": [], "total": 0})
    dbg.to_test(at_next(dbg, "price").id, tmp_path / "test_p.py")
    path = tmp_path / "test_p.fixture.json"
    fixture = testing.load_checkpoint(path)

    with pytest.raises(hw.DebuggerError, match="the graph has no node 'cost'; its nodes: 'pick', 'price'"):
        testing.run_node(shop.graph, fixture, "cost")
    with pytest.raises(hw.DebuggerError, match="the fixture recorded no node 'pick'; it has: price"):
        fixture.update("pick")
    with pytest.raises(hw.DebuggerError, match="GRAPH is not set"):
        testing.run_node(None, fixture, "price")
    path.write_text(path.read_text().replace('"version": 1', '"version": 2'))
    with pytest.raises(hw.DebuggerError, match="version 2; this hitl_widgets reads version 1"):
        testing.load_checkpoint(path)
    with pytest.raises(hw.DebuggerError, match="cannot read the checkpoint fixture"):
        testing.load_checkpoint(tmp_path / "missing.fixture.json")
