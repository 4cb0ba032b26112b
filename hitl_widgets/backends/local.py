"""A thread of a graph compiled in this kernel, run through LangGraph's own Pregel loop."""

from __future__ import annotations

import asyncio
import traceback
import weakref
from collections.abc import AsyncGenerator, Callable, Generator, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, aclosing, closing, contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Literal, Protocol, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, Checkpoint, CheckpointMetadata
from langgraph.errors import GraphDrained
from langgraph.pregel import Pregel
from langgraph.runtime import RunControl
from langgraph.types import Command, StateSnapshot

from hitl_widgets.answers import json_schema
from hitl_widgets.backends import local_try
from hitl_widgets.backends.base import CheckpointRecord, RunObserver, RunOutcome, RunRequest, Snapshot
from hitl_widgets.backends.local_async import async_only_parts, saver_loop, sync_twin
from hitl_widgets.backends.local_history import AS_NODE_KEY, SkeletonReader
from hitl_widgets.backends.local_inside import (
    inside_breakpoints,
    stopped_inside,
    subgraph_checkpoints,
    subgraphs_by_path,
)
from hitl_widgets.backends.local_stream import StreamReader, stream_modes
from hitl_widgets.backends.thread_guard import guard_for
from hitl_widgets.backends.topology import topology_from_json
from hitl_widgets.errors import DebuggerError
from hitl_widgets.model import Inside, PendingInterrupt, SubgraphCheckpoint, Topology

# The channel of the writes in which LangGraph keeps a task's answers to its interrupts.
_RESUME = "__resume__"


@dataclass
class _Ending:
    error: str | None = None
    stopped: bool = False


class Closeable(Protocol):
    def close(self) -> None: ...


class LocalBackend:
    """Runs and reads one thread of a compiled graph with its checkpointer.

    The graph is copied with its compiled breakpoints removed: LangGraph's run-time
    `interrupt_before` *replaces* the compiled list (an empty list falls back to it), so the
    only way to let a user clear a compiled breakpoint is for the debugger to own the whole
    list and pass it on every run.

    Runs go through `stream` or, for a graph with async-only parts or a saver bound to an event
    loop, `astream` (see `local_async`). Reads and updates are sync calls; for a loop-bound
    saver they go through a sync twin on the same database, so they work from that loop's
    own thread (a notebook cell).
    """

    kind: Literal["local"] = "local"

    def __init__(
        self,
        graph: Pregel[Any, Any, Any, Any],
        saver: BaseCheckpointSaver[Any],
        thread_id: str,
        *,
        owned: Closeable | None = None,
    ) -> None:
        self._compiled_breakpoints = (
            graph.interrupt_before_nodes or (),
            graph.interrupt_after_nodes or (),
        )
        self._graph = graph.copy(
            update={"checkpointer": saver, "interrupt_before_nodes": [], "interrupt_after_nodes": []}
        )
        self._home_loop = saver_loop(saver)
        self._async_parts = async_only_parts(graph)
        reads = saver
        self._owned: list[Closeable] = [owned] if owned is not None else []  # opened for this backend alone
        if self._home_loop is not None:
            found = sync_twin(saver)
            if found is None:
                raise DebuggerError(
                    f"{type(saver).__name__} on this database can be read only from its own event loop; "
                    "give the graph a saver on a file or a server database, or checkpointer='sqlite:PATH' or 'memory'"
                )
            reads, twin_pool = found
            if twin_pool is not None:
                self._owned.append(twin_pool)
        # Reads, updates and the skeleton go through a saver any thread may call.
        self._reader_graph = self._graph.copy(update={"checkpointer": reads})
        self._thread_id = thread_id
        self._topology = topology_from_json(graph.get_graph().to_json(), graph.get_graph(xray=True).to_json())
        self._reader = SkeletonReader(reads, self._topology.node_names, self._tasks_at)
        self._guard = guard_for(
            reads,
            thread_id,
            lambda: self._reader.latest_id(thread_id),
            lambda: next(iter(self._reader.records(thread_id, limit=1)), None),
        )
        # A Debugger dropped unclosed leaks no connection. What the finalizer holds must not
        # hold this backend (the guard's readers do), or it would keep it alive for good.
        self._release = weakref.finalize(
            self, _release, [self._guard.closer, *(owned.close for owned in self._owned)]
        )
        self._control: RunControl | None = None

    @property
    def thread_id(self) -> str:
        return self._thread_id

    def topology(self) -> Topology:
        return self._topology

    def compiled_breakpoints(self) -> tuple[Sequence[str], Sequence[str]]:
        return self._compiled_breakpoints

    @property
    def stops_inside_subgraphs(self) -> bool:
        return True  # the subgraph objects are in this kernel (see `local_inside`)

    @property
    def runs_async(self) -> bool:
        return bool(self._async_parts) or self._home_loop is not None

    @property
    def home_loop(self) -> asyncio.AbstractEventLoop | None:
        return self._home_loop

    @property
    def async_parts(self) -> tuple[str, ...]:
        """The nodes and tools that make this graph async-only (`node` or `node/tool`)."""
        return tuple(self._async_parts)

    @cached_property
    def _subgraphs(self) -> dict[str, Pregel[Any, Any, Any, Any]]:
        """The graph's subgraphs by path, found once: the graph does not change."""
        return subgraphs_by_path(self._graph)

    def state_keys(self, subgraph: str | None = None) -> tuple[str, ...] | None:
        graph = self._graph if subgraph is None else self._subgraphs.get(subgraph)
        channels = graph.stream_channels if graph is not None else None
        return tuple(channels) if isinstance(channels, list) else None

    def input_keys(self) -> tuple[str, ...] | None:
        builder = getattr(self._graph, "builder", None)
        schemas = getattr(builder, "schemas", None)
        if not isinstance(schemas, dict) or getattr(builder, "input_schema", None) not in schemas:
            return None
        return tuple(schemas[builder.input_schema])  # type: ignore[union-attr]

    def _config(self, checkpoint_id: str | None, extra: Mapping[str, Any] | None = None) -> RunnableConfig:
        config = cast(RunnableConfig, dict(extra or {}))
        configurable = {**config.get("configurable", {}), "thread_id": self._thread_id, "checkpoint_ns": ""}
        if checkpoint_id is not None:
            configurable["checkpoint_id"] = checkpoint_id
        config["configurable"] = configurable
        return config

    def run(self, request: RunRequest, observer: RunObserver) -> RunOutcome:
        if self._async_parts:
            raise DebuggerError(
                f"this graph has async-only parts ({', '.join(self._async_parts)}): LangGraph runs it "
                "only with astream; run it on an event loop"
            )
        with inside_breakpoints(self._subgraphs, request.inside_before, request.inside_after):
            reader, kwargs = self._start(request, observer)
            with (
                self._ending() as end,
                closing(cast(Generator[Any, None, None], self._graph.stream(**kwargs))) as stream,
            ):
                for part in stream:
                    reader.take(part)
        return self._outcome(request, reader, end.error, end.stopped)

    async def arun(self, request: RunRequest, observer: RunObserver) -> RunOutcome:
        with inside_breakpoints(self._subgraphs, request.inside_before, request.inside_after):
            reader, kwargs = self._start(request, observer)
            with self._ending() as end:
                async with aclosing(cast(AsyncGenerator[Any, None], self._graph.astream(**kwargs))) as stream:
                    async for part in stream:
                        reader.take(part)
        return self._outcome(request, reader, end.error, end.stopped)

    @contextmanager
    def _ending(self) -> Iterator[_Ending]:
        """How the run's stream ended: drained by a pause request, by an exception (kept as the
        text a Pause shows), or at its end."""
        end = _Ending()
        try:
            yield end
        except GraphDrained:
            end.stopped = True
        except BaseException as exc:
            end.error = self._failure(exc)
        finally:
            self._control = None

    def _start(self, request: RunRequest, observer: RunObserver) -> tuple[StreamReader, dict[str, Any]]:
        control = self._control = RunControl()
        if request.command is not None:
            graph_input = request.command
        elif request.has_resume:
            graph_input = Command(resume=request.resume)
        else:
            graph_input = request.input
        modes, namespaced = stream_modes(self._graph, request.stream)
        kwargs: dict[str, Any] = {
            "input": graph_input,
            "config": self._config(request.checkpoint_id, request.config),
            "stream_mode": modes,
            "subgraphs": namespaced,
            # Each checkpoint is saved before the next step runs. LangGraph's default ("async") saves
            # while the next step runs, which costs ~11% less on a 100-node run but (1) announces
            # checkpoints that a failing save or a Ctrl-C then never writes, so the run's last word
            # names a checkpoint that does not exist, and (2) lets a join's barrier set (and an
            # accumulating topic) go on changing after it was handed to the saver, so the next step's
            # writes leak into the saved checkpoint and a replay runs the joined node early.
            "durability": "sync",
            "interrupt_before": request.interrupt_before or None,
            "interrupt_after": request.interrupt_after or None,
            "control": control,
        }
        if request.context is not None:
            kwargs["context"] = request.context
        return StreamReader(observer, control, live=request.stream, namespaced=namespaced), kwargs

    @staticmethod
    def _failure(exc: BaseException) -> str:
        """A run's end by an exception, as the text a Pause shows."""
        if isinstance(exc, (KeyboardInterrupt, asyncio.CancelledError)):
            # a cancel says why in its message (Ctrl-C while a blocking call waited on a loop)
            why = exc.args[0] if isinstance(exc, asyncio.CancelledError) and exc.args else type(exc).__name__
            return f"{why}: the run was stopped; the thread is at its last checkpoint."
        if not isinstance(exc, Exception):
            raise exc
        return "".join(traceback.format_exception(exc))  # a node's own error: the debugger's to show

    def _outcome(
        self, request: RunRequest, reader: StreamReader, error: str | None, stopped: bool
    ) -> RunOutcome:
        last = reader.last
        if last is not None and error is not None:
            # A run can fail after saving a checkpoint it never announced (a state that fails
            # validation when the next step is prepared): the thread stands there, not before.
            latest = self.latest_checkpoint_id()
            if latest is not None and latest > last["config"]["configurable"]["checkpoint_id"]:
                last, request = None, replace(request, checkpoint_id=latest)
        if last is None:
            snap = self.snapshot(request.checkpoint_id)
            return RunOutcome(
                snap.checkpoint_id,
                snap.step,
                snap.next,
                snap.values,
                reader.interrupted,
                reader.at_breakpoint,
                stopped,
                error,
                reader.relay.take_ran(),
            )
        return RunOutcome(
            checkpoint_id=last["config"]["configurable"]["checkpoint_id"],
            step=int(last["metadata"].get("step", 0)),
            next=tuple(last["next"]),
            values=last["values"],
            interrupted=reader.interrupted,
            at_breakpoint=reader.at_breakpoint,
            stopped=stopped,
            error=error,
            ran_unsaved=reader.relay.take_ran(),
        )

    def request_stop(self) -> None:
        if (control := self._control) is not None:
            control.request_drain("paused by the user")

    def snapshot(self, checkpoint_id: str | None) -> Snapshot:
        try:
            state = self._reader_graph.get_state(self._config(checkpoint_id), subgraphs=True)
        except Exception as exc:
            return self._unreadable_snapshot(checkpoint_id, exc)
        configurable = state.config.get("configurable", {}) if state.config else {}
        parent = state.parent_config.get("configurable", {}) if state.parent_config else {}
        return Snapshot(
            checkpoint_id=configurable.get("checkpoint_id"),
            parent_id=parent.get("checkpoint_id"),
            step=(state.metadata or {}).get("step"),
            next=tuple(state.next),
            values=state.values,
            interrupts=tuple(_pending_interrupts(state)),
            errors={t.name: _error_text(t.error) for t in state.tasks if t.error is not None},
            asked=tuple(dict.fromkeys(t.name for t in state.tasks if t.interrupts)),
            answered=tuple(_answered(state)),
            answers=self._answers(state),
            inside=stopped_inside(state),
        )

    def _answers(self, state: StateSnapshot) -> dict[str, Any]:
        """The answers to the interrupts of the finished tasks at a checkpoint, by interrupt id:
        LangGraph keeps each task's resume values, in the order its `interrupt()` calls asked,
        as a write of that checkpoint. Read only where such a task is (a rare checkpoint)."""
        asked = {t.id: t.interrupts for t in state.tasks if t.result is not None and t.interrupts}
        if not asked or state.config is None:
            return {}
        saved = self._reader_graph.checkpointer.get_tuple(state.config)  # type: ignore[union-attr]
        answers: dict[str, Any] = {}
        for task_id, channel, values in (saved.pending_writes or ()) if saved else ():
            if channel == _RESUME and task_id in asked and isinstance(values, list):
                answers.update((it.id, value) for it, value in zip(asked[task_id], values, strict=False))
        return answers

    def subgraph_checkpoints(self, checkpoint_id: str) -> list[SubgraphCheckpoint]:
        return subgraph_checkpoints(self._reader_graph, self._config(checkpoint_id))

    def update_state(
        self,
        checkpoint_id: str | None,
        values: Mapping[str, Any] | None,
        as_node: str | None,
        config: Mapping[str, Any] | None = None,
        inside: Inside | None = None,
    ) -> str:
        run_config = self._config(checkpoint_id, config)
        if inside is not None:  # LangGraph finds the subgraph by the namespace
            run_config["configurable"].update(
                checkpoint_ns=inside.checkpoint_ns, checkpoint_id=inside.checkpoint_id
            )
        if as_node is not None:
            run_config["metadata"] = {**run_config.get("metadata", {}), AS_NODE_KEY: as_node}
        new_config = self._reader_graph.update_state(run_config, values, as_node=as_node)
        return str(new_config["configurable"]["checkpoint_id"])

    def latest_checkpoint_id(self) -> str | None:
        return self._guard.saw(self._reader.latest_id(self._thread_id))

    def claim(
        self, command: str, *, check: bool = True, at: str | None = None
    ) -> AbstractContextManager[None]:
        return self._guard.claim(command, check=check, at=at)

    def skeleton(self, newer_than: str | None = None, limit: int | None = None) -> list[CheckpointRecord]:
        return self._reader.records(self._thread_id, newer_than, limit)

    def _tasks_at(self, checkpoint_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What ran from a checkpoint whose tasks' paths name no node (a `Send` step a reader
        could not name from the stored packets)."""
        state = self._reader_graph.get_state(self._config(checkpoint_id))
        return tuple(state.next), tuple(sorted({t.name for t in state.tasks if t.result is not None}))

    def try_node(
        self,
        node: str,
        checkpoint_id: str | None,
        values: Mapping[str, Any] | None,
        config: Mapping[str, Any] | None,
        context: Any,
    ) -> tuple[Any, tuple[Any, ...]]:
        saver = self._reader_graph.checkpointer
        assert isinstance(saver, BaseCheckpointSaver)
        return local_try.try_node(
            self._graph,
            saver,
            self._config(checkpoint_id),
            node,
            values,
            config,
            context,
            bool(self._async_parts),
        )

    @property
    def graph(self) -> Pregel[Any, Any, Any, Any]:
        """The graph this thread runs (the debugger's copy: its own breakpoints and saver)."""
        return self._graph

    def saved(self, checkpoint_id: str) -> tuple[Checkpoint, CheckpointMetadata]:
        """A checkpoint as the saver keeps it (channels, versions, pending sends), and its metadata."""
        saver = self._reader_graph.checkpointer
        assert isinstance(saver, BaseCheckpointSaver)
        saved = saver.get_tuple(self._config(checkpoint_id))
        if saved is None:
            raise DebuggerError(
                f"the saver has no checkpoint {checkpoint_id!r} on thread {self._thread_id!r}"
            )
        return saved.checkpoint, saved.metadata

    def values_at(self, checkpoint_id: str | None) -> Any:
        try:
            return self._reader_graph.get_state(self._config(checkpoint_id)).values
        except Exception as exc:
            return self._unreadable_snapshot(checkpoint_id, exc).values

    def _unreadable_snapshot(self, checkpoint_id: str | None, exc: Exception) -> Snapshot:
        """A checkpoint LangGraph cannot read back (its state fails the graph's own validation,
        say, after an input the state schema rejects): its stored channels, as they are, and
        the error, so that history and views keep working where `get_state` raises."""
        saved = self._reader_graph.checkpointer.get_tuple(self._config(checkpoint_id))  # type: ignore[union-attr]
        if saved is None:
            raise exc
        channels = saved.checkpoint.get("channel_values", {})
        keys = self.state_keys() or [k for k in channels if not k.startswith("__") and ":" not in k]
        parent = saved.parent_config.get("configurable", {}) if saved.parent_config else {}
        return Snapshot(
            checkpoint_id=saved.config["configurable"].get("checkpoint_id"),
            parent_id=parent.get("checkpoint_id"),
            step=saved.metadata.get("step"),
            next=(),
            values={k: channels[k] for k in keys if k in channels},
            errors={"(state)": _error_text(exc).splitlines()[0] if str(exc) else type(exc).__name__},
        )

    def close(self) -> None:
        """Release the claim's connection, and the pool if it was opened for this backend
        (a saver given by the user is theirs, and may outlive the debugger)."""
        self._release()  # once, however often called


def _release(closers: list[Callable[[], None]]) -> None:
    for close in closers:
        close()


def _pending_interrupts(state: StateSnapshot, ns: tuple[str, ...] = ()) -> list[PendingInterrupt]:
    """Every pending interrupt, from the innermost subgraph that raised it up to the root.

    A subgraph's interrupt shows on its parent's task too; the innermost one names the node
    that actually called `interrupt()`, so it wins.
    """
    found: dict[str, PendingInterrupt] = {}
    for task in state.tasks:
        if task.result is not None:
            continue  # finished: its interrupts were answered (LangGraph keeps them on record)
        path = (*ns, f"{task.name}:{task.id}")
        if isinstance(task.state, StateSnapshot):
            for inner in _pending_interrupts(task.state, path):
                found.setdefault(inner.id, inner)
        for it in task.interrupts:
            found.setdefault(
                it.id,
                PendingInterrupt(
                    id=it.id,
                    value=it.value,
                    node=task.name,
                    ns=path,
                    response_schema=json_schema(getattr(it, "response_schema", None)),
                ),
            )
    return list(found.values())


def _answered(state: StateSnapshot) -> list[PendingInterrupt]:
    """The interrupts asked at a checkpoint by tasks that finished since (they were answered)."""
    return [
        PendingInterrupt(id=it.id, value=it.value, node=task.name, ns=(f"{task.name}:{task.id}",))
        for task in state.tasks
        if task.result is not None
        for it in task.interrupts
    ]


def _error_text(error: Exception | str) -> str:
    if isinstance(error, BaseException):
        return "".join(traceback.format_exception_only(error)).strip()
    return str(error)
