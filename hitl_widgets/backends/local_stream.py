"""What one local run streams, read part by part, the same way for `stream` and `astream`.

The run itself says where it stopped (each saved root checkpoint, each interrupt or
breakpoint), so no `get_state()` is needed afterwards. With live streaming on, the same stream
also carries what a person watches while a node works: node starts ("tasks"), node updates
("updates"), LLM tokens ("messages") and `get_stream_writer()` events ("custom"), from
subgraphs too (`subgraphs=True`), relayed to the observer in the order they come. The last three
are asked for only from a graph that can make them (`live_reach`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langgraph.pregel import Pregel
from langgraph.runtime import RunControl
from langgraph.types import StreamMode

from hitl_widgets.backends.base import RunObserver
from hitl_widgets.backends.live import LiveRelay
from hitl_widgets.backends.live_reach import streams_updates_only

# Enough to know where a run stopped, and nothing more: a run with live streaming off.
# ("tasks" costs little and names the tasks each step ran, functional `@task`s included.)
QUIET_MODES: list[StreamMode] = ["checkpoints", "updates", "tasks"]
LIVE_MODES: list[StreamMode] = ["checkpoints", "updates", "tasks", "messages", "custom"]
INTERRUPT_KEY = "__interrupt__"


def stream_modes(graph: Pregel[Any, Any, Any, Any], live: bool) -> tuple[list[StreamMode], bool]:
    """What a run asks LangGraph for: its stream modes, and whether subgraph events too. Tokens,
    custom events and subgraph events are asked for only from a graph that can make them:
    asking makes LangGraph run each node on a worker thread (see `live_reach`)."""
    everything = live and not streams_updates_only(graph)
    return (LIVE_MODES if everything else QUIET_MODES), everything


class StreamReader:
    """Takes the `(namespace, mode, payload)` parts of a run and keeps where it stands."""

    def __init__(self, observer: RunObserver, control: RunControl, *, live: bool, namespaced: bool) -> None:
        """`live`: relay node starts and updates to the observer; `namespaced`: the run was asked
        for subgraph events, so each part names its namespace."""
        self._observer = observer
        self._control = control
        self._live = live
        self._namespaced = namespaced
        self.last: Mapping[str, Any] | None = None  # the last root checkpoint saved
        self.interrupted = False
        self.at_breakpoint = False
        self.relay = LiveRelay(observer)

    def take(self, part: Any) -> None:
        ns, mode, payload = part if self._namespaced else ((), *part)
        ns = tuple(ns)
        if mode == "checkpoints":
            if not ns:
                self._checkpoint(payload)
        elif mode == "updates":
            self._updates(ns, payload)
        elif mode == "tasks":
            self._task(ns, payload)
        elif mode == "messages":
            self._token(ns, payload)
        elif mode == "custom":
            self.relay.custom(ns, payload)

    def _checkpoint(self, payload: Mapping[str, Any]) -> None:
        self.last = payload
        self._observer.on_checkpoint(
            payload["config"]["configurable"]["checkpoint_id"],
            int(payload["metadata"].get("step", 0)),
            tuple(payload["next"]),
            self.relay.take_ran(),
        )
        if self._observer.should_stop():
            self._control.request_drain("paused by the user")

    def _updates(self, ns: tuple[str, ...], payload: Any) -> None:
        if not isinstance(payload, Mapping):
            return
        if INTERRUPT_KEY in payload and not ns:
            # LangGraph reports a breakpoint as an empty interrupt tuple
            self.interrupted = self.interrupted or bool(payload[INTERRUPT_KEY])
            self.at_breakpoint = self.at_breakpoint or not payload[INTERRUPT_KEY]
        if self._live:
            for node, update in payload.items():
                if node != INTERRUPT_KEY:
                    self.relay.updated(ns, str(node), update)

    def _task(self, ns: tuple[str, ...], payload: Mapping[str, Any]) -> None:
        name = str(payload.get("name"))
        if "triggers" in payload:  # a task starting; its result comes as an update
            if self._live:
                self.relay.started(ns, name)
            return
        self.relay.finished(ns, name, ran=not payload.get("error") and not payload.get("interrupts"))

    def _token(self, ns: tuple[str, ...], payload: Any) -> None:
        chunk, metadata = payload
        # Only a model's streamed chunks are tokens; whole messages a node returns are updates.
        if "Chunk" not in type(chunk).__name__:
            return
        self.relay.token(ns, (metadata or {}).get("langgraph_node"), _text_of(getattr(chunk, "content", "")))


def _text_of(content: Any) -> str:
    """A chunk's text: its string, or the text parts of a list of content blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in content
            if isinstance(part, str) or (isinstance(part, Mapping) and part.get("type") == "text")
        )
    return ""
