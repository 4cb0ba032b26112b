"""`%hitl` with subgraphs, in a real IPython shell on a real SQLite file: breakpoints named by
path (completed with Tab), `step --into`, and what `state` prints while a run stands inside a
subgraph. The graph (`graphs.nested_teams`): a → mid(m1 → inner(x → y) → m2) → b."""

from __future__ import annotations

import pytest
from test_magics import complete, debug_cell, hitl, loaded, refused

__all__ = ["loaded"]  # the shell with the extension loaded, for every test here


def test_breakpoints_by_path_stop_inside_and_state_shows_the_subgraphs_own(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dbg = debug_cell("nested_teams", capsys)
    listed = hitl("break before mid/inner/y --when 'x' in state['trail']", capsys)
    assert "mid/inner/y" in listed and "'x' in state['trail']" in listed
    hitl("break after mid/m1", capsys)
    assert dbg.breakpoints == {"before": ["mid/inner/y"], "after": ["mid/m1"]}
    assert "mid/inner/nowhere" in refused("break before mid/inner/nowhere", capsys)
    assert dbg.breakpoints == {"before": ["mid/inner/y"], "after": ["mid/m1"]}

    assert "inside mid, next: mid/inner" in hitl("start {'trail': [], 'count': 0}", capsys)
    stopped = hitl("continue", capsys)
    assert "inside mid/inner, next: mid/inner/y" in stopped
    state = hitl("state", capsys)
    lines = state.splitlines()
    assert lines[0].startswith("Stopped inside mid/inner, next: mid/inner/y (subgraph checkpoint ")
    assert lines[1] == "State of subgraph mid/inner (what %hitl edit changes now):"
    mine, root = state.split("Root state at ")
    assert 'trail: ["a", "m1", "x"]' in mine  # the subgraph's trail
    assert 'trail: ["a"]' in root  # the root's: mid has not returned yet

    # while inside, an edit is written as one of the subgraph's nodes; a fork stays the root's
    assert complete("%hitl edit {'count': 40} --as-node ") == ["x", "y", "__input__", "__copy__"]
    assert complete("%hitl fork abcdef --as-node ") == ["a", "mid", "b", "__input__", "__copy__"]
    edited = hitl("edit {'count': 40} --as-node x", capsys)
    assert edited.startswith("Edited the state of subgraph mid/inner (its new checkpoint ")
    assert edited.rstrip().endswith("the root's stays): inside mid/inner, next: mid/inner/y")
    assert "count: 40" in hitl("state", capsys).split("Root state at ")[0]
    done = hitl("continue", capsys)
    assert "done" in done
    assert dbg.state["count"] == 43  # y, m2 and b counted on from the edit inside
    assert "Stopped inside" not in hitl("state", capsys)


def test_step_into_enters_a_subgraph_and_step_runs_it_whole(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("nested_teams", capsys, "--break-before a")
    hitl("start {'trail': [], 'count': 0}", capsys)
    assert "next: mid" in hitl("step", capsys)
    assert "inside mid, next: mid/m1" in hitl("step --into", capsys)
    walked = hitl("step 2 --into", capsys)
    assert "inside mid/inner, next: mid/inner/x" in walked
    assert "inside mid/inner, next: mid/inner/x" in hitl("state", capsys).splitlines()[0]
    assert "next: b" in hitl("step 3", capsys)  # x, y, then m2: inner and mid hand back
    assert dbg.state["trail"] == ["a", "m1", "x", "y", "m2"]
    assert "--into" in refused("step --into twice", capsys)


def test_completion_offers_subgraph_paths_and_into(capsys: pytest.CaptureFixture[str]) -> None:
    debug_cell("nested_teams", capsys)
    assert complete("%hitl break before ") == [
        "a",
        "mid",
        "b",
        "mid/m1",
        "mid/m2",
        "mid/inner",
        "mid/inner/x",
        "mid/inner/y",
    ]
    assert complete("%hitl break after mid/inner/") == ["mid/inner/x", "mid/inner/y"]
    assert complete("%hitl step --") == ["--into"]
    assert complete("%hitl edit {'count': 1} --as-node ") == ["a", "mid", "b", "__input__", "__copy__"]


def test_inside_lists_what_the_subgraphs_saved_from_a_root_checkpoint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dbg = debug_cell("nested_teams", capsys)
    hitl("start {'trail': [], 'count': 0}", capsys)
    before_mid = next(cp for cp in dbg.history() if cp.next == ("mid",))
    listed = hitl(f"inside {before_mid.short_id}", capsys).splitlines()
    assert listed[0].split() == ["subgraph", "id", "step", "next", "state"]
    rows = [line.split()[:4] for line in listed[1:]]
    assert [row[0] for row in rows] == ["mid"] * 3 + ["mid/inner"] * 4 + ["mid"] * 2
    assert listed[6].startswith("  mid/inner") and rows[5][2:] == ["1", "y"]  # inner before y, indented
    assert listed[6].endswith('{"trail": ["a", "m1", "x"], "count": 3}')
    assert "No subgraph ran" in hitl(f"inside {dbg.head.short_id}", capsys)
    assert "no checkpoint 'zzzzzz'" in refused("inside zzzzzz", capsys)
    assert complete(f"%hitl inside {before_mid.short_id[:7]}") == [before_mid.short_id]
