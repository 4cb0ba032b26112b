"""What goes wrong with a server, told as a DebuggerError that says what to check; nothing changes.

Timing of the last case: when the server dies mid-run, langgraph_sdk reconnects the run's
stream 5 times, each connection with 5 retries of its own, before it gives up; the error
arrives about a minute after the server died.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest
from langgraph_sdk import get_sync_client
from langgraph_server import LangGraphServer, free_port, start_server

import hitl_widgets as hw

RUN_TIMEOUT_S = 300


def test_an_unreachable_server_names_the_url_to_check() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(hw.DebuggerError) as refused:
        hw.debug(url=url, assistant_id="pipeline")
    message = str(refused.value)
    assert f"cannot reach the LangGraph server at {url}" in message
    assert "check the URL and that the server is running" in message


def test_an_unknown_assistant_lists_the_assistants_there_are(langgraph_server: LangGraphServer) -> None:
    with pytest.raises(hw.DebuggerError) as refused:
        hw.debug(url=langgraph_server.url, assistant_id="no_such_graph")
    message = str(refused.value)
    assert f"no assistant 'no_such_graph' on the server at {langgraph_server.url}" in message
    assert "'text_to_revise'" in message
    assert "'pipeline'" in message


def test_a_run_on_a_busy_thread_is_refused_and_changes_nothing(langgraph_server: LangGraphServer) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="slow_pipeline")
    dbg.break_before("step_2")
    dbg.start({"input": "x", "trail": []})
    before = [cp.id for cp in dbg.history()]

    sdk = get_sync_client(url=langgraph_server.url, api_key=None)
    other = sdk.runs.create(dbg.thread_id, "slow_pipeline", input={"input": "y", "trail": []})
    with pytest.raises(hw.DebuggerError) as refused:
        dbg.cont()
    message = str(refused.value)
    assert "refused running 'slow_pipeline'" in message
    assert "busy with another run" in message
    assert dbg.running is None

    sdk.runs.join(dbg.thread_id, other["run_id"])
    assert [cp.id for cp in dbg.history()][-len(before) :] == before


def test_a_run_the_server_rejects_says_why(langgraph_server: LangGraphServer) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="pipeline")
    with pytest.raises(hw.DebuggerError) as refused:
        dbg.start({"input": "x", "trail": []}, config={"tags": "many"})  # the server checks the config
    message = str(refused.value)
    assert "refused running 'pipeline'" in message
    assert "HTTP 422" in message
    assert "'many' is not of type 'array'" in message.replace('"', "'")
    assert "\n" not in message
    assert dbg.history() == []


def test_an_update_the_server_refuses_gets_the_same_advice_as_locally(
    langgraph_server: LangGraphServer,
) -> None:
    dbg = hw.debug(url=langgraph_server.url, assistant_id="parallel_interrupts")
    pause = dbg.start({"text_1": "a", "text_2": "b"})
    dbg.resume({i.id: "x" for i in pause.interrupts})  # two nodes wrote the last step
    before = [cp.id for cp in dbg.history()]

    with pytest.raises(hw.DebuggerError) as refused:
        dbg.edit({"text_1": "z"})
    assert "cannot tell which node this update comes from; pass as_node=" in str(refused.value)
    assert "'human_node_1', 'human_node_2'" in str(refused.value)
    assert [cp.id for cp in dbg.history()] == before


def test_a_server_that_dies_mid_run_is_reported_and_the_debugger_stays_usable(tmp_path: Path) -> None:
    with start_server(tmp_path) as server:
        dbg = hw.debug(url=server.url, assistant_id="blocking")
        dbg.break_after("blocking")
        in_node = threading.Event()
        events: list[str] = []

        def listen(event: hw.DebuggerEvent) -> None:
            events.append(event.kind)
            if event.kind == "progress" and event.next == ("blocking",):
                in_node.set()

        dbg.observe(listen)
        running = dbg.in_background(lambda: dbg.start({"input": "x", "trail": []}))
        assert in_node.wait(RUN_TIMEOUT_S)
        os.killpg(server.process.pid, signal.SIGKILL)  # the server and all it started, at once

        with pytest.raises(hw.DebuggerError) as lost:
            running.result(RUN_TIMEOUT_S)
        message = str(lost.value)
        assert f"lost the connection to the LangGraph server at {server.url}" in message
        assert f"while running 'blocking' on thread {dbg.thread_id}" in message
        assert "check that it is running" in message

        # the debugger is as it was: idle, same breakpoints, no made-up pause; commands fail clearly
        assert dbg.running is None
        assert dbg.last_pause is None
        assert dbg.breakpoints == {"before": [], "after": ["blocking"]}
        assert "paused" not in events
        with pytest.raises(hw.DebuggerError, match=f"cannot reach the LangGraph server at {server.url}"):
            dbg.history()
