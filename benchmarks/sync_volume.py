"""4: bytes the widget sends to the browser, measured at the widget's own send (what crosses
the websocket, as JSON).

- per step, after 1,000 steps of a state that grows 1 KiB a step: everything a displayed
  debugger is sent for one more step (pushes, plus the detail of the new head it asks for);
- on first display of a 10,000-checkpoint thread: the skeleton the tree asks for, before any
  values are asked for.

The browser stand-in is the one the widget tests use (tests/widgets_client.py): it captures
what the widget sends and makes requests the way the front end does.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import hitl_widgets as hw
from benchmarks import history
from benchmarks.graphs import growing
from hitl_widgets.widgets import DebuggerWidget

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from widgets_client import WidgetClient

STEPS = 1_000
MEASURED_STEPS = 10
ITEM_BYTES = 1024


def per_step_bytes(db: Path) -> dict[str, float]:
    dbg = hw.debug(growing(STEPS + 100, item_bytes=ITEM_BYTES), checkpointer=f"sqlite:{db}")
    dbg.break_before("work")
    client = WidgetClient(DebuggerWidget(dbg))
    dbg.start({"steps": 0, "log": []})
    client.result("history")
    client.result("head_state")
    for _ in range(STEPS):
        dbg.step()
    mark = len(client.messages)
    for _ in range(MEASURED_STEPS):
        dbg.step()
        client.result("checkpoint", checkpoint_id=dbg.head.id, values=False)
    state_kb = len(dbg.state["log"]) * ITEM_BYTES / 1024
    return {
        "sync_state_kb_after_steps": state_kb,
        "sync_bytes_per_step": client.bytes_since(mark) / MEASURED_STEPS,
    }


def first_display_bytes(db: Path) -> dict[str, float]:
    history.build(db)
    dbg = hw.debug(growing(0), checkpointer=f"sqlite:{db}", thread_id=history.THREAD)
    client = WidgetClient(DebuggerWidget(dbg))
    mark = len(client.messages)
    reply = client.result("history")
    return {
        "sync_first_display_checkpoints": len(reply["rows"]),
        "sync_first_display_kb": client.bytes_since(mark) / 1024,
    }


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        return {
            **per_step_bytes(Path(tmp) / "steps.sqlite"),
            **first_display_bytes(Path(tmp) / "long.sqlite"),
        }
