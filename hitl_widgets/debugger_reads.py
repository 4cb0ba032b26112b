"""What a `Debugger` reads of its thread: where it stands (the head, its state, pending
interrupts, the subgraph a run stopped inside), the checkpoints of every branch, one
checkpoint, what changed between two, and what a replay would run again. Reads never wait for a
run and never write the thread."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hitl_widgets.backends.base import Backend
from hitl_widgets.breakpoints import BreakpointSet
from hitl_widgets.commands_gate import CommandGate
from hitl_widgets.diff import Change, state_diff
from hitl_widgets.errors import DebuggerError
from hitl_widgets.head import Head
from hitl_widgets.history import ThreadHistory
from hitl_widgets.model import (
    Checkpoint,
    Inside,
    Pause,
    PendingInterrupt,
    SubgraphCheckpoint,
    Topology,
    keyed,
)
from hitl_widgets.preview import ReplayPreview, replay_preview


class ThreadReads:
    """The reading half of the `Debugger` (which makes the parts named below)."""

    _backend: Backend
    _topology: Topology
    _breakpoint_set: BreakpointSet
    _head: Head
    _history: ThreadHistory
    _gate: CommandGate

    # ----------------------------------------------------------------- where it stands

    @property
    def backend(self) -> Backend:
        """The backend under the Debugger (tools and tests; views read through the Debugger)."""
        return self._backend

    @property
    def thread_id(self) -> str:
        return self._backend.thread_id

    @property
    def backend_kind(self) -> str:
        """Where the thread lives: "local" (a saver in this kernel) or "remote" (a server)."""
        return self._backend.kind

    @property
    def topology(self) -> Topology:
        return self._topology

    @property
    def running(self) -> str | None:
        """The name of the command in flight, or None."""
        return self._gate.running

    @property
    def last_pause(self) -> Pause | None:
        return self._head.last_pause

    @property
    def head(self) -> Checkpoint:
        head_id = self._head.current()
        if head_id is None:
            raise DebuggerError("the thread has no checkpoint yet: start a run with an input first")
        return self._history.checkpoint(head_id)

    @property
    def state(self) -> Any:
        """The head's values: a dict for a `StateGraph`, any value a functional `@entrypoint`
        returned; `{}` while the thread is empty."""
        head_id = self._head.current()
        if head_id is None:
            return {}
        # on the newest checkpoint, the thread's state as LangGraph's get_state shows it
        values = self._backend.values_at(head_id if self._head.detached else None)
        return dict(values) if isinstance(values, Mapping) else values

    @property
    def interrupts(self) -> list[PendingInterrupt]:
        return list(self._head.pending_interrupts())

    @property
    def breakpoints(self) -> dict[str, list[str]]:
        return self._breakpoint_set.current().as_dict()

    @property
    def inside(self) -> Inside | None:
        """The subgraph the head stands inside, when a run stopped there (its path, next nodes
        and own state: what `edit` changes then); None at the root."""
        return self._head.inside()

    @property
    def breakable_nodes(self) -> tuple[str, ...]:
        """Every node a breakpoint can name: the root graph's, then (for a graph in this kernel)
        those inside subgraphs by path, `"mid/inner/search"`."""
        return self._breakpoint_set.node_names

    @property
    def breakpoint_conditions(self) -> dict[str, dict[str, str]]:
        """The conditions of conditional breakpoints: `{"before": {node: condition}, "after": {...}}`."""
        return self._breakpoint_set.conditions()

    def newest_id(self) -> str | None:
        """The id of the thread's newest checkpoint, read from the thread now (another kernel
        may have written it): what a view polls to follow the thread."""
        return self._backend.latest_checkpoint_id()

    def history(self, *, limit: int | None = None, newer_than: str | None = None) -> list[Checkpoint]:
        """Every checkpoint of the thread, all branches, newest first; values load when read.

        `newer_than` (a whole id) keeps only checkpoints made after that one: what a view that
        already has the older ones needs.
        """
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise DebuggerError(f"limit must be a positive whole number or None, not {limit!r}")
        return self._history.checkpoints(limit=limit, newer_than=newer_than)

    def checkpoint(self, checkpoint_id: str) -> Checkpoint:
        """One checkpoint of the thread, by whole id or unique prefix/suffix (>= 6 characters)."""
        return self._history.checkpoint(self._history.resolve(checkpoint_id))

    def interrupts_at(self, checkpoint_id: str) -> list[PendingInterrupt]:
        """The interrupts that were pending at a checkpoint (those of the head: `interrupts`).

        What a past checkpoint was waiting for, so a view of it can show where it stood.
        """
        resolved = self._history.resolve(checkpoint_id)
        if resolved == self._head.current():
            return self.interrupts
        return list(self._backend.snapshot(resolved).interrupts)

    def subgraph_checkpoints(self, checkpoint_id: str) -> list[SubgraphCheckpoint]:
        """The checkpoints the subgraphs that ran from this root checkpoint saved, at any
        depth (each subgraph's oldest first, followed by its own subgraphs'): what happened
        inside a step the root history shows as one."""
        return self._backend.subgraph_checkpoints(self._history.resolve(checkpoint_id))

    def replay_preview(self, checkpoint_id: str) -> ReplayPreview:
        """What `replay(checkpoint_id)` will run again, read from what ran after that checkpoint
        the first time: the nodes, and those whose `interrupt()` will ask again (each runs from
        its start, so its code before the call runs again). Nothing runs or changes."""
        start = self._history.record(self._history.resolve(checkpoint_id))
        return replay_preview(self._history.records(), start, lambda cid: self._backend.snapshot(cid).asked)

    def diff(self, a: str, b: str) -> list[Change]:
        """What changed from checkpoint `a` to checkpoint `b`, key by key (any two, any branch)."""
        return state_diff(keyed(self.checkpoint(a).values), keyed(self.checkpoint(b).values))
