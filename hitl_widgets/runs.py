"""Run control: what a run command starts from and with, where it runs, and the pause it ends with.

`start`, `step`, `cont`, `resume` and `replay` are each planned first (checked against the
head, so a refused command changes nothing), then run through the `Executor` (sync graphs in
the calling thread, async ones on an event loop), and end in a `Pause` read from the run
itself. A run that stopped only at breakpoints whose conditions do not hold, or after a
superstep that changed no watched key, goes on at once (`breakpoints`, `watches`): the command
is one run to its listeners. Runs are given the config and context kept here, because LangGraph
keeps neither in the thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from hitl_widgets.backends.base import Backend, RunOutcome, RunRequest
from hitl_widgets.breakpoints import BreakpointSet
from hitl_widgets.checks import check_input, checked_config, resume_answer
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.events import DebuggerEvent, Listeners
from hitl_widgets.execution import Executor, running_loop
from hitl_widgets.head import Head
from hitl_widgets.history import ThreadHistory
from hitl_widgets.model import LiveKind, Pause, PauseReason, PendingInterrupt, WatchHit, short_id
from hitl_widgets.watches import Watches

# What a run command plans before it runs: the request and whether it steps, or (nothing left
# to run) the pause it ends with at once.
Plan = tuple[RunRequest, bool] | Pause


class _Observer:
    """Relays a run's progress to the listeners; says when to stop."""

    def __init__(self, runner: Runner, command: str) -> None:
        self._runner = runner
        self._command = command

    def on_checkpoint(
        self, checkpoint_id: str, step: int, next_nodes: tuple[str, ...], ran: tuple[str, ...] = ()
    ) -> None:
        self._runner._history.note_ran(checkpoint_id, ran)
        self._runner._listeners.emit(
            DebuggerEvent("progress", self._command, checkpoint_id=checkpoint_id, step=step, next=next_nodes)
        )

    def on_live(self, kind: LiveKind, node: str, ns: tuple[str, ...], data: Any) -> None:
        self._runner._listeners.emit(DebuggerEvent(kind, self._command, node=node, ns=ns, data=data))

    def should_stop(self) -> bool:
        return self._runner._stop.is_set()


class Runner:
    """Plans, runs and ends the run commands of one Debugger (which holds its command lock)."""

    def __init__(
        self,
        backend: Backend,
        head: Head,
        history: ThreadHistory,
        breakpoints: BreakpointSet,
        watches: Watches,
        listeners: Listeners,
        *,
        config: Mapping[str, Any] | None,
        context: Any,
        stream: bool,
    ) -> None:
        self._backend = backend
        self._head = head
        self._history = history
        self._breakpoints = breakpoints
        self._watches = watches
        self._listeners = listeners
        self.config = checked_config(config)
        self.context = context
        self.stream = bool(stream)
        self._stop = threading.Event()
        # The last stop a watching run went on from: its values are the next step's "before".
        self._went_on_from: Pause | None = None
        # Made in a notebook cell, the notebook's loop is where the widget's runs of an async
        # graph go, next to what the user opened on it.
        self._executor = Executor(backend, running_loop())

    # ----------------------------------------------------------------- plans

    def plan_start(self, input: Any, config: Mapping[str, Any] | None, context: Any) -> Plan:
        if input is None:
            raise DebuggerError("start() needs an input; to go on from where the thread is, use cont()")
        check_input(self._backend, input)
        if config is not None:
            self.config = checked_config(config)
        if context is not None:
            self.context = context
        return self._request(input=input, checkpoint_id=self._head.run_from()), False

    def plan_step(self, into: bool = False) -> Plan:
        """One superstep of the graph the head stands in (a subgraph's, when a run stopped
        inside one), the subgraphs it runs taken as one step each; `into`: a subgraph that runs
        next is entered instead, and the step stops before its first node."""
        if (finished := self._finished_after_breakpoint("step")) is not None:
            return finished
        self._check_can_continue("step")
        if into and not self._backend.stops_inside_subgraphs:
            raise DebuggerError(
                "step(into=True) needs the graph in this kernel: a LangGraph server stops inside a "
                "subgraph only at breakpoints compiled into it there; step() runs a subgraph as one step"
            )
        inside = self._head.inside()
        # each graph from the root down to where the head stands stops at its next superstep, so
        # a subgraph that finishes hands the step back to its parent, as a function returns
        levels = list(_prefixes(inside.path)) if inside is not None else []
        if into:
            next_paths = inside.next_paths if inside is not None else self._head.next_nodes()
            levels += [p for p in next_paths if self._breakpoints.subgraph_at(p)]
        stepping_in = {**self._breakpoints.in_subgraphs("before"), **dict.fromkeys(levels, "*")}
        request = self._request(checkpoint_id=self._head.run_from(), interrupt_before="*")
        return replace(request, inside_before=stepping_in), True

    def plan_cont(self) -> Plan:
        if (finished := self._finished_after_breakpoint("cont")) is not None:
            return finished
        self._check_can_continue("cont")
        return self._request(checkpoint_id=self._head.run_from()), False

    def plan_resume(self, value: Any) -> Plan:
        pending = self._head.pending_interrupts()
        if not pending:
            next_nodes = self._head.next_nodes()
            raise DebuggerError(
                "nothing to resume: no interrupt is pending at the head"
                + (
                    f" (it will run {', '.join(next_nodes)} next: step or continue instead)"
                    if next_nodes
                    else ""
                )
            )
        answer, command = resume_answer(value, pending)
        if command is not None:
            return self._request(checkpoint_id=self._head.run_from(), command=command), False
        return self._request(checkpoint_id=self._head.run_from(), resume=answer, has_resume=True), False

    def plan_replay(self, checkpoint_id: str) -> Plan:
        return self._request(checkpoint_id=self._history.resolve(checkpoint_id)), False

    # ----------------------------------------------------------------- running

    def run(self, command: str, plan: Plan) -> Pause:
        """Run a plan to its pause, blocking this thread."""
        if isinstance(plan, Pause):
            return plan
        self._executor.check_blocking(command)
        request, stepping = plan
        # A sync graph run by a cell runs inline in the kernel's thread, where Ctrl-C must land.
        inline = threading.current_thread() is threading.main_thread() and not self._backend.runs_async
        observer = self._before_run(command)
        while True:
            try:
                outcome = self._executor.run(replace(request, stream=self._streams(inline=inline)), observer)
            except BaseException:
                self._run_failed(command)
                raise
            pause, going_on = self._ended(outcome, stepping)
            if going_on is None:
                return self._announce(command, pause)
            request = going_on

    async def arun(self, command: str, plan: Plan) -> Pause:
        """Run a plan to its pause on the caller's event loop."""
        if isinstance(plan, Pause):
            return plan
        request, stepping = plan
        observer = self._before_run(command)
        while True:
            try:
                outcome = await self._executor.arun(
                    replace(request, stream=self._streams(inline=False)), observer
                )
            except BaseException:
                self._run_failed(command)
                raise
            pause, going_on = self._ended(outcome, stepping)
            if going_on is None:
                return self._announce(command, pause)
            request = going_on

    def request_stop(self) -> None:
        """Ask the run in flight to stop before its next superstep."""
        self._stop.set()
        self._backend.request_stop()

    def _request(self, **fields: Any) -> RunRequest:
        bp = self._breakpoints
        fields.setdefault("interrupt_before", bp.at_root("before"))
        # watching, a run stops after every superstep to compare the watched keys (see `watches`)
        after = bp.root_names if self._watches else bp.at_root("after")
        return RunRequest(
            interrupt_after=after,
            inside_before=bp.in_subgraphs("before"),
            inside_after=bp.in_subgraphs("after"),
            config=self.config,
            context=self.context,
            stream=self.stream,
            **fields,
        )

    def _streams(self, *, inline: bool) -> bool:
        """Whether this run streams live events: streaming is on and a listener wants them."""
        return self.stream and self._listeners.want_live(inline=inline)

    def _before_run(self, command: str) -> _Observer:
        self._stop.clear()
        self._went_on_from = None
        self._listeners.emit(DebuggerEvent("running", command))
        return _Observer(self, command)

    def _run_failed(self, command: str) -> None:
        """The run ended without a pause (a server that went away, say): tell the views, which
        heard "running" and would otherwise show it running for good."""
        self._stop.clear()
        self._listeners.emit(DebuggerEvent("changed", command))

    def _ended(self, outcome: RunOutcome, stepping: bool) -> tuple[Pause, RunRequest | None]:
        """The pause a run ended with, and the run to go on with when it stopped only at
        breakpoints whose conditions do not hold (see `breakpoints`) or after a superstep that
        changed no watched key (see `watches`)."""
        self._history.carry(outcome.checkpoint_id, outcome.ran_unsaved)
        pause = self._pause_from(outcome, stepping=stepping)
        self._head.moved_to(outcome.checkpoint_id, pause)
        if pause.reason != "breakpoint" or stepping:
            return pause, None
        checkpoint_id = pause.checkpoint_id

        def ran() -> tuple[str, ...]:
            return self._history.record(checkpoint_id).writes if checkpoint_id else ()

        watching = bool(self._watches)
        verdict = self._breakpoints.verdict(
            pause.next, ran, pause.values, watching=watching, inside=pause.inside
        )
        hit, watch_error = self._watch_hit(pause) if watching else (None, None)
        error = verdict.error or watch_error
        if verdict.stop or hit is not None or error is not None or self._stop.is_set():
            if hit is not None or error is not None:
                pause = replace(pause, watch=hit, error=error)
                self._head.last_pause = pause
            return pause, None
        if not pause.next:  # after the graph's last node: going on just finishes the run
            pause = replace(pause, reason="done")
            self._head.last_pause = pause
            return pause, None
        return pause, self._request(checkpoint_id=self._head.run_from())

    def _watch_hit(self, pause: Pause) -> tuple[WatchHit | None, str | None]:
        """A watched key the superstep that made the pause's checkpoint changed: compared with
        the checkpoint before it (its parent)."""
        if pause.checkpoint_id is None:
            return None, None
        record = self._history.record(pause.checkpoint_id)
        went_on = self._went_on_from
        if went_on is not None and went_on.checkpoint_id == record.parent_id:
            before = went_on.values  # the stop this run went on from: no read of the thread
        else:
            before = self._backend.values_at(record.parent_id) if record.parent_id else {}
        self._went_on_from = pause
        return self._watches.hit(before, pause.values, record.writes)

    def _announce(self, command: str, pause: Pause) -> Pause:
        self._stop.clear()
        self._listeners.emit(DebuggerEvent("paused", command, pause=pause, checkpoint_id=pause.checkpoint_id))
        return pause

    def _pause_from(self, outcome: RunOutcome, *, stepping: bool) -> Pause:
        interrupts: tuple[PendingInterrupt, ...] = ()
        values, next_nodes = outcome.values, outcome.next
        inside = None
        reason: PauseReason
        if outcome.error is not None:
            reason = "error"
        elif outcome.interrupted:
            # Read back as LangGraph shows it: with what the step's finished tasks wrote (they
            # are saved as pending writes, not in the checkpoint the run announced).
            snapshot = self._backend.snapshot(None)
            if snapshot.checkpoint_id != outcome.checkpoint_id:  # another kernel wrote since
                snapshot = self._backend.snapshot(outcome.checkpoint_id)
            interrupts = snapshot.interrupts
            values, next_nodes, inside = snapshot.values, snapshot.next, snapshot.inside
            reason = "interrupt" if interrupts else ("step" if stepping else "breakpoint")
        elif outcome.stopped or (stepping and outcome.next):
            reason = "step"
        elif outcome.at_breakpoint or outcome.next:
            reason = "breakpoint"
        else:
            reason = "done"
        if (
            not outcome.interrupted  # else read with the snapshot above
            and reason in ("step", "breakpoint")
            and any(map(self._breakpoints.subgraph_at, next_nodes))
        ):
            # a subgraph runs next: the run may have stopped inside it
            inside = self._backend.snapshot(outcome.checkpoint_id).inside
        return Pause(
            reason=reason,
            checkpoint_id=outcome.checkpoint_id,
            next=next_nodes,
            interrupts=interrupts,
            values=dict(values) if isinstance(values, Mapping) else values,
            error=outcome.error,
            step=outcome.step,
            inside=inside,
        )

    def _finished_after_breakpoint(self, command: str) -> Pause | None:
        """Going on from a breakpoint after the graph's last node just finishes the run."""
        last = self._head.last_pause
        if last is None or last.reason != "breakpoint" or last.next or last.checkpoint_id != self._head.id:
            return None
        pause = replace(last, reason="done")
        self._head.last_pause = pause
        self._listeners.emit(DebuggerEvent("paused", command, pause=pause, checkpoint_id=pause.checkpoint_id))
        return pause

    def _check_can_continue(self, command: str) -> None:
        head_id = self._head.id
        if head_id is None:
            raise DebuggerError(
                f"{command}() has nothing to run: the thread is empty; start a run with an input first"
            )
        pending = self._head.pending_interrupts()
        if pending:
            raise DebuggerError(
                f"{command}() refused: {len(pending)} interrupt(s) pending at the head "
                f"({choices(i.id for i in pending)}); answer with resume(value)"
                + (" or resume({interrupt_id: value, ...})" if len(pending) > 1 else "")
            )
        if not self._head.next_nodes():
            raise DebuggerError(
                f"{command}() has nothing to run: the head checkpoint {short_id(head_id)} is the end "
                "of its run; start a new run with an input, or replay or fork a past checkpoint"
            )


def _prefixes(path: str) -> Iterator[str]:
    """ "mid/inner" → "mid", "mid/inner": each subgraph from the root down to `path`."""
    parts = path.split("/")
    for end in range(1, len(parts) + 1):
        yield "/".join(parts[:end])
