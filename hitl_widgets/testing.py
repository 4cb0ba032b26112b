"""What a regression test written by `Debugger.to_test` calls: load the checkpoint fixture, run a
node on it, compare updates.

```python
from hitl_widgets.testing import comparable, load_checkpoint, run_node

FIXTURE = load_checkpoint("test_agent.fixture.json")
ran = run_node("my_agent.graph:graph", FIXTURE, "agent")
assert comparable(ran.update) == comparable(FIXTURE.update("agent"))
```

The node runs in a real LangGraph step (its reducers, runtime, config and context as in a run)
on a copy of the checkpoint held in memory, as `Debugger.try_node` runs it: one engine for
both. Nothing is saved anywhere; what the node does outside the graph (an API it calls) happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage
from langgraph.graph import StateGraph
from langgraph.pregel import Pregel

from hitl_widgets.backends import fixture as fixtures
from hitl_widgets.backends.fixture import Fixture
from hitl_widgets.backends.graph_import import load_graph
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.factory import compiled_graph
from hitl_widgets.serialize import object_fields

__all__ = ["Fixture", "NodeRun", "comparable", "load_checkpoint", "run_node"]

GraphSpec = str | Pregel[Any, Any, Any, Any] | StateGraph[Any, Any, Any, Any] | None

GRAPH_NOT_SET = (
    "GRAPH is not set: this test was written from a graph defined in a notebook (or made by a "
    "function and kept in no module), which a test cannot import. Set GRAPH in the test file to "
    "the graph's import path 'package.module:name' (the compiled graph, its StateGraph builder, "
    "or a function that returns either), or to the graph itself"
)


@dataclass(frozen=True)
class NodeRun:
    """What one node did on the fixture's state: its `update` (None if it raised an
    interrupt) and the values of the interrupts it raised."""

    node: str
    update: Any
    interrupts: tuple[Any, ...] = ()


def load_checkpoint(path: str | PathLike[str]) -> Fixture:
    """The checkpoint fixture written beside a test by `Debugger.to_test`."""
    where = Path(path)
    try:
        text = where.read_text(encoding="utf-8")
    except OSError as exc:
        raise DebuggerError(f"cannot read the checkpoint fixture {str(where)!r}: {exc.strerror}") from None
    return fixtures.loads(text, repr(str(where)))


def run_node(
    graph: GraphSpec,
    fixture: Fixture,
    node: str,
    *,
    config: Mapping[str, Any] | None = None,
    context: Any = None,
) -> NodeRun:
    """Run `node` of `graph` once on the fixture's state and say what it wrote.

    `graph` is a compiled graph, a `StateGraph` builder, or an import path
    `package.module:name`. `config` and `context` default to the ones the Debugger's runs were
    given when the fixture was written.
    """
    compiled = _graph(graph)
    runnable = [name for name in compiled.nodes if name != "__start__"]
    if node not in runnable:
        raise DebuggerError(f"the graph has no node {node!r}; its nodes: {choices(runnable)}")
    update, asked = fixtures.run_node(
        compiled,
        fixture,
        node,
        fixture.config if config is None else config,
        fixture.context if context is None else context,
    )
    return NodeRun(node, update, asked)


def comparable(value: Any) -> Any:
    """`value` as plain data to compare with `==`, the same before and after the fixture's
    serializer: tuples as lists, pydantic models, dataclasses and namedtuples as their class
    name and fields, LangChain messages without their `id` (a new one is made by every run)."""
    if isinstance(value, Mapping):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)) and not hasattr(value, "_asdict"):
        return [comparable(item) for item in value]
    fields = _fields(value)
    if fields is None:
        return value
    if isinstance(value, BaseMessage):
        fields.pop("id", None)
    return {"(type)": type(value).__name__, **comparable(fields)}


def _fields(value: Any) -> dict[str, Any] | None:
    if hasattr(value, "_asdict") and callable(value._asdict):  # a namedtuple
        return dict(value._asdict())
    found = object_fields(value)
    return dict(found) if found is not None else None


def _graph(graph: GraphSpec) -> Pregel[Any, Any, Any, Any]:
    if graph is None:
        raise DebuggerError(GRAPH_NOT_SET)
    if isinstance(graph, str):
        return load_graph(graph)
    compiled: Pregel[Any, Any, Any, Any] = compiled_graph(
        graph, "run_node()", also=" or 'package.module:name'"
    )
    return compiled
