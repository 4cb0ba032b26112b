"""The skeleton each saver's reader gives is LangGraph's own history, on every saver.

For SQLite, the in-memory saver, Postgres and a saver the toolkit has no reader for (served by
the paged generic path), several graphs (a pipeline with breakpoints, parallel interrupts, a
`Send` fan-out) go through starts, steps, resumes, edits, forks and replays; then a fresh
Debugger's `history()` must match `get_state_history` checkpoint by checkpoint: id, parent,
step, source, next, and which nodes wrote it. A first screen (`limit`) and an update
(`newer_than`) must match the same checkpoints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import graphs
import pytest
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import StateGraph
from langgraph.pregel import Pregel

import hitl_widgets as hw
from hitl_widgets.backends.history_rows import AS_NODE_KEY
from hitl_widgets.backends.local_history import GENERIC_PAGE, GenericHistory, history_for

SAVERS = ("sqlite", "memory", "postgres", "generic")


class ListOnlySaver(BaseCheckpointSaver[str]):
    """A saver the toolkit has no reader for: LangGraph's in-memory saver behind the plain
    saver interface (`list`, `get_tuple`, `put`, `put_writes`), as a third-party saver is."""

    def __init__(self) -> None:
        super().__init__()
        self._inner = InMemorySaver()
        self.listed_pages: list[int | None] = []  # the `limit` of every `list()` call

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return self._inner.get_tuple(config)

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        self.listed_pages.append(limit)
        return self._inner.list(config, filter=filter, before=before, limit=limit)

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return self._inner.put(config, checkpoint, metadata, new_versions)

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        self._inner.put_writes(config, writes, task_id, task_path)

    def get_next_version(self, current: str | None, channel: None) -> str:
        return self._inner.get_next_version(current, channel)

    def delete_thread(self, thread_id: str) -> None:
        self._inner.delete_thread(thread_id)


@pytest.fixture
def saver_for(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str], Any]:
    def make(kind: str) -> Any:
        if kind == "sqlite":
            return f"sqlite:{tmp_path / 'threads.sqlite'}"
        if kind == "memory":
            return InMemorySaver()
        if kind == "postgres":
            return request.getfixturevalue("postgres_saver")
        return ListOnlySaver()

    return make


def truth(graph: Pregel[Any, Any, Any, Any], thread_id: str) -> list[tuple[Any, ...]]:
    """LangGraph's history: (id, parent, step, source, sorted next, sorted writers), newest first."""
    snaps = list(graph.get_state_history({"configurable": {"thread_id": thread_id}}))
    by_id = {s.config["configurable"]["checkpoint_id"]: s for s in snaps}
    found = []
    for snap in snaps:
        meta = snap.metadata or {}
        parent = snap.parent_config["configurable"]["checkpoint_id"] if snap.parent_config else None
        source = str(meta["source"])
        if source == "input":
            writers: tuple[str, ...] = ("__input__",)
        elif source == "update":
            writers = (meta[AS_NODE_KEY],) if AS_NODE_KEY in meta else ()
        elif source == "loop" and parent in by_id:
            writers = tuple(sorted({t.name for t in by_id[parent].tasks if t.result is not None}))
        else:
            writers = ()
        cid = snap.config["configurable"]["checkpoint_id"]
        found.append((cid, parent, int(meta["step"]), source, tuple(sorted(snap.next)), writers))
    return found


def ours(checkpoints: list[hw.Checkpoint]) -> list[tuple[Any, ...]]:
    return [
        (c.id, c.parent_id, c.step, c.source, tuple(sorted(c.next)), tuple(sorted(set(c.writes))))
        for c in checkpoints
    ]


def _pipeline(dbg: hw.Debugger) -> None:
    dbg.break_before("step_2")
    dbg.start({"input": "go", "trail": []})
    dbg.step()
    dbg.cont()
    middle = dbg.history()[2]
    dbg.fork(middle.id, {"trail": ["forked"]}, as_node="step_1")
    dbg.cont()
    dbg.edit({"trail": ["edited"]}, as_node="step_3")
    dbg.replay(middle.id)
    dbg.fork(middle.id)


def _parallel(dbg: hw.Debugger) -> None:
    dbg.start({"text_1": "a", "text_2": "b"})
    dbg.resume({i.id: f"answer {i.node}" for i in dbg.interrupts})
    dbg.start({"text_1": "c", "text_2": "d"})


def _fan_out(dbg: hw.Debugger) -> None:
    dbg.start({"items": [1, 2, 3], "results": []})
    split = next(c for c in dbg.history() if c.writes == ("split",))
    dbg.fork(split.id, {"items": [7]}, as_node="split")
    dbg.cont()


SCENARIOS: dict[str, tuple[Callable[[], StateGraph], Callable[[hw.Debugger], None]]] = {
    "pipeline": (graphs.pipeline, _pipeline),
    "parallel_interrupts": (graphs.parallel_interrupts, _parallel),
    "map_reduce": (graphs.map_reduce, _fan_out),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("saver_kind", SAVERS)
def test_the_skeleton_is_langgraphs_history(
    saver_kind: str, scenario: str, saver_for: Callable[[str], Any]
) -> None:
    builder, play = SCENARIOS[scenario]
    saver = saver_for(saver_kind)
    dbg = hw.debug(builder(), checkpointer=saver)
    play(dbg)
    expected = truth(dbg.backend._graph, dbg.thread_id)  # type: ignore[attr-defined]
    assert len(expected) >= 5
    assert ours(dbg.history()) == expected
    # a fresh Debugger (another kernel) reads the same, whole, as a first screen, and as an update
    fresh = hw.debug(
        builder(),
        checkpointer=saver_for(saver_kind) if saver_kind == "sqlite" else saver,
        thread_id=dbg.thread_id,
    )
    assert ours(fresh.history(limit=3)) == expected[:3]
    assert ours(fresh.history()) == expected
    older = expected[4][0]
    assert ours(fresh.history(newer_than=older)) == expected[:4]
    dbg.close()
    fresh.close()


def test_the_readers_fit_their_savers(saver_for: Callable[[str], Any]) -> None:
    kinds = {
        kind: type(
            history_for(hw.debug(graphs.pipeline(), checkpointer=saver_for(kind)).backend._graph.checkpointer)
        ).__name__  # type: ignore[attr-defined]
        for kind in SAVERS
    }
    assert kinds == {
        "sqlite": "SqliteHistory",
        "memory": "MemoryHistory",
        "postgres": "PostgresHistory",
        "generic": "GenericHistory",
    }


def test_the_generic_path_reads_a_page_at_a_time() -> None:
    """A long thread on a saver without a reader of its own: `list()` is only ever asked for a
    page, and a first screen reads one page (and the checkpoint before it), not the thread."""
    saver = ListOnlySaver()
    dbg = hw.debug(
        graphs.pipeline(names=tuple(f"n{i}" for i in range(GENERIC_PAGE + 20))), checkpointer=saver
    )
    dbg.start({"input": "go", "trail": []})
    newest = [c.id for c in dbg.history()][:10]
    saver.listed_pages.clear()
    reader = GenericHistory(saver)
    first = reader.rows(dbg.thread_id, "", 10)
    assert [r.id for r in first][:10] == newest
    assert saver.listed_pages == [GENERIC_PAGE]
    saver.listed_pages.clear()
    whole = reader.rows(dbg.thread_id, "", None)
    assert len(whole) == GENERIC_PAGE + 22
    assert saver.listed_pages == [GENERIC_PAGE, GENERIC_PAGE]
