"""Whether a graph can stream more than node updates, found before a live run.

Asking LangGraph for tokens ("messages"), custom events ("custom") or subgraph events makes it
run every node on a worker thread, so that those can stream while the node runs: on a graph of
quick nodes that costs ~14 % of the run (`benchmarks/streaming.py`). A graph whose nodes can make
none of them loses nothing by not asking: its node starts and updates stream just as live from
LangGraph's inline path.

The answer is found from the compiled graph, and only ever errs towards asking: a graph streams
updates only when every node and every branch is a plain function of the state whose code
reaches nothing but builtins, the standard library, immutable constants, TypedDicts and other
such functions. Anything else — a model, a tool, a subgraph, an injected config, runtime or
writer, a mutable global, a graph shape this walk does not know — may stream, and the run asks
LangGraph for everything.
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Iterator
from typing import Any, is_typeddict

from langchain_core.runnables.config import run_in_executor
from langgraph.pregel import Pregel

# Names that reach a stream writer or what carries one (the run's config or runtime), and
# builtins that run code no walk can see.
_STREAMING_NAMES = frozenset(
    {"get_stream_writer", "stream_writer", "push_ui_message", "get_runtime", "get_config"}
)
_OPAQUE_NAMES = frozenset({"eval", "exec", "compile", "__import__"})
_PLAIN_DATA = (type(None), bool, int, float, complex, str, bytes)
_MAX_FUNCTIONS = 200  # a walk that reaches further than this is no longer a graph of plain steps


def streams_updates_only(graph: Pregel[Any, Any, Any, Any]) -> bool:
    """True when no node of `graph` can stream tokens, custom events or subgraph events."""
    walk = _Walk()
    try:
        return not any(True for _ in graph.get_subgraphs()) and all(
            walk.runnable(node.bound) and all(walk.writer(w) for w in node.writers)
            for node in graph.nodes.values()
        )
    except (AttributeError, TypeError, ValueError):  # a shape this walk does not know: ask
        return False


class _Walk:
    def __init__(self) -> None:
        self._seen: set[int] = set()

    def writer(self, writer: Any) -> bool:
        """A node's writer: LangGraph's own channel write, or its router running a branch's path."""
        kind = type(writer)
        if kind.__module__.startswith("langgraph.") and kind.__qualname__ == "ChannelWrite":
            return True
        branch: Any = getattr(getattr(writer, "func", None), "__self__", None)
        if type(branch).__qualname__ == "BranchSpec" and type(branch).__module__.startswith("langgraph."):
            return self.runnable(branch.path)
        return self.runnable(writer)

    def runnable(self, runnable: Any) -> bool:
        """A node or branch as LangGraph wraps a plain function: nothing injected into it."""
        accepts = getattr(runnable, "func_accepts", None)
        if type(runnable).__qualname__ != "RunnableCallable" or not isinstance(accepts, dict) or accepts:
            return False
        func, afunc = getattr(runnable, "func", None), getattr(runnable, "afunc", None)
        if isinstance(afunc, functools.partial) and afunc.func is run_in_executor and func in afunc.args:
            afunc = None  # LangGraph's async path to the same sync function
        return all(
            isinstance(f, types.FunctionType) and self._function(f) for f in (func, afunc) if f is not None
        )

    def _function(self, func: types.FunctionType) -> bool:
        if id(func) in self._seen:
            return True
        self._seen.add(id(func))
        if len(self._seen) > _MAX_FUNCTIONS:
            return False
        names = set(_names(func.__code__))
        if names & (_STREAMING_NAMES | _OPAQUE_NAMES):
            return False
        try:  # what its closure holds (a cell not filled yet raises: its value is not known)
            reached = [cell.cell_contents for cell in func.__closure__ or ()]
        except ValueError:
            return False
        # Other names are globals, builtins, or attributes of what the node was given.
        reached += [func.__globals__[name] for name in names if name in func.__globals__]
        return all(self._value(value) for value in reached)

    def _value(self, value: Any) -> bool:
        """What a function's code can reach through one of its names."""
        if isinstance(value, _PLAIN_DATA):
            return True
        if isinstance(value, (tuple, frozenset)):
            return all(self._value(item) for item in value)
        if isinstance(value, types.FunctionType):
            return self._function(value)
        if isinstance(value, functools.partial):
            return (
                self._value(value.func)
                and self._value(value.args)
                and all(map(self._value, value.keywords.values()))
            )
        if isinstance(value, types.ModuleType):
            return _is_standard(value.__name__)
        if isinstance(value, types.BuiltinFunctionType):
            return value.__self__ is None or isinstance(value.__self__, types.ModuleType)
        if isinstance(value, type):
            return is_typeddict(value) or _is_standard(value.__module__)
        return False


def _names(code: types.CodeType) -> Iterator[str]:
    """The global and attribute names a function's code uses (and the strings it could look
    one up by), its nested functions' included."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)
        elif isinstance(const, str):
            yield const


def _is_standard(module: str) -> bool:
    return module.split(".", 1)[0] in sys.stdlib_module_names  # "builtins" among them
