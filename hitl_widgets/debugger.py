"""`Debugger`: the one object that magics, widgets and users call.

It keeps what a debugger has and a graph does not: the head (where the user stands), the
breakpoints (compiled ones merged with run-time ones, any of them clearable), the run config
and context every run is given (LangGraph keeps neither in the thread), and one command at a
time. It checks every command before it touches the thread, so a refused command changes
nothing, and it tells listeners (the widgets, the magics) what happened as it happens, from
whatever thread or event loop the command ran on.

It is a facade over its parts: `head` (where the user stands), `history` (the thread's
checkpoints), `breakpoints`, `runs` (run control: plans, where a run executes, its pause),
`events` (the listeners), `checks` (arguments). Its reads are in `debugger_reads`
(`ThreadReads`), its work beside the thread (what-if runs, tests, exports) in `debugger_side`
(`SideWork`); this module holds the commands that change the thread or what runs are given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from contextlib import AbstractContextManager
from typing import Any, Literal

from hitl_widgets import display
from hitl_widgets.backends.base import Backend
from hitl_widgets.breakpoints import BreakpointSet, Predicate
from hitl_widgets.checks import SPECIAL_AS_NODES, check_as_node, check_values, checked_config
from hitl_widgets.commands_gate import CommandGate
from hitl_widgets.debugger_side import SideWork
from hitl_widgets.errors import DebuggerError
from hitl_widgets.events import DebuggerEvent, Listener, Listeners, LiveInterest
from hitl_widgets.execution import in_background
from hitl_widgets.head import Head
from hitl_widgets.history import ThreadHistory
from hitl_widgets.model import (
    Checkpoint,
    Pause,
    short_id,
)
from hitl_widgets.runs import Runner
from hitl_widgets.updates import edit_inside, update_state
from hitl_widgets.watches import Watches

__all__ = ["SPECIAL_AS_NODES", "Debugger", "DebuggerEvent", "Listener"]


class Debugger(SideWork):
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
        self._breakpoint_set = BreakpointSet(
            self._topology, *backend.compiled_breakpoints(), stops_inside=backend.stops_inside_subgraphs
        )
        self._watches = Watches()
        self._listeners = Listeners()
        self._head = Head(backend, lambda: self._gate.running is not None)
        self._history = ThreadHistory(backend, lambda: self._head.last_pause)
        self._gate = CommandGate(backend, self._history)
        self._runs = Runner(
            backend,
            self._head,
            self._history,
            self._breakpoint_set,
            self._watches,
            self._listeners,
            config=config,
            context=context,
            stream=stream,
        )

    # ----------------------------------------------------------------- what runs are given

    @property
    def config(self) -> dict[str, Any]:
        """The run config every run is given (`configurable` values, `recursion_limit`, tags...).

        LangGraph keeps none of it in the thread, so the Debugger gives it to each run, as
        production code gives it to each call. Set it here or with `start(config=...)`.
        """
        return checked_config(self._runs.config)

    @config.setter
    def config(self, config: Mapping[str, Any] | None) -> None:
        with self._command("config"):
            self._runs.config = checked_config(config)
        self._listeners.emit(DebuggerEvent("changed", "config"))

    @property
    def context(self) -> Any:
        """The run context (`context_schema`, read by nodes as `runtime.context`) every run is
        given. Set it here or with `start(context=...)`."""
        return self._runs.context

    @context.setter
    def context(self, context: Any) -> None:
        with self._command("context"):
            self._runs.context = context
        self._listeners.emit(DebuggerEvent("changed", "context"))

    @property
    def streaming(self) -> bool:
        """Whether runs stream live events (node starts and updates, tokens, custom events) to
        the listeners that want them (see `observe`). On by default; off, a run reports only
        its checkpoints and pauses."""
        return self._runs.stream

    @streaming.setter
    def streaming(self, on: bool) -> None:
        self._runs.stream = bool(on)

    # ----------------------------------------------------------------- breakpoints

    def break_before(self, *nodes: str, when: Predicate | None = None) -> dict[str, list[str]]:
        """Pause before these nodes run (adds to the breakpoints already set).

        `when`, a function of the state (`lambda state: state["n"] > 3`), makes the breakpoints
        hold only when it returns true for the state the node is about to run on.
        """
        with self._command("break_before"):
            self._breakpoint_set.add("before", nodes, when)
        self._listeners.emit(DebuggerEvent("changed", "break_before"))
        return self.breakpoints

    def break_after(self, *nodes: str, when: Predicate | None = None) -> dict[str, list[str]]:
        """Pause after these nodes have run (adds to the breakpoints already set); with `when`,
        only if it returns true for the state after their step."""
        with self._command("break_after"):
            self._breakpoint_set.add("after", nodes, when)
        self._listeners.emit(DebuggerEvent("changed", "break_after"))
        return self.breakpoints

    def clear_breakpoints(
        self, *nodes: str, side: Literal["before", "after"] | None = None
    ) -> dict[str, list[str]]:
        """Clear breakpoints on these nodes (on every node if none is named): before and after,
        or only those on `side`. Breakpoints compiled into the graph clear like any other.
        """
        with self._command("clear_breakpoints"):
            self._breakpoint_set.clear(nodes, side)
        self._listeners.emit(DebuggerEvent("changed", "clear_breakpoints"))
        return self.breakpoints

    # ----------------------------------------------------------------- watches

    @property
    def watches(self) -> dict[str, str | None]:
        """The watched state keys, each with its condition (None: any change)."""
        return self._watches.listing()

    def watch(self, *keys: str, when: Predicate | None = None) -> dict[str, str | None]:
        """Pause after the superstep in which one of these state keys changed (and `when`, a
        function of the new state, returns true, if given); `pause.watch` says which key, its
        old and new values and the node(s) of that step. `start`, `cont`, `resume` and `replay`
        watch; `step` stops after each superstep anyway."""
        with self._command("watch"):
            self._watches.add(keys, when, self._backend.state_keys())
        self._listeners.emit(DebuggerEvent("changed", "watch"))
        return self.watches

    def unwatch(self, *keys: str) -> dict[str, str | None]:
        """Stop watching these state keys; every key if none is named."""
        with self._command("unwatch"):
            self._watches.remove(keys)
        self._listeners.emit(DebuggerEvent("changed", "unwatch"))
        return self.watches

    @property
    def state_keys(self) -> tuple[str, ...]:
        """The graph's state keys (empty when the graph does not say: a functional entrypoint)."""
        return self._backend.state_keys() or ()

    # ----------------------------------------------------------------- running

    def start(self, input: Any, *, config: Mapping[str, Any] | None = None, context: Any = None) -> Pause:
        """Start a new run on this thread from `input`; run until a pause.

        `config` and `context`, if given, replace the ones kept for this and every later run.
        """
        with self._command("start"):
            return self._runs.run("start", self._runs.plan_start(input, config, context))

    async def astart(
        self, input: Any, *, config: Mapping[str, Any] | None = None, context: Any = None
    ) -> Pause:
        """`start` on the caller's event loop."""
        with self._command("start"):
            return await self._runs.arun("start", self._runs.plan_start(input, config, context))

    def step(self, *, into: bool = False) -> Pause:
        """Run exactly one superstep from the head, then pause. A subgraph runs as one step
        (step over) unless `into`: then the step enters it and stops before its first node.
        Stopped inside a subgraph, a step runs one of the subgraph's own supersteps."""
        with self._command("step"):
            return self._runs.run("step", self._runs.plan_step(into))

    async def astep(self, *, into: bool = False) -> Pause:
        """`step` on the caller's event loop."""
        with self._command("step"):
            return await self._runs.arun("step", self._runs.plan_step(into))

    def cont(self) -> Pause:
        """Run until a breakpoint, an interrupt, an error or the end."""
        with self._command("cont"):
            return self._runs.run("cont", self._runs.plan_cont())

    async def acont(self) -> Pause:
        """`cont` on the caller's event loop."""
        with self._command("cont"):
            return await self._runs.arun("cont", self._runs.plan_cont())

    def resume(self, value: Any) -> Pause:
        """Answer the pending interrupt with `value`, several with `{interrupt_id: value}`, or
        send your own `Command(resume=..., update=..., goto=...)` as it is."""
        with self._command("resume"):
            return self._runs.run("resume", self._runs.plan_resume(value))

    async def aresume(self, value: Any) -> Pause:
        """`resume` on the caller's event loop."""
        with self._command("resume"):
            return await self._runs.arun("resume", self._runs.plan_resume(value))

    def replay(self, checkpoint_id: str) -> Pause:
        """Run again from a past checkpoint; what follows it becomes a new branch."""
        with self._command("replay", at=checkpoint_id):
            return self._runs.run("replay", self._runs.plan_replay(checkpoint_id))

    async def areplay(self, checkpoint_id: str) -> Pause:
        """`replay` on the caller's event loop."""
        with self._command("replay", at=checkpoint_id):
            return await self._runs.arun("replay", self._runs.plan_replay(checkpoint_id))

    def pause(self) -> bool:
        """Ask a running command to stop before its next superstep. True if one was running."""
        if self._gate.running is None:
            return False
        self._runs.request_stop()
        return True

    # ----------------------------------------------------------------- changing state

    def edit(self, values: Mapping[str, Any], *, as_node: str | None = None) -> Checkpoint:
        """Update the head's state as if `as_node` wrote `values` (reducers apply). Stopped
        inside a subgraph, this edits the subgraph's own state (`last_pause.inside`), as
        LangGraph's `update_state` on the subgraph's config does; the root checkpoint stays."""
        with self._command("edit"):
            if self._head.current() is None:
                raise DebuggerError(
                    "nothing to edit: the thread has no checkpoint yet; start a run with an input first"
                )
            inside = self._head.inside()
            if inside is not None:
                new_id = edit_inside(
                    self._backend, self._topology, self._head, inside, values, as_node, self._runs.config
                )
            else:
                check_values(self._backend, values)
                check_as_node(self._topology.node_names, as_node)
                new_id = self._update(self._head.run_from(), values, as_node)
        self._listeners.emit(DebuggerEvent("changed", "edit", checkpoint_id=new_id))
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
            check_as_node(self._topology.node_names, as_node)
            if values is None and as_node is None:
                as_node = "__copy__"  # LangGraph's way to branch a checkpoint unchanged
            new_id = self._update(target, values, as_node)
        self._listeners.emit(DebuggerEvent("changed", "fork", checkpoint_id=new_id))
        return self.head

    def checkout(self, checkpoint_id: str) -> Checkpoint:
        """Stand at a checkpoint without changing anything; the next run starts from it."""
        with self._command("checkout"):
            target = self._history.resolve(checkpoint_id)
            self._head.check_out(target)
        self._listeners.emit(DebuggerEvent("changed", "checkout", checkpoint_id=target))
        return self.head

    def _update(
        self, checkpoint_id: str | None, values: Mapping[str, Any] | None, as_node: str | None
    ) -> str:
        new_id = update_state(
            self._backend, self._topology, checkpoint_id, values, as_node, self._runs.config
        )
        self._head.moved_to(new_id)
        return new_id

    # ----------------------------------------------------------------- background & listeners

    def observe(self, listener: Listener, *, live: LiveInterest = True) -> Callable[[], None]:
        """Call `listener` with every `DebuggerEvent`; returns a function that stops it.

        Runs stream live events (tokens, node updates, custom events) only while a listener
        wants them, because for a graph that can stream tokens or custom events LangGraph then
        runs each node of a sync graph on a worker thread (as `graph.stream` does with those
        stream modes), and Ctrl-C waits for the node in flight to return. `live=False` asks for the run's checkpoints and pauses only;
        `live="background"` (the widgets) asks for the live events of every run but the one a
        cell runs in the kernel's own thread, so that the stop button stops it at once.
        """
        return self._listeners.add(listener, live)

    def in_background(self, command: Callable[[], Any]) -> Future[Any]:
        """Run a command on a worker thread so the kernel stays free (to deliver `pause()`).

        The future holds the command's result or its exception (a `DebuggerError` when refused).
        """
        return in_background(command, name=f"hitl-{self.thread_id}")

    def close(self) -> None:
        """Let go of what the Debugger opened (a server connection, a database pool it owns)."""
        self._backend.close()

    def _command(self, name: str, at: str | None = None) -> AbstractContextManager[None]:
        return self._gate.enter(name, self._head, at)

    # ----------------------------------------------------------------- display

    def sidecar(self, *, title: str | None = None) -> Any:
        """Open the debugger in a JupyterLab side panel, so it stays in view while you scroll."""
        return display.open_side_panel(self, title)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return display.mimebundle(self, repr(self))

    def _ipython_display_(self) -> None:
        """Shown in a notebook: the widget, after a static snapshot a saved notebook keeps."""
        display.show(self, repr(self))

    def __repr__(self) -> str:
        head = short_id(self._head.id) if self._head.id else "none"
        bp = self._breakpoint_set.current()
        return (
            f"<Debugger thread={self.thread_id!r} backend={self._backend.kind} head={head} "
            f"before={list(bp.before)} after={list(bp.after)}>"
        )
