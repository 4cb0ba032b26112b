"""A server thread's history: every page of it, fetched once, then only what is new; values on demand.

The requests the SDK sends are watched (`sent_requests`), so these tests see what the debugger
asks the server for, not only what it answers.
"""

from __future__ import annotations

import json

import httpx
from langgraph_sdk import get_sync_client
from langgraph_server import LangGraphServer

import hitl_widgets as hw
from hitl_widgets.backends.local_history import AS_NODE_KEY

STEPS = 20


def history_pages(requests: list[httpx.Request]) -> list[dict[str, object]]:
    """The bodies of the history requests that read pages (not the one-checkpoint latest id)."""
    bodies = [
        json.loads(r.content) for r in requests if r.method == "POST" and r.url.path.endswith("/history")
    ]
    return [b for b in bodies if b.get("limit", 10) > 1]


def state_reads(requests: list[httpx.Request]) -> int:
    return sum(1 for r in requests if r.method == "GET" and "/state" in r.url.path)


def test_the_whole_history_is_read_across_pages_once(
    langgraph_server: LangGraphServer, sent_requests: list[httpx.Request]
) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="pipeline_20")
    dbg.start({"input": "x", "trail": []})

    del sent_requests[:]
    history = dbg.history()
    pages = history_pages(sent_requests)

    assert [cp.step for cp in history] == list(range(STEPS, -2, -1))
    assert [cp.writes for cp in history[:STEPS]] == [(f"step_{i}",) for i in range(STEPS, 0, -1)]
    assert [cp.parent_id for cp in history[:-1]] == [cp.id for cp in history[1:]]
    raw = get_sync_client(url=langgraph_server.url, api_key=None).threads.get_history(
        dbg.thread_id, limit=100
    )
    assert [cp.id for cp in history] == [s["checkpoint"]["checkpoint_id"] for s in raw]
    # pages grow from 10, and go on from the last checkpoint of the page before
    assert [p["limit"] for p in pages] == [10, 20]
    assert pages[1]["before"] == {"configurable": {"checkpoint_id": history[9].id}}
    assert state_reads(sent_requests) == 0  # no values loaded

    del sent_requests[:]
    assert dbg.history() == history
    assert history_pages(sent_requests) == []  # nothing new: only the latest id was read


def test_after_a_change_only_the_new_checkpoints_are_fetched(
    langgraph_server: LangGraphServer, sent_requests: list[httpx.Request]
) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="pipeline_20")
    dbg.break_before("step_3")
    dbg.start({"input": "x", "trail": []})
    before = dbg.history()

    del sent_requests[:]
    dbg.step()
    after = dbg.history()

    assert [p["limit"] for p in history_pages(sent_requests)] == [10]
    assert after[1:] == before
    assert after[0].writes == ("step_3",)


def test_values_load_one_checkpoint_at_a_time_when_read(
    langgraph_server: LangGraphServer, sent_requests: list[httpx.Request]
) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="pipeline")
    dbg.start({"input": "x", "trail": []})
    history = dbg.history()

    del sent_requests[:]
    assert history[2].values == {"input": "x", "trail": ["step_1"]}
    assert state_reads(sent_requests) == 1


def test_an_edit_records_its_as_node_in_the_checkpoint_metadata(langgraph_server: LangGraphServer) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="human_input_graph")
    dbg.break_before("human_input")
    dbg.start({"user_input": "", "trail": []})
    edited = dbg.edit({"user_input": "go ahead"}, as_node="human_input")

    raw = get_sync_client(url=langgraph_server.url, api_key=None).threads.get_state(dbg.thread_id)
    assert raw["checkpoint"]["checkpoint_id"] == edited.id
    metadata = raw["metadata"] or {}
    assert metadata[AS_NODE_KEY] == "human_input"
    assert metadata["source"] == "update"
    assert edited.writes == ("human_input",)
