"""A thread of an assistant on a LangGraph server, driven through `langgraph_sdk`'s sync client.

The same contract as `LocalBackend`, over HTTP. Where the server differs, it is said here:

- State values arrive as JSON: a LangChain message in the state is a dict (`{"type": "ai",
  "content": ...}`), not a message object.
- A node's error carries its exception type and message; the server does not send tracebacks.
- `compiled_breakpoints()` is read from the assistant's graph drawing, where LangGraph marks
  compiled breakpoints (`"metadata": {"__interrupt": "before"}`); clearing them works by passing
  a list naming no node on each run (see `remote_run.NO_BREAKPOINT`).
- `as_node` of an edit is kept in the new checkpoint's metadata (`AS_NODE_KEY`, as locally) by
  passing it in `update_state`'s `checkpoint` mapping, which the server copies into the
  configurable and LangGraph into the checkpoint metadata (measured on langgraph-api 0.16).
- A pause stops the run by cancelling it at the next saved checkpoint (see `remote_run`).
- Thread ids are the server's UUIDs; an unknown thread is refused, never created.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import Any, Literal, cast

from langgraph_sdk.errors import APIStatusError
from langgraph_sdk.schema import Checkpoint

from hitl_widgets.backends.base import CheckpointRecord, RunObserver, RunOutcome, RunRequest, Snapshot
from hitl_widgets.backends.local_history import AS_NODE_KEY
from hitl_widgets.backends.remote_client import ServerClient
from hitl_widgets.backends.remote_history import RemoteHistory
from hitl_widgets.backends.remote_run import RunFollower, StreamedRun, run_arguments
from hitl_widgets.backends.remote_state import snapshot_of, subgraph_checkpoints
from hitl_widgets.backends.topology import topology_from_json
from hitl_widgets.errors import DebuggerError
from hitl_widgets.model import Inside, SubgraphCheckpoint, Topology

# A subgraph run's checkpoints read at most: one run of a subgraph, not a thread's history.
SUBGRAPH_RUN_LIMIT = 1000


class UpdateRefused(Exception):
    """The server refused a state update; the Debugger words LangGraph's reason for the user."""


class RemoteBackend:
    """Runs and reads one thread of `assistant_id` (a graph id or an assistant UUID) at `url`.

    With `thread_id` None a new thread is made; an existing one is attached to as it stands.
    The API key is `api_key`, else the SDK's environment variables; it is only ever sent.
    """

    kind: Literal["remote"] = "remote"

    def __init__(
        self, url: str, assistant_id: str, *, thread_id: str | None = None, api_key: str | None = None
    ) -> None:
        self._client = client = ServerClient(url, api_key)
        sdk = client.sdk
        assistant = client.assistant(assistant_id)
        self._assistant_id = str(assistant["assistant_id"])
        self._name = assistant_id
        with client.calling(f"reading the graph of assistant {assistant_id!r}"):
            root = sdk.assistants.get_graph(self._assistant_id)
            xray = sdk.assistants.get_graph(self._assistant_id, xray=True)
            schemas = sdk.assistants.get_schemas(self._assistant_id)
        self._topology = topology_from_json(root, xray)
        self._compiled_breakpoints = _compiled_breakpoints(root)
        self._state_keys = _schema_keys(schemas.get("state_schema"))
        self._input_keys = _schema_keys(schemas.get("input_schema"))
        self._thread_id = client.thread(thread_id, str(assistant["graph_id"]))
        self._history = RemoteHistory(sdk.threads, self._thread_id, self._topology.node_names, client.calling)
        self._follower: RunFollower | None = None

    @property
    def thread_id(self) -> str:
        return self._thread_id

    def topology(self) -> Topology:
        return self._topology

    def compiled_breakpoints(self) -> tuple[Sequence[str], Sequence[str]]:
        return self._compiled_breakpoints

    @property
    def stops_inside_subgraphs(self) -> bool:
        return False  # a server takes run-time breakpoints for the root graph only

    def state_keys(self, subgraph: str | None = None) -> tuple[str, ...] | None:
        return self._state_keys if subgraph is None else None  # a server describes its root graph only

    def input_keys(self) -> tuple[str, ...] | None:
        return self._input_keys

    # The SDK's sync client is used from any thread: a server graph never needs a loop here.
    runs_async = False
    home_loop = None

    async def arun(self, request: RunRequest, observer: RunObserver) -> RunOutcome:
        """`run` on a worker thread, so the caller's event loop stays free while it streams."""
        return await asyncio.to_thread(self.run, request, observer)

    def run(self, request: RunRequest, observer: RunObserver) -> RunOutcome:
        if request.context is not None and (request.config or {}).get("configurable"):
            raise DebuggerError(
                "a LangGraph server takes a run's context or its config['configurable'] values, not both "
                "(it refuses the run): keep one, e.g. dbg.config = {} or dbg.context = None"
            )
        sdk = self._client.sdk
        follower = self._follower = RunFollower(sdk.runs, self._thread_id, observer, live=request.stream)
        try:
            with self._client.calling(f"running {self._name!r} on thread {self._thread_id}"):
                stream = sdk.runs.stream(
                    self._thread_id,
                    self._assistant_id,
                    **run_arguments(request, self._compiled_breakpoints),
                )
                for part in stream:
                    follower.take(part.event, part.data)
        finally:
            self._follower = None
        streamed = follower.run
        if streamed.error is not None:
            streamed.error = self._client.scrub(streamed.error)
        if streamed.stop_sent:
            return self._stopped(streamed)
        if streamed.last is None:
            return _outcome(self.snapshot(request.checkpoint_id), streamed)
        last = streamed.last
        values = last.get("values")
        return RunOutcome(
            checkpoint_id=str(last["config"]["configurable"]["checkpoint_id"]),
            step=int((last.get("metadata") or {}).get("step", 0)),
            next=tuple(last.get("next") or ()),
            values=values,
            interrupted=streamed.interrupted,
            at_breakpoint=streamed.at_breakpoint,
            error=streamed.error,
            ran_unsaved=follower.take_ran(),
        )

    def _stopped(self, streamed: StreamedRun) -> RunOutcome:
        """After a stop the run may have saved a step the stream did not show: ask where it stands."""
        snap = self.snapshot(None)
        interrupted = streamed.interrupted or bool(snap.interrupts)
        return replace(
            _outcome(snap, streamed), interrupted=interrupted, stopped=bool(snap.next) and not interrupted
        )

    def request_stop(self) -> None:
        if (follower := self._follower) is not None:
            follower.request_stop()

    def snapshot(self, checkpoint_id: str | None) -> Snapshot:
        with self._client.calling("reading the thread's state"):
            state = self._client.sdk.threads.get_state(
                self._thread_id, checkpoint_id=checkpoint_id, subgraphs=True
            )
        return snapshot_of(state)

    def subgraph_checkpoints(self, checkpoint_id: str) -> list[SubgraphCheckpoint]:
        threads = self._client.sdk.threads
        subgraphs = {n.id.replace(":", "/") for n in self._topology.nodes if n.kind == "subgraph"}

        def history(ns: str) -> list[Mapping[str, Any]]:
            where = cast(Checkpoint, {"checkpoint_ns": ns})
            return cast(
                list[Mapping[str, Any]],
                threads.get_history(self._thread_id, checkpoint=where, limit=SUBGRAPH_RUN_LIMIT),
            )

        with self._client.calling("reading the subgraphs' checkpoints"):
            root = threads.get_state(self._thread_id, checkpoint_id=checkpoint_id)
            return subgraph_checkpoints(history, cast(Mapping[str, Any], root), subgraphs)

    def update_state(
        self,
        checkpoint_id: str | None,
        values: Mapping[str, Any] | None,
        as_node: str | None,
        config: Mapping[str, Any] | None = None,
        inside: Inside | None = None,
    ) -> str:
        """`config` is not sent: the server's update takes no run config (its graph runs the
        update with the thread's own); the README says so among the differences. A server's
        runs never stop inside a subgraph for the Debugger, so `inside` is never given."""
        assert inside is None
        with self._client.calling("updating the thread's state"):
            try:
                result = self._client.sdk.threads.update_state(
                    self._thread_id,
                    dict(values) if values is not None else None,
                    as_node=as_node,
                    checkpoint_id=checkpoint_id,
                    # not a checkpoint reference: the server copies these keys into the configurable,
                    # and LangGraph the configurable's plain values into the checkpoint's metadata
                    checkpoint=cast(Checkpoint, {AS_NODE_KEY: as_node}) if as_node else None,
                )
            except APIStatusError as exc:
                raise UpdateRefused(self._client.describe(exc)) from None
        return str(result["checkpoint"]["checkpoint_id"])

    def try_node(
        self,
        node: str,
        checkpoint_id: str | None,
        values: Mapping[str, Any] | None,
        config: Mapping[str, Any] | None,
        context: Any,
    ) -> tuple[Any, tuple[Any, ...]]:
        raise DebuggerError(
            "try_node() runs a node without writing to the thread, which a LangGraph server cannot do "
            "(every run on it writes its thread): on a server, fork the checkpoint and step instead"
        )

    def latest_checkpoint_id(self) -> str | None:
        return self._history.latest_id()

    def claim(
        self, command: str, *, check: bool = True, at: str | None = None
    ) -> AbstractContextManager[None]:
        """Nothing to hold here: the server rejects a second run on a busy thread (its default
        multitask strategy). A command made stale by another client is not refused here yet."""
        return nullcontext()

    def skeleton(self, newer_than: str | None = None, limit: int | None = None) -> list[CheckpointRecord]:
        # Pages come newest first and are kept, so the whole history costs little more than
        # its first screen here: `limit` is met by giving it all.
        return self._history.records(newer_than)

    def values_at(self, checkpoint_id: str | None) -> Any:
        with self._client.calling(f"reading checkpoint {checkpoint_id}"):
            state = self._client.sdk.threads.get_state(self._thread_id, checkpoint_id=checkpoint_id)
        return state["values"]

    def close(self) -> None:
        self._client.close()

    def __repr__(self) -> str:
        return f"<RemoteBackend {self._client.url} assistant={self._name!r} thread={self._thread_id!r}>"


def _outcome(snap: Snapshot, streamed: StreamedRun) -> RunOutcome:
    return RunOutcome(
        checkpoint_id=snap.checkpoint_id,
        step=snap.step,
        next=snap.next,
        values=snap.values,
        interrupted=streamed.interrupted,
        at_breakpoint=streamed.at_breakpoint,
        error=streamed.error,
    )


def _compiled_breakpoints(drawing: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The breakpoints LangGraph marks on the nodes it draws: `"__interrupt": "before,after"`."""
    before: list[str] = []
    after: list[str] = []
    for node in drawing.get("nodes", []):
        marks = str((node.get("metadata") or {}).get("__interrupt", "")).split(",")
        if "before" in marks:
            before.append(str(node["id"]))
        if "after" in marks:
            after.append(str(node["id"]))
    return tuple(before), tuple(after)


def _schema_keys(schema: Any) -> tuple[str, ...] | None:
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    return tuple(properties) if isinstance(properties, Mapping) else None
