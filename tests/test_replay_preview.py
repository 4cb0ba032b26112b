"""Before a replay: what it runs again and which interrupts ask again, read from what ran after
the checkpoint the first time; reading it runs and changes nothing."""

from __future__ import annotations

import pytest
from graphs import MakeDebugger

import hitl_widgets as hw


def ids(dbg: hw.Debugger) -> list[str]:
    return [c.id for c in dbg.history()]


def test_the_preview_names_the_nodes_that_ran_after_the_checkpoint(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "x", "trail": []})
    after_step_1 = next(c.id for c in dbg.history() if c.step == 1)
    before = ids(dbg)
    preview = dbg.replay_preview(after_step_1)
    assert (preview.runs_again, preview.asks_again, preview.more) == (("step_2", "step_3"), (), False)
    assert preview.summary() == f"Replaying from {after_step_1[-8:]} runs again: step_2, step_3"
    assert ids(dbg) == before  # nothing ran


def test_the_preview_says_which_interrupts_ask_again(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("approve_reject")
    dbg.start({"llm_output": "", "decision": ""})
    asked_at = dbg.head.id
    dbg.resume("approve")
    first = dbg.history()[-1].id  # the input checkpoint
    preview = dbg.replay_preview(first)
    assert preview.runs_again == ("__start__", "generate_llm_output", "human_approval", "approved_path")
    assert preview.asks_again == ("human_approval",)
    assert "Interrupts ask again in: human_approval" in preview.summary()
    assert "code before interrupt() runs again" in preview.summary()
    # at the checkpoint where it asked: the node asks again, its run is all there is to run again
    at_question = dbg.replay_preview(asked_at)
    assert at_question.asks_again == ("human_approval",)
    assert at_question.runs_again[0] == "human_approval"
    # and the replay does what the preview said
    pause = dbg.replay(first)
    assert pause.reason == "interrupt" and pause.interrupts[0].node == "human_approval"


def test_a_preview_of_an_unknown_checkpoint_is_refused(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.start({"input": "x", "trail": []})
    with pytest.raises(hw.DebuggerError, match="no checkpoint 'zzzzzz'"):
        dbg.replay_preview("zzzzzz")


def test_a_branch_tip_previews_what_it_runs_next(make_debugger: MakeDebugger) -> None:
    dbg = make_debugger("pipeline")
    dbg.break_before("step_2")
    dbg.start({"input": "x", "trail": []})
    assert dbg.replay_preview(dbg.head.id).runs_again == ("step_2",)
