"""A thread of a graph compiled in this kernel, run through LangGraph's own Pregel loop."""

from __future__ import annotations

import traceback
import weakref
from collections.abc import Generator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Literal, Protocol, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.errors import GraphDrained
from langgraph.pregel import Pregel
from langgraph.runtime import RunControl
from langgraph.types import Command, StateSnapshot, StreamMode

from hitl_widgets.answers import json_schema
from hitl_widgets.backends.base import CheckpointRecord, RunObserver, RunOutcome, RunRequest, Snapshot
from hitl_widgets.backends.local_history import AS_NODE_KEY, SkeletonReader
from hitl_widgets.backends.thread_guard import guard_for
from hitl_widgets.backends.topology import topology_from_json
from hitl_widgets.model import PendingInterrupt, Topology


class Closeable(Protocol):
    def close(self) -> None: ...


# The run itself says where it stopped: each saved checkpoint (id, values, next) and each
# interrupt or breakpoint; no get_state() afterwards.
_STREAM_MODES: list[StreamMode] = ["checkpoints", "updates"]


class LocalBackend:
    """Runs and reads one thread of a compiled graph with its checkpointer.

    The graph is copied with its compiled breakpoints removed: LangGraph's run-time
    `interrupt_before` *replaces* the compiled list (an empty list falls back to it), so the
    only way to let a user clear a compiled breakpoint is for the debugger to own the whole
    list and pass it on every run.
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
        self._thread_id = thread_id
        self._topology = topology_from_json(graph.get_graph().to_json(), graph.get_graph(xray=True).to_json())
        self._reader = SkeletonReader(saver, self._topology.node_names, self._tasks_at)
        self._guard = guard_for(
            saver,
            thread_id,
            lambda: self._reader.latest_id(thread_id),
            lambda: next(iter(self._reader.records(thread_id, limit=1)), None),
        )
        weakref.finalize(self, self._guard.close)  # a Debugger dropped unclosed leaks no connection
        self._owned = owned  # a connection pool opened for this backend alone
        self._control: RunControl | None = None

    @property
    def thread_id(self) -> str:
        return self._thread_id

    def topology(self) -> Topology:
        return self._topology

    def compiled_breakpoints(self) -> tuple[Sequence[str], Sequence[str]]:
        return self._compiled_breakpoints

    def state_keys(self) -> tuple[str, ...] | None:
        channels = self._graph.stream_channels
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
        config = self._config(request.checkpoint_id, request.config)
        graph_input = Command(resume=request.resume) if request.has_resume else request.input
        control = self._control = RunControl()
        last: dict[str, Any] | None = None
        interrupted = at_breakpoint = stopped = False
        error: str | None = None
        stream = cast(
            Generator[tuple[str, Any], None, None],
            self._graph.stream(
                graph_input,
                config,
                stream_mode=_STREAM_MODES,
                # Each checkpoint is saved before the next step runs. LangGraph's default ("async") saves
                # while the next step runs, which costs ~11% less on a 100-node run but (1) announces
                # checkpoints that a failing save or a Ctrl-C then never writes, so the run's last word
                # names a checkpoint that does not exist, and (2) lets a join's barrier set (and an
                # accumulating topic) go on changing after it was handed to the saver, so the next step's
                # writes leak into the saved checkpoint and a replay runs the joined node early.
                durability="sync",
                interrupt_before=request.interrupt_before or None,
                interrupt_after=request.interrupt_after or None,
                control=control,
            ),
        )
        try:
            for mode, payload in stream:
                if mode == "checkpoints":
                    last = payload
                    observer.on_checkpoint(
                        payload["config"]["configurable"]["checkpoint_id"],
                        int(payload["metadata"].get("step", 0)),
                        tuple(payload["next"]),
                    )
                    if observer.should_stop():
                        control.request_drain("paused by the user")
                elif mode == "updates" and "__interrupt__" in payload:
                    # LangGraph reports a breakpoint as an empty interrupt tuple
                    interrupted = interrupted or bool(payload["__interrupt__"])
                    at_breakpoint = at_breakpoint or not payload["__interrupt__"]
        except GraphDrained:
            stopped = True
        except KeyboardInterrupt:
            error = "KeyboardInterrupt: the run was stopped; the thread is at its last checkpoint."
        except Exception as exc:  # a node's own error: the debugger's to show, not to raise
            error = "".join(traceback.format_exception(exc))
        finally:
            stream.close()
            self._control = None
        if last is None:
            snap = self.snapshot(request.checkpoint_id)
            return RunOutcome(
                snap.checkpoint_id,
                snap.step,
                snap.next,
                snap.values,
                interrupted,
                at_breakpoint,
                stopped,
                error,
            )
        return RunOutcome(
            checkpoint_id=last["config"]["configurable"]["checkpoint_id"],
            step=int(last["metadata"].get("step", 0)),
            next=tuple(last["next"]),
            values=last["values"] if isinstance(last["values"], Mapping) else {},
            interrupted=interrupted,
            at_breakpoint=at_breakpoint,
            stopped=stopped,
            error=error,
        )

    def request_stop(self) -> None:
        if (control := self._control) is not None:
            control.request_drain("paused by the user")

    def snapshot(self, checkpoint_id: str | None) -> Snapshot:
        state = self._graph.get_state(self._config(checkpoint_id), subgraphs=True)
        configurable = state.config.get("configurable", {}) if state.config else {}
        parent = state.parent_config.get("configurable", {}) if state.parent_config else {}
        return Snapshot(
            checkpoint_id=configurable.get("checkpoint_id"),
            parent_id=parent.get("checkpoint_id"),
            step=(state.metadata or {}).get("step"),
            next=tuple(state.next),
            values=state.values if isinstance(state.values, Mapping) else {},
            interrupts=tuple(_pending_interrupts(state)),
            errors={t.name: _error_text(t.error) for t in state.tasks if t.error is not None},
        )

    def update_state(
        self, checkpoint_id: str | None, values: Mapping[str, Any] | None, as_node: str | None
    ) -> str:
        config = self._config(checkpoint_id)
        if as_node is not None:
            config["metadata"] = {AS_NODE_KEY: as_node}
        new_config = self._graph.update_state(config, values, as_node=as_node)
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
        """What ran from a checkpoint whose tasks' paths name no node (a `Send` step)."""
        state = self._graph.get_state(self._config(checkpoint_id))
        return tuple(state.next), tuple(sorted({t.name for t in state.tasks if t.result is not None}))

    def values_at(self, checkpoint_id: str) -> Mapping[str, Any]:
        values = self._graph.get_state(self._config(checkpoint_id)).values
        return values if isinstance(values, Mapping) else {}

    def close(self) -> None:
        """Release the claim's connection, and the pool if it was opened for this backend
        (a saver given by the user is theirs, and may outlive the debugger)."""
        self._guard.close()
        if self._owned is not None:
            self._owned.close()


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


def _error_text(error: Exception | str) -> str:
    if isinstance(error, BaseException):
        return "".join(traceback.format_exception_only(error)).strip()
    return str(error)
