"""Attaching to a thread that already lives on the server, made there by plain `langgraph_sdk` calls."""

from __future__ import annotations

import uuid

import pytest
from langgraph_sdk import get_sync_client
from langgraph_server import LangGraphServer

import hitl_widgets as hw


def test_attach_shows_the_pending_interrupt_and_resumes_it(langgraph_server: LangGraphServer) -> None:
    sdk = get_sync_client(url=langgraph_server.url, api_key=None)
    thread_id = sdk.threads.create()["thread_id"]
    result = sdk.runs.wait(thread_id, "text_to_revise", input={"some_text": "original text"})
    (raw_interrupt,) = result["__interrupt__"]  # type: ignore[call-overload]
    raw_state = sdk.threads.get_state(thread_id)

    dbg = hw.debug(url=langgraph_server.url, assistant_id="text_to_revise", thread_id=thread_id)

    assert dbg.thread_id == thread_id
    (pending,) = dbg.interrupts
    assert (pending.id, pending.value, pending.node) == (
        raw_interrupt["id"],
        {"text_to_revise": "original text"},
        "human_node",
    )
    assert dbg.head.id == raw_state["checkpoint"]["checkpoint_id"]
    assert [cp.id for cp in dbg.history()] == [
        s["checkpoint"]["checkpoint_id"] for s in sdk.threads.get_history(thread_id, limit=100)
    ]

    done = dbg.resume("Edited text")
    assert done.reason == "done"
    assert sdk.threads.get_state(thread_id)["values"] == {"some_text": "Edited text"}


def test_attach_by_assistant_uuid_and_follow_runs_made_elsewhere(langgraph_server: LangGraphServer) -> None:
    sdk = get_sync_client(url=langgraph_server.url, api_key=None)
    (assistant,) = sdk.assistants.search(graph_id="pipeline", limit=1)
    dbg = hw.debug(url=langgraph_server.url, assistant_id=assistant["assistant_id"])
    dbg.break_before("step_2")
    assert dbg.start({"input": "x", "trail": []}).next == ("step_2",)

    # another client goes on with the same thread; the debugger follows the thread's newest checkpoint
    sdk.runs.wait(dbg.thread_id, "pipeline", input=None)
    assert dbg.state["trail"] == ["step_1", "step_2", "step_3"]
    assert dbg.head.next == ()
    assert len(dbg.history()) == 5


def test_a_thread_of_another_graph_is_refused(langgraph_server: LangGraphServer) -> None:
    other = hw.debug(url=langgraph_server.url, assistant_id="pipeline")
    with pytest.raises(hw.DebuggerError, match=r"belongs to graph 'pipeline'.*assistant_id='pipeline'"):
        hw.debug(url=langgraph_server.url, assistant_id="text_to_revise", thread_id=other.thread_id)


@pytest.mark.parametrize(
    ("thread_id", "words"),
    [(str(uuid.uuid4()), "no thread"), ("t1", "UUIDs")],
    ids=["unknown uuid", "not a uuid"],
)
def test_an_unknown_thread_is_refused_not_created(
    langgraph_server: LangGraphServer, thread_id: str, words: str
) -> None:
    sdk = get_sync_client(url=langgraph_server.url, api_key=None)
    threads_before = len(sdk.threads.search(limit=1000))
    with pytest.raises(hw.DebuggerError, match=words) as refused:
        hw.debug(url=langgraph_server.url, assistant_id="pipeline", thread_id=thread_id)
    assert repr(thread_id) in str(refused.value)
    assert "thread_id=None" in str(refused.value)
    assert len(sdk.threads.search(limit=1000)) == threads_before
