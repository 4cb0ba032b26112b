"""The fixture of a regression test: a saved checkpoint and what nodes wrote on it, in one small
JSON document, and the run of one node on it.

Values are kept in LangGraph's own serializer format (`JsonPlusSerializer.dumps_typed`: a type
name and bytes, here in base64), so a test rebuilds exactly the state the saver kept: messages,
pydantic models, dataclasses, sets and the checkpoint's channel versions included. The run is
the what-if engine of `Debugger.try_node` (`local_try`), on a copy held in memory.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import Checkpoint
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.pregel import Pregel

from hitl_widgets.backends import local_try
from hitl_widgets.backends.local_async import async_only_parts
from hitl_widgets.errors import DebuggerError
from hitl_widgets.serialize import object_fields

FORMAT = "hitl_widgets.checkpoint-fixture"
VERSION = 1
SERIALIZER = "langgraph.checkpoint.serde.jsonplus.JsonPlusSerializer"
# The run config's parts that are data (callbacks and the like are not kept).
CONFIG_KEYS = ("configurable", "tags", "metadata", "recursion_limit")
# LangGraph's default serializer, as savers use it unless given another (an encrypting one
# would tie the fixture to its key).
_SERDE = JsonPlusSerializer()


@dataclass(frozen=True)
class NodeRecord:
    """What a node did on the fixture's state when the test was written."""

    update: Any
    interrupts: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Fixture:
    """A checkpoint as its saver kept it, the run config and context, and what each node did."""

    checkpoint: Checkpoint
    metadata: Mapping[str, Any]
    thread_id: str
    checkpoint_id: str
    config: Mapping[str, Any] = field(default_factory=dict)
    context: Any = None
    nodes: Mapping[str, NodeRecord] = field(default_factory=dict)

    def update(self, node: str) -> Any:
        """The update `node` wrote on this state when the test was written."""
        return self._record(node).update

    def interrupts(self, node: str) -> tuple[Any, ...]:
        """The values of the interrupts `node` raised on this state when the test was written."""
        return self._record(node).interrupts

    def _record(self, node: str) -> NodeRecord:
        if node not in self.nodes:
            raise DebuggerError(f"the fixture recorded no node {node!r}; it has: {', '.join(self.nodes)}")
        return self.nodes[node]


def run_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The data parts of a run config, which a fixture keeps."""
    return {key: value for key, value in (config or {}).items() if key in CONFIG_KEYS}


def dumps(fixture: Fixture) -> str:
    """The fixture as its JSON document; a value the serializer cannot store, or one a test in
    another process could not rebuild (a class defined in a notebook), is a `DebuggerError`."""
    where = f"checkpoint {fixture.checkpoint_id}"
    document = {
        "format": FORMAT,
        "version": VERSION,
        "serializer": SERIALIZER,
        "thread_id": fixture.thread_id,
        "checkpoint_id": fixture.checkpoint_id,
        "checkpoint": _typed(fixture.checkpoint, f"the state at {where}"),
        "metadata": _typed(dict(fixture.metadata), f"the metadata of {where}"),
        "config": _typed(dict(fixture.config), "the run config"),
        "context": _typed(fixture.context, "the run context"),
        "nodes": {
            node: {
                "update": _typed(record.update, f"the update of {node}"),
                "interrupts": _typed(list(record.interrupts), f"the interrupts of {node}"),
            }
            for node, record in fixture.nodes.items()
        },
    }
    return json.dumps(document, indent=1) + "\n"


def loads(text: str, where: str) -> Fixture:
    """The fixture in a JSON document written by `dumps`; `where` names it in errors."""
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} document")
        if document.get("version") != VERSION:
            raise ValueError(
                f"version {document.get('version')!r}; this hitl_widgets reads version {VERSION}"
            )
        nodes = {
            node: NodeRecord(_value(parts["update"]), tuple(_value(parts["interrupts"])))
            for node, parts in document["nodes"].items()
        }
        return Fixture(
            checkpoint=cast(Checkpoint, _value(document["checkpoint"])),
            metadata=_value(document["metadata"]),
            thread_id=document["thread_id"],
            checkpoint_id=document["checkpoint_id"],
            config=_value(document["config"]),
            context=_value(document["context"]),
            nodes=nodes,
        )
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise DebuggerError(f"{where} is not a checkpoint fixture hitl_widgets can read: {exc}") from None


def run_node(
    graph: Pregel[Any, Any, Any, Any],
    fixture: Fixture,
    node: str,
    config: Mapping[str, Any] | None,
    context: Any,
) -> tuple[Any, tuple[Any, ...]]:
    """(the update `node` writes, the values of the interrupts it raises) on the fixture's
    state, run in memory: nothing is saved anywhere."""
    memory = InMemorySaver()
    base = cast(RunnableConfig, {"configurable": {"thread_id": local_try.TRY_THREAD, "checkpoint_ns": ""}})
    checkpoint = fixture.checkpoint
    at = memory.put(base, checkpoint, dict(fixture.metadata), dict(checkpoint["channel_versions"]))  # type: ignore[arg-type]
    run_async = bool(async_only_parts(graph))
    return local_try.try_node(graph, memory, at, node, None, config, context, run_async)


def _typed(value: Any, what: str) -> dict[str, str]:
    try:
        kind, data = _SERDE.dumps_typed(value)
    except Exception as exc:
        raise DebuggerError(
            f"{what} holds a value LangGraph's serializer cannot store ({exc}): a test could not "
            "rebuild it; nothing was written"
        ) from None
    notebook = sorted(_notebook_types(value, set()))
    if notebook:
        raise DebuggerError(
            f"{what} holds {', '.join(notebook)}, defined in the notebook (__main__): a test runs in "
            "another process and cannot rebuild it; define it in a module; nothing was written"
        )
    return {"type": kind, "data": base64.b64encode(data).decode("ascii")}


def _value(typed: Mapping[str, str]) -> Any:
    return _SERDE.loads_typed((typed["type"], base64.b64decode(typed["data"], validate=True)))


def _notebook_types(value: Any, seen: set[int]) -> set[str]:
    """The classes defined in `__main__` that `value` holds: the serializer stores them by
    module and name, which no other process can import."""
    if id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None))):
        return set()
    seen.add(id(value))
    found = {f"__main__.{type(value).__qualname__}"} if type(value).__module__ == "__main__" else set()
    if isinstance(value, Mapping):
        parts: Any = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        parts = value
    else:
        parts = (object_fields(value) or {}).values()
    for part in parts:
        found |= _notebook_types(part, seen)
    return found
