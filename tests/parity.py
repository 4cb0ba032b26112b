"""Drive one graph twice, by plain LangGraph calls and through a Debugger, and compare.

A scenario is an input and a list of answers, one per stop: a resume value (or a function of
the pending interrupts that gives one, for answers keyed by interrupt id), a `Command` sent as
it is, or `CONTINUE` to go on from a breakpoint. Plain LangGraph runs it with `invoke`/`ainvoke`
and `Command(resume=...)`; the Debugger with `start`/`resume`/`cont` (or their awaitable forms).
Each run is reduced to a `Run`: what was pending at each stop, the values there, the final
values and the checkpoint history's shape, with what differs between any two runs (message
ids, checkpoint ids, times) taken out, so that two runs of the same scenario compare equal.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import BaseMessage, ToolMessage
from langgraph.pregel import Pregel
from langgraph.types import Command, Interrupt, StateSnapshot
from pydantic import BaseModel

import hitl_widgets as hw


class _Continue:
    def __repr__(self) -> str:
        return "CONTINUE"


CONTINUE: Any = _Continue()
"""An answer that goes on from a breakpoint: `invoke(None)` / `cont()`."""

Answer = Any  # a resume value, a Command, CONTINUE, or a function of the pending interrupts


@dataclass(frozen=True)
class HistoryRow:
    """A checkpoint as both sides can tell it: what differs between runs (ids, times) left out."""

    step: int
    source: str
    next: tuple[str, ...]
    parent: int | None  # index of the parent in the newest-first history
    writes: tuple[str, ...]


@dataclass
class Run:
    """What a scenario did, in a form two runs can be compared in."""

    stops: list[list[Any]] = field(default_factory=list)  # pending interrupt values at each stop
    stop_values: list[Any] = field(default_factory=list)  # the graph's values at each stop
    stop_next: list[tuple[str, ...]] = field(default_factory=list)  # what would run next there
    final: Any = None
    history: list[HistoryRow] = field(default_factory=list)
    # plain runs: the tasks seen to finish before each new checkpoint, by checkpoint id
    ran_before: dict[str, set[str]] = field(default_factory=dict)
    _ran: set[str] = field(default_factory=set)

    def stopped_at(self, snap: StateSnapshot, todo: list[Answer]) -> Any:
        """Record a plain run's stop; the input that answers it."""
        self.stops.append(sorted_values(snap.interrupts))
        self.stop_values.append(norm(snap.values))
        self.stop_next.append(tuple(sorted(snap.next)))
        assert todo, f"plain run stopped more often than the scenario answers (at {snap.next})"
        return _plain_input(todo.pop(0), snap.interrupts)

    def end(self, snap: StateSnapshot, todo: list[Answer]) -> None:
        assert not todo, f"plain run ended with {len(todo)} answer(s) left"
        self.final = norm(snap.values)

    def observe(self, mode: str, payload: Any) -> None:
        """Follow a plain run's `tasks` and `checkpoints` stream: which tasks made each checkpoint.

        A task finished in a step that then stopped at an interrupt counts for the checkpoint
        that step makes once resumed (it is not run again then, its writes are kept).
        """
        if mode == "tasks" and "result" in payload and not payload["error"] and not payload["interrupts"]:
            self._ran.add(payload["name"])
        elif mode == "checkpoints":
            checkpoint_id = payload["config"]["configurable"]["checkpoint_id"]
            if checkpoint_id not in self.ran_before:  # a resumed run first repeats where it starts
                self.ran_before[checkpoint_id] = set(self._ran)
                self._ran.clear()


def norm(value: Any) -> Any:
    """A value with what differs between two runs taken out: message ids, object identities.

    Messages become their kind, text, tool calls and names; pydantic models and dataclasses
    their fields, tagged with the class name, so a model is never equal to a plain dict.
    """
    if isinstance(value, BaseMessage):
        out: dict[str, Any] = {"type": value.type, "content": value.content}
        if value.name:
            out["name"] = value.name
        if calls := getattr(value, "tool_calls", None):
            out["tool_calls"] = [(c["name"], norm(c["args"]), c["id"]) for c in calls]
        if isinstance(value, ToolMessage):
            out["tool_call_id"] = value.tool_call_id
            out["status"] = value.status
        return out
    if isinstance(value, Interrupt):
        return norm(value.value)
    if isinstance(value, BaseModel):
        return {
            "__model__": type(value).__name__,
            **{k: norm(getattr(value, k)) for k in type(value).model_fields},
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "__dataclass__": type(value).__name__,
            **{f.name: norm(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, Mapping):
        return {str(k): norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [norm(v) for v in value]
    return value


def sorted_values(interrupts: Sequence[Any]) -> list[Any]:
    """Interrupt values in an order both sides agree on (parallel tasks have none of their own)."""
    values = [norm(i.value) for i in interrupts]
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True, default=str))


def _answer(answer: Answer, pending: Sequence[Any]) -> Any:
    return answer(pending) if callable(answer) and not isinstance(answer, Command) else answer


def _config(config: Mapping[str, Any] | None, thread_id: str) -> dict[str, Any]:
    config = dict(config or {})
    config["configurable"] = {**config.get("configurable", {}), "thread_id": thread_id}
    return config


def _at(config: dict[str, Any], checkpoint_id: str | None) -> dict[str, Any]:
    """The thread's config, or one that starts from a past checkpoint (time travel)."""
    if checkpoint_id is None:
        return config
    return {**config, "configurable": {**config["configurable"], "checkpoint_id": checkpoint_id}}


def _plain_input(answer: Answer, pending: Sequence[Any]) -> Any:
    if answer is CONTINUE:
        return None
    value = _answer(answer, pending)
    return value if isinstance(value, Command) else Command(resume=value)


# ------------------------------------------------------------------ plain LangGraph

# What the plain runs watch besides their result: which tasks finished, and each new checkpoint.
_MODES: list[Any] = ["tasks", "checkpoints"]


def plain_history(snapshots: Sequence[StateSnapshot], ran_before: Mapping[str, set[str]]) -> list[HistoryRow]:
    """`get_state_history` as rows. A loop checkpoint was written by the tasks of its parent,
    and by the tasks (functional `@task` calls) seen to finish just before it was made."""
    ids = [s.config["configurable"]["checkpoint_id"] for s in snapshots]
    by_id = dict(zip(ids, snapshots, strict=True))
    rows = []
    for checkpoint_id, snap in by_id.items():
        parent_id = snap.parent_config["configurable"]["checkpoint_id"] if snap.parent_config else None
        source = snap.metadata["source"] if snap.metadata else "loop"
        writes: tuple[str, ...] = ()
        if source == "input":
            writes = ("__input__",)
        elif source == "loop" and parent_id in by_id:
            ran = {t.name for t in by_id[parent_id].tasks} | ran_before.get(checkpoint_id, set())
            writes = tuple(sorted(ran))
        rows.append(
            HistoryRow(
                step=int(snap.metadata["step"]) if snap.metadata else 0,
                source=source,
                next=tuple(sorted(snap.next)),
                parent=ids.index(parent_id) if parent_id in by_id else None,
                writes=writes,
            )
        )
    return rows


def run_plain(
    graph: Pregel[Any, Any, Any, Any],
    input: Any,
    answers: Sequence[Answer] = (),
    *,
    config: Mapping[str, Any] | None = None,
    context: Any = None,
    thread_id: str = "plain",
    after: Run | None = None,
    from_checkpoint: str | None = None,
) -> Run:
    """The scenario with `stream` (as `invoke` runs), `Command(resume=...)` and `get_state(_history)`.

    `after`: the run made before on the same thread, whose checkpoints' writers this one keeps.
    `from_checkpoint`: start there (time travel: a replay with `input=None`, or a fork).
    """
    cfg = _config(config, thread_id)
    run = Run(ran_before=dict(after.ran_before) if after else {})

    def invoke(graph_input: Any, run_config: dict[str, Any] = cfg) -> None:
        for mode, payload in graph.stream(graph_input, run_config, stream_mode=_MODES, context=context):
            run.observe(mode, payload)

    invoke(input, _at(cfg, from_checkpoint))
    todo = list(answers)
    while (snap := graph.get_state(cfg)).next:
        invoke(run.stopped_at(snap, todo))
    run.end(snap, todo)
    run.history = plain_history(list(graph.get_state_history(cfg)), run.ran_before)
    return run


async def arun_plain(
    graph: Pregel[Any, Any, Any, Any],
    input: Any,
    answers: Sequence[Answer] = (),
    *,
    config: Mapping[str, Any] | None = None,
    context: Any = None,
    thread_id: str = "plain",
    after: Run | None = None,
    from_checkpoint: str | None = None,
) -> Run:
    """`run_plain` with `astream` (as `ainvoke` runs) and `aget_state(_history)`."""
    cfg = _config(config, thread_id)
    run = Run(ran_before=dict(after.ran_before) if after else {})

    async def ainvoke(graph_input: Any, run_config: dict[str, Any] = cfg) -> None:
        async for mode, payload in graph.astream(
            graph_input, run_config, stream_mode=_MODES, context=context
        ):
            run.observe(mode, payload)

    await ainvoke(input, _at(cfg, from_checkpoint))
    todo = list(answers)
    while (snap := await graph.aget_state(cfg)).next:
        await ainvoke(run.stopped_at(snap, todo))
    run.end(snap, todo)
    run.history = plain_history([s async for s in graph.aget_state_history(cfg)], run.ran_before)
    return run


# ------------------------------------------------------------------ through the Debugger


def debugger_history(checkpoints: Sequence[hw.Checkpoint]) -> list[HistoryRow]:
    ids = [c.id for c in checkpoints]
    return [
        HistoryRow(
            step=c.step,
            source=c.source,
            next=tuple(sorted(c.next)),
            parent=ids.index(c.parent_id) if c.parent_id in ids else None,
            writes=tuple(sorted(set(c.writes))),
        )
        for c in checkpoints
    ]


def record_stop(run: Run, pause: hw.Pause) -> None:
    assert pause.reason in ("interrupt", "breakpoint"), f"unexpected pause: {pause!r}"
    run.stops.append(sorted_values(pause.interrupts))
    run.stop_values.append(norm(pause.values))
    run.stop_next.append(tuple(sorted(pause.next)))


def _debugger_command(dbg: hw.Debugger, answer: Answer, pause: hw.Pause) -> Callable[[], Any]:
    if answer is CONTINUE:
        return dbg.cont
    value = _answer(answer, pause.interrupts)
    return lambda: dbg.resume(value)


def run_debugger(
    dbg: hw.Debugger,
    input: Any,
    answers: Sequence[Answer] = (),
    *,
    config: Mapping[str, Any] | None = None,
    context: Any = None,
) -> Run:
    """The scenario with `start`, `resume` and `cont`; config and context given once, at start."""
    run = Run()
    kwargs: dict[str, Any] = {}
    if config is not None:
        kwargs["config"] = config
    if context is not None:
        kwargs["context"] = context
    pause = dbg.start(input, **kwargs)
    todo = list(answers)
    while pause.reason != "done":
        record_stop(run, pause)
        assert todo, f"debugger stopped more often than the scenario answers: {pause!r}"
        pause = _debugger_command(dbg, todo.pop(0), pause)()
    assert not todo, f"debugger run ended with {len(todo)} answer(s) left"
    run.final = norm(pause.values)
    assert norm(dbg.state) == run.final
    run.history = debugger_history(dbg.history())
    return run


async def arun_debugger(
    dbg: hw.Debugger,
    input: Any,
    answers: Sequence[Answer] = (),
    *,
    config: Mapping[str, Any] | None = None,
    context: Any = None,
    read: Callable[[Callable[[], Any]], Any] | None = None,
) -> Run:
    """The scenario with `astart`, `aresume` and `acont`, on the caller's event loop.

    `read` runs a blocking read (`dbg.state`, `dbg.history()`); pass `asyncio.to_thread` where
    the saver belongs to this loop and cannot be read from it by a blocking call.
    """
    run = Run()
    kwargs: dict[str, Any] = {}
    if config is not None:
        kwargs["config"] = config
    if context is not None:
        kwargs["context"] = context
    pause = await dbg.astart(input, **kwargs)
    todo = list(answers)
    while pause.reason != "done":
        record_stop(run, pause)
        assert todo, f"debugger stopped more often than the scenario answers: {pause!r}"
        answer = todo.pop(0)
        pause = await (dbg.acont() if answer is CONTINUE else dbg.aresume(_answer(answer, pause.interrupts)))
    assert not todo, f"debugger run ended with {len(todo)} answer(s) left"
    run.final = norm(pause.values)
    if read is None:
        state, history = dbg.state, dbg.history()
    else:
        state, history = await read(lambda: dbg.state), await read(dbg.history)
    assert norm(state) == run.final
    run.history = debugger_history(history)
    return run


def assert_same(debugged: Run, plain: Run) -> None:
    """Equal in every part, compared part by part so a failure says which part differs."""
    assert debugged.stops == plain.stops, "interrupts pending at each stop differ"
    assert debugged.stop_values == plain.stop_values, "values at the stops differ"
    assert debugged.stop_next == plain.stop_next, "the nodes to run next at the stops differ"
    assert debugged.final == plain.final, "final values differ"
    assert [dataclasses.replace(r, writes=()) for r in debugged.history] == [
        dataclasses.replace(r, writes=()) for r in plain.history
    ], "checkpoint histories differ (step, source, next, parent)"
    assert [r.writes for r in debugged.history] == [r.writes for r in plain.history], (
        "the nodes named as writers of the checkpoints differ"
    )
