"""Parsing `%hitl` lines and `%%hitl` cell lines into commands, with no IPython in sight.

A `%hitl` line is a verb and its arguments. Arguments are of two kinds: *words* (checkpoint
ids, node names, URLs, variable names: split on whitespace and passed through `expand`, which
the magic wires to IPython's `$name` / `{expr}` expansion so a notebook can write
`%hitl fork {cp.id}`), and one *Python expression* (the input, the resume value, the edited
values), which is kept verbatim — braces and all — for the magic to evaluate.
"""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn

VERBS = (
    "start",
    "step",
    "continue",
    "resume",
    "edit",
    "fork",
    "replay",
    "checkout",
    "break",
    "watch",
    "diff",
    "try",
    "export",
    "test",
    "history",
    "inside",
    "state",
    "interrupts",
    "config",
    "context",
    "stream",
    "connect",
    "use",
)
HELP_WORDS = ("--help", "-h", "help")
BREAK_MODES = ("before", "after", "clear")
STREAM_MODES = ("on", "off")
CELL_OPTIONS = ("--thread", "--checkpointer", "--break-before", "--break-after", "--as")
CONNECT_OPTIONS = ("--assistant", "--thread", "--as")
AS_NODE = "--as-node"
LIMIT = "--limit"
WHEN = "--when"
VALUES = "--values"
JSON = "--json"
NODE = "--node"
INTO = "--into"

USAGE = """\
%hitl VERB ...   debug the active graph (made active by a %%hitl cell, %hitl connect or %hitl use)

  start EXPR                           new run on the thread from the input EXPR
  step [N] [--into]                    run N supersteps (default 1), pausing after each; a subgraph that
                                       runs next runs whole, or with --into is entered (stops before its first node)
  continue                             run until a breakpoint, an interrupt, an error or the end
  resume EXPR                          answer the pending interrupt, or several with {interrupt_id: value}
  edit EXPR [--as-node NODE]           update the head's state with the mapping EXPR
  fork CHECKPOINT [EXPR] [--as-node NODE]
                                       new branch from a past checkpoint (with EXPR applied); the new head
  replay CHECKPOINT                    run again from a past checkpoint
  checkout CHECKPOINT                  stand at a checkpoint without changing anything
  break before|after NODE... [--when EXPR]
                                       pause before / after these nodes (only when EXPR, over `state`, is true)
  break clear [NODE...]                clear breakpoints on these nodes (on every node if none is named)
  break                                list the breakpoints
  watch KEY... [--when EXPR]            pause after a step that changed one of these state keys (and EXPR holds)
  watch clear [KEY...]                 stop watching these keys (every key if none is named)
  watch                                list the watched keys
  diff CHECKPOINT CHECKPOINT            what changed from the first checkpoint to the second (any two, any branch)
  try NODE [CHECKPOINT] [--values EXPR]
                                       run NODE once on a checkpoint's state (EXPR applied), writing nothing
  export [PATH] [--json]               the whole thread to one HTML file readable offline (PATH, default
                                       <thread id>.html), or to JSON with --json; says its size
  test CHECKPOINT PATH [--node NODE]   write a pytest file at PATH (and a fixture beside it) that runs the
                                       node(s) that ran next from CHECKPOINT (or NODE) and checks their update
  history [--limit N]                  the thread's checkpoints, all branches, newest first (* = head)
  inside CHECKPOINT                    the checkpoints the subgraphs run from CHECKPOINT saved, at any depth
  state                                the state at the head
  interrupts                           the pending interrupts and their payloads
  config [EXPR]                        the run config every run is given; with EXPR (a mapping), replace it
  context [EXPR]                       the run context (context_schema) every run is given; with EXPR, replace it
  stream [on|off]                      print LLM tokens and custom events live while a command runs (on)
  connect URL --assistant ID [--thread ID] [--as VAR]
                                       debug a graph on a LangGraph server, bound to `dbg` (or VAR)
  use VAR                              make the Debugger in variable VAR the active one

%%hitl [NAME] [--thread ID] [--checkpointer memory|sqlite:PATH] [--break-before A,B] [--break-after C] [--as VAR]
  runs the cell, takes the graph it defined (a StateGraph builder or a compiled graph; NAME picks
  one), binds a Debugger on it to `dbg` (or VAR), makes it the active one and displays it.

EXPR is a Python expression evaluated in the notebook's namespace. CHECKPOINT is an id as `history`
prints it (its last 8 characters), any unique prefix or suffix of 6 or more, or {expr} / $name.
Words (checkpoint ids, node names, URLs, paths) expand {expr} and $name as IPython does."""


class MagicUsageError(Exception):
    """A `%hitl` line that does not parse; the message is one line that says what is expected."""


@dataclass(frozen=True)
class Command:
    """One parsed `%hitl` line. Fields that a verb does not take stay at their defaults."""

    verb: str
    expr: str | None = None
    checkpoint: str | None = None
    as_node: str | None = None
    count: int = 1
    into: bool = False  # step into a subgraph that runs next
    limit: int | None = None
    mode: str | None = None
    nodes: tuple[str, ...] = ()
    url: str | None = None
    assistant: str | None = None
    thread: str | None = None
    var: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class CellOptions:
    """The options of a `%%hitl` cell line."""

    name: str | None = None
    thread: str | None = None
    checkpointer: str | None = None
    break_before: tuple[str, ...] = ()
    break_after: tuple[str, ...] = ()
    var: str = "dbg"


Expand = Callable[[str], str]


def _same(word: str) -> str:
    return word


def parse_line(line: str, expand: Expand = _same) -> Command:
    """The command a `%hitl` line asks for."""
    verb, _, rest = line.strip().partition(" ")
    rest = rest.strip()
    if not verb or verb in HELP_WORDS:
        return Command("help")
    if verb not in VERBS:
        raise MagicUsageError(f"unknown verb {verb!r}; verbs are: {', '.join(VERBS)} (and --help)")
    return _PARSERS[verb](verb, rest, expand)


def parse_cell_line(line: str, expand: Expand = _same) -> CellOptions:
    """The options of a `%%hitl` line (words already expanded by the caller or by `expand`)."""
    args = _arguments(_CELL_PARSER, line, expand)
    var = args.var or "dbg"
    _check_identifier(var, "--as")
    if args.name is not None:
        _check_identifier(args.name, "NAME")
    return CellOptions(
        name=args.name,
        thread=args.thread,
        checkpointer=args.checkpointer,
        break_before=_node_list(args.break_before),
        break_after=_node_list(args.break_after),
        var=var,
    )


# ---------------------------------------------------------------- one parser per verb


def _expression(verb: str, rest: str, expand: Expand) -> Command:
    if not rest:
        raise MagicUsageError(f"{verb} needs a Python expression, e.g. %hitl {verb} {_EXAMPLES[verb]}")
    return Command(verb, expr=rest)


def _edit(verb: str, rest: str, expand: Expand) -> Command:
    expr, as_node = _split_as_node(rest, expand)
    if not expr:
        raise MagicUsageError("edit needs the values as a Python mapping, e.g. %hitl edit {'key': 'value'}")
    return Command(verb, expr=expr, as_node=as_node)


def _fork(verb: str, rest: str, expand: Expand) -> Command:
    rest, as_node = _split_as_node(rest, expand)
    word, _, expr = rest.partition(" ")
    if not word:
        raise MagicUsageError(
            "fork needs a checkpoint id (see %hitl history), e.g. %hitl fork 1a2b3c4d {'key': 'value'}"
        )
    return Command(verb, checkpoint=expand(word), expr=expr.strip() or None, as_node=as_node)


def _checkpoint(verb: str, rest: str, expand: Expand) -> Command:
    words = rest.split()
    if len(words) != 1:
        raise MagicUsageError(
            f"{verb} takes one checkpoint id (see %hitl history), e.g. %hitl {verb} 1a2b3c4d"
        )
    return Command(verb, checkpoint=expand(words[0]))


def _two_checkpoints(verb: str, rest: str, expand: Expand) -> Command:
    words = rest.split()
    if len(words) != 2:
        raise MagicUsageError(
            f"{verb} takes two checkpoint ids (see %hitl history), e.g. %hitl {verb} 1a2b3c4d 5e6f7a8b"
        )
    return Command(verb, checkpoint=expand(words[0]), nodes=(expand(words[1]),))


def _try(verb: str, rest: str, expand: Expand) -> Command:
    rest, has_values, values = rest.partition(VALUES)
    words = [expand(w) for w in rest.split()]
    if not 1 <= len(words) <= 2 or (has_values and not values.strip()):
        raise MagicUsageError("try takes a node, then optionally a checkpoint id and --values EXPR")
    return Command(
        verb,
        nodes=(words[0],),
        checkpoint=words[1] if len(words) == 2 else None,
        expr=values.strip() or None,
    )


def _export(verb: str, rest: str, expand: Expand) -> Command:
    try:
        words = [expand(w) for w in shlex.split(rest)]
    except ValueError as exc:
        raise MagicUsageError(f"export takes a path and --json, not {rest!r} ({exc})") from None
    as_json = JSON in words
    paths = [w for w in words if w != JSON]
    if len(paths) > 1 or any(p.startswith("--") for p in paths):
        raise MagicUsageError(
            f"export takes one optional path (quote one with spaces) and --json, not {rest!r}"
        )
    return Command(verb, path=paths[0] if paths else None, mode="json" if as_json else "html")


def _test(verb: str, rest: str, expand: Expand) -> Command:
    try:
        words = [expand(w) for w in shlex.split(rest)]
    except ValueError as exc:
        raise MagicUsageError(f"test: {exc} (quote a path with spaces)") from None
    node = None
    if NODE in words:
        at = words.index(NODE)
        node = words[at + 1] if at + 1 < len(words) else None
        del words[at : at + 2]
        if node is None:
            raise MagicUsageError("--node takes the name of the node to test")
    if len(words) != 2:
        raise MagicUsageError(
            "test takes a checkpoint id and the path of the test file to write, "
            "e.g. %hitl test 1a2b3c4d tests/test_agent.py [--node NODE]"
        )
    return Command(verb, checkpoint=words[0], path=words[1], nodes=(node,) if node else ())


def _step(verb: str, rest: str, expand: Expand) -> Command:
    words = rest.split()
    into = INTO in words
    words = [w for w in words if w != INTO]
    if not words:
        return Command(verb, into=into)
    count = _positive(expand(words[0])) if len(words) == 1 else None
    if count is None:
        raise MagicUsageError(
            f"step takes one optional positive whole number of steps, not {rest!r} (and {INTO} to enter a subgraph)"
        )
    return Command(verb, count=count, into=into)


def _bare(verb: str, rest: str, expand: Expand) -> Command:
    if rest:
        raise MagicUsageError(f"{verb} takes no arguments (got {rest!r})")
    return Command(verb)


def _history(verb: str, rest: str, expand: Expand) -> Command:
    words = [expand(w) for w in rest.replace("=", " ").split()]
    if not words:
        return Command(verb)
    limit = _positive(words[1]) if len(words) == 2 and words[0] == LIMIT else None
    if limit is None:
        raise MagicUsageError(f"history takes an optional --limit N (a positive whole number), not {rest!r}")
    return Command(verb, limit=limit)


def _break(verb: str, rest: str, expand: Expand) -> Command:
    rest, has_when, condition = rest.partition(WHEN)
    words = [expand(w) for w in rest.split()]
    if not words:
        if has_when:
            raise MagicUsageError(
                "--when goes with break before|after NODE...: break before NODE --when EXPR"
            )
        return Command(verb)
    mode, nodes = words[0], _node_list(words[1:])
    if mode not in BREAK_MODES:
        raise MagicUsageError(
            f"break takes one of: {', '.join(BREAK_MODES)} (or nothing, to list), not {mode!r}"
        )
    condition = condition.strip()
    if has_when and (not condition or mode == "clear"):
        raise MagicUsageError(
            "--when takes a Python expression over `state`, after break before|after NODE..."
        )
    return Command(verb, mode=mode, nodes=nodes, expr=condition or None)


def _watch(verb: str, rest: str, expand: Expand) -> Command:
    rest, has_when, condition = rest.partition(WHEN)
    words = [expand(w) for w in rest.split()]
    condition = condition.strip()
    clearing = bool(words) and words[0] == "clear"
    if has_when and (not condition or clearing or not words):
        raise MagicUsageError("--when takes a Python expression over `state`, after watch KEY...")
    if clearing:
        return Command(verb, mode="clear", nodes=_node_list(words[1:]))
    return Command(verb, mode="add" if words else None, nodes=_node_list(words), expr=condition or None)


def _optional_expression(verb: str, rest: str, expand: Expand) -> Command:
    return Command(verb, expr=rest or None)


def _stream(verb: str, rest: str, expand: Expand) -> Command:
    mode = expand(rest) if rest else None
    if mode is not None and mode not in STREAM_MODES:
        raise MagicUsageError(
            f"stream takes one of: {', '.join(STREAM_MODES)} (or nothing, to show), not {mode!r}"
        )
    return Command(verb, mode=mode)


def _connect(verb: str, rest: str, expand: Expand) -> Command:
    args = _arguments(_CONNECT_PARSER, rest, expand)
    if args.var is not None:
        _check_identifier(args.var, "--as")
    return Command(verb, url=args.url, assistant=args.assistant, thread=args.thread, var=args.var or "dbg")


def _use(verb: str, rest: str, expand: Expand) -> Command:
    words = rest.split()
    if len(words) != 1:
        raise MagicUsageError("use takes the name of a variable that holds a Debugger, e.g. %hitl use dbg")
    _check_identifier(words[0], "use")
    return Command(verb, var=words[0])


_PARSERS: dict[str, Callable[[str, str, Expand], Command]] = {
    "start": _expression,
    "resume": _expression,
    "step": _step,
    "continue": _bare,
    "state": _bare,
    "interrupts": _bare,
    "edit": _edit,
    "fork": _fork,
    "replay": _checkpoint,
    "checkout": _checkpoint,
    "break": _break,
    "watch": _watch,
    "diff": _two_checkpoints,
    "try": _try,
    "export": _export,
    "test": _test,
    "history": _history,
    "inside": _checkpoint,
    "config": _optional_expression,
    "context": _optional_expression,
    "stream": _stream,
    "connect": _connect,
    "use": _use,
}

_EXAMPLES = {"start": "{'messages': []}", "resume": "'approve'"}


# ---------------------------------------------------------------- helpers

# A Python expression cannot end in `--as-node NAME` (`as` is a keyword), so a trailing match is
# always the option and never part of the expression.
_TRAILING_AS_NODE = re.compile(r"(?:^|\s)--as-node(?:\s+|=)(\S+)\s*$")


def _split_as_node(rest: str, expand: Expand) -> tuple[str, str | None]:
    match = _TRAILING_AS_NODE.search(rest)
    if match:
        return rest[: match.start()].strip(), expand(match.group(1))
    if re.search(r"(?:^|\s)--as-node\s*$", rest):
        raise MagicUsageError("--as-node needs a node name, e.g. --as-node human_input")
    return rest, None


def _node_list(items: Sequence[str] | None) -> tuple[str, ...]:
    """Node names given as `a b`, `a,b` or a mix."""
    return tuple(name for item in items or () for name in item.split(",") if name)


def _positive(word: str) -> int | None:
    return int(word) if word.isdigit() and int(word) > 0 else None


def _check_identifier(name: str, what: str) -> None:
    if not name.isidentifier():
        raise MagicUsageError(f"{what} takes a Python variable name, not {name!r}")


class _Parser(argparse.ArgumentParser):
    """argparse that raises a one-line `MagicUsageError` instead of printing and exiting."""

    def error(self, message: str) -> NoReturn:
        raise MagicUsageError(f"{self.prog}: {message}")


def _arguments(parser: _Parser, line: str, expand: Expand) -> argparse.Namespace:
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise MagicUsageError(f"{parser.prog}: {exc}") from None
    return parser.parse_args([expand(w) for w in words])


def _cell_parser() -> _Parser:
    parser = _Parser(prog="%%hitl", add_help=False)
    parser.add_argument("name", nargs="?")
    parser.add_argument("--thread")
    parser.add_argument("--checkpointer")
    parser.add_argument("--break-before", action="append")
    parser.add_argument("--break-after", action="append")
    parser.add_argument("--as", dest="var")
    return parser


def _connect_parser() -> _Parser:
    parser = _Parser(prog="%hitl connect", add_help=False)
    parser.add_argument("url")
    parser.add_argument("--assistant", required=True)
    parser.add_argument("--thread")
    parser.add_argument("--as", dest="var")
    return parser


_CELL_PARSER = _cell_parser()
_CONNECT_PARSER = _connect_parser()
