"""`debug()`: the one call that binds a Debugger to a graph, in this kernel or on a server."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from hitl_widgets.backends.checkpointers import CheckpointerSpec, resolve_checkpointer
from hitl_widgets.debugger import Debugger
from hitl_widgets.errors import DebuggerError


def debug(
    graph: Any = None,
    *,
    thread_id: str | None = None,
    checkpointer: CheckpointerSpec = None,
    url: str | None = None,
    assistant_id: str | None = None,
    api_key: str | None = None,
    config: Mapping[str, Any] | None = None,
    context: Any = None,
    stream: bool = True,
) -> Debugger:
    """A Debugger on one thread of `graph` (compiled, or a `StateGraph` builder), or of the
    assistant `assistant_id` on the LangGraph server at `url`.

    Local graphs keep their own checkpointer unless `checkpointer=` is given ("memory",
    "sqlite:PATH", "postgresql://..." or a saver; a Postgres URL's pool is the Debugger's, closed
    by `Debugger.close()`); with neither, threads are saved in the default SQLite file
    (see `hitl_widgets.backends.checkpointers.default_db_path`). A new thread id is made when
    none is given.

    `config` (a run config: `configurable` values, `recursion_limit`...) and `context` (for a
    graph's `context_schema`) are given to every run, as LangGraph needs them on every call;
    `stream=False` turns off live events (tokens, node updates) during runs.
    """
    settings: dict[str, Any] = {"config": config, "context": context, "stream": stream}
    if url is not None:
        if graph is not None:
            raise DebuggerError("give either a graph (to debug in this kernel) or url= (a server), not both")
        if not assistant_id:
            raise DebuggerError(
                "debugging a server graph needs assistant_id= (the graph's name in langgraph.json)"
            )
        from hitl_widgets.backends.remote import RemoteBackend

        return Debugger(RemoteBackend(url, assistant_id, thread_id=thread_id, api_key=api_key), **settings)
    if graph is None:
        raise DebuggerError(
            "debug() needs a graph (compiled, or a StateGraph builder), or url= and assistant_id="
        )
    if thread_id is not None and (not isinstance(thread_id, str) or not thread_id):
        raise DebuggerError(f"thread_id must be a non-empty string, not {thread_id!r}")
    from hitl_widgets.backends.local import LocalBackend

    compiled = compiled_graph(graph, "debug()")
    saver, owned = (
        resolve_checkpointer(checkpointer)
        if checkpointer is not None or not _has_saver(compiled)
        else (compiled.checkpointer, None)
    )
    return Debugger(LocalBackend(compiled, saver, thread_id or str(uuid.uuid4()), owned=owned), **settings)


def compiled_graph(graph: Any, taker: str, *, also: str = "") -> Any:
    """`graph` compiled (a `StateGraph` builder) or as it is (a compiled graph); else a
    `DebuggerError` saying what `taker` takes (and `also`, another form it takes)."""
    from langgraph.graph import StateGraph
    from langgraph.pregel import Pregel

    if isinstance(graph, StateGraph):
        return graph.compile()
    if isinstance(graph, Pregel):
        return graph
    raise DebuggerError(
        f"{taker} takes a compiled LangGraph graph or a StateGraph builder{also}, not {type(graph).__name__}"
    )


def _has_saver(compiled: Any) -> bool:
    from langgraph.checkpoint.base import BaseCheckpointSaver

    return isinstance(getattr(compiled, "checkpointer", None), BaseCheckpointSaver)
