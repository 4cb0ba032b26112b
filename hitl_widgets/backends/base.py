"""The protocol every backend satisfies, and the plain records that cross it.

A backend owns one thread of one graph: a compiled graph with a checkpointer in this kernel
(`LocalBackend`) or an assistant on a LangGraph server (`RemoteBackend`). It knows how to run,
read and update that thread. It does not know about breakpoints as user state, the head, ids
given as prefixes, locking or events: the `Debugger` does all of that once for both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from hitl_widgets.model import Inside, LiveKind, PendingInterrupt, SubgraphCheckpoint, Topology


@dataclass(frozen=True)
class RunRequest:
    """One run on the thread.

    Exactly one of `input` (a new run) or `resume` (answers to pending interrupts; a single
    value or an `{interrupt_id: value}` map) is used; neither means "continue from where the
    thread stands". `command` set (the user's own LangGraph `Command`, its resume already
    checked) is sent as it is, in place of both. `checkpoint_id` set means "run from this past
    checkpoint" (time travel, making a new branch); None means the thread's latest checkpoint.
    `config` and `context` are the user's, given on every run because LangGraph keeps neither
    in the thread. `stream` asks for live events (node starts and updates, tokens, custom
    events, from subgraphs too) on top of the checkpoints every run reports.
    """

    input: Any = None
    resume: Any = None
    has_resume: bool = False
    command: Any = None
    checkpoint_id: str | None = None
    interrupt_before: Sequence[str] | Literal["*"] = ()
    interrupt_after: Sequence[str] = ()
    # breakpoints inside subgraphs, by the subgraph's path ("mid", "mid/inner")
    inside_before: Mapping[str, Sequence[str] | Literal["*"]] = field(default_factory=dict)
    inside_after: Mapping[str, Sequence[str]] = field(default_factory=dict)
    config: Mapping[str, Any] | None = None
    context: Any = None
    stream: bool = True


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended, known from the run itself (no extra read of the thread).

    `interrupted`: a node called `interrupt()`; `at_breakpoint`: a static or run-time
    breakpoint stopped it (possibly after the last node, with nothing next); `stopped`: it
    stopped because `request_stop()` asked.
    """

    checkpoint_id: str | None
    step: int | None
    next: tuple[str, ...]
    values: Any
    interrupted: bool = False
    at_breakpoint: bool = False
    stopped: bool = False
    error: str | None = None
    # tasks that finished in a step the run stopped inside (at an interrupt): LangGraph keeps
    # their writes and does not run them again, so they write the checkpoint that step makes
    ran_unsaved: tuple[str, ...] = ()


class RunObserver(Protocol):
    """What a backend tells about a run while it goes, and asks between supersteps."""

    def on_checkpoint(
        self, checkpoint_id: str, step: int, next_nodes: tuple[str, ...], ran: tuple[str, ...] = ()
    ) -> None:
        """A root checkpoint was saved; `ran` names the tasks the run saw finish in the step
        that made it (functional `@task`s too, whose names LangGraph does not store)."""
        ...

    def on_live(self, kind: LiveKind, node: str, ns: tuple[str, ...], data: Any) -> None:
        """A live event of a run asked to `stream`: a node started ("task"), finished ("update",
        with its update), an LLM token ("token", its text) or a custom event ("custom")."""
        ...

    def should_stop(self) -> bool: ...


@dataclass(frozen=True)
class Snapshot:
    """The thread at one checkpoint, with what is pending there."""

    checkpoint_id: str | None
    parent_id: str | None
    step: int | None
    next: tuple[str, ...]
    values: Any
    interrupts: tuple[PendingInterrupt, ...] = ()
    errors: Mapping[str, str] = field(default_factory=dict)
    asked: tuple[str, ...] = ()  # the nodes whose interrupt() asked here, answered since or not
    # interrupts asked here and answered since, and their answers by interrupt id where the
    # thread keeps them (a local saver does; a server's state does not say)
    answered: tuple[PendingInterrupt, ...] = ()
    answers: Mapping[str, Any] = field(default_factory=dict)
    inside: Inside | None = None  # the innermost subgraph run stopped inside, if any


@dataclass(frozen=True)
class CheckpointRecord:
    """A checkpoint's skeleton: everything but its values. `next` None means not known yet."""

    id: str
    parent_id: str | None
    step: int
    source: str
    next: tuple[str, ...] | None
    writes: tuple[str, ...]
    created_at: datetime | None


class Backend(Protocol):
    """One thread of one graph, wherever it runs."""

    @property
    def thread_id(self) -> str: ...

    @property
    def kind(self) -> Literal["local", "remote"]: ...

    def topology(self) -> Topology: ...

    def state_keys(self, subgraph: str | None = None) -> tuple[str, ...] | None:
        """The keys of the graph's state (of the subgraph at that path, "mid/inner"), or None
        where the backend cannot tell."""
        ...

    def input_keys(self) -> tuple[str, ...] | None:
        """The keys the graph's input accepts, or None where the backend cannot tell."""
        ...

    def compiled_breakpoints(self) -> tuple[Sequence[str], Sequence[str]]:
        """Breakpoints compiled into the graph: (before, after); "*" stands for every node."""
        ...

    @property
    def stops_inside_subgraphs(self) -> bool:
        """Whether runs can stop at breakpoints inside subgraphs (`RunRequest.inside_before`)."""
        ...

    @property
    def runs_async(self) -> bool:
        """True when runs must go through `arun` on an event loop: the graph has async-only
        nodes or tools, or its saver lives on an event loop."""
        ...

    @property
    def home_loop(self) -> asyncio.AbstractEventLoop | None:
        """The event loop the graph's saver belongs to, where its async runs must go; None if
        any loop will do."""
        ...

    def run(self, request: RunRequest, observer: RunObserver) -> RunOutcome:
        """Run until the graph pauses, ends, fails or `observer.should_stop()` says so.

        A node's exception is returned as `RunOutcome.error` (its traceback text), never raised.
        """
        ...

    async def arun(self, request: RunRequest, observer: RunObserver) -> RunOutcome:
        """`run` on the running event loop: what async graphs need."""
        ...

    def request_stop(self) -> None:
        """Ask the run in flight (from another thread) to stop before its next superstep."""
        ...

    def snapshot(self, checkpoint_id: str | None) -> Snapshot:
        """The thread at a checkpoint, with pending interrupts and errors.

        None reads the latest as LangGraph shows a thread (`get_state` of the thread): with the
        writes of an interrupted step's finished tasks, which are not next any more. A named
        checkpoint reads as its history shows it (`get_state_history`), without them.
        """
        ...

    def subgraph_checkpoints(self, checkpoint_id: str) -> list[SubgraphCheckpoint]:
        """The checkpoints the subgraphs run from this root checkpoint saved, at any depth."""
        ...

    def update_state(
        self,
        checkpoint_id: str | None,
        values: Mapping[str, Any] | None,
        as_node: str | None,
        config: Mapping[str, Any] | None = None,
        inside: Inside | None = None,
    ) -> str:
        """Apply `values` as if `as_node` wrote them; returns the new checkpoint's id. `config`
        is the user's run config (its `configurable` values), given as to a run. `inside`: to
        the state of the subgraph a run stopped inside (a new checkpoint of that subgraph)."""
        ...

    def latest_checkpoint_id(self) -> str | None:
        """The thread's newest checkpoint; the Debugger has now seen it (see `claim`)."""
        ...

    def claim(
        self, command: str, *, check: bool = True, at: str | None = None
    ) -> AbstractContextManager[None]:
        """Hold the thread against other processes for a command that writes it (`thread_guard`).

        Refused with `DebuggerError` when another process holds it, or (with `check`) when the
        thread's newest checkpoint is not the one last returned by `latest_checkpoint_id`; `at`
        (a command's checkpoint argument) limits that check to a command aimed at that one.
        """
        ...

    def skeleton(self, newer_than: str | None = None, limit: int | None = None) -> list[CheckpointRecord]:
        """Every root checkpoint of the thread, all branches, newest first, without values.

        `newer_than`: only checkpoints made after that one. `limit`: at least the newest `limit`
        (a first screen), read without reading the rest where the backend can.
        """
        ...

    def try_node(
        self,
        node: str,
        checkpoint_id: str | None,
        values: Mapping[str, Any] | None,
        config: Mapping[str, Any] | None,
        context: Any,
    ) -> tuple[Any, tuple[Any, ...]]:
        """Run `node` once on the state at `checkpoint_id` (None: the newest), with `values`
        applied first, writing nothing to the thread: (its update, its interrupts' values)."""
        ...

    def values_at(self, checkpoint_id: str | None) -> Any:
        """A checkpoint's values as the graph gives them (a mapping, or any value a functional
        `@entrypoint` returned); None: the thread's, read as `snapshot(None)` reads it."""
        ...

    def close(self) -> None: ...
