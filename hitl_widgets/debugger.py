"""`Debugger`: the one object that magics, widgets and users call.

It keeps what a debugger has and a graph does not: the head (where the user stands), the
breakpoints (compiled ones merged with run-time ones, any of them clearable), the run config
and context every run is given (LangGraph keeps neither in the thread), and one command at a
time. It checks every command before it touches the thread, so a refused command changes
nothing, and it tells listeners (the widgets, the magics) what happened as it happens, from
whatever thread or event loop the command ran on.

Its parts: `checks` (arguments), `history` (the thread's checkpoints), `execution` (which
thread or loop a run goes to).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from typing import Any, Literal

from hitl_widgets import display
from hitl_widgets.backends.base import Backend, RunOutcome, RunRequest
from hitl_widgets.backends.thread_guard import WRITING_COMMANDS
from hitl_widgets.checks import (
    SPECIAL_AS_NODES,
    check_as_node,
    check_input,
    check_values,
    checked_config,
    resume_answer,
)
from hitl_widgets.diff import Change, state_diff
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.execution import Executor, running_loop
from hitl_widgets.history import ThreadHistory
from hitl_widgets.model import (
    Breakpoints,
    Checkpoint,
    LiveKind,
    Pause,
    PauseReason,
    PendingInterrupt,
    Topology,
    keyed,
    short_id,
)

__all__ = ["SPECIAL_AS_NODES", "Debugger", "DebuggerEvent", "Listener"]

EventKind = Literal["running", "progress", "paused", "changed", "task", "update", "token", "custom"]


@dataclass(frozen=True)
class DebuggerEvent:
    """What listeners hear. "running": a command started; "progress": a superstep was saved
    during it; "paused": a run ended (`pause` set); "changed": the thread or the breakpoints
    changed without a run (edit, fork, checkout, breakpoints).

    While a run streams (see `Debugger.streaming`) they also hear, in the order they happen:
    "task" (a node started), "update" (a node finished; `data` is its update), "token" (an
    LLM token; `data` is its text) and "custom" (`data` is what the node gave
    `get_stream_writer()`), each with the `node` and the subgraph path `ns` (`()` at the root).
    """

    kind: EventKind
    command: str | None = None
    pause: Pause | None = None
    checkpoint_id: str | None = None
    step: int | None = None
    next: tuple[str, ...] = ()
    node: str | None = None
    ns: tuple[str, ...] = ()
    data: Any = None


Listener = Callable[[DebuggerEvent], None]
LiveInterest = bool | Literal["background"]
_LIVE_KINDS = ("task", "update", "token", "custom")


class _Observer:
    """Relays a run's progress to the Debugger's listeners; says when to stop."""

    def __init__(self, debugger: Debugger, command: str) -> None:
        self._debugger = debugger
        self._command = command

    def on_checkpoint(
        self, checkpoint_id: str, step: int, next_nodes: tuple[str, ...], ran: tuple[str, ...] = ()
    ) -> None:
        self._debugger._history.note_ran(checkpoint_id, ran)
        self._debugger._emit(
            DebuggerEvent("progress", self._command, checkpoint_id=checkpoint_id, step=step, next=next_nodes)
        )

    def on_live(self, kind: LiveKind, node: str, ns: tuple[str, ...], data: Any) -> None:
        self._debugger._emit(DebuggerEvent(kind, self._command, node=node, ns=ns, data=data))

    def should_stop(self) -> bool:
        return self._debugger._stop_requested.is_set()


# What a run command plans before it runs: the request and whether it steps, or (nothing left
# to run) the pause it ends with at once.
_Plan = tuple[RunRequest, bool] | Pause


class Debugger:
    """Step, break, answer interrupts, edit and time-travel one thread of one graph.

    Commands (`start`, `step`, `cont`, `resume`, `replay`, `edit`, `fork`, `checkout`,
    breakpoints) run one at a time: a command issued while another is running is refused
    with a `DebuggerError` rather than queued, because a queued command would block the
    kernel that must stay free to deliver `pause()`. Reads (`history`, `state`, `head`,
    `interrupts`) never wait for a run. The run commands have awaitable twins (`astart`,
    `astep`, `acont`, `aresume`, `areplay`) that run on the caller's event loop.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        config: Mapping[str, Any] | None = None,
        context: Any = None,
        stream: bool = True,
    ) -> None:
        self._backend = backend
        self._topology = backend.topology()
        self._node_names = self._topology.node_names
        compiled_before, compiled_after = backend.compiled_breakpoints()
        self._before: set[str] = self._expand(compiled_before)
        self._after: set[str] = self._expand(compiled_after)
        self._config = checked_config(config)
        self._context = context
        self._stream = bool(stream)
        self._command_lock = threading.Lock()
        self._running: str | None = None
        self._stop_requested = threading.Event()
        self._listeners: list[tuple[Listener, LiveInterest]] = []
        self._head_id: str | None = backend.latest_checkpoint_id()
        self._detached = False  # the head was checked out away from the thread's newest checkpoint
        self._last_pause: Pause | None = None
        self._history = ThreadHistory(backend, lambda: self._last_pause)
        self._interrupts: tuple[PendingInterrupt, ...] | None = None
        # Made in a notebook cell, the notebook's loop is where the widget's runs of an async
        # graph go, next to what the user opened on it.
        self._executor = Executor(backend, running_loop())
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
        return self._history.checkpoint(head_id)

    @property
    def state(self) -> Any:
        """The head's values: a dict for a `StateGraph`, any value a functional `@entrypoint`
        returned; `{}` while the thread is empty."""
        head_id = self._current_head()
        if head_id is None:
            return {}
        # on the newest checkpoint, the thread's state as LangGraph's get_state shows it
        values = self._backend.values_at(head_id if self._detached else None)
        return dict(values) if isinstance(values, Mapping) else values

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
        return self._history.checkpoints(limit=limit, newer_than=newer_than)

    def checkpoint(self, checkpoint_id: str) -> Checkpoint:
        """One checkpoint of the thread, by whole id or unique prefix/suffix (>= 6 characters)."""
        return self._history.checkpoint(self._history.resolve(checkpoint_id))

    # ----------------------------------------------------------------- what runs are given

    @property
    def config(self) -> dict[str, Any]:
        """The run config every run is given (`configurable` values, `recursion_limit`, tags...).

        LangGraph keeps none of it in the thread, so the Debugger gives it to each run, as
        production code gives it to each call. Set it here or with `start(config=...)`.
        """
        return checked_config(self._config)

    @config.setter
    def config(self, config: Mapping[str, Any] | None) -> None:
        with self._command("config"):
            self._config = checked_config(config)
        self._emit(DebuggerEvent("changed", "config"))

    @property
    def context(self) -> Any:
        """The run context (`context_schema`, read by nodes as `runtime.context`) every run is
        given. Set it here or with `start(context=...)`."""
        return self._context

    @context.setter
    def context(self, context: Any) -> None:
        with self._command("context"):
            self._context = context
        self._emit(DebuggerEvent("changed", "context"))

    @property
    def streaming(self) -> bool:
        """Whether runs stream live events (node starts and updates, tokens, custom events) to
        the listeners that want them (see `observe`). On by default; off, a run reports only
        its checkpoints and pauses."""
        return self._stream

    @streaming.setter
    def streaming(self, on: bool) -> None:
        self._stream = bool(on)

    def interrupts_at(self, checkpoint_id: str) -> list[PendingInterrupt]:
        """The interrupts that were pending at a checkpoint (those of the head: `interrupts`).

        What a past checkpoint was waiting for, so a view of it can show where it stood.
        """
        resolved = self._history.resolve(checkpoint_id)
        if resolved == self._current_head():
            return self.interrupts
        return list(self._backend.snapshot(resolved).interrupts)

    def diff(self, a: str, b: str) -> list[Change]:
        """What changed from checkpoint `a` to checkpoint `b`, key by key (any two, any branch)."""
        return state_diff(keyed(self.checkpoint(a).values), keyed(self.checkpoint(b).values))

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

    def start(self, input: Any, *, config: Mapping[str, Any] | None = None, context: Any = None) -> Pause:
        """Start a new run on this thread from `input`; run until a pause.

        `config` and `context`, if given, replace the ones kept for this and every later run.
        """
        with self._command("start"):
            return self._run_blocking("start", self._plan_start(input, config, context))

    async def astart(
        self, input: Any, *, config: Mapping[str, Any] | None = None, context: Any = None
    ) -> Pause:
        """`start` on the caller's event loop."""
        with self._command("start"):
            return await self._run_async(self._plan_start(input, config, context))

    def step(self) -> Pause:
        """Run exactly one superstep from the head, then pause."""
        with self._command("step"):
            return self._run_blocking("step", self._plan_step())

    async def astep(self) -> Pause:
        """`step` on the caller's event loop."""
        with self._command("step"):
            return await self._run_async(self._plan_step())

    def cont(self) -> Pause:
        """Run until a breakpoint, an interrupt, an error or the end."""
        with self._command("cont"):
            return self._run_blocking("cont", self._plan_cont())

    async def acont(self) -> Pause:
        """`cont` on the caller's event loop."""
        with self._command("cont"):
            return await self._run_async(self._plan_cont())

    def resume(self, value: Any) -> Pause:
        """Answer the pending interrupt with `value`, several with `{interrupt_id: value}`, or
        send your own `Command(resume=..., update=..., goto=...)` as it is."""
        with self._command("resume"):
            return self._run_blocking("resume", self._plan_resume(value))

    async def aresume(self, value: Any) -> Pause:
        """`resume` on the caller's event loop."""
        with self._command("resume"):
            return await self._run_async(self._plan_resume(value))

    def replay(self, checkpoint_id: str) -> Pause:
        """Run again from a past checkpoint; what follows it becomes a new branch."""
        with self._command("replay", at=checkpoint_id):
            return self._run_blocking("replay", self._plan_replay(checkpoint_id))

    async def areplay(self, checkpoint_id: str) -> Pause:
        """`replay` on the caller's event loop."""
        with self._command("replay", at=checkpoint_id):
            return await self._run_async(self._plan_replay(checkpoint_id))

    def pause(self) -> bool:
        """Ask a running command to stop before its next superstep. True if one was running."""
        if self._running is None:
            return False
        self._stop_requested.set()
        self._backend.request_stop()
        return True

    def _plan_start(self, input: Any, config: Mapping[str, Any] | None, context: Any) -> _Plan:
        if input is None:
            raise DebuggerError("start() needs an input; to go on from where the thread is, use cont()")
        check_input(self._backend, input)
        if config is not None:
            self._config = checked_config(config)
        if context is not None:
            self._context = context
        return self._request(input=input, checkpoint_id=self._run_from()), False

    def _plan_step(self) -> _Plan:
        if (finished := self._finished_after_breakpoint("step")) is not None:
            return finished
        self._check_can_continue("step")
        return self._request(checkpoint_id=self._run_from(), interrupt_before="*"), True

    def _plan_cont(self) -> _Plan:
        if (finished := self._finished_after_breakpoint("cont")) is not None:
            return finished
        self._check_can_continue("cont")
        return self._request(checkpoint_id=self._run_from()), False

    def _plan_resume(self, value: Any) -> _Plan:
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
        answer, command = resume_answer(value, pending)
        if command is not None:
            return self._request(checkpoint_id=self._run_from(), command=command), False
        return self._request(checkpoint_id=self._run_from(), resume=answer, has_resume=True), False

    def _plan_replay(self, checkpoint_id: str) -> _Plan:
        return self._request(checkpoint_id=self._history.resolve(checkpoint_id)), False

    # ----------------------------------------------------------------- changing state

    def edit(self, values: Mapping[str, Any], *, as_node: str | None = None) -> Checkpoint:
        """Update the head's state as if `as_node` wrote `values` (reducers apply)."""
        with self._command("edit"):
            head = self._current_head()
            if head is None:
                raise DebuggerError(
                    "nothing to edit: the thread has no checkpoint yet; start a run with an input first"
                )
            check_values(self._backend, values)
            check_as_node(self._node_names, as_node)
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
            target = self._history.resolve(checkpoint_id)
            if values is not None:
                check_values(self._backend, values)
            check_as_node(self._node_names, as_node)
            if values is None and as_node is None:
                as_node = "__copy__"  # LangGraph's way to branch a checkpoint unchanged
            new_id = self._update(target, values, as_node)
        self._emit(DebuggerEvent("changed", "fork", checkpoint_id=new_id))
        return self.head

    def checkout(self, checkpoint_id: str) -> Checkpoint:
        """Stand at a checkpoint without changing anything; the next run starts from it."""
        with self._command("checkout"):
            target = self._history.resolve(checkpoint_id)
            self._head_id = target
            self._detached = target != self._backend.latest_checkpoint_id()
            self._last_pause = None
        self._emit(DebuggerEvent("changed", "checkout", checkpoint_id=target))
        return self.head

    # ----------------------------------------------------------------- background & listeners

    def observe(self, listener: Listener, *, live: LiveInterest = True) -> Callable[[], None]:
        """Call `listener` with every `DebuggerEvent`; returns a function that stops it.

        Runs stream live events (tokens, node updates, custom events) only while a listener
        wants them, because LangGraph then runs each node of a sync graph on a worker thread
        (as `graph.stream` does with those stream modes), and Ctrl-C waits for the node in
        flight to return. `live=False` asks for the run's checkpoints and pauses only;
        `live="background"` (the widgets) asks for the live events of every run but the one a
        cell runs in the kernel's own thread, so that the stop button stops it at once.
        """
        entry = (listener, live)
        self._listeners.append(entry)

        def stop() -> None:
            if entry in self._listeners:
                self._listeners.remove(entry)

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

    def close(self) -> None:
        """Let go of what the Debugger opened (a server connection, a database pool it owns)."""
        self._backend.close()

    def _emit(self, event: DebuggerEvent) -> None:
        live = event.kind in _LIVE_KINDS
        for listener, wants_live in list(self._listeners):
            if live and not wants_live:
                continue
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
        known = self._history.skeleton.newest()
        try:
            with self._claim(name, at):
                self._refresh_head()
                yield
        finally:
            self._interrupts = None
            self._history.skeleton.forget_newer_than(known)
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
        fields.setdefault("interrupt_before", bp.before)
        return RunRequest(
            interrupt_after=bp.after,
            config=self._config,
            context=self._context,
            stream=self._stream,
            **fields,
        )

    def _run_blocking(self, command: str, plan: _Plan) -> Pause:
        if isinstance(plan, Pause):
            return plan
        self._executor.check_blocking(command)
        request, stepping = plan
        # A sync graph run by a cell runs inline in the kernel's thread, where Ctrl-C must land.
        inline = threading.current_thread() is threading.main_thread() and not self._backend.runs_async
        request = replace(request, stream=self._streams(inline=inline))
        observer = self._before_run(command)
        try:
            outcome = self._executor.run(request, observer)
        except BaseException:
            self._run_failed(command)
            raise
        return self._after_run(command, outcome, stepping)

    async def _run_async(self, plan: _Plan) -> Pause:
        if isinstance(plan, Pause):
            return plan
        command = self._running or "run"
        request, stepping = plan
        request = replace(request, stream=self._streams(inline=False))
        observer = self._before_run(command)
        try:
            outcome = await self._executor.arun(request, observer)
        except BaseException:
            self._run_failed(command)
            raise
        return self._after_run(command, outcome, stepping)

    def _streams(self, *, inline: bool) -> bool:
        """Whether this run streams live events: streaming is on and a listener wants them."""
        wanted = (True,) if inline else (True, "background")
        return self._stream and any(live in wanted for _, live in self._listeners)

    def _before_run(self, command: str) -> _Observer:
        self._stop_requested.clear()
        self._emit(DebuggerEvent("running", command))
        return _Observer(self, command)

    def _run_failed(self, command: str) -> None:
        """The run ended without a pause (a server that went away, say): tell the views, which
        heard "running" and would otherwise show it running for good."""
        self._stop_requested.clear()
        self._emit(DebuggerEvent("changed", command))

    def _after_run(self, command: str, outcome: RunOutcome, stepping: bool) -> Pause:
        self._stop_requested.clear()
        self._history.carry(outcome.checkpoint_id, outcome.ran_unsaved)
        self._head_id = outcome.checkpoint_id
        self._detached = False
        self._interrupts = None
        pause = self._pause_from(outcome, stepping=stepping)
        self._last_pause = pause
        self._emit(DebuggerEvent("paused", command, pause=pause, checkpoint_id=pause.checkpoint_id))
        return pause

    def _pause_from(self, outcome: RunOutcome, *, stepping: bool) -> Pause:
        interrupts: tuple[PendingInterrupt, ...] = ()
        values, next_nodes = outcome.values, outcome.next
        reason: PauseReason
        if outcome.error is not None:
            reason = "error"
        elif outcome.interrupted:
            # Read back as LangGraph shows it: with what the step's finished tasks wrote (they
            # are saved as pending writes, not in the checkpoint the run announced).
            snapshot = self._backend.snapshot(None)
            if snapshot.checkpoint_id != outcome.checkpoint_id:  # another kernel wrote since
                snapshot = self._backend.snapshot(outcome.checkpoint_id)
            interrupts = self._interrupts = snapshot.interrupts
            self._interrupts_at = outcome.checkpoint_id
            values, next_nodes = snapshot.values, snapshot.next
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
            next=next_nodes,
            interrupts=interrupts,
            values=dict(values) if isinstance(values, Mapping) else values,
            error=outcome.error,
            step=outcome.step,
        )

    def _update(
        self, checkpoint_id: str | None, values: Mapping[str, Any] | None, as_node: str | None
    ) -> str:
        try:
            new_id = self._backend.update_state(checkpoint_id, values, as_node, self._config)
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

    def _pending_interrupts(self) -> tuple[PendingInterrupt, ...]:
        head = self._current_head()
        # Kept for the head they were read at: another kernel may have moved the thread since.
        if self._interrupts is None or self._interrupts_at != head:
            self._interrupts_at = head
            last = self._last_pause
            if last is not None and last.checkpoint_id == head and last.reason != "error":
                # The run that stopped here said what is pending: no need to read the thread again.
                self._interrupts = last.interrupts
            else:
                self._interrupts = self._backend.snapshot(head).interrupts if head else ()
        return self._interrupts

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
