"""The checks a command's arguments pass before it touches the thread.

Each raises a `DebuggerError` that names what is wrong and the valid choices, so that a
refused command changes nothing: a wrong value sent to LangGraph would be saved as a
checkpoint, or fail inside a node after the run had started.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

from langgraph.types import Command

from hitl_widgets.answers import check_answer
from hitl_widgets.backends.base import Backend
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import PendingInterrupt

# as_node values LangGraph gives a meaning of its own, beyond the graph's node names.
SPECIAL_AS_NODES = ("__input__", "__copy__")
# A graph whose state is one unnamed value keeps it in this channel; its input is that value.
ROOT_CHANNEL = "__root__"
# Keys of a run config's `configurable` that the Debugger owns: where the run goes.
OWNED_CONFIGURABLE = {
    "thread_id": "give the thread with hw.debug(graph, thread_id=...)",
    "checkpoint_id": "move to a checkpoint with checkout(id), or run from one with replay(id)",
    "checkpoint_ns": "the Debugger runs the root graph; subgraphs are reached from it",
}
_INTERRUPT_ID = re.compile(r"^[0-9a-f]{32}$")
# Inputs a graph with named state keys cannot take.
_PLAIN_VALUES = (str, bytes, bytearray, int, float, list, tuple, set, frozenset)


def check_input(backend: Backend, input: Any) -> None:
    if isinstance(input, Command):
        raise DebuggerError(
            "start() takes the graph's input; a Command answers an interrupt: use resume(Command(...))"
        )
    keys = backend.input_keys()
    if keys is None or ROOT_CHANNEL in keys:
        return
    if isinstance(input, Mapping):
        unknown = [k for k in input if k not in keys]
        if unknown:
            raise DebuggerError(
                f"unknown input key {choices(map(str, unknown))}; the graph's input takes: {choices(keys)}"
            )
    elif isinstance(input, _PLAIN_VALUES):
        # LangGraph would save the input as a checkpoint and then fail the run on it.
        raise DebuggerError(
            f"the graph's input is a mapping of its input keys ({choices(keys)}), not {type(input).__name__}"
        )


def check_values(backend: Backend, values: Any, subgraph: str | None = None) -> None:
    """`values` must be a mapping of the state's keys (of the subgraph at that path, if given)."""
    if not isinstance(values, Mapping):
        raise DebuggerError(f"values must be a mapping of state keys to values, not {type(values).__name__}")
    keys = backend.state_keys(subgraph)
    if keys is not None:
        unknown = [k for k in values if k not in keys]
        if unknown:
            whose = (
                "state keys"
                if subgraph is None
                else f"the state keys of subgraph {subgraph}, where the run stands,"
            )
            hint = (
                ""
                if subgraph is None
                else "; to change the root graph's state there, fork the head: dbg.fork(dbg.head.id, values)"
            )
            raise DebuggerError(
                f"unknown state key {choices(map(str, unknown))}; {whose} are: {choices(keys)}{hint}"
            )


def checked_config(config: Any) -> dict[str, Any]:
    """A copy of a user's run config, refused if malformed or if it names where to run."""
    if config is None:
        return {}
    if not isinstance(config, Mapping):
        raise DebuggerError(f"config must be a mapping, not {type(config).__name__}")
    configurable = config.get("configurable")
    if configurable is not None and not isinstance(configurable, Mapping):
        raise DebuggerError(f"config['configurable'] must be a mapping, not {type(configurable).__name__}")
    owned = [key for key in (configurable or {}) if key in OWNED_CONFIGURABLE]
    if owned:
        raise DebuggerError(
            f"config['configurable'] cannot set {choices(owned)}: "
            + "; ".join(f"{key}: {OWNED_CONFIGURABLE[key]}" for key in owned)
        )
    limit = config.get("recursion_limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise DebuggerError(f"config['recursion_limit'] must be a positive whole number, not {limit!r}")
    copied = dict(config)
    if configurable is not None:
        copied["configurable"] = dict(configurable)
    return copied


def check_as_node(node_names: Sequence[str], as_node: str | None) -> None:
    if as_node is not None and as_node not in node_names and as_node not in SPECIAL_AS_NODES:
        raise DebuggerError(
            f"as_node={as_node!r} is not a node; use one of: {choices((*node_names, *SPECIAL_AS_NODES))}"
        )


def resume_answer(value: Any, pending: Sequence[PendingInterrupt]) -> tuple[Any, Command[Any] | None]:
    """The checked answer for `resume(value)`: `(answer, None)`, or for the user's own
    `Command(resume=..., update=..., goto=...)` the same Command with its resume checked."""
    if isinstance(value, Command):
        if value.graph is not None:
            raise DebuggerError("resume(Command(graph=...)) is for a node's return value, not an answer")
        if value.resume is None:
            return None, value
        answer = answer_for(value.resume, pending)
        return answer, dataclasses.replace(value, resume=answer)
    return answer_for(value, pending), None


def answer_for(value: Any, pending: Sequence[PendingInterrupt]) -> Any:
    ids = [i.id for i in pending]
    if isinstance(value, Mapping) and value and all(isinstance(k, str) for k in value):
        keys = list(value)
        id_like = [k for k in keys if _INTERRUPT_ID.match(k) or k in ids]
        if id_like:
            unknown = [k for k in keys if k not in ids]
            if unknown:
                raise DebuggerError(
                    f"resume map names no pending interrupt for {choices(unknown)}; pending interrupt ids: {choices(ids)}"
                )
            by_id = {i.id: i for i in pending}
            for key, answer in value.items():
                check_answer(by_id[key], answer)
            return dict(value)
    if len(pending) > 1:
        raise DebuggerError(
            f"{len(pending)} interrupts are pending; answer them by id with resume({{id: value, ...}}), ids: "
            f"{choices(ids)} (nodes: {choices(i.node for i in pending)})"
        )
    check_answer(pending[0], value)
    return value
