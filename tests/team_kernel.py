"""A kernel of a teammate, for the many-kernels tests: a real process with its own Debugger.

`python tests/team_kernel.py CHECKPOINTER THREAD_ID` opens a Debugger on the team graph and
reads commands from stdin, one JSON object a line, answering each with one JSON line:
`{"do": "look"}` (what the person sees: head, interrupts), `{"do": "start"}`, `{"do": "resume",
"value": ...}`, `{"do": "edit", "values": {...}}`, `{"do": "step"}`, `{"do": "cont"}`, and
`{"do": "gate", "path": P}`: from then on the graph's gated nodes wait until file P exists, so a
test can hold a run in flight. A refused command answers `{"refused": message}`.

Every run of a gated node appends its name to `$HITL_TEAM_LOG`, so a test counts the runs of
all kernels together.
"""

from __future__ import annotations

import json
import operator
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt
from typing_extensions import TypedDict

import hitl_widgets as hw

GATE: list[Path] = []
GATE_SECONDS = 600.0  # a gate never opened is the test killing this kernel


class TeamState(TypedDict):
    topic: str
    answer: str
    trail: Annotated[list[str], operator.add]


def _gated(name: str) -> Any:
    def node(state: TeamState) -> dict[str, Any]:
        if GATE:  # says the run got here (it holds the thread) before it waits
            Path(f"{GATE[0]}.waiting-{name}").touch()
        deadline = time.monotonic() + GATE_SECONDS
        while GATE and not GATE[0].exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        with open(os.environ["HITL_TEAM_LOG"], "a") as log:
            log.write(f"{name}\n")
        return {"trail": [name]}

    return node


def _ask(state: TeamState) -> dict[str, Any]:
    return {"answer": str(interrupt({"question": f"go on with {state['topic']}?"}))}


def team_graph() -> StateGraph:
    """prep -> ask (an interrupt) -> work -> wrap: two gated nodes around a question."""
    builder = StateGraph(TeamState)
    builder.add_node("prep", _gated("prep"))
    builder.add_node("ask", _ask)
    builder.add_node("work", _gated("work"))
    builder.add_node("wrap", _gated("wrap"))
    builder.add_edge(START, "prep")
    builder.add_edge("prep", "ask")
    builder.add_edge("ask", "work")
    builder.add_edge("work", "wrap")
    builder.add_edge("wrap", END)
    return builder


def answer(dbg: hw.Debugger, command: dict[str, Any]) -> dict[str, Any]:
    do = command["do"]
    if do == "gate":
        GATE[:] = [Path(command["path"])]
        return {"ok": True}
    if do == "look":
        history = dbg.history()
        return {
            "head": history[0].id if history else None,
            "interrupts": [i.id for i in dbg.interrupts],
            "checkpoints": len(history),
            "roots": len([c for c in history if c.parent_id is None]),
        }
    try:
        if do == "start":
            result: Any = dbg.start({"topic": command.get("topic", "tea"), "trail": []})
        elif do == "resume":
            result = dbg.resume(command["value"])
        elif do == "edit":
            result = dbg.edit(command["values"], as_node=command.get("as_node"))
        elif do == "step":
            result = dbg.step()
        elif do == "cont":
            result = dbg.cont()
        else:
            return {"error": f"unknown command {do!r}"}
    except hw.DebuggerError as exc:
        return {"refused": str(exc)}
    if isinstance(result, hw.Pause):
        return {"ok": True, "reason": result.reason, "head": result.checkpoint_id}
    return {"ok": True, "head": result.id}


def main(checkpointer: str, thread_id: str) -> None:
    dbg = hw.debug(team_graph(), checkpointer=checkpointer, thread_id=thread_id)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        print(json.dumps(answer(dbg, json.loads(line))), flush=True)
    dbg.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
