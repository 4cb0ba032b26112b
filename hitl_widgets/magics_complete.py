"""Tab completion for `%hitl` and `%%hitl`: verbs, node names, checkpoint ids, options.

`candidates()` is plain logic over the text before the cursor; `make_matcher()` wraps it as an
IPython (API v2) matcher. Node names and checkpoint ids come from the active Debugger through
callables, so nothing is read unless the cursor is where one of them goes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hitl_widgets.debugger import SPECIAL_AS_NODES
from hitl_widgets.magics_args import (
    AS_NODE,
    BREAK_MODES,
    CELL_OPTIONS,
    CONNECT_OPTIONS,
    HELP_WORDS,
    INTO,
    LIMIT,
    NODE,
    VERBS,
)

Names = Callable[[], Sequence[str]]
CHECKPOINTER_SPECS = ("memory", "sqlite:")
_CHECKPOINT_VERBS = ("fork", "replay", "checkout", "test", "inside")


@dataclass(frozen=True)
class Sources:
    """Where completions come from: the active Debugger's nodes (`breakable`: those a breakpoint
    can name, subgraph paths like "mid/inner/y" too; `edit_nodes`: those an edit may be written
    as, the subgraph's where the run stands inside one), short checkpoint ids and state keys, and
    the namespace's Debugger variables. Each is called only when needed."""

    nodes: Names
    edit_nodes: Names
    breakable: Names
    checkpoints: Names
    debuggers: Names
    keys: Names


def candidates(before_cursor: str, sources: Sources) -> tuple[str, list[str]] | None:
    """(the word being completed, the words it may become), or None when the line is not ours
    (or the cursor is in a Python expression, which IPython's own completion handles)."""
    line = before_cursor.lstrip()
    if line.startswith("%%hitl "):
        words, word = _split(line[len("%%hitl") :])
        return word, _filter(_cell_options(words), word)
    if line.startswith("%hitl "):
        words, word = _split(line[len("%hitl") :])
        return word, _filter(_line_words(words, word, sources), word)
    return None


def _split(text: str) -> tuple[list[str], str]:
    """The complete words before the cursor, and the (possibly empty) word under it."""
    words = text.split()
    if words and not text[-1].isspace():
        return words[:-1], words[-1]
    return words, ""


def _filter(options: Sequence[str], word: str) -> list[str]:
    return [option for option in options if option.startswith(word)]


def _cell_options(words: list[str]) -> Sequence[str]:
    if words and words[-1] == "--checkpointer":
        return CHECKPOINTER_SPECS
    if words and words[-1] in CELL_OPTIONS:
        return ()
    return CELL_OPTIONS


def _line_words(words: list[str], word: str, sources: Sources) -> Sequence[str]:
    if not words:
        return (*VERBS, HELP_WORDS[0])
    verb, args = words[0], words[1:]
    if args and args[-1] == AS_NODE and verb in ("edit", "fork"):
        return (*(sources.edit_nodes() if verb == "edit" else sources.nodes()), *SPECIAL_AS_NODES)
    if verb == "break":
        return BREAK_MODES if not args else sources.breakable()
    if verb == "step" and word.startswith("-"):
        return (INTO,)
    if (verb in _CHECKPOINT_VERBS and not args) or (verb == "diff" and len(args) < 2):
        return sources.checkpoints()
    if verb == "test" and args and args[-1] == NODE:
        return sources.nodes()
    if verb == "test" and word.startswith("-"):
        return (NODE,)
    if verb == "watch":
        return ("clear", *sources.keys()) if not args else sources.keys()
    if verb in ("edit", "fork") and word.startswith("-"):
        return (AS_NODE,)
    if verb == "history" and not args:
        return (LIMIT,)
    if verb == "connect" and word.startswith("-"):
        return CONNECT_OPTIONS
    if verb == "use" and not args:
        return sources.debuggers()
    return ()


def make_matcher(sources: Sources) -> Any:
    """An IPython matcher (API v2) that completes `%hitl` lines and suppresses other matchers
    when it has something to offer."""
    from IPython.core.completer import SimpleCompletion, completion_matcher

    @completion_matcher(identifier="hitl_widgets.magics", priority=100, api_version=2)  # type: ignore[untyped-decorator]
    def hitl_matcher(context: Any) -> dict[str, Any]:
        found = candidates(context.text_until_cursor, sources)
        if found is None or not found[1]:
            return {"completions": [], "suppress": False}
        word, options = found
        return {
            "completions": [SimpleCompletion(option, type="hitl") for option in options],
            "matched_fragment": word,
            "suppress": True,
            "ordered": True,
        }

    return hitl_matcher
