"""`Debugger`: the one object that magics, widgets and users call.

It keeps what a debugger has and a graph does not: the head (where the user stands), the
breakpoints (compiled ones merged with run-time ones, any of them clearable), ids given as
short prefixes or suffixes, and one command at a time. It checks every command before it
touches the thread, so a refused command changes nothing, and it tells listeners (the
widgets) what happened, from whatever thread the command ran on.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from typing import Any, Literal

from hitl_widgets import display
from hitl_widgets.answers import check_answer
from hitl_widgets.backends.base import Backend, CheckpointRecord, RunOutcome, RunRequest
from hitl_widgets.backends.thread_guard import WRITING_COMMANDS
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import (
    Breakpoints,
    Checkpoint,
    Pause,
    PauseReason,
    PendingInterrupt,
    Topology,
    short_id,
)

MIN_ID_CHARS = 6
# How many of the newest checkpoints are read on their own before the rest of a thread.
FIRST_SCREEN = 200
# as_node values LangGraph gives a meaning of its own, beyond the graph's node names.
SPECIAL_AS_NODES = ("__input__", "__copy__")
_INTERRUPT_ID = re.compile(r"^[0-9a-f]{32}$")
# A graph whose state is one unnamed value keeps it in this channel; its input is that value.
ROOT_CHANNEL = "__root__"
# Inputs a graph with named state keys cannot take.
_PLAIN_VALUES = (str, bytes, bytearray, int, float, list, tuple, set, frozenset)

EventKind = Literal["running", "progress", "paused", "changed"]


@dataclass(frozen=True)
class DebuggerEvent:
    """What listeners hear. "running": a command started; "progress": a superstep was saved
    during it; "paused": a run ended (`pause` set); "changed": the thread or the breakpoints
    changed without a run (edit, fork, checkout, breakpoints)."""

    kind: EventKind
    command: str | None = None
    pause: Pause | None = None
    checkpoint_id: str | None = None
    step: int | None = None
    next: tuple[str, ...] = ()


Listener = Callable[[DebuggerEvent], None]


class _Observer:
    """Relays a run's progress to the Debugger's listeners; says when to stop."""

    def __init__(self, debugger: Debugger, command: str) -> None:
        self._debugger = debugger
        self._command = command

    def on_checkpoint(self, checkpoint_id: str, step: int, next_nodes: tuple[str, ...]) -> None:
        self._debugger._emit(
            DebuggerEvent("progress", self._command, checkpoint_id=checkpoint_id, step=step, next=next_nodes)
        )

    def should_stop(self) -> bool:
        return self._debugger._stop_requested.is_set()


class _Skeleton:
    """The thread's checkpoint records, kept in step with the saver by fetching only new ones.

    Checkpoints are never changed or removed, and their ids grow with time, so what was read
    once stays right and anything newer than the newest known id is all that can be missing.
    """

    def __init__(self) -> None:
        self.records: list[CheckpointRecord] = []
        self.by_id: dict[str, CheckpointRecord] = {}
        self._latest: str | None = None
        # Views read from their own threads while a command runs: two refreshes at once would
        # both add the same new records.
        self._lock = threading.Lock()

    def refresh(self, backend: Backend) -> list[CheckpointRecord]:
        with self._lock:
            latest = backend.latest_checkpoint_id()
            if latest != self._latest:
                known = self.records[0].id if self.records else None
                new = backend.skeleton(newer_than=known)
                self.records = new + self.records
                self.by_id.update((r.id, r) for r in new)
                self._latest = latest
            return self.records

    def remember(self, record: CheckpointRecord) -> None:
        """Keep a record whose missing parts were filled in, in place of the one read."""
        with self._lock:
            if record.id in self.by_id:
                self.by_id[record.id] = record
                self.records = [record if r.id == record.id else r for r in self.records]

    def newest(self) -> str | None:
        with self._lock:
            return self.records[0].id if self.records else None

    def forget_newer_than(self, known: str | None) -> None:
        """Drop the records newer than `known`. Read while a run was saving, they can lack what
        it saved after them (a step's tasks save their writes in the background), so they are
        read again once the run is over."""
        with self._lock:
            self.records = [r for r in self.records if known is not None and r.id <= known]
            self.by_id = {r.id: r for r in self.records}
            self._latest = None


class Debugger:
    """Step, break, answer interrupts, edit and time-travel one thread of one graph.

    Commands (`start`, `step`, `cont`, `resume`, `replay`, `edit`, `fork`, `checkout`,
    breakpoints) run one at a time: a command issued while another is running is refused
    with a `DebuggerError` rather than queued, because a queued command would block the
    kernel that must stay free to deliver `pause()`. Reads (`history`, `state`, `head`,
    `interrupts`) never wait for a run.
    """

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._topology = backend.topology()
        self._node_names = self._topology.node_names
        compiled_before, compiled_after = backend.compiled_breakpoints()
        self._before: set[str] = self._expand(compiled_before)
        self._after: set[str] = self._expand(compiled_after)
        self._command_lock = threading.Lock()
        self._running: str | None = None
        self._stop_requested = threading.Event()
        self._listeners: list[Listener] = []
        self._head_id: str | None = backend.latest_checkpoint_id()
        self._detached = False  # the head was checked out away from the thread's newest checkpoint
        self._last_pause: Pause | None = None
        self._skeleton = _Skeleton()
        self._interrupts: tuple[PendingInterrupt, ...] | None = None
        self._interrupts_at: str | None = None

    # ----------------------------------------------------------------- where it stands

    @property
    def backend(self) -> Backend:
        return self._backend

    @property
    def thread_id(self) -> str:
        return self._backend.thread_id

    @property
    def topology(self) -> Topology:
        return self._topology

    @property
    def running(self) -> str | None:
        """The name of the command in flight, or None."""
        return self._running

    @property
    def last_pause(self) -> Pause | None:
        return self._last_pause

    @property
    def head(self) -> Checkpoint:
        head_id = self._current_head()
        if head_id is None:
            raise DebuggerError("the thread has no checkpoint yet: start a run with an input first")
        return self._checkpoint(self._record(head_id))

    @property
    def state(self) -> dict[str, Any]:
        head_id = self._current_head()
        return dict(self._backend.values_at(head_id)) if head_id else {}

    @property
    def interrupts(self) -> list[PendingInterrupt]:
        return list(self._pending_interrupts())

    @property
    def breakpoints(self) -> dict[str, list[str]]:
        return self._breakpoints().as_dict()

    def history(self, *, limit: int | None = None, newer_than: str | None = None) -> list[Checkpoint]:
        """Every checkpoint of the thread, all branches, newest first; values load when read.

        `newer_than` (a whole id) keeps only checkpoints made after that one: what a view that
        already has the older ones needs.
        """
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise DebuggerError(f"limit must be a positive whole number or None, not {limit!r}")
        if limit is not None and newer_than is None and not self._skeleton.records:
            # Nothing read yet: the newest few need not wait for the whole thread (a first screen).
            return [self._checkpoint(r) for r in self._with_next(self._backend.skeleton(limit=limit)[:limit])]
        records = self._records()
        if newer_than is not None:
            records = [r for r in records if r.id > newer_than]
        if limit is not None:
            records = records[:limit]
        return [self._checkpoint(r) for r in self._with_next(records)]

    def checkpoint(self, checkpoint_id: str) -> Checkpoint:
        """One checkpoint of the thread, by whole id or unique prefix/suffix (>= 6 characters)."""
        return self._checkpoint(self._record(self._resolve(checkpoint_id)))

    # ----------------------------------------------------------------- breakpoints

    def break_before(self, *nodes: str) -> dict[str, list[str]]:
        """Pause before these nodes run (adds to the breakpoints already set)."""
        return self._add_breakpoints(self._before, nodes)

    def break_after(self, *nodes: str) -> dict[str, list[str]]:
        """Pause after these nodes have run (adds to the breakpoints already set)."""
        return self._add_breakpoints(self._after, nodes)

    def clear_breakpoints(self, *nodes: str) -> dict[str, list[str]]:
        """Clear before and after breakpoints on these nodes; on every node if none is named.

        Breakpoints compiled into the graph clear like any other.
        """
        with self._command("clear_breakpoints"):
            names = self._check_nodes(nodes) if nodes else set(self._node_names)
            self._before -= names
            self._after -= names
        self._emit(DebuggerEvent("changed", "clear_breakpoints"))
        return self.breakpoints

    def _add_breakpoints(self, target: set[str], nodes: tuple[str, ...]) -> dict[str, list[str]]:
        command = "break_before" if target is self._before else "break_after"
        if not nodes:
            raise DebuggerError(f"{command}() needs at least one node: {choices(self._node_names)}")
        with self._command(command):
            target |= self._check_nodes(nodes)
        self._emit(DebuggerEvent("changed", command))
        return self.breakpoints

    def _expand(self, nodes: Any) -> set[str]:
        if nodes == "*" or (isinstance(nodes, (list, tuple)) and "*" in nodes):
            return set(self._node_names)
        return {n for n in nodes if n in self._node_names}

    def _check_nodes(self, nodes: tuple[str, ...] | list[str]) -> set[str]:
        unknown = [n for n in nodes if not isinstance(n, str) or n not in self._node_names]
        if unknown:
            inner = [n.id for n in self._topology.nodes if n.parent is not None]
            hint = (
                " (a breakpoint inside a subgraph must be compiled into that subgraph)"
                if any(u in inner for u in unknown)
                else ""
            )
            raise DebuggerError(
                f"unknown node {choices(map(str, unknown))}{hint}; nodes are: {choices(self._node_names)}"
            )
        return set(nodes)

    def _breakpoints(self) -> Breakpoints:
        order = {n: i for i, n in enumerate(self._node_names)}
        return Breakpoints(
            before=tuple(sorted(self._before, key=order.__getitem__)),
            after=tuple(sorted(self._after, key=order.__getitem__)),
        )

    # ----------------------------------------------------------------- running

    def start(self, input: Any, *, config: Mapping[str, Any] | None = None) -> Pause:
        """Start a new run on this thread from `input`; run until a pause."""
        if input is None:
            raise DebuggerError("start() needs an input; to go on from where the thread is, use cont()")
        self._check_input(input)
        self._check_config(config)
        with self._command("start"):
            return self._run(
                "start", self._request(input=input, checkpoint_id=self._run_from(), config=config)
            )

    def step(self) -> Pause:
        """Run exactly one superstep from the head, then pause."""
        with self._command("step"):
            if (finished := self._finished_after_breakpoint("step")) is not None:
                return finished
            self._check_can_continue("step")
            request = RunRequest(
                checkpoint_id=self._run_from(),
                interrupt_before="*",
                interrupt_after=self._breakpoints().after,
            )
            return self._run("step", request, stepping=True)

    def cont(self) -> Pause:
        """Run until a breakpoint, an interrupt, an error or the end."""
        with self._command("cont"):
            if (finished := self._finished_after_breakpoint("cont")) is not None:
                return finished
            self._check_can_continue("cont")
            return self._run("cont", self._request(checkpoint_id=self._run_from()))

    def pause(self) -> bool:
        """Ask a running command to stop before its next superstep. True if one was running."""
        if self._running is None:
            return False
        self._stop_requested.set()
        self._backend.request_stop()
        return True

    def resume(self, value: Any) -> Pause:
        """Answer the pending interrupt with `value`, or several with `{interrupt_id: value}`."""
        with self._command("resume"):
            pending = self._pending_interrupts()
            if not pending:
                raise DebuggerError(
                    "nothing to resume: no interrupt is pending at the head"
                    + (
                        f" (it will run {', '.join(self._head_next())} next: step or continue instead)"
                        if self._head_next()
                        else ""
                    )
                )
            answer = self._resume_value(value, pending)
            request = self._request(checkpoint_id=self._run_from(), resume=answer, has_resume=True)
            return self._run("resume", request)

    def replay(self, checkpoint_id: str) -> Pause:
        """Run again from a past checkpoint; what follows it becomes a new branch."""
        with self._command("replay", at=checkpoint_id):
            target = self._resolve(checkpoint_id)
            return self._run("replay", self._request(checkpoint_id=target))

    # ----------------------------------------------------------------- changing state

    def edit(self, values: Mapping[str, Any], *, as_node: str | None = None) -> Checkpoint:
        """Update the head's state as if `as_node` wrote `values` (reducers apply)."""
        with self._command("edit"):
            head = self._current_head()
            if head is None:
                raise DebuggerError(
                    "nothing to edit: the thread has no checkpoint yet; start a run with an input first"
                )
            self._check_values(values)
            self._check_as_node(as_node)
            new_id = self._update(self._run_from(), values, as_node)
        self._emit(DebuggerEvent("changed", "edit", checkpoint_id=new_id))
        return self.head

    def fork(
        self, checkpoint_id: str, values: Mapping[str, Any] | None = None, *, as_node: str | None = None
    ) -> Checkpoint:
        """Make a new branch from a past checkpoint, with `values` applied; it becomes the head.

        With values, the new checkpoint is a child of the given one, as if `as_node` wrote them.
        Without values or `as_node`, it is LangGraph's copy (`as_node="__copy__"`): a sibling
        with the same values and the same next nodes, so the branch re-runs from that point.
        """
        with self._command("fork", at=checkpoint_id):
            target = self._resolve(checkpoint_id)
            if values is not None:
                self._check_values(values)
            self._check_as_node(as_node)
            if values is None and as_node is None:
                as_node = "__copy__"  # LangGraph's way to branch a checkpoint unchanged
            new_id = self._update(target, values, as_node)
        self._emit(DebuggerEvent("changed", "fork", checkpoint_id=new_id))
        return self.head

    def checkout(self, checkpoint_id: str) -> Checkpoint:
        """Stand at a checkpoint without changing anything; the next run starts from it."""
        with self._command("checkout"):
            target = self._resolve(checkpoint_id)
            self._head_id = target
            self._detached = target != self._backend.latest_checkpoint_id()
            self._last_pause = None
        self._emit(DebuggerEvent("changed", "checkout", checkpoint_id=target))
        return self.head

    # ----------------------------------------------------------------- background & listeners

    def observe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every `DebuggerEvent`; returns a function that stops it."""
        self._listeners.append(listener)

        def stop() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return stop

    def in_background(self, command: Callable[[], Any]) -> Future[Any]:
        """Run a command on a worker thread so the kernel stays free (to deliver `pause()`).

        The future holds the command's result or its exception (a `DebuggerError` when refused).
        """
        future: Future[Any] = Future()

        def work() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(command())
            except BaseException as exc:  # handed to the caller through the future
                future.set_exception(exc)

        threading.Thread(target=work, name=f"hitl-{self.thread_id}", daemon=True).start()
        return future

    def _emit(self, event: DebuggerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken view must not break the command that informed it
                continue

    # ----------------------------------------------------------------- internals

    @contextmanager
    def _command(self, name: str, at: str | None = None) -> Iterator[None]:
        if not self._command_lock.acquire(blocking=False):
            raise DebuggerError(
                f"{name}() refused: {self._running}() is still running on thread {self.thread_id!r}; "
                "wait for it, or call pause() to stop it at the next superstep"
            )
        self._running = name
        known = self._skeleton.newest()
        try:
            with self._claim(name, at):
                self._refresh_head()
                yield
        finally:
            self._invalidate()
            self._skeleton.forget_newer_than(known)
            self._running = None
            self._command_lock.release()

    def _claim(self, name: str, at: str | None) -> AbstractContextManager[None]:
        """Many kernels on one thread (`backends/thread_guard.py`): a command that writes holds
        the thread until it is over, and is refused if another process moved the thread since
        this Debugger last read it. A head checked out on purpose is not stale; `at` is the
        checkpoint a fork or replay names (stale only if it is the head)."""
        if name not in WRITING_COMMANDS:
            return nullcontext()
        return self._backend.claim(name, check=not self._detached, at=at)

    def _refresh_head(self) -> None:
        """Follow the thread's newest checkpoint unless the user checked out another one."""
        if not self._detached:
            self._head_id = self._backend.latest_checkpoint_id()

    def _current_head(self) -> str | None:
        """Where the head is, for a read. Reads come from any thread and never write the head:
        a read that did could put it back on the newest checkpoint just after another thread's
        checkout moved it away."""
        if self._running is None and not self._detached:
            return self._backend.latest_checkpoint_id()
        return self._head_id

    def _run_from(self) -> str | None:
        """The checkpoint a run starts from: None for the newest (a plain continue).

        Naming the newest checkpoint explicitly would make LangGraph treat the run as time
        travel (a fork that re-runs finished tasks), so only a checked-out head is named.
        """
        return self._head_id if self._detached else None

    def _request(self, **fields: Any) -> RunRequest:
        bp = self._breakpoints()
        return RunRequest(interrupt_before=bp.before, interrupt_after=bp.after, **fields)

    def _run(self, command: str, request: RunRequest, *, stepping: bool = False) -> Pause:
        self._stop_requested.clear()
        self._emit(DebuggerEvent("running", command))
        try:
            outcome = self._backend.run(request, _Observer(self, command))
        except BaseException:
            # The run ended without a pause (a server that went away, say): tell the views,
            # which heard "running" and would otherwise show it running for good.
            self._emit(DebuggerEvent("changed", command))
            raise
        finally:
            self._stop_requested.clear()
        self._head_id = outcome.checkpoint_id
        self._detached = False
        self._interrupts = None
        pause = self._pause_from(outcome, stepping=stepping)
        self._last_pause = pause
        self._emit(DebuggerEvent("paused", command, pause=pause, checkpoint_id=pause.checkpoint_id))
        return pause

    def _pause_from(self, outcome: RunOutcome, *, stepping: bool) -> Pause:
        interrupts: tuple[PendingInterrupt, ...] = ()
        reason: PauseReason
        if outcome.error is not None:
            reason = "error"
        elif outcome.interrupted:
            interrupts = self._pending_interrupts(refresh=True)
            reason = "interrupt" if interrupts else ("step" if stepping else "breakpoint")
        elif outcome.stopped or (stepping and outcome.next):
            reason = "step"
        elif outcome.at_breakpoint or outcome.next:
            reason = "breakpoint"
        else:
            reason = "done"
        return Pause(
            reason=reason,
            checkpoint_id=outcome.checkpoint_id,
            next=outcome.next,
            interrupts=interrupts,
            values=dict(outcome.values),
            error=outcome.error,
            step=outcome.step,
        )

    def _update(
        self, checkpoint_id: str | None, values: Mapping[str, Any] | None, as_node: str | None
    ) -> str:
        try:
            new_id = self._backend.update_state(checkpoint_id, values, as_node)
        except DebuggerError:
            raise
        except Exception as exc:
            message = str(exc)
            if "Ambiguous update" in message or "as_node" in message:
                raise DebuggerError(
                    f"LangGraph cannot tell which node this update comes from; pass as_node=, one of: "
                    f"{choices(self._node_names)}"
                ) from None
            raise DebuggerError(f"the update was refused: {type(exc).__name__}: {message}") from None
        self._head_id = new_id
        self._detached = False
        self._last_pause = None
        return new_id

    def _finished_after_breakpoint(self, command: str) -> Pause | None:
        """Going on from a breakpoint after the graph's last node just finishes the run."""
        last = self._last_pause
        if last is None or last.reason != "breakpoint" or last.next or last.checkpoint_id != self._head_id:
            return None
        pause = replace(last, reason="done")
        self._last_pause = pause
        self._emit(DebuggerEvent("paused", command, pause=pause, checkpoint_id=pause.checkpoint_id))
        return pause

    def _check_can_continue(self, command: str) -> None:
        if self._head_id is None:
            raise DebuggerError(
                f"{command}() has nothing to run: the thread is empty; start a run with an input first"
            )
        pending = self._pending_interrupts()
        if pending:
            raise DebuggerError(
                f"{command}() refused: {len(pending)} interrupt(s) pending at the head "
                f"({choices(i.id for i in pending)}); answer with resume(value)"
                + (" or resume({interrupt_id: value, ...})" if len(pending) > 1 else "")
            )
        if not self._head_next():
            raise DebuggerError(
                f"{command}() has nothing to run: the head checkpoint {short_id(self._head_id)} is the end "
                "of its run; start a new run with an input, or replay or fork a past checkpoint"
            )

    def _head_next(self) -> tuple[str, ...]:
        if self._head_id is None:
            return ()
        if self._last_pause is not None and self._last_pause.checkpoint_id == self._head_id:
            return self._last_pause.next
        return self._backend.snapshot(self._head_id).next

    def _pending_interrupts(self, *, refresh: bool = False) -> tuple[PendingInterrupt, ...]:
        head = self._current_head()
        # Kept for the head they were read at: another kernel may have moved the thread since.
        if self._interrupts is None or refresh or self._interrupts_at != head:
            self._interrupts_at = head
            last = self._last_pause
            if not refresh and last is not None and last.checkpoint_id == head and last.reason != "error":
                # The run that stopped here said what is pending: no need to read the thread again.
                self._interrupts = last.interrupts
            else:
                self._interrupts = self._backend.snapshot(head).interrupts if head else ()
        return self._interrupts

    def _resume_value(self, value: Any, pending: tuple[PendingInterrupt, ...]) -> Any:
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

    def _check_values(self, values: Any) -> None:
        if not isinstance(values, Mapping):
            raise DebuggerError(
                f"values must be a mapping of state keys to values, not {type(values).__name__}"
            )
        keys = self._backend.state_keys()
        if keys is not None:
            unknown = [k for k in values if k not in keys]
            if unknown:
                raise DebuggerError(
                    f"unknown state key {choices(map(str, unknown))}; state keys are: {choices(keys)}"
                )

    def _check_input(self, input: Any) -> None:
        keys = self._backend.input_keys()
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

    def _check_config(self, config: Any) -> None:
        """The parts of a run config that fail inside the run (or the server) when malformed."""
        if config is None:
            return
        if not isinstance(config, Mapping):
            raise DebuggerError(f"config must be a mapping, not {type(config).__name__}")
        configurable = config.get("configurable")
        if configurable is not None and not isinstance(configurable, Mapping):
            raise DebuggerError(
                f"config['configurable'] must be a mapping, not {type(configurable).__name__}"
            )
        limit = config.get("recursion_limit")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise DebuggerError(f"config['recursion_limit'] must be a positive whole number, not {limit!r}")

    def _check_as_node(self, as_node: str | None) -> None:
        if as_node is not None and as_node not in self._node_names and as_node not in SPECIAL_AS_NODES:
            raise DebuggerError(
                f"as_node={as_node!r} is not a node; use one of: {choices((*self._node_names, *SPECIAL_AS_NODES))}"
            )

    def _invalidate(self) -> None:
        self._interrupts = None

    def _records(self) -> list[CheckpointRecord]:
        """The skeleton, newest first; only checkpoints made since the last read are fetched."""
        return self._skeleton.refresh(self._backend)

    def _record(self, checkpoint_id: str) -> CheckpointRecord:
        record = None
        if not self._skeleton.records:
            # Nothing read yet: the head (what is asked for first) is among the newest, and a
            # view showing it need not wait for the whole of a long thread.
            recent = self._backend.skeleton(limit=FIRST_SCREEN)
            record = next((r for r in recent if r.id == checkpoint_id), None)
        if record is None:
            self._records()
            record = self._skeleton.by_id.get(checkpoint_id)
        if record is None:
            raise DebuggerError(f"checkpoint {checkpoint_id!r} is not in thread {self.thread_id!r}")
        return self._with_next([record])[0]

    def _with_next(self, records: list[CheckpointRecord]) -> list[CheckpointRecord]:
        """Fill in `next` where the skeleton could not tell it (branch tips): from the run that
        stopped there if it did, else from a snapshot. A checkpoint's next never changes, so
        the skeleton keeps what was filled in."""
        filled = []
        last = self._last_pause
        for record in records:
            if record.next is None:
                if last is not None and last.checkpoint_id == record.id:
                    next_nodes = last.next
                else:
                    next_nodes = self._backend.snapshot(record.id).next
                record = replace(record, next=next_nodes)
                self._skeleton.remember(record)
            filled.append(record)
        return filled

    def _checkpoint(self, record: CheckpointRecord) -> Checkpoint:
        backend = self._backend
        return Checkpoint(
            id=record.id,
            parent_id=record.parent_id,
            step=record.step,
            source=record.source,
            next=record.next or (),
            created_at=record.created_at,
            writes=record.writes,
            _load_values=lambda: dict(backend.values_at(record.id)),
        )

    def _resolve(self, checkpoint_id: str) -> str:
        """A whole id, or a unique prefix or suffix of at least 6 characters."""
        if not isinstance(checkpoint_id, str):
            raise DebuggerError(f"a checkpoint id is a string, not {type(checkpoint_id).__name__}")
        ids = [r.id for r in self._records()]
        if checkpoint_id in ids:
            return checkpoint_id
        recent = choices((short_id(i) for i in ids), limit=8)
        if len(checkpoint_id) < MIN_ID_CHARS:
            raise DebuggerError(
                f"checkpoint id {checkpoint_id!r} is too short: give at least {MIN_ID_CHARS} characters; recent: {recent}"
            )
        matches = [i for i in ids if i.startswith(checkpoint_id) or i.endswith(checkpoint_id)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise DebuggerError(
                f"checkpoint id {checkpoint_id!r} is ambiguous: it matches {choices(matches, limit=6)}; give more characters"
            )
        raise DebuggerError(f"no checkpoint {checkpoint_id!r} in thread {self.thread_id!r}; recent: {recent}")

    def close(self) -> None:
        """Release what this Debugger holds: a claim's connection, a pool it opened itself."""
        self._backend.close()

    def sidecar(self, *, title: str | None = None) -> Any:
        """Open the debugger in a JupyterLab side panel, so it stays in view while you scroll."""
        return display.open_side_panel(self, title)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return display.mimebundle(self, repr(self))

    def __repr__(self) -> str:
        head = short_id(self._head_id) if self._head_id else "none"
        bp = self._breakpoints()
        return (
            f"<Debugger thread={self.thread_id!r} backend={self._backend.kind} head={head} "
            f"before={list(bp.before)} after={list(bp.after)}>"
        )
