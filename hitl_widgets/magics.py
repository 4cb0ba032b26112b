"""`%hitl` and `%%hitl`: debug a LangGraph graph from notebook cells and terminal IPython.

`%%hitl` runs a cell that builds a graph and binds a Debugger on it; `%hitl VERB ...` calls
the active Debugger and prints what happened as plain text (so the magics work in a terminal
and under nbval), while a displayed Debugger widget follows along by observing the Debugger.
A refused command prints one line that says why and names the valid choices (IPython's
`UsageError`: no traceback), and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from IPython.display import display
from IPython.utils.text import DollarFormatter

from hitl_widgets.breakpoints import StateExpression
from hitl_widgets.debugger import Debugger
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.factory import debug
from hitl_widgets.magics_args import USAGE, CellOptions, Command, MagicUsageError, parse_cell_line, parse_line
from hitl_widgets.magics_complete import Sources, make_matcher
from hitl_widgets.magics_graph import pick_graph
from hitl_widgets.magics_live import live_output
from hitl_widgets.model import Pause, short_id
from hitl_widgets.regression_text import written_text
from hitl_widgets.text import (
    breakpoints_text,
    changes_text,
    checkpoint_text,
    compact,
    history_text,
    interrupts_text,
    pause_text,
    state_text,
    subgraph_checkpoints_text,
    try_text,
    watches_text,
)
from hitl_widgets.updates import inside_node_names

# Completion offers at most this many checkpoint ids (the newest).
COMPLETION_CHECKPOINTS = 500
WHOLE_ID_LENGTH = 36  # a UUID with its dashes


@magics_class
class HitlMagics(Magics):
    """The `%hitl` line magic and `%%hitl` cell magic, and which Debugger they drive."""

    def __init__(self, shell: InteractiveShell) -> None:
        super().__init__(shell)
        self.ip = shell  # `Magics.shell` is typed optional; this one is not
        self.active: Debugger | None = None
        self.matcher = make_matcher(
            Sources(
                nodes=self._node_names,
                edit_nodes=self._edit_nodes,
                breakable=self._breakable_nodes,
                checkpoints=self._checkpoint_ids,
                debuggers=self._debugger_names,
                keys=self._state_keys,
            )
        )

    @no_var_expand
    @line_cell_magic
    def hitl(self, line: str, cell: str | None = None) -> None:
        try:
            if cell is None:
                self._line(line)
            else:
                self._cell(line, cell)
        except (DebuggerError, MagicUsageError) as exc:
            raise UsageError(_one_line(str(exc))) from None
        except Exception as exc:  # the toolkit's frames are no help to the user: one line
            raise UsageError(f"{type(exc).__name__}: {_one_line(str(exc))}") from None

    hitl.__doc__ = USAGE

    # ----------------------------------------------------------------- %%hitl

    def _cell(self, line: str, cell: str) -> None:
        options = parse_cell_line(line, self._expand)
        before = dict(self.ip.user_ns)
        # silent: the cell's last value is not displayed (a compiled graph's display calls mermaid.ink)
        result = self.ip.run_cell(cell, silent=True)  # type: ignore[no-untyped-call]
        if not result.success:
            raise MagicUsageError("the cell raised an error (above), so no graph was bound")
        name, graph = pick_graph(before, self.ip.user_ns, options.name)
        dbg = debug(graph, thread_id=options.thread, checkpointer=options.checkpointer)
        _apply_breakpoints(dbg, options)
        self._bind(options.var, dbg)
        print(
            f"{options.var}: debugging {name!r} on thread {dbg.thread_id!r}; nodes: {', '.join(dbg.topology.node_names)}"
        )
        if any(dbg.breakpoints.values()):
            print(breakpoints_text(dbg.breakpoints, dbg.breakpoint_conditions))
        _show(dbg)

    # ----------------------------------------------------------------- %hitl

    def _line(self, line: str) -> None:
        command = parse_line(line, self._expand)
        if command.verb == "help":
            print(USAGE)
        elif command.verb == "connect":
            self._connect(command)
        elif command.verb == "use":
            self._use(command)
        else:
            _VERBS[command.verb](self, self._require_active(), command)

    def _start(self, dbg: Debugger, command: Command) -> None:
        value = self._evaluate(command.expr)
        with live_output(dbg):
            pause = dbg.start(value)
        print(_pause_report(pause))

    def _step(self, dbg: Debugger, command: Command) -> None:
        with live_output(dbg):
            pause = dbg.step(into=command.into)
            for _ in range(command.count - 1):
                if pause.reason != "step":
                    break
                print(pause.summary())
                pause = dbg.step(into=command.into)
        print(_pause_report(pause))

    def _continue(self, dbg: Debugger, command: Command) -> None:
        with live_output(dbg):
            pause = dbg.cont()
        print(_pause_report(pause))

    def _resume(self, dbg: Debugger, command: Command) -> None:
        value = self._evaluate(command.expr)
        with live_output(dbg):
            pause = dbg.resume(value)
        print(_pause_report(pause))

    def _config(self, dbg: Debugger, command: Command) -> None:
        if command.expr is not None:
            dbg.config = self._evaluate(command.expr)
        print(f"Run config: {compact(dbg.config)}")

    def _context(self, dbg: Debugger, command: Command) -> None:
        if command.expr is not None:
            dbg.context = self._evaluate(command.expr)
        print(f"Run context: {compact(dbg.context)}")

    def _stream(self, dbg: Debugger, command: Command) -> None:
        if command.mode is not None:
            dbg.streaming = command.mode == "on"
        print(f"Live streaming: {'on' if dbg.streaming else 'off'}")

    def _edit(self, dbg: Debugger, command: Command) -> None:
        checkpoint = dbg.edit(self._evaluate(command.expr), as_node=command.as_node)
        inside = dbg.inside
        if inside is not None:  # the subgraph's state: a new checkpoint of its own, the root's stays
            print(
                f"Edited the state of subgraph {inside.path} (its new checkpoint "
                f"{short_id(inside.checkpoint_id)}; the root's stays): {inside.summary()}"
            )
        else:
            print(f"Edited: the head is {checkpoint_text(checkpoint)}")

    def _fork(self, dbg: Debugger, command: Command) -> None:
        assert command.checkpoint is not None  # the parser requires it
        values = self._evaluate(command.expr) if command.expr is not None else None
        checkpoint = dbg.fork(command.checkpoint, values, as_node=command.as_node)
        print(f"Forked {_as_typed(command.checkpoint)}: the head is {checkpoint_text(checkpoint)}")

    def _replay(self, dbg: Debugger, command: Command) -> None:
        assert command.checkpoint is not None
        print(dbg.replay_preview(command.checkpoint).summary())  # what runs again, before it does
        with live_output(dbg):
            pause = dbg.replay(command.checkpoint)
        print(_pause_report(pause))

    def _checkout(self, dbg: Debugger, command: Command) -> None:
        assert command.checkpoint is not None
        print(f"Checked out: the head is {checkpoint_text(dbg.checkout(command.checkpoint))}")

    def _break(self, dbg: Debugger, command: Command) -> None:
        when = StateExpression(command.expr, self.ip.user_ns) if command.expr else None
        if command.mode == "before":
            breakpoints = dbg.break_before(*command.nodes, when=when)
        elif command.mode == "after":
            breakpoints = dbg.break_after(*command.nodes, when=when)
        elif command.mode == "clear":
            breakpoints = dbg.clear_breakpoints(*command.nodes)
        else:
            breakpoints = dbg.breakpoints
        print(breakpoints_text(breakpoints, dbg.breakpoint_conditions))

    def _watch(self, dbg: Debugger, command: Command) -> None:
        if command.mode == "add":
            when = StateExpression(command.expr, self.ip.user_ns) if command.expr else None
            watches = dbg.watch(*command.nodes, when=when)
        elif command.mode == "clear":
            watches = dbg.unwatch(*command.nodes)
        else:
            watches = dbg.watches
        print(watches_text(watches))

    def _diff(self, dbg: Debugger, command: Command) -> None:
        assert command.checkpoint is not None
        print(changes_text(dbg.diff(command.checkpoint, command.nodes[0])))

    def _try(self, dbg: Debugger, command: Command) -> None:
        values = self._evaluate(command.expr) if command.expr else None
        print(try_text(dbg.try_node(command.nodes[0], command.checkpoint, values)))

    def _export(self, dbg: Debugger, command: Command) -> None:
        print(dbg.export(command.path, html=command.mode == "html").summary())

    def _test(self, dbg: Debugger, command: Command) -> None:
        assert command.checkpoint is not None and command.path is not None
        node = command.nodes[0] if command.nodes else None
        print(written_text(dbg.to_test(command.checkpoint, command.path, node)))

    def _inside(self, dbg: Debugger, command: Command) -> None:
        assert command.checkpoint is not None
        print(subgraph_checkpoints_text(dbg.subgraph_checkpoints(command.checkpoint)))

    def _history(self, dbg: Debugger, command: Command) -> None:
        print(history_text(dbg.history(limit=command.limit), _head_id(dbg)))

    def _state(self, dbg: Debugger, command: Command) -> None:
        if _head_id(dbg) is None:
            print("The thread has no checkpoint yet: %hitl start EXPR")
            return
        head = dbg.head
        inside = dbg.inside
        if inside is not None:  # the run stands in a subgraph: its own state first
            print(f"Stopped {inside.summary()} (subgraph checkpoint {short_id(inside.checkpoint_id)})")
            print(f"State of subgraph {inside.path} (what %hitl edit changes now):")
            print(state_text(inside.values))
            print(f"Root state at {checkpoint_text(head)}:")
        else:
            print(f"State at {checkpoint_text(head)}")
        print(state_text(dbg.state))

    def _interrupts(self, dbg: Debugger, command: Command) -> None:
        print(interrupts_text(dbg.interrupts))

    def _connect(self, command: Command) -> None:
        assert command.var is not None
        dbg = debug(url=command.url, assistant_id=command.assistant, thread_id=command.thread)
        self._bind(command.var, dbg)
        print(
            f"{command.var}: debugging assistant {command.assistant!r} at {command.url} on thread {dbg.thread_id!r}"
        )
        _show(dbg)

    def _use(self, command: Command) -> None:
        assert command.var is not None
        value = self.ip.user_ns.get(command.var)
        if not isinstance(value, Debugger):
            raise MagicUsageError(
                f"{command.var!r} does not hold a Debugger; variables that do: {choices(self._debugger_names())}"
            )
        self._bind(command.var, value)
        print(f"Active debugger: {command.var} (thread {value.thread_id!r})")

    # ----------------------------------------------------------------- helpers

    def _bind(self, name: str, dbg: Debugger) -> None:
        self.ip.user_ns[name] = dbg
        self.active = dbg

    def _require_active(self) -> Debugger:
        if self.active is None:
            raise MagicUsageError(
                "no active debugger: run a %%hitl cell, %hitl connect URL --assistant ID, or %hitl use VAR"
            )
        return self.active

    def _evaluate(self, expr: str | None) -> Any:
        """EXPR in the user's namespace; its error, if any, as one line."""
        assert expr is not None  # the parser requires an expression for the verbs that take one
        try:
            return eval(expr, self.ip.user_global_ns, self.ip.user_ns)
        except Exception as exc:
            raise MagicUsageError(
                f"could not evaluate {_shorten(expr)}: {type(exc).__name__}: {exc}"
            ) from None

    def _expand(self, word: str) -> str:
        """IPython's `$name` / `{expr}` expansion, for words (never for expressions)."""
        if "$" not in word and "{" not in word:
            return word
        try:
            return str(DollarFormatter().vformat(word, args=[], kwargs=self.ip.user_ns))
        except Exception as exc:
            raise MagicUsageError(f"could not expand {word!r}: {type(exc).__name__}: {exc}") from None

    def _node_names(self) -> tuple[str, ...]:
        return self.active.topology.node_names if self.active else ()

    def _edit_nodes(self) -> tuple[str, ...]:
        inside = self.active.inside if self.active else None
        return (
            inside_node_names(self.active.topology, inside.path)
            if self.active and inside
            else self._node_names()
        )

    def _breakable_nodes(self) -> tuple[str, ...]:
        return self.active.breakable_nodes if self.active else ()

    def _state_keys(self) -> tuple[str, ...]:
        return self.active.state_keys if self.active else ()

    def _checkpoint_ids(self) -> list[str]:
        return (
            [cp.short_id for cp in self.active.history(limit=COMPLETION_CHECKPOINTS)] if self.active else []
        )

    def _debugger_names(self) -> list[str]:
        return [
            name
            for name, value in self.ip.user_ns.items()
            if isinstance(value, Debugger) and not name.startswith("_")
        ]


_VERBS: dict[str, Callable[[HitlMagics, Debugger, Command], None]] = {
    "start": HitlMagics._start,
    "step": HitlMagics._step,
    "continue": HitlMagics._continue,
    "resume": HitlMagics._resume,
    "edit": HitlMagics._edit,
    "fork": HitlMagics._fork,
    "replay": HitlMagics._replay,
    "checkout": HitlMagics._checkout,
    "break": HitlMagics._break,
    "watch": HitlMagics._watch,
    "diff": HitlMagics._diff,
    "inside": HitlMagics._inside,
    "try": HitlMagics._try,
    "export": HitlMagics._export,
    "test": HitlMagics._test,
    "history": HitlMagics._history,
    "state": HitlMagics._state,
    "interrupts": HitlMagics._interrupts,
    "config": HitlMagics._config,
    "context": HitlMagics._context,
    "stream": HitlMagics._stream,
}


def _show(dbg: Debugger) -> None:
    """Display the Debugger: its widget in a notebook, its text in a terminal."""
    display(dbg)  # type: ignore[no-untyped-call]


def _apply_breakpoints(dbg: Debugger, options: CellOptions) -> None:
    if options.break_before:
        dbg.break_before(*options.break_before)
    if options.break_after:
        dbg.break_after(*options.break_after)


def _pause_report(pause: Pause) -> str:
    """Where and why it paused, the pending payloads, and the final state when a run is done."""
    report = pause_text(pause)
    return f"{report}\n{state_text(pause.values)}" if pause.reason == "done" else report


def _head_id(dbg: Debugger) -> str | None:
    try:
        return dbg.head.id
    except DebuggerError:  # no checkpoint yet
        return None


def _as_typed(checkpoint_id: str) -> str:
    """A checkpoint id as the user gave it, but a whole id as short as `history` shows it."""
    return short_id(checkpoint_id) if len(checkpoint_id) == WHOLE_ID_LENGTH else checkpoint_id


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def _shorten(text: str, width: int = 60) -> str:
    return repr(text) if len(text) <= width else repr(text[: width - 1] + "…")


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """`%load_ext hitl_widgets`: register `%hitl`, `%%hitl` and their tab completion."""
    magics = HitlMagics(ipython)
    ipython.register_magics(magics)
    ipython.Completer.custom_matchers.append(magics.matcher)


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    """`%unload_ext hitl_widgets`: remove what `load_ipython_extension` added."""
    manager = ipython.magics_manager
    magics = manager.registry.pop(HitlMagics.__name__, None)
    for kind in ("line", "cell"):
        manager.magics[kind].pop("hitl", None)
    if magics is not None and magics.matcher in ipython.Completer.custom_matchers:
        ipython.Completer.custom_matchers.remove(magics.matcher)
