"""Plain data the debugger hands out: where a run paused, checkpoints, interrupts, the graph.

Everything here is a frozen dataclass so that a value given to a caller (a widget, a magic, a
test) can never change under it. Backends build these; nobody above the backends sees a
LangGraph or langgraph_sdk object.
"""

from __future__ import annotations

import reprlib
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Literal

PauseReason = Literal["interrupt", "breakpoint", "step", "done", "error"]
# What a run tells live while it goes: a node started, a node's update, an LLM token, a custom event.
LiveKind = Literal["task", "update", "token", "custom"]
PAUSE_REASONS: tuple[PauseReason, ...] = ("interrupt", "breakpoint", "step", "done", "error")

START = "__start__"
END = "__end__"

SHORT_ID_LENGTH = 8

# Reprs of values a graph holds stay short: a cell ending in `dbg.start(...)` must not print
# (and ship to the browser) a 10 MB state.
_short = reprlib.Repr()
_short.maxstring = _short.maxother = 120
_short.maxlevel = 3
_short.maxlist = _short.maxtuple = _short.maxset = _short.maxdict = 6


VALUE_KEY = "(value)"
"""Where views show a state that is one value, not named keys (a functional `@entrypoint`'s return)."""


def keyed(values: Any) -> Mapping[str, Any]:
    """A state as views show it, key by key: a graph's mapping as it is, any other value (a
    functional `@entrypoint`'s return) under `VALUE_KEY`; no state at all is empty."""
    if isinstance(values, Mapping):
        return values
    return {} if values is None else {VALUE_KEY: values}


def error_line(error: str) -> str:
    """The `Type: message` line of a traceback's text: the first unindented line after the
    last frame (notes such as LangGraph's "During task with name ..." come after it)."""
    lines = error.strip().splitlines()
    last_frame = max((i for i, line in enumerate(lines) if line.startswith("  File ")), default=-1)
    after = [line for line in lines[last_frame + 1 :] if line and not line[0].isspace()]
    return after[0] if after else (lines[-1] if lines else error)


def short_id(checkpoint_id: str) -> str:
    """The part of a checkpoint id a person reads and types.

    LangGraph's ids are UUIDv6: the leading characters encode the time and are shared by
    every checkpoint made within seconds of each other, while the trailing 12 are random.
    So the tail, not the head, tells checkpoints apart.
    """
    return checkpoint_id[-SHORT_ID_LENGTH:]


def time_of_uuid6(checkpoint_id: str) -> datetime | None:
    """When a UUIDv6 checkpoint id was made (LangGraph's ids carry their creation time).

    This gives `created_at` for thousands of checkpoints without loading a single one.
    """
    try:
        parsed = uuid.UUID(checkpoint_id)
    except ValueError:
        return None
    if parsed.version != 6:
        return None
    hex_ = parsed.hex
    ticks = int(hex_[0:12] + hex_[13:16], 16)  # 60-bit count of 100 ns since 1582-10-15
    unix_ns = (ticks - 0x01B21DD213814000) * 100
    return datetime.fromtimestamp(unix_ns / 1e9, tz=UTC)


@dataclass(frozen=True)
class PendingInterrupt:
    """An `interrupt()` waiting for an answer.

    `node` is the innermost node that called `interrupt()`; `ns` is the path of
    `node:task_id` segments from the root graph down to it (one segment at the root, more
    inside subgraphs).
    """

    id: str
    value: Any
    node: str
    ns: tuple[str, ...] = ()
    response_schema: Mapping[str, Any] | None = None

    def __repr__(self) -> str:
        return f"PendingInterrupt(id={self.id!r}, node={self.node!r}, value={_short.repr(self.value)})"


@dataclass(frozen=True)
class TryResult:
    """What one node would write on a checkpoint's state (`Debugger.try_node`): its `update`,
    and the values of the interrupts it raised (then `update` is None: it stopped there)."""

    node: str
    checkpoint_id: str
    update: Any
    interrupts: tuple[Any, ...] = ()

    def summary(self) -> str:
        where = f"{self.node} on checkpoint {short_id(self.checkpoint_id)}"
        if self.interrupts:
            return f"Tried {where}: it asks (interrupt), nothing written"
        return f"Tried {where}: it would write (nothing written)"


@dataclass(frozen=True)
class WatchHit:
    """A watched state key that changed in the superstep a run paused after: its value
    before and after, and the node(s) that ran in that superstep."""

    key: str
    before: Any
    after: Any
    nodes: tuple[str, ...]

    def summary(self) -> str:
        by = f" in the step of {node_list(self.nodes)}" if self.nodes else ""
        return f"watch {self.key}: changed{by}"


@dataclass(frozen=True)
class Inside:
    """Where a run stands inside a subgraph: the subgraph's `path` from the root (`"mid"`,
    `"mid/inner"`, nodes joined by "/"), its own `next` nodes (in its own names) and state, and
    its own checkpoint (`checkpoint_ns` is LangGraph's namespace of that subgraph run)."""

    path: str
    next: tuple[str, ...]
    values: Any
    checkpoint_ns: str
    checkpoint_id: str

    @property
    def next_paths(self) -> tuple[str, ...]:
        """The next nodes by path from the root (`"mid/inner"`), as breakpoints name them."""
        return tuple(f"{self.path}/{n}" for n in self.next)

    def summary(self) -> str:
        """Where it stands, in words: "inside mid/inner, next: mid/inner/y"."""
        then = f"next: {node_list(self.next_paths)}" if self.next else "at its end"
        return f"inside {self.path}, {then}"

    def __repr__(self) -> str:
        return f"Inside(path={self.path!r}, next={self.next!r}, values={_short.repr(self.values)})"


@dataclass(frozen=True)
class SubgraphCheckpoint:
    """A checkpoint a subgraph saved while it ran from a root checkpoint, in LangGraph's
    namespace of that subgraph run (`checkpoint_ns`); `path` names the subgraph from the root
    ("mid", "mid/inner") and `next` its own next nodes."""

    path: str
    id: str
    parent_id: str | None
    step: int
    next: tuple[str, ...]
    values: Any
    checkpoint_ns: str

    def __repr__(self) -> str:
        return (
            f"SubgraphCheckpoint(path={self.path!r}, id={short_id(self.id)!r}, step={self.step}, "
            f"next={self.next!r}, values={_short.repr(self.values)})"
        )


@dataclass(frozen=True)
class Pause:
    """Where and why a run stopped.

    `reason` is "interrupt" (the graph called `interrupt()`), "breakpoint" (a static or
    runtime breakpoint, or a watched key that changed: `watch`), "step" (one superstep done, or a pause was asked for), "done" (nothing
    left to run) or "error" (a node raised; `error` holds the traceback text). `values` are the
    graph's, as LangGraph gives them: a mapping for a `StateGraph`, any value a functional
    `@entrypoint` returned.
    """

    reason: PauseReason
    checkpoint_id: str | None
    next: tuple[str, ...] = ()
    interrupts: tuple[PendingInterrupt, ...] = ()
    values: Any = field(default_factory=dict)
    error: str | None = None
    step: int | None = None
    watch: WatchHit | None = None  # set when a watched key's change made the pause
    inside: Inside | None = None  # set when the run stopped inside a subgraph (see `Inside`)

    def __repr__(self) -> str:
        error = f", error={error_line(self.error)!r}" if self.error and self.error.strip() else ""
        watch = f", watch={self.watch.summary()!r}" if self.watch else ""
        inside = f", inside={self.inside!r}" if self.inside else ""
        return (
            f"Pause(reason={self.reason!r}, checkpoint_id={self.checkpoint_id!r}, step={self.step}, "
            f"next={self.next!r}, interrupts={list(self.interrupts)!r}, "
            f"values={_short.repr(self.values)}{error}{watch}{inside})"
        )

    def summary(self) -> str:
        """One line a person reads: why it paused, where, and what runs next."""
        where = f"checkpoint {short_id(self.checkpoint_id)}" if self.checkpoint_id else "no checkpoint"
        step = f" (step {self.step})" if self.step is not None else ""
        parts = [f"Paused: {self.reason} at {where}{step}"]
        if self.inside is not None:
            parts.append(self.inside.summary())
        elif self.next:
            parts.append(f"next: {node_list(self.next)}")
        if self.interrupts:
            parts.append(f"{len(self.interrupts)} pending interrupt(s)")
        if self.watch:
            parts.append(self.watch.summary())
        return "; ".join(parts)


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint of a thread, as a skeleton; `values` is loaded when first read.

    `writes` names the node(s) whose writes made this checkpoint ("__input__" for the input,
    the `as_node` for an edit). `source` is LangGraph's: "input", "loop", "update" or "fork".
    """

    id: str
    parent_id: str | None
    step: int
    source: str
    next: tuple[str, ...]
    created_at: datetime | None
    writes: tuple[str, ...]
    _load_values: Callable[[], Any] = field(repr=False, compare=False)

    @cached_property
    def values(self) -> Any:
        """The state here: a mapping for a `StateGraph`, any value for a functional `@entrypoint`."""
        return self._load_values()

    @property
    def short_id(self) -> str:
        return short_id(self.id)


@dataclass(frozen=True)
class TopologyNode:
    """A node of the drawn graph. `parent` is the enclosing subgraph node, if any."""

    id: str
    name: str
    kind: Literal["start", "end", "node", "subgraph"]
    parent: str | None = None


@dataclass(frozen=True)
class TopologyEdge:
    source: str
    target: str
    conditional: bool = False
    label: str | None = None


@dataclass(frozen=True)
class Topology:
    """The graph's shape, drawn offline (never through mermaid.ink).

    Node ids of subgraph interiors are `outer:inner`, as LangGraph's xray drawing names them.
    """

    nodes: tuple[TopologyNode, ...]
    edges: tuple[TopologyEdge, ...]

    @property
    def node_names(self) -> tuple[str, ...]:
        """The root graph's own nodes: the names breakpoints and `as_node` accept."""
        return tuple(n.id for n in self.nodes if n.parent is None and n.kind in ("node", "subgraph"))


@dataclass(frozen=True)
class Breakpoints:
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        return {"before": list(self.before), "after": list(self.after)}


def node_list(names: Iterable[str], sep: str = ", ") -> str:
    """Node names in order, a name repeated in a row once with its count: `tools×3` for a
    step that ran three `Send` tasks of `tools`."""
    runs: list[list[Any]] = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return sep.join(name if count == 1 else f"{name}×{count}" for name, count in runs)
