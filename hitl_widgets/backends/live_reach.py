"""Whether a graph can stream more than node updates, found before a live run.

Asking LangGraph for tokens ("messages"), custom events ("custom") or subgraph events makes it
run every node on a worker thread, so that those can stream while the node runs: on a graph of
quick nodes that costs ~14 % of the run (`benchmarks/streaming.py`). A graph whose nodes can make
none of them loses nothing by not asking: its node starts and updates stream just as live from
LangGraph's inline path.

The answer is found from the compiled graph and only ever errs towards asking. A graph streams
updates only when its state holds plain data (TypedDicts of numbers, strings, lists, dicts...)
and every node and branch is a plain function of it whose code reaches nothing but safe
builtins, a short list of pure standard-library modules, immutable constants, TypedDicts and
other such functions, read from its bytecode: what it loads as a global, imports, or binds as a
default or in its closure. Anything else — a model, a tool, a subgraph, an injected config,
runtime or writer, a mutable or reassigned global, an import of another module, `print` or
`logging` (a handler may forward to a writer), an object the walk cannot see into, a graph shape
it does not know — may stream, and the run asks LangGraph for everything.
"""

from __future__ import annotations

import builtins
import dis
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any

from langchain_core.runnables.config import run_in_executor
from langgraph.pregel import Pregel
from typing_extensions import is_typeddict  # knows typing_extensions' TypedDicts too

# Attribute or global names that reach a stream writer or what carries one (the run's config or
# runtime): a node that names one may stream.
_STREAMING_NAMES = frozenset(
    {"get_stream_writer", "stream_writer", "push_ui_message", "get_runtime", "get_config"}
)
# Modules whose functions compute and return, and never call back into code they were not given.
_PURE_MODULES = frozenset(
    {
        "asyncio", "base64", "binascii", "bisect", "calendar", "cmath", "collections", "copy",
        "dataclasses", "datetime", "decimal", "difflib", "enum", "fractions", "functools",
        "genericpath", "hashlib", "heapq", "itertools", "json", "math", "numbers", "operator",
        "os", "posixpath", "ntpath", "random", "re", "secrets", "statistics", "string", "struct",
        "textwrap", "threading", "time", "typing", "unicodedata", "uuid", "zlib", "zoneinfo",
    }
)  # fmt: skip
# Builtins that run code no walk can see, or write where a user may have hooked a writer.
_UNSAFE_BUILTINS = frozenset(
    {"eval", "exec", "compile", "__import__", "breakpoint", "input", "print", "help", "globals",
     "locals", "vars", "setattr", "delattr"}
)  # fmt: skip
_PLAIN_DATA = (type(None), bool, int, float, complex, str, bytes)
_GLOBAL_LOADS = frozenset({"LOAD_GLOBAL", "LOAD_NAME"})
_GLOBAL_WRITES = frozenset({"STORE_GLOBAL", "DELETE_GLOBAL", "STORE_NAME", "DELETE_NAME"})
_MAX_FUNCTIONS = 200  # a walk that reaches further than this is no longer a graph of plain steps


def streams_updates_only(graph: Pregel[Any, Any, Any, Any]) -> bool:
    """True when no node of `graph` can stream tokens, custom events or subgraph events."""
    walk = _Walk()
    try:
        return (
            _plain_schemas(graph)
            and not any(True for _ in graph.get_subgraphs())
            and all(
                walk.runnable(node.bound) and all(walk.writer(w) for w in node.writers)
                for node in graph.nodes.values()
            )
        )
    except Exception:  # a shape this walk does not know, a structure too deep to walk: ask
        return False


def _plain_schemas(graph: Any) -> bool:
    """The graph's states, inputs and outputs hold plain data only (no object with methods a
    node could call through what it was given)."""
    schemas = getattr(getattr(graph, "builder", None), "schemas", None)
    return isinstance(schemas, Mapping) and bool(schemas) and all(map(_plain_typeddict, schemas))


def _plain_typeddict(schema: Any) -> bool:
    return is_typeddict(schema) and all(
        _plain_type(hint) for hint in typing.get_type_hints(schema, include_extras=True).values()
    )


def _plain_type(hint: Any) -> bool:
    """A state field's type holds plain data: numbers, strings, containers of them, TypedDicts."""
    if is_typeddict(hint):
        return _plain_typeddict(hint)
    if hint in _PLAIN_DATA:
        return True
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:  # a reducer rides along: LangGraph's, or a plain function's
        return _plain_type(typing.get_args(hint)[0])
    if origin is typing.Literal:
        return all(isinstance(arg, _PLAIN_DATA) for arg in typing.get_args(hint))
    if origin in (typing.Union, types.UnionType, list, dict, tuple, set, frozenset) or (
        origin is not None and getattr(origin, "__module__", "") == "collections.abc"
    ):
        return all(arg is Ellipsis or _plain_type(arg) for arg in typing.get_args(hint))
    return hint in (list, dict, tuple, set, frozenset)


class _Walk:
    """One walk over a graph's code. A function met again counts as plain: it is either being
    walked (a recursion) or was found plain, since the first one found not to be ends the walk."""

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
        reached: list[Any] = [*(func.__defaults__ or ()), *(func.__kwdefaults__ or {}).values()]
        try:  # what its closure holds (a cell not filled yet raises: its value is not known)
            reached += [cell.cell_contents for cell in func.__closure__ or ()]
        except ValueError:
            return False
        for op, name in _uses(func.__code__):
            if name in _STREAMING_NAMES or op in _GLOBAL_WRITES:
                return False
            if op == "IMPORT_NAME" and name.split(".", 1)[0] not in _PURE_MODULES:
                return False
            if op in _GLOBAL_LOADS:
                if name in func.__globals__:
                    reached.append(func.__globals__[name])
                elif name in _UNSAFE_BUILTINS or not hasattr(builtins, name):
                    return False  # a builtin that may reach a writer, or a name not bound yet
                else:  # judged like any value: a name someone put in builtins is no builtin
                    reached.append(getattr(builtins, name))
        return all(self._value(value) for value in reached)

    def _value(self, value: Any) -> bool:
        """What a function's code can reach through one of its names."""
        if isinstance(value, _PLAIN_DATA):
            return True
        if isinstance(value, (tuple, frozenset)):
            return all(self._value(item) for item in value)
        if isinstance(value, (types.FunctionType, types.MethodType)) and _pure(value.__module__ or ""):
            return True  # `from json import loads`, `from random import randint`
        if isinstance(value, types.FunctionType):
            return self._function(value)
        if isinstance(value, functools.partial):
            return self._value((value.func, value.args, tuple(value.keywords.values())))
        if isinstance(value, types.ModuleType):
            return _pure(value.__name__)
        if isinstance(value, types.BuiltinFunctionType):
            owner = value.__self__
            return (
                isinstance(owner, types.ModuleType)
                and _pure(owner.__name__)
                and value.__name__ not in _UNSAFE_BUILTINS
            )
        if isinstance(value, type):
            return is_typeddict(value) or _pure(value.__module__)
        return False


@functools.lru_cache(maxsize=4096)  # code objects are immutable; a run walks the same ones again
def _uses(code: types.CodeType) -> tuple[tuple[str, str], ...]:
    """(operation, name) of every name a function's code loads, stores, imports or looks up as an
    attribute (and every string it could look one up by), its nested functions' included."""
    found = [(i.opname, i.argval) for i in dis.get_instructions(code) if isinstance(i.argval, str)]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found += _uses(const)
    return tuple(found)


def _pure(module: str) -> bool:
    return module.split(".", 1)[0] in _PURE_MODULES or module == builtins.__name__
