"""The requests a widget answers: each a small function from the browser's params to JSON.

Reads (history, values, a checkpoint with its changes, "see more") answer at once. Runs
(start, step, cont, resume, replay) are marked `background`: they go to a worker thread and
answer with the pause when it comes. Everything else changes the thread or the breakpoints and
answers with where it stands. The browser's params are checked here; the Debugger checks the
rest and its `DebuggerError` becomes the error answer.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hitl_widgets.breakpoints import StateExpression
from hitl_widgets.debugger import Debugger
from hitl_widgets.diff import state_diff
from hitl_widgets.errors import DebuggerError
from hitl_widgets.model import PendingInterrupt, keyed
from hitl_widgets.serialize import checkpoint_json, pause_json, to_json
from hitl_widgets.widgets.changes import changes_json
from hitl_widgets.widgets.feeds import HeadStateFeed, HistoryFeed
from hitl_widgets.widgets.paths import EDITABLE, EDITABLE_BYTES, check_path, value_at, within
from hitl_widgets.widgets.rpc import Method, Params, RequestError
from hitl_widgets.widgets.selection import Selection
from hitl_widgets.widgets.wire import CHANGES_BUDGET, LADDER, values_json

BREAKPOINT_WHEN = ("before", "after")


@dataclass(frozen=True)
class Context:
    debugger: Debugger
    history: HistoryFeed
    head_state: HeadStateFeed
    selection: Selection


def methods(ctx: Context) -> dict[str, Method]:
    dbg = ctx.debugger

    def history(p: Params) -> Any:
        """The skeleton; with `limit`, only the newest rows (a first screen, sent before the rest)."""
        limit = _whole(p, "limit") or None
        return {"rows": ctx.history.full(limit)}

    def head_state(p: Params) -> Any:
        return ctx.head_state.full()

    def checkpoint(p: Params) -> Any:
        cp = dbg.checkpoint(_text(p, "checkpoint_id"))
        changes = dbg.diff(cp.parent_id, cp.id) if cp.parent_id else state_diff({}, keyed(cp.values))
        detail = {
            "checkpoint": checkpoint_json(cp),
            "changes": changes_json(changes, CHANGES_BUDGET),
            # Where each interrupt pending there was raised: the graph marks those nodes.
            "interrupts": [{"node": i.node, "ns": list(i.ns)} for i in dbg.interrupts_at(cp.id)],
        }
        if p.get("values", True):  # the head's values reach the browser through the state feed
            detail["values"] = values_json(keyed(cp.values))
        return detail

    def more(p: Params) -> Any:
        path = check_path(p.get("path"))
        offset = _whole(p, "offset")
        source = _text(p, "source")
        if source == "checkpoint":
            root: Mapping[str, Any] = keyed(dbg.checkpoint(_text(p, "id")).values)
        elif source == "inside":  # the state of the subgraph the head stands inside
            inside = dbg.inside
            if inside is None or inside.checkpoint_id != _text(p, "id"):
                raise DebuggerError("the run no longer stands at that subgraph checkpoint: its state is gone")
            root = keyed(inside.values)
        elif source == "interrupt":
            root = {"value": _interrupt(dbg, _text(p, "id")).value}
            path = ["value", *path]
        else:
            raise RequestError(f"source must be 'checkpoint', 'inside' or 'interrupt', not {source!r}")
        return {"value": value_at(root, path, offset)}

    def editable(p: Params) -> Any:
        """The values an edit from this checkpoint starts from: at the head while a run stands
        inside a subgraph, the subgraph's (`edit` changes those there), with its path."""
        cp = dbg.checkpoint(_text(p, "checkpoint_id"))
        inside = dbg.inside if cp.id == dbg.head.id else None
        values = dict(keyed(cp.values if inside is None else inside.values))
        return {
            "values": within(to_json(values, EDITABLE), EDITABLE_BYTES),
            "inside": inside.path if inside is not None else None,
        }

    def diff(p: Params) -> Any:
        """The changes from checkpoint `a` to checkpoint `b` ("compare with…")."""
        return {"changes": changes_json(dbg.diff(_text(p, "a"), _text(p, "b")), CHANGES_BUDGET)}

    def try_node(p: Params) -> Any:
        """A what-if from the checkpoint's panel: what a node would write there (nothing is)."""
        values = p.get("values")
        if values is not None and not isinstance(values, dict):
            raise DebuggerError('the values to try with must be a JSON object, such as {"key": "value"}')
        tried = dbg.try_node(_text(p, "node"), _text(p, "checkpoint_id"), values)
        return {
            "summary": tried.summary(),
            "update": to_json(tried.update, LADDER[0]),
            "interrupts": [to_json(value, LADDER[0]) for value in tried.interrupts],
        }

    def subgraph_checkpoints(p: Params) -> Any:
        """What the subgraphs run from a root checkpoint saved, for its panel's "Inside subgraphs"."""
        return {
            "checkpoints": [
                {
                    "path": c.path,
                    "id": c.id,
                    "parent_id": c.parent_id,
                    "step": c.step,
                    "next": list(c.next),
                    "values": values_json(keyed(c.values)),
                }
                for c in dbg.subgraph_checkpoints(_text(p, "checkpoint_id"))
            ]
        }

    def run(command: Any) -> Any:
        """A run from the widget: the selection goes back to the head, which the run moves."""

        def method(p: Params) -> Any:
            ctx.selection.select(None)
            return pause_json(command(p), LADDER[-1])

        return Method(method, background=True)

    def start(p: Params) -> Any:
        if "input" not in p:
            raise RequestError("start needs params.input")
        return dbg.start(p["input"])

    def resume(p: Params) -> Any:
        if "value" not in p:
            raise RequestError("resume needs params.value")
        return dbg.resume(p["value"])

    def apply_state(p: Params) -> Any:
        target = _text(p, "checkpoint_id")
        values = p.get("values")
        as_node = _optional_text(p, "as_node")
        if not isinstance(values, dict):
            raise DebuggerError("values must be a JSON object of state keys to values")
        head = dbg.head.id
        result = (
            dbg.edit(values, as_node=as_node) if target == head else dbg.fork(target, values, as_node=as_node)
        )
        ctx.selection.select(None)
        return checkpoint_json(result)

    def fork(p: Params) -> Any:
        values = p.get("values")
        if values is not None and not isinstance(values, dict):
            raise DebuggerError("values must be a JSON object of state keys to values, or null")
        result = dbg.fork(_text(p, "checkpoint_id"), values, as_node=_optional_text(p, "as_node"))
        ctx.selection.select(None)
        return checkpoint_json(result)

    def checkout(p: Params) -> Any:
        result = dbg.checkout(_text(p, "checkpoint_id"))
        ctx.selection.select(None)
        return checkpoint_json(result)

    def set_breakpoint(p: Params) -> Any:
        node, when, on = _text(p, "node"), _text(p, "when"), p.get("on")
        if when not in BREAKPOINT_WHEN or not isinstance(on, bool):
            raise RequestError(f"set_breakpoint needs when in {BREAKPOINT_WHEN} and on: bool")
        if on:
            # a condition typed in the browser is Python read in the user's own namespace
            condition = _optional_text(p, "condition")
            test = StateExpression(condition, user_namespace()) if condition else None
            return dbg.break_before(node, when=test) if when == "before" else dbg.break_after(node, when=test)
        return dbg.clear_breakpoints(node, side="before" if when == "before" else "after")

    def settings(p: Params) -> Any:
        return run_settings(dbg)

    def set_settings(p: Params) -> Any:
        """Change what runs are given: `config` (a JSON object), `context` (JSON, or null for
        none), `streaming` (bool). Each is optional; all are checked before any is set."""
        if "streaming" in p and not isinstance(p["streaming"], bool):
            raise RequestError("params.streaming must be true or false")
        if "config" in p and not isinstance(p["config"], dict):
            raise DebuggerError('the run config must be a JSON object, such as {"configurable": {...}}')
        if "context" in p and not run_settings(dbg)["context_editable"]:
            raise DebuggerError(
                f"the run context is a {type(dbg.context).__name__}, not JSON: set it in Python (dbg.context = ...)"
            )
        if "config" in p:
            dbg.config = p["config"]
        if "context" in p:
            dbg.context = p["context"]
        if "streaming" in p:
            dbg.streaming = p["streaming"]
        return run_settings(dbg)

    def export(p: Params) -> Any:
        """The Export button: the thread as `<thread id>.html` in the kernel's folder (the
        notebook's); the answer says where and how big."""
        return {"summary": dbg.export(None, html=True).summary()}

    def select(p: Params) -> Any:
        chosen = _optional_text(p, "checkpoint_id")
        ctx.selection.select(dbg.checkpoint(chosen).id if chosen else None)
        return {"selected": ctx.selection.selected}

    return {
        "history": Method(history),
        "head_state": Method(head_state),
        "checkpoint": Method(checkpoint),
        "more": Method(more),
        "editable": Method(editable),
        "diff": Method(diff),
        "start": run(start),
        "step": run(lambda p: dbg.step(into=_flag(p, "into"))),
        "cont": run(lambda p: dbg.cont()),
        "resume": run(resume),
        "replay": run(lambda p: dbg.replay(_text(p, "checkpoint_id"))),
        "try_node": Method(try_node, background=True),
        "subgraph_checkpoints": Method(subgraph_checkpoints, background=True),
        "replay_preview": Method(
            lambda p: {"summary": dbg.replay_preview(_text(p, "checkpoint_id")).summary()}
        ),
        "pause": Method(lambda p: {"pausing": dbg.pause()}),
        "apply_state": Method(apply_state),
        "fork": Method(fork),
        "checkout": Method(checkout),
        "set_breakpoint": Method(set_breakpoint),
        "clear_breakpoints": Method(lambda p: dbg.clear_breakpoints()),
        "select": Method(select),
        "export": Method(export, background=True),
        "settings": Method(settings),
        "set_settings": Method(set_settings),
    }


def run_settings(dbg: Debugger) -> dict[str, Any]:
    """What every run is given, as the browser shows it; the context is editable there only
    when it is plain JSON (a dataclass or pydantic context is shown, and set in Python)."""
    context = dbg.context
    return {
        "config": to_json(dbg.config, EDITABLE),
        "context": to_json(context, EDITABLE),
        "context_editable": context is None or _is_plain_json(context),
        "streaming": dbg.streaming,
    }


def _is_plain_json(value: Any) -> bool:
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_is_plain_json(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain_json(v) for k, v in value.items())
    return False


def _interrupt(dbg: Debugger, interrupt_id: str) -> PendingInterrupt:
    for pending in dbg.interrupts:
        if pending.id == interrupt_id:
            return pending
    raise DebuggerError(f"interrupt {interrupt_id!r} is no longer pending")


def _text(p: Params, name: str) -> str:
    value = p.get(name)
    if not isinstance(value, str) or not value:
        raise RequestError(f"params.{name} must be a non-empty string, not {value!r}")
    return value


def _optional_text(p: Params, name: str) -> str | None:
    value = p.get(name)
    return None if value is None or value == "" else _text(p, name)


def _flag(p: Params, name: str) -> bool:
    value = p.get(name, False)
    if not isinstance(value, bool):
        raise RequestError(f"params.{name} must be true or false, not {value!r}")
    return value


def _whole(p: Params, name: str) -> int:
    value = p.get(name, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RequestError(f"params.{name} must be a whole number >= 0, not {value!r}")
    return value


def user_namespace() -> dict[str, Any]:
    """The notebook's variables (IPython's user namespace), or `__main__`'s outside IPython."""
    from IPython import get_ipython

    shell = get_ipython()
    namespace: dict[str, Any] = shell.user_ns if shell is not None else vars(sys.modules["__main__"])
    return namespace
