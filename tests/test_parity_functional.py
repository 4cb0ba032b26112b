"""Parity: LangGraph's functional API (`@entrypoint`, `@task`, `interrupt`, `previous`), sync and
async, including an entrypoint whose value is not a dict: the Debugger shows it as it is."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import interrupt
from parity import Run, arun_debugger, arun_plain, assert_same, run_debugger, run_plain

import hitl_widgets as hw


def essay_workflow(saver: BaseCheckpointSaver[Any]) -> Any:
    """The docs' review-an-essay workflow: a task, then a human decision."""

    @task
    def write_essay(topic: str) -> str:
        return f"An essay about topic: {topic}"

    @entrypoint(checkpointer=saver)
    def workflow(topic: str) -> dict[str, Any]:
        essay = write_essay(topic).result()
        is_approved = interrupt({"essay": essay, "action": "Please approve/reject the essay"})
        return {"essay": essay, "is_approved": is_approved}

    return workflow


def test_entrypoint_with_a_task_and_an_interrupt() -> None:
    plain = run_plain(essay_workflow(InMemorySaver()), "cat", [True])
    debugged = run_debugger(hw.debug(essay_workflow(InMemorySaver()), thread_id="debugged"), "cat", [True])
    assert_same(debugged, plain)
    assert debugged.final == {"essay": "An essay about topic: cat", "is_approved": True}
    # the checkpoint after the tasks ran names them as writers
    assert any("write_essay" in row.writes for row in debugged.history)


def running_total(saver: BaseCheckpointSaver[Any]) -> Any:
    """A non-dict value, kept between runs of the thread with `previous` / `entrypoint.final`."""

    @task
    def double(n: int) -> int:
        return n * 2

    @entrypoint(checkpointer=saver)
    def total(n: int, *, previous: int | None = None) -> entrypoint.final[int, int]:
        doubled = [double(n), double(n + 1)]  # two tasks at once
        subtotal = (previous or 0) + sum(f.result() for f in doubled)
        if interrupt(f"add {subtotal - (previous or 0)} to {previous or 0}?") != "yes":
            return entrypoint.final(value=previous or 0, save=previous or 0)
        return entrypoint.final(value=subtotal, save=subtotal)

    return total


def test_entrypoint_with_a_non_dict_value_and_previous_across_runs() -> None:
    graph = running_total(InMemorySaver())
    plain = [run_plain(graph, 1, ["yes"])]
    plain.append(run_plain(graph, 5, ["yes"], after=plain[-1]))
    plain.append(run_plain(graph, 9, ["no"], after=plain[-1]))
    dbg = hw.debug(running_total(InMemorySaver()), thread_id="debugged")
    debugged = [run_debugger(dbg, 1, ["yes"]), run_debugger(dbg, 5, ["yes"]), run_debugger(dbg, 9, ["no"])]
    for mine, theirs in zip(debugged, plain, strict=True):
        assert_same(mine, theirs)
    assert [run.final for run in debugged] == [6, 28, 28]
    assert debugged[1].stops == [["add 22 to 6?"]]
    assert dbg.head.values == 28


def test_entrypoint_non_dict_value_at_a_pause_and_in_history() -> None:
    dbg = hw.debug(running_total(InMemorySaver()), thread_id="debugged")
    dbg.start(1)
    done = dbg.resume("yes")
    assert done.values == 6
    assert dbg.state == 6
    pause = dbg.start(2)
    assert pause.values == 6  # the previous run's value, still the thread's value
    assert [c.values for c in dbg.history() if c.source == "loop" and not c.next][:1] == [6]


def async_workflow(saver: BaseCheckpointSaver[Any]) -> Any:
    @task
    async def fetch(source: str) -> str:
        await asyncio.sleep(0)
        return f"facts from {source}"

    @task
    async def summarize(facts: list[str]) -> str:
        return " & ".join(sorted(facts))

    @entrypoint(checkpointer=saver)
    async def research(question: str) -> str:
        facts = await asyncio.gather(fetch("wiki"), fetch("news"))
        summary = await summarize(list(facts))
        verdict = interrupt({"question": question, "summary": summary})
        return f"{summary} ({verdict})"

    return research


def test_async_entrypoint_and_tasks() -> None:
    plain = asyncio.run(arun_plain(async_workflow(InMemorySaver()), "why?", ["approved"]))
    debugged = run_debugger(
        hw.debug(async_workflow(InMemorySaver()), thread_id="debugged"), "why?", ["approved"]
    )
    assert_same(debugged, plain)
    assert debugged.final == "facts from news & facts from wiki (approved)"

    async def awaited() -> Run:
        dbg = hw.debug(async_workflow(InMemorySaver()), thread_id="awaited")
        return await arun_debugger(dbg, "why?", ["approved"])

    assert_same(asyncio.run(awaited()), plain)
