"""What-if runs: one node run on a past checkpoint's state, in a copy of that checkpoint held
in memory, so nothing is written to the thread.

The copy is the saved checkpoint with every node marked as having seen every channel, so that
nothing is due there; `Command(goto=node)` then runs exactly that node, in a real LangGraph
step (its reducers, runtime, context and config as in a run), and the run stops after it. Edited
values are applied to the copy first (as an update, then marked seen the same way).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, Checkpoint
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.pregel import Pregel
from langgraph.types import Command

from hitl_widgets.backends.push_tasks import TASKS_CHANNEL
from hitl_widgets.errors import DebuggerError

TRY_THREAD = "hitl-try"


def try_node(
    graph: Pregel[Any, Any, Any, Any],
    saver: BaseCheckpointSaver[Any],
    at: RunnableConfig,
    node: str,
    values: Mapping[str, Any] | None,
    config: Mapping[str, Any] | None,
    context: Any,
    run_async: bool,
) -> tuple[Any, tuple[Any, ...]]:
    """(the update `node` returns, the values of the interrupts it raised) on the state at `at`."""
    saved = saver.get_tuple(at)
    if saved is None:
        raise DebuggerError("the thread has no checkpoint yet: start a run with an input first")
    memory = InMemorySaver()
    trial = graph.copy(
        update={"checkpointer": memory, "interrupt_before_nodes": [], "interrupt_after_nodes": []}
    )
    user = dict(config or {})
    base = cast(
        RunnableConfig, {**user, "configurable": {**user.get("configurable", {}), "thread_id": TRY_THREAD}}
    )
    here = _put_quiet(memory, trial, base, saved.checkpoint, saved.metadata)
    if values is not None:
        edited = trial.update_state(here, dict(values), as_node=node)
        again = memory.get_tuple(edited)
        assert again is not None
        here = _put_quiet(memory, trial, base, again.checkpoint, again.metadata)
    kwargs: dict[str, Any] = {"stream_mode": "updates", "interrupt_after": [node]}
    if context is not None:
        kwargs["context"] = context
    goto = Command(goto=node)
    if run_async:
        # on a loop of its own, in a thread of its own: the caller's thread may be running one
        with ThreadPoolExecutor(1, thread_name_prefix="hitl-try") as pool:
            parts = pool.submit(asyncio.run, _collect(trial, goto, here, kwargs)).result()
    else:
        parts = list(trial.stream(goto, here, **kwargs))
    update, asked = None, ()
    for part in parts:
        if node in part:
            update = part[node]
        elif part.get("__interrupt__"):
            asked = tuple(i.value for i in part["__interrupt__"])
    return update, asked


async def _collect(
    trial: Pregel[Any, Any, Any, Any], goto: Command[Any], at: RunnableConfig, kwargs: Any
) -> list[Any]:
    return [part async for part in trial.astream(goto, at, **kwargs)]


def _put_quiet(
    memory: InMemorySaver,
    trial: Pregel[Any, Any, Any, Any],
    base: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: Any,
) -> RunnableConfig:
    """Save a copy of `checkpoint` in which no node is due (and no `Send` pending); the config
    to run from it: the user's, with the copy's place (the saver's answer names only that)."""
    quiet = copy.deepcopy(checkpoint)
    quiet["channel_values"].pop(TASKS_CHANNEL, None)
    for name in trial.nodes:
        quiet["versions_seen"][name] = dict(quiet["channel_versions"])
    config = cast(RunnableConfig, {**base, "configurable": {**base["configurable"], "checkpoint_ns": ""}})
    saved = memory.put(config, quiet, metadata, dict(quiet["channel_versions"]))
    return cast(
        RunnableConfig, {**config, "configurable": {**config["configurable"], **saved["configurable"]}}
    )
