"""Where a regression test finds its graph: an import path `package.module:name`.

A test runs in another process, so it cannot be handed the graph object: it imports it. The
path is found for a graph that a module holds in a global (the compiled graph or its
`StateGraph` builder), looking first in the modules of the graph's node functions, then in
every imported module; a graph defined in a notebook (`__main__`) or made by a function and
kept nowhere has none, and the test says how to point it at the graph.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from langgraph.graph import StateGraph
from langgraph.pregel import Pregel

from hitl_widgets.errors import DebuggerError

_NOT_MODULES = ("__main__", "__mp_main__")


def find_import_path(graph: Pregel[Any, Any, Any, Any]) -> str | None:
    """`module:name` of a module-level global that is `graph` (or a compile of the same
    builder, or that builder), or None when no importable module holds it."""
    best: tuple[int, str] | None = None
    for module in _candidate_modules(graph):
        for name, value in list(vars(module).items()):
            rank = _rank(value, graph)
            if rank and not name.startswith("__") and (best is None or rank > best[0]):
                best = (rank, f"{module.__name__}:{name}")
        if best is not None:
            return best[1]
    return None


def load_graph(spec: str) -> Pregel[Any, Any, Any, Any]:
    """The graph at `package.module:name`: a compiled graph, a `StateGraph` builder (compiled
    here), or a function taking no arguments that returns either."""
    module_name, colon, attr = spec.partition(":")
    if not colon or not module_name or not attr:
        raise DebuggerError(f"a graph's import path is 'package.module:name', not {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise DebuggerError(
            f"cannot import {module_name!r} for the graph {spec!r} ({type(exc).__name__}: {exc}): "
            "run from the folder it is importable from, or set PYTHONPATH"
        ) from None
    if not hasattr(module, attr):
        raise DebuggerError(f"module {module_name!r} has no {attr!r} (the graph {spec!r})")
    value = getattr(module, attr)
    if callable(value) and not isinstance(value, (Pregel, StateGraph)):
        value = value()
    if isinstance(value, StateGraph):
        value = value.compile()
    if not isinstance(value, Pregel):
        raise DebuggerError(
            f"{spec!r} is a {type(value).__name__}, not a compiled graph, a StateGraph builder "
            "or a function that returns one"
        )
    return value


def _candidate_modules(graph: Pregel[Any, Any, Any, Any]) -> Iterator[ModuleType]:
    """The modules of the graph's node functions, then every other imported module."""
    first: list[str] = []
    for node in graph.nodes.values():
        func = getattr(node.bound, "func", None) or getattr(node.bound, "afunc", None)
        name = getattr(inspect.unwrap(func), "__module__", None) if func is not None else None
        if isinstance(name, str) and name not in first:
            first.append(name)
    names = first + [name for name in list(sys.modules) if name not in first]
    for name in names:
        module = sys.modules.get(name)
        if isinstance(module, ModuleType) and name not in _NOT_MODULES and module.__name__ == name:
            yield module


def _rank(value: Any, graph: Pregel[Any, Any, Any, Any]) -> int:
    """3: the graph itself; 2: a compile of its builder; 1: its builder; 0: another value
    (any value a module holds: a lazy proxy that fails when looked at is not the graph)."""
    try:
        return _same_graph(value, graph)
    except Exception:
        return 0


def _same_graph(value: Any, graph: Pregel[Any, Any, Any, Any]) -> int:
    builder = getattr(graph, "builder", None)
    if isinstance(value, Pregel):
        if value is graph:
            return 3
        if builder is not None and getattr(value, "builder", None) is builder:
            return 2
        same_nodes = value.nodes.keys() == graph.nodes.keys() and all(
            value.nodes[name] is node for name, node in graph.nodes.items()
        )
        return 2 if builder is None and same_nodes else 0
    return 1 if builder is not None and value is builder else 0
