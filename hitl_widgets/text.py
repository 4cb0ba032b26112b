"""Plain-text views of the debugger's data, for magics, terminals, nbval and `_repr_` fallbacks.

Short and stable: short checkpoint ids, one line per checkpoint, payloads as compact JSON.
"""

from __future__ import annotations

import json
import re
import sysconfig
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hitl_widgets.diff import Change, common_prefix
from hitl_widgets.model import (
    Checkpoint,
    Pause,
    PendingInterrupt,
    SubgraphCheckpoint,
    TryResult,
    WatchHit,
    error_line,
    keyed,
    node_list,
    short_id,
)
from hitl_widgets.serialize import Limits, to_json

_COMPACT = Limits(max_depth=6, max_items=20, max_str=200)
MESSAGES_SHOWN = 12  # the last messages of a conversation that `state_text` lists


def compact(value: Any, *, width: int = 160) -> str:
    """A value as one line of JSON, cut to `width` characters."""
    text = json.dumps(to_json(value, _COMPACT), ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def pause_text(pause: Pause) -> str:
    lines = [pause.summary()]
    if pause.watch is not None:
        lines.extend(_watch_lines(pause.watch))
    if pause.interrupts:
        lines.append(interrupts_text(pause.interrupts))
    if pause.error:
        lines.append(f"  error: {error_line(pause.error)}")
    return "\n".join(lines)


def _watch_lines(hit: WatchHit) -> list[str]:
    """What a watched key became: a list that grew as its new items (chat lines for messages),
    anything else as before -> after."""
    before, after = hit.before, hit.after
    if isinstance(before, list) and isinstance(after, list) and common_prefix(before, after) == len(before):
        new = after[len(before) :]
        shown = _messages(new)
        added = [f"    {message_text(m)}" for m in shown] if shown else [f"    + {compact(new)}"]
        return [f"  {hit.key}: {len(before)} -> {len(after)} items", *added]
    return [f"  {hit.key}: {compact(before)} -> {compact(after)}"]


def interrupts_text(interrupts: Iterable[PendingInterrupt]) -> str:
    items = list(interrupts)
    if not items:
        return "No pending interrupts."
    lines = []
    for it in items:
        where = it.node if len(it.ns) <= 1 else " > ".join(seg.split(":", 1)[0] for seg in it.ns)
        lines.append(f"  interrupt {it.id} in {where}: {compact(it.value)}")
        if it.response_schema:
            lines.append(f"    answer schema: {compact(it.response_schema)}")
    return "\n".join(lines)


def history_text(checkpoints: Iterable[Checkpoint], head_id: str | None = None) -> str:
    rows = [("", "id", "step", "source", "wrote", "next", "parent", "time")]
    for cp in checkpoints:
        rows.append(
            (
                "*" if cp.id == head_id else "",
                cp.short_id,
                str(cp.step),
                cp.source,
                node_list(cp.writes, ",") or "-",
                node_list(cp.next, ",") or "-",
                short_id(cp.parent_id) if cp.parent_id else "-",
                cp.created_at.strftime("%H:%M:%S") if cp.created_at else "-",
            )
        )
    if len(rows) == 1:
        return "No checkpoints yet."
    return _table(rows)


def subgraph_checkpoints_text(checkpoints: Sequence[SubgraphCheckpoint]) -> str:
    """What the subgraphs run from one root checkpoint saved, a row each, nested runs indented."""
    if not checkpoints:
        return "No subgraph ran from this checkpoint."
    rows = [("subgraph", "id", "step", "next", "state")]
    for cp in checkpoints:
        indent = "  " * cp.path.count("/")
        rows.append(
            (
                indent + cp.path,
                short_id(cp.id),
                str(cp.step),
                node_list(cp.next, ",") or "-",
                compact(cp.values, width=60),
            )
        )
    return _table(rows)


def _table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned columns (the first row is the header)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def state_text(state: Any) -> str:
    """One line per state key; a list of chat messages gets one line per message (the last few)."""
    values = keyed(state)
    if not values:
        return "(empty state)"
    lines = []
    for key, value in values.items():
        messages = _messages(value)
        if messages is None:
            lines.append(f"  {key}: {compact(value)}")
            continue
        earlier = len(value) - len(messages)
        lines.append(
            f"  {key}: {len(value)} message{'' if len(value) == 1 else 's'}"
            + (f" ({earlier} earlier not shown)" if earlier else "")
        )
        lines.extend(f"    {message_text(message)}" for message in messages)
    return "\n".join(lines)


def _messages(value: Any) -> list[dict[str, Any]] | None:
    """The last messages of a list of chat messages, as JSON; None if `value` is not one."""
    if not isinstance(value, list) or not value:
        return None
    encoded = [to_json(item, _COMPACT) for item in value[-MESSAGES_SHOWN:]]
    return encoded if all(_is_message(item) for item in encoded) else None


def _is_message(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and str(item.get("$type", "")).endswith(("Message", "MessageChunk"))
        and "type" in item
        and "content" in item
    )


def message_text(message: Mapping[str, Any], *, width: int = 160) -> str:
    """`human: hi`, `ai: -> book_hotel(hotel_name="X")`, `tool (book_hotel): done`: one chat
    message (as `to_json` encodes it) on one line."""
    kind = str(message.get("type"))
    who = f"{kind} ({message['name']})" if kind == "tool" and message.get("name") else kind
    parts = [_content_text(message.get("content"))]
    for call in message.get("tool_calls") or ():
        args = ", ".join(f"{name}={compact(arg)}" for name, arg in (call.get("args") or {}).items())
        parts.append(f"-> {call.get('name')}({args})")
    text = f"{who}: {' '.join(part for part in parts if part)}"
    return text if len(text) <= width else text[: width - 1] + "…"


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, dict) and content.get("$type") == "str":  # a long string, cut by to_json
        return f"{content.get('text', '')}…"
    return compact(content) if content else ""


def checkpoint_text(checkpoint: Checkpoint) -> str:
    """One line for one checkpoint: short id, step, who wrote it, what runs next."""
    made = (
        f"{checkpoint.source} by {node_list(checkpoint.writes, ',')}"
        if checkpoint.writes
        else checkpoint.source
    )
    nxt = node_list(checkpoint.next) or "nothing (end of run)"
    return f"checkpoint {checkpoint.short_id} (step {checkpoint.step}, {made}); next: {nxt}"


def breakpoints_text(
    breakpoints: Mapping[str, Sequence[str]], conditions: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """`Breakpoints: before a, b (when state["n"] > 3); after c` (or none)."""
    when = conditions or {}

    def named(kind: str, node: str) -> str:
        condition = when.get(kind, {}).get(node)
        return f"{node} (when {condition})" if condition else node

    parts = [
        f"{kind} {', '.join(named(kind, n) for n in nodes)}" for kind, nodes in breakpoints.items() if nodes
    ]
    return "Breakpoints: " + ("; ".join(parts) if parts else "none")


def changes_text(changes: Sequence[Change]) -> str:
    """What changed between two checkpoints, a line a key: `+ key: value`, `- key: value`,
    `~ key: before -> after` (a list that grew: `~ key[3:]: + [new items]`)."""
    if not changes:
        return "No changes."
    lines = []
    for change in changes:
        key = f"{change.key}[{change.offset}:]" if change.offset else change.key
        if change.op == "add":
            lines.append(f"+ {key}: {compact(change.after)}")
        elif change.op == "remove":
            lines.append(f"- {key}: {compact(change.before)}")
        else:
            lines.append(f"~ {key}: {compact(change.before)} -> {compact(change.after)}")
    return "\n".join(lines)


def try_text(tried: TryResult) -> str:
    """A what-if's summary, then what the node would write (or what it asks)."""
    lines = [tried.summary()]
    if tried.interrupts:
        lines += [f"  asks: {compact(value)}" for value in tried.interrupts]
    elif isinstance(tried.update, Mapping):
        lines += state_text(tried.update).splitlines()
    else:
        lines.append(f"  {compact(tried.update)}")
    return "\n".join(lines)


def watches_text(watches: Mapping[str, str | None]) -> str:
    """`Watching: x, trail (when len(state["trail"]) > 2)` (or nothing)."""
    named = [f"{key} (when {condition})" if condition else key for key, condition in watches.items()]
    return "Watching: " + (", ".join(named) if named else "nothing")


# Where library code lives: the standard library, installed packages, and this package (which
# may be installed editable, outside site-packages).
_OWN_ROOT = str(Path(__file__).resolve().parent)
_LIBRARY_ROOTS = tuple(
    {*(sysconfig.get_paths()[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")), _OWN_ROOT}
)
_FRAME = re.compile(r'^(\s*)File "(?P<file>[^"]+)", line (?P<line>\d+)(?P<rest>.*)$')
_FAILED_TASK = re.compile(r"During task with name '(?P<node>[^']+)'")


def is_library_file(path: str) -> bool:
    """True for a frame of Python itself, an installed package, or hitl_widgets."""
    return path.startswith(("<frozen", *_LIBRARY_ROOTS)) or "site-packages" in path


def user_traceback(text: str, cell_names: Mapping[str, int] | None = None) -> str:
    """A traceback as the person who wrote the graph reads it: a frame in a notebook cell reads
    `Cell In[3], line 7, in check` (not `/tmp/ipykernel_…/….py`), and each run of library
    frames (LangGraph, LangChain, Python) is one line saying how many were folded, so the
    user's own frames come first. `cell_names` maps a cell's file name to its execution count
    (IPython's compiler keeps that map). Lines that are not frames are kept as they are."""
    names = cell_names or {}
    out: list[str] = []
    folded: list[str] = []  # the packages of the library frames being folded
    indent = "  "
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FRAME.match(lines[i])
        if match is None:
            _flush(out, folded, indent)
            out.append(lines[i])
            i += 1
            continue
        frame = [lines[i]]
        i += 1
        while i < len(lines) and lines[i].startswith(match.group(1) + "  ") and not _FRAME.match(lines[i]):
            frame.append(lines[i])
            i += 1
        path = match.group("file")
        indent = match.group(1)
        if path not in names and is_library_file(path):
            folded.append(_package(path))
            continue
        _flush(out, folded, indent)
        if path in names:
            frame[0] = f"{indent}Cell In[{names[path]}], line {match.group('line')}{match.group('rest')}"
        out.extend(frame)
    _flush(out, folded, indent)
    return "\n".join(out)


def _flush(out: list[str], folded: list[str], indent: str) -> None:
    if folded:
        packages = ", ".join(dict.fromkeys(folded))
        out.append(f"{indent}… {len(folded)} library frame{'s' if len(folded) != 1 else ''} ({packages})")
        folded.clear()


def _package(path: str) -> str:
    """The top package a library file belongs to (`langgraph`), or the file's name."""
    if path.startswith(_OWN_ROOT):
        return "hitl_widgets"
    for root in sorted(_LIBRARY_ROOTS, key=len, reverse=True):
        if path.startswith(root):
            inner = Path(path[len(root) :].lstrip("/\\")).parts
            return inner[0].removesuffix(".py") if inner else root
    parts = Path(path).parts
    if "site-packages" in parts:
        after = parts[parts.index("site-packages") + 1 :]
        return after[0] if after else path
    return Path(path).stem


def failed_tasks(error: str) -> list[str]:
    """The nodes a run's error names as the tasks that raised (LangGraph notes "During task
    with name 'X'" on the exception)."""
    return list(dict.fromkeys(m.group("node") for m in _FAILED_TASK.finditer(error)))
