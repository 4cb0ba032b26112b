"""`%hitl` / `%%hitl` in a real IPython shell (IPython.testing.globalipapp), on the seed graphs
with real SQLite files: every verb, every refusal (one line, no traceback, nothing changed),
tab completion, and load/unload."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from IPython.core.completer import provisionalcompleter
from IPython.testing.globalipapp import get_ipython
from langgraph_server import LangGraphServer

import hitl_widgets as hw
from hitl_widgets.magics import HitlMagics
from hitl_widgets.magics_args import VERBS

_ip = get_ipython()
assert _ip is not None
ip: Any = _ip


@pytest.fixture(autouse=True)
def loaded(tmp_path: Path) -> Iterator[HitlMagics]:
    """The extension loaded, with no active debugger and a namespace that knows `graphs`."""
    ip.run_line_magic("load_ext", "hitl_widgets")
    ip.run_cell("import graphs\nimport hitl_widgets as hw")
    ip.user_ns["db"] = str(tmp_path / "threads.sqlite")
    magics: HitlMagics = ip.magics_manager.registry["HitlMagics"]
    magics.active = None
    yield magics
    for name in ("dbg", "other", "builder", "graph", "second"):
        ip.user_ns.pop(name, None)


def run(source: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """Run a cell as a user would; (stdout, stderr)."""
    capsys.readouterr()
    ip.run_cell(source)
    captured = capsys.readouterr()
    return captured.out, captured.err


def hitl(line: str, capsys: pytest.CaptureFixture[str]) -> str:
    """`%hitl line`, which must succeed; its printed text."""
    out, err = run(f"%hitl {line}", capsys)
    assert err == "", err
    return out


def refused(line: str, capsys: pytest.CaptureFixture[str]) -> str:
    """`%hitl line`, which must be refused with one line and no traceback; that line."""
    out, err = run(f"%hitl {line}", capsys)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("UsageError: ")
    assert "Traceback" not in err
    return lines[0].removeprefix("UsageError: ")


def debug_cell(graph: str, capsys: pytest.CaptureFixture[str], options: str = "") -> hw.Debugger:
    out, err = run(f"%%hitl --checkpointer sqlite:{{db}} {options}\nbuilder = graphs.{graph}()\n", capsys)
    assert err == "", err
    assert "dbg: debugging 'builder'" in out
    dbg = ip.user_ns["dbg"]
    assert isinstance(dbg, hw.Debugger)
    return dbg


def snapshot(dbg: hw.Debugger) -> tuple[list[str], str | None, dict[str, list[str]]]:
    """What a refused command must leave as it was: the checkpoints, the head, the breakpoints."""
    ids = [cp.id for cp in dbg.history()]
    return ids, (dbg.head.id if ids else None), dbg.breakpoints


# ---------------------------------------------------------------- load / unload


def test_load_registers_and_unload_removes_the_magics_and_completion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    magics = ip.magics_manager.registry["HitlMagics"]
    assert "hitl" in ip.magics_manager.magics["line"]
    assert "hitl" in ip.magics_manager.magics["cell"]
    assert magics.matcher in ip.Completer.custom_matchers

    ip.run_line_magic("unload_ext", "hitl_widgets")
    assert "hitl" not in ip.magics_manager.magics["line"]
    assert "hitl" not in ip.magics_manager.magics["cell"]
    assert magics.matcher not in ip.Completer.custom_matchers
    _, err = run("%hitl --help", capsys)
    assert "not found" in err

    ip.run_line_magic("load_ext", "hitl_widgets")
    assert "start EXPR" in hitl("--help", capsys)


def test_help_lists_every_verb(capsys: pytest.CaptureFixture[str]) -> None:
    text = hitl("--help", capsys)
    usage_lines = [
        line.split()[0] for line in text.splitlines() if line.startswith(("  ", "%")) and line.strip()
    ]
    assert set(VERBS) | {"%%hitl"} <= set(usage_lines)
    assert hitl("help", capsys) == hitl("", capsys) == text


# ---------------------------------------------------------------- %%hitl


def test_cell_binds_a_debugger_on_the_graph_it_defined(
    capsys: pytest.CaptureFixture[str], loaded: HitlMagics
) -> None:
    dbg = debug_cell("text_to_revise", capsys)
    assert loaded.active is dbg
    assert dbg.topology.node_names == ("human_node",)


def test_cell_takes_the_compiled_graph_over_its_builder_and_the_outer_graph_over_its_subgraph(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, err = run(
        "%%hitl --checkpointer memory\n"
        "builder = graphs.subgraph_interrupt()\n"
        "inner = builder.nodes['team'].runnable\n"
        "graph = builder.compile()\n",
        capsys,
    )
    assert err == ""
    assert out.startswith("dbg: debugging 'graph' on thread ")
    assert ip.user_ns["dbg"].topology.node_names == ("plan", "team", "write")


def test_cell_with_two_graphs_needs_a_name_and_name_and_as_pick_and_bind(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cell = "builder = graphs.pipeline()\nsecond = graphs.text_to_revise()\n"
    _, err = run(f"%%hitl --checkpointer memory\n{cell}", capsys)
    assert err.strip() == (
        "UsageError: the cell defined 2 graphs: 'builder', 'second'; pick one with %%hitl NAME"
    )
    assert "dbg" not in ip.user_ns

    out, err = run(f"%%hitl second --checkpointer memory --as other\n{cell}", capsys)
    assert err == ""
    assert out.startswith("other: debugging 'second'")
    assert ip.user_ns["other"].topology.node_names == ("human_node",)
    assert "dbg" not in ip.user_ns


def test_cell_name_may_pick_a_graph_defined_earlier(capsys: pytest.CaptureFixture[str]) -> None:
    ip.run_cell("graph = graphs.pipeline()")
    out, err = run("%%hitl graph --checkpointer memory\nx = 1\n", capsys)
    assert err == ""
    assert out.startswith("dbg: debugging 'graph'")


@pytest.mark.parametrize(
    ("line", "cell", "message"),
    [
        (
            "--checkpointer memory",
            "x = 1",
            "the cell defined no graph (a StateGraph builder or a compiled graph)",
        ),
        ("nothing --checkpointer memory", "x = 1", "'nothing' is not defined; graph variables:"),
        ("x --checkpointer memory", "x = 1", "'x' is a int, not a graph; graph variables:"),
        ("--checkpointer bogus", "builder = graphs.pipeline()", "checkpointer='bogus' is not one of"),
        (
            "--break-before step_9",
            "builder = graphs.pipeline()",
            "unknown node 'step_9'; nodes are: 'step_1'",
        ),
        ("--as 1x", "builder = graphs.pipeline()", "--as takes a Python variable name, not '1x'"),
        ("--frobnicate", "builder = graphs.pipeline()", "%%hitl: unrecognized arguments: --frobnicate"),
    ],
)
def test_cell_refusals_are_one_line_and_bind_nothing(
    capsys: pytest.CaptureFixture[str], loaded: HitlMagics, line: str, cell: str, message: str
) -> None:
    _, err = run(f"%%hitl {line}\n{cell}\n", capsys)
    assert len(err.splitlines()) == 1, err
    assert err.startswith("UsageError: ") and message in err
    assert "dbg" not in ip.user_ns and loaded.active is None


def test_cell_that_raises_shows_the_users_error_and_binds_nothing(
    capsys: pytest.CaptureFixture[str], loaded: HitlMagics
) -> None:
    out, err = run("%%hitl\nbuilder = graphs.pipeline()\n1 / 0\n", capsys)
    assert "ZeroDivisionError" in out + err
    assert "hitl_widgets" not in out + err  # only the user's frames
    assert "UsageError: the cell raised an error (above), so no graph was bound" in err
    assert "dbg" not in ip.user_ns and loaded.active is None


def test_cell_breakpoints_and_thread_and_sqlite_survive_a_new_debugger(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dbg = debug_cell("pipeline", capsys, "--thread t1 --break-before step_2,step_3 --break-after step_1")
    assert dbg.thread_id == "t1"
    assert dbg.breakpoints == {"before": ["step_2", "step_3"], "after": ["step_1"]}
    hitl("start {'input': 'x'}", capsys)
    ids = [cp.id for cp in dbg.history()]

    again = debug_cell("pipeline", capsys, "--thread t1")
    assert again is not dbg
    assert [cp.id for cp in again.history()] == ids  # the same SQLite file and thread


# ---------------------------------------------------------------- verbs


def test_start_interrupts_resume_state_history(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("text_to_revise", capsys)
    out = hitl("start {'some_text': 'original text'}", capsys)
    (pending,) = dbg.interrupts
    assert out.splitlines() == [
        f"Paused: interrupt at checkpoint {dbg.head.short_id} (step 0); next: human_node; 1 pending interrupt(s)",
        f'  interrupt {pending.id} in human_node: {{"text_to_revise": "original text"}}',
    ]
    assert hitl("interrupts", capsys).strip() == out.splitlines()[1].strip()

    out = hitl("resume 'Edited text'", capsys)
    assert out.splitlines() == [
        f"Paused: done at checkpoint {dbg.head.short_id} (step 1)",
        '  some_text: "Edited text"',
    ]
    assert hitl("state", capsys).splitlines() == [
        f"State at checkpoint {dbg.head.short_id} (step 1, loop by human_node); next: nothing (end of run)",
        '  some_text: "Edited text"',
    ]
    assert hitl("interrupts", capsys).strip() == "No pending interrupts."

    table = hitl("history", capsys).splitlines()
    assert table[0].split() == ["id", "step", "source", "wrote", "next", "parent", "time"]
    assert [row.split()[0] for row in table[1:]] == ["*", *(cp.short_id for cp in dbg.history()[1:])]
    assert len(hitl("history --limit 2", capsys).splitlines()) == 3


def test_step_and_step_n_and_continue_through_breakpoints(capsys: pytest.CaptureFixture[str]) -> None:
    debug_cell("pipeline", capsys, "--break-after step_1")
    assert hitl("start {'input': 'x'}", capsys).startswith("Paused: breakpoint at checkpoint")

    out = hitl("step", capsys).splitlines()
    assert out[0].startswith("Paused: step at checkpoint") and out[0].endswith("next: step_3")

    out = hitl("step 5", capsys).splitlines()  # one step to run step_3, then the run is done
    assert out[0].startswith("Paused: done at checkpoint")
    assert out[-1] == '  trail: ["step_1", "step_2", "step_3"]'

    hitl("start {'input': 'y'}", capsys)
    assert hitl("break clear", capsys).strip() == "Breakpoints: none"
    out = hitl("step 2", capsys).splitlines()
    assert out[0].startswith("Paused: step at checkpoint") and out[0].endswith("next: step_3")
    assert out[1].startswith("Paused: done at checkpoint")

    hitl("break before step_3", capsys)
    assert hitl("start {'input': 'z'}", capsys).splitlines()[0].endswith("next: step_3")
    assert hitl("continue", capsys).startswith("Paused: done")


def test_break_before_after_clear_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("pipeline", capsys)
    assert hitl("break", capsys).strip() == "Breakpoints: none"
    assert hitl("break before step_2 step_3", capsys).strip() == "Breakpoints: before step_2, step_3"
    assert hitl("break after step_1,step_3", capsys).strip() == (
        "Breakpoints: before step_2, step_3; after step_1, step_3"
    )
    assert hitl("break clear step_2", capsys).strip() == "Breakpoints: before step_3; after step_1, step_3"
    assert hitl("start {'input': 'x'}", capsys).startswith("Paused: breakpoint")
    assert dbg.head.writes == ("step_1",)
    out = hitl("continue", capsys)
    assert out.startswith("Paused: breakpoint") and out.splitlines()[0].endswith("next: step_3")
    assert dbg.head.writes == ("step_2",)
    out = hitl("continue", capsys)
    assert dbg.head.writes == ("step_3",)
    assert hitl("break clear", capsys).strip() == "Breakpoints: none"


def test_a_breakpoint_with_a_condition_written_over_state_in_the_notebooks_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dbg = debug_cell("pipeline", capsys)
    ip.user_ns["enough"] = 2
    listed = hitl("break before step_2 step_3 --when len(state['trail']) >= enough", capsys).strip()
    assert listed == (
        "Breakpoints: before step_2 (when len(state['trail']) >= enough), step_3 (when len(state['trail']) >= enough)"
    )
    out = hitl("start {'input': 'x'}", capsys)
    assert out.startswith("Paused: breakpoint") and out.splitlines()[0].endswith("next: step_3")
    assert dbg.state["trail"] == ["step_1", "step_2"]
    before = snapshot(dbg)
    assert "--when takes a Python expression" in refused("break before step_3 --when", capsys)
    assert "--when takes a Python expression" in refused("break clear step_3 --when True", capsys)
    assert "not a Python expression" in refused("break before step_3 --when state[", capsys)
    assert snapshot(dbg) == before
    assert dbg.breakpoint_conditions["before"]["step_3"] == "len(state['trail']) >= enough"
    ip.user_ns.pop("enough")


def test_watch_a_state_key_list_and_clear(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("pipeline", capsys)
    assert hitl("watch", capsys).strip() == "Watching: nothing"
    assert hitl("watch trail --when len(state['trail']) == 2", capsys).strip() == (
        "Watching: trail (when len(state['trail']) == 2)"
    )
    out = hitl("start {'input': 'x'}", capsys)
    assert out.splitlines()[0].endswith("next: step_3; watch trail: changed in the step of step_2")
    assert out.splitlines()[1:3] == ["  trail: 1 -> 2 items", '    + ["step_2"]']
    before = snapshot(dbg)
    assert "unknown state key 'nope'" in refused("watch nope", capsys)
    assert "--when takes a Python expression" in refused("watch trail --when", capsys)
    assert "not watched: 'input'" in refused("watch clear input", capsys)
    assert snapshot(dbg) == before and dbg.watches == {"trail": "len(state['trail']) == 2"}
    assert hitl("watch clear", capsys).strip() == "Watching: nothing"
    assert hitl("continue", capsys).startswith("Paused: done")


def test_try_a_node_on_a_past_state(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    first = next(c for c in dbg.history() if c.step == 1)
    before = snapshot(dbg)
    out = hitl(f"try step_3 {first.short_id} --values {{'input': 'y'}}", capsys)
    assert out.splitlines() == [
        f"Tried step_3 on checkpoint {first.short_id}: it would write (nothing written)",
        '  trail: ["step_3"]',
    ]
    assert "needs a node of the graph" in refused("try nope", capsys)
    assert "takes a node" in refused("try", capsys)
    assert snapshot(dbg) == before


def test_a_checkpoint_becomes_a_test(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    cp = next(c for c in dbg.history() if c.next == ("step_2",))
    written = tmp_path / "test_step2.py"
    out = hitl(f"test {cp.short_id} {written}", capsys)
    assert out.splitlines() == [
        f"Wrote {written} and its fixture test_step2.fixture.json",
        f"Run it with: pytest {written}",
        "The graph is in no module a test can import (made in this notebook or by a function): "
        "set GRAPH in the file (it says how); until then the test fails and says so",
    ]
    assert "def test_step_2() -> None:" in written.read_text()
    hitl(f"test {cp.short_id} {tmp_path / 'test_later.py'} --node step_3", capsys)
    assert "def test_step_3() -> None:" in (tmp_path / "test_later.py").read_text()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert "no checkpoint 'zzzzzz'" in refused(f"test zzzzzz {tmp_path / 'test_x.py'}", capsys)
    assert "needs a node of the graph" in refused(
        f"test {cp.short_id} {tmp_path / 'test_x.py'} --node nope", capsys
    )
    assert "must be a .py file" in refused(f"test {cp.short_id} {tmp_path / 'x.txt'}", capsys)
    assert "takes a checkpoint id and the path" in refused(f"test {cp.short_id}", capsys)
    assert "--node takes the name" in refused(f"test {cp.short_id} {tmp_path / 'test_x.py'} --node", capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_diff_any_two_checkpoints(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    first, last = (next(c for c in dbg.history() if c.step == step) for step in (1, 3))
    out = hitl(f"diff {first.short_id} {last.short_id}", capsys)
    assert out.splitlines() == ['~ trail[1:]: [] -> ["step_2", "step_3"]']
    assert hitl(f"diff {last.short_id} {last.short_id}", capsys).strip() == "No changes."
    assert "no checkpoint 'zzzzzz'" in refused(f"diff {first.short_id} zzzzzz", capsys)
    assert "takes two checkpoint ids" in refused(f"diff {first.short_id}", capsys)


def test_export_the_thread_to_html_or_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    count = len(dbg.history())
    html = tmp_path / "my thread.html"
    out = hitl(f'export "{html}"', capsys)
    assert out.strip() == f"Exported {count} checkpoint(s) to {html} ({html.stat().st_size / 1000:.1f} kB)"
    assert hw.load_export(html).thread_id == dbg.thread_id
    monkeypatch.chdir(tmp_path)
    out = hitl("export --json", capsys)  # no path: <thread id>.json in the current folder
    assert out.startswith(f"Exported {count} checkpoint(s) to {dbg.thread_id}.json (")
    assert [cp.id for cp in hw.load_export(tmp_path / f"{dbg.thread_id}.json").history()] == [
        cp.id for cp in dbg.history()
    ]
    assert "must end in .json" in refused(f"export {tmp_path / 'x.html'} --json", capsys)
    assert "export takes one optional path" in refused("export a.html b.html", capsys)
    assert not (tmp_path / "x.html").exists()


def test_edit_as_node_gives_human_input(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("human_input_graph", capsys, "--break-before human_input")
    hitl("start {'user_input': '', 'trail': []}", capsys)
    out = hitl("edit {'user_input': 'go ahead'} --as-node human_input", capsys)
    assert out.strip() == f"Edited: the head is {hw.text.checkpoint_text(dbg.head)}"
    assert "update by human_input); next: step_3" in out
    out = hitl("continue", capsys)
    assert '"step_3 got go ahead"' in out


def test_fork_replay_checkout(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    first = next(cp for cp in dbg.history() if cp.next == ("step_2",))

    out = hitl(f"fork {first.short_id} {{'input': 'forked'}}", capsys)
    assert out.startswith(f"Forked {first.short_id}: the head is checkpoint {dbg.head.short_id}")
    assert dbg.head.parent_id == first.id and dbg.state["input"] == "forked"
    assert hitl("continue", capsys).splitlines()[1] == '  input: "forked"'

    out = hitl(f"fork {first.short_id} --as-node step_2", capsys)  # as if step_2 ran and wrote nothing
    assert "update by step_2); next: step_3" in out
    out = hitl(f"fork {first.short_id}", capsys)  # an unchanged copy
    assert out.startswith(f"Forked {first.short_id}: the head is checkpoint")

    out = hitl(f"replay {first.id[:-2]}", capsys)  # a unique prefix works too
    preview, report = out.split("\n", 1)  # what runs again is said before it runs
    assert preview == f"Replaying from {first.short_id} runs again: step_2, step_3"
    assert report.startswith("Paused: done") and '  input: "x"' in report
    assert dbg.head.parent_id != first.id and dbg.state["trail"] == ["step_1", "step_2", "step_3"]

    out = hitl(f"checkout {first.short_id}", capsys)
    assert out.strip() == f"Checked out: the head is {hw.text.checkpoint_text(first)}"
    assert dbg.head.id == first.id


def test_every_printed_short_id_can_be_typed_back(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    hitl("start {'input': 'y'}", capsys)
    rows = hitl("history", capsys).splitlines()[1:]
    printed = [row.split()[1] if row.startswith("*") else row.split()[0] for row in rows]
    assert len(printed) == len(dbg.history()) == 10
    for short in printed:
        hitl(f"checkout {short}", capsys)
        assert dbg.head.short_id == short


def test_words_expand_names_and_expressions_but_expressions_stay_python(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    ip.user_ns["cp"] = dbg.history()[2]
    ip.user_ns["node"] = "step_3"
    hitl("checkout {cp.id}", capsys)
    assert dbg.head.id == ip.user_ns["cp"].id
    assert hitl("break before $node", capsys).strip() == "Breakpoints: before step_3"
    out = hitl("fork {cp.id} {k: v for k, v in {'input': 'from a comprehension'}.items()}", capsys)
    assert out.startswith("Forked") and dbg.state["input"] == "from a comprehension"


def test_resume_several_interrupts_by_id(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("parallel_interrupts", capsys)
    out = hitl("start {'text_1': 'original text 1', 'text_2': 'original text 2'}", capsys)
    assert "2 pending interrupt(s)" in out
    assert sorted(line.split(" in ")[1].split(":")[0] for line in out.splitlines()[1:]) == [
        "human_node_1",
        "human_node_2",
    ]
    out = hitl(
        "resume {i.id: f\"edited text for {i.value['text_to_revise']}\" for i in dbg.interrupts}", capsys
    )
    assert out.splitlines()[1:] == [
        '  text_1: "edited text for original text 1"',
        '  text_2: "edited text for original text 2"',
    ]
    assert dbg.interrupts == []


def test_use_makes_another_debugger_active(capsys: pytest.CaptureFixture[str], loaded: HitlMagics) -> None:
    debug_cell("pipeline", capsys)
    ip.run_cell("other = hw.debug(graphs.text_to_revise(), checkpointer='memory', thread_id='t-other')")
    assert hitl("use other", capsys).strip() == "Active debugger: other (thread 't-other')"
    assert loaded.active is ip.user_ns["other"]
    assert hitl("start {'some_text': 'hi'}", capsys).startswith("Paused: interrupt")


def test_connect_to_a_server_then_debug_there(
    capsys: pytest.CaptureFixture[str], loaded: HitlMagics, langgraph_server: LangGraphServer
) -> None:
    ip.user_ns["url"] = langgraph_server.url
    out = hitl("connect {url} --assistant text_to_revise", capsys)
    dbg = ip.user_ns["dbg"]
    assert isinstance(dbg, hw.Debugger) and loaded.active is dbg
    assert out.splitlines()[0] == (
        f"dbg: debugging assistant 'text_to_revise' at {langgraph_server.url} on thread {dbg.thread_id!r}"
    )
    assert "1 pending interrupt(s)" in hitl("start {'some_text': 'original text'}", capsys)
    assert hitl("resume 'Edited text'", capsys).splitlines()[1] == '  some_text: "Edited text"'

    hitl(f"connect {{url}} --assistant text_to_revise --thread {dbg.thread_id} --as other", capsys)
    assert ip.user_ns["other"].state == {"some_text": "Edited text"}  # the same thread, attached again
    assert loaded.active is ip.user_ns["other"]


def test_connect_to_an_unreachable_server_is_one_line(
    capsys: pytest.CaptureFixture[str], loaded: HitlMagics
) -> None:
    message = refused("connect http://127.0.0.1:9 --assistant agent", capsys)
    assert message.startswith("cannot reach the LangGraph server at http://127.0.0.1:9")
    assert loaded.active is None and "dbg" not in ip.user_ns
    assert refused("connect http://127.0.0.1:9", capsys) == (
        "%hitl connect: the following arguments are required: --assistant"
    )


# ---------------------------------------------------------------- refusals: one line, nothing changed


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("frobnicate", "unknown verb 'frobnicate'; verbs are: start, step, continue, resume, edit, fork,"),
        ("resume 'x'", "nothing to resume: no interrupt is pending at the head"),
        ("start", "start needs a Python expression"),
        ("start {'input': ", "could not evaluate \"{'input':\": SyntaxError: '{' was never closed"),
        (
            "start undefined_name",
            "could not evaluate 'undefined_name': NameError: name 'undefined_name' is not defined",
        ),
        ("start {'nope': 1}", "unknown input key 'nope'"),
        ("step 0", "step takes one optional positive whole number of steps, not '0'"),
        ("step two", "step takes one optional positive whole number of steps, not 'two'"),
        ("continue now", "continue takes no arguments (got 'now')"),
        ("history --limit x", "history takes an optional --limit N"),
        (
            "break sideways step_1",
            "break takes one of: before, after, clear (or nothing, to list), not 'sideways'",
        ),
        ("break before step_9", "unknown node 'step_9'; nodes are: 'step_1', 'step_2', 'step_3'"),
        ("break before", "needs at least one node: 'step_1', 'step_2', 'step_3'"),
        ("break clear step_1 step_9", "unknown node 'step_9'"),
        ("edit [1, 2]", "values must be a mapping"),
        ("edit {'nope': 1}", "unknown state key 'nope'"),
        ("edit {'input': 'y'} --as-node nowhere", "as_node='nowhere' is not a node; use one of: 'step_1'"),
        ("edit {'input': 'y'} --as-node", "--as-node needs a node name"),
        ("fork", "fork needs a checkpoint id"),
        ("fork 12345", "checkpoint id '12345' is too short: give at least 6 characters; recent:"),
        ("fork zzzzzzzz", "no checkpoint 'zzzzzzzz' in thread"),
        ("replay zzzzzzzz", "no checkpoint 'zzzzzzzz' in thread"),
        ("checkout", "checkout takes one checkpoint id"),
        ("checkout {undefined_name}", "could not expand '{undefined_name}': NameError"),
        ("use nothing_here", "'nothing_here' does not hold a Debugger; variables that do: 'dbg'"),
        ("use 2x", "use takes a Python variable name, not '2x'"),
    ],
)
def test_refusals_print_one_line_and_change_nothing(
    capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    dbg = debug_cell("pipeline", capsys, "--break-before step_2")
    hitl("start {'input': 'x', 'trail': []}", capsys)
    before = snapshot(dbg)
    assert message in refused(line, capsys)
    assert snapshot(dbg) == before


def test_refusals_with_pending_interrupts_change_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("parallel_interrupts", capsys)
    hitl("start {'text_1': 'a', 'text_2': 'b'}", capsys)
    before = snapshot(dbg)
    assert "2 interrupts are pending; answer them by id" in refused("resume 'both'", capsys)
    assert "resume map names no pending interrupt for '0123456789abcdef0123456789abcdef'" in refused(
        "resume {'0123456789abcdef0123456789abcdef': 'x'}", capsys
    )
    assert "step() refused: 2 interrupt(s) pending at the head" in refused("step", capsys)
    assert "cont() refused: 2 interrupt(s) pending" in refused("continue", capsys)
    assert snapshot(dbg) == before


def test_a_finished_run_refuses_to_continue(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    before = snapshot(dbg)
    assert "is the end of its run" in refused("continue", capsys)
    assert snapshot(dbg) == before


def test_without_an_active_debugger_every_verb_says_how_to_get_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for line in ("start 1", "step", "continue", "history", "state", "interrupts", "break"):
        assert refused(line, capsys) == (
            "no active debugger: run a %%hitl cell, %hitl connect URL --assistant ID, or %hitl use VAR"
        )


def test_a_node_that_raises_is_a_pause_not_a_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("failing_node", capsys)
    out = hitl("start {'value': -1, 'trail': []}", capsys)
    assert out.splitlines()[0].startswith("Paused: error at checkpoint")
    assert out.splitlines()[-1] == "  error: ValueError: value must not be negative, got -1"
    hitl("edit {'value': 1}", capsys)
    assert '"trail": ["prepared", "checked", "finished"]'.replace('"trail": ', "trail: ") in hitl(
        "continue", capsys
    )
    assert dbg.state["trail"] == ["prepared", "checked", "finished"]


def test_an_unexpected_error_is_one_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    dbg = debug_cell("pipeline", capsys)

    class Broken(Mapping[str, Any]):
        """A mapping that fails when the Debugger checks its keys."""

        def __iter__(self) -> Iterator[str]:
            raise RuntimeError("broken\nover two lines")

        def __len__(self) -> int:
            return 1

        def __getitem__(self, key: str) -> Any:
            raise KeyError(key)

    ip.user_ns["broken"] = Broken()
    assert refused("start broken", capsys) == "RuntimeError: broken over two lines"
    assert dbg.history() == []


# ---------------------------------------------------------------- completion


def complete(line: str) -> list[str]:
    """What the shell's Completer offers with the cursor at the end of `line`."""
    with provisionalcompleter():
        return [c.text for c in ip.Completer.completions(line, len(line))]


def test_completion_of_verbs_nodes_checkpoints_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert complete("%hitl st") == ["start", "step", "state", "stream"]
    assert complete("%hitl c") == ["continue", "checkout", "config", "context", "connect"]
    dbg = debug_cell("pipeline", capsys)
    hitl("start {'input': 'x'}", capsys)
    assert complete("%hitl break ") == ["before", "after", "clear"]
    assert complete("%hitl break before ") == ["step_1", "step_2", "step_3"]
    assert complete("%hitl break clear step_1 step_") == ["step_1", "step_2", "step_3"]
    shorts = [cp.short_id for cp in dbg.history()]
    assert complete("%hitl checkout ") == shorts
    assert complete(f"%hitl fork {shorts[3][:3]}") == [s for s in shorts if s.startswith(shorts[3][:3])]
    assert complete("%hitl replay ") == shorts
    assert complete(f"%hitl diff {shorts[0]} ") == shorts
    assert complete("%hitl test ") == shorts
    assert complete(f"%hitl test {shorts[0]} test_x.py --") == ["--node"]
    assert complete(f"%hitl test {shorts[0]} test_x.py --node ") == ["step_1", "step_2", "step_3"]
    assert complete("%hitl watch ") == ["clear", "input", "trail"]
    assert complete("%hitl watch clear t") == ["trail"]
    assert complete(f"%hitl fork {shorts[0]} --") == ["--as-node"]
    assert complete("%hitl edit {'input': 'y'} --as-node ") == [
        "step_1",
        "step_2",
        "step_3",
        "__input__",
        "__copy__",
    ]
    assert complete("%hitl history ") == ["--limit"]
    assert complete("%hitl connect http://x --") == ["--assistant", "--thread", "--as"]
    assert complete("%hitl use ") == ["dbg"]
    assert complete("%%hitl --") == ["--thread", "--checkpointer", "--break-before", "--break-after", "--as"]
    assert complete("%%hitl --checkpointer ") == ["memory", "sqlite:"]


def test_completion_leaves_python_expressions_to_ipython(capsys: pytest.CaptureFixture[str]) -> None:
    debug_cell("pipeline", capsys)
    ip.user_ns["my_input_value"] = {"input": "x"}
    for verb in ("start", "resume", "edit"):
        assert complete(f"%hitl {verb} my_input_v") == complete("%timeit my_input_v")
    assert "%hitl" in complete("%hi")


def test_cell_does_not_display_its_last_value(capsys: pytest.CaptureFixture[str]) -> None:
    out, err = run("%%hitl --checkpointer memory\nprint('built')\ngraphs.pipeline()  # last value\n", capsys)
    assert "UsageError: the cell defined no graph" in err
    out, err = run(
        "%%hitl --checkpointer memory\nprint('built')\nbuilder = graphs.pipeline()\nbuilder\n", capsys
    )
    assert err == ""
    assert out.splitlines()[0] == "built"
    assert "StateGraph object" not in out and "StateGraph at" not in out


def test_tool_review_agent_shows_messages_one_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    debug_cell("tool_review_agent", capsys)
    out = hitl("start {'messages': [{'role': 'user', 'content': 'find a hotel in Paris'}]}", capsys)
    assert '"action_request": {"action": "search_hotel", "args": {"city": "Paris"}}' in out
    out = hitl("resume [{'type': 'edit', 'args': {'args': {'city': 'Lyon'}}}]", capsys)
    assert out.splitlines()[0] == "agent: The Grand Hotel is free."  # the model's tokens, live
    assert out.splitlines()[2:] == [
        "  messages: 4 messages",
        "    human: find a hotel in Paris",
        '    ai: -> search_hotel(city="Paris")',
        "    tool (search_hotel): Found the Grand Hotel in Lyon.",
        "    ai: The Grand Hotel is free.",
    ]


# ---------------------------------------------------------------- live output, config, context


def test_run_verbs_print_tokens_and_custom_events_as_they_stream(capsys: pytest.CaptureFixture[str]) -> None:
    run("import live_graphs", capsys)
    out, err = run("%%hitl --checkpointer memory\nbuilder = live_graphs.chatty()", capsys)
    assert err == ""
    assert "Live streaming: on" in hitl("stream", capsys)
    hitl("context {'user': 'ann'}", capsys)
    out = hitl("start {'messages': [('user', 'owls?')], 'notes': []}", capsys)
    lines = out.splitlines()
    assert 'think (custom): {"phase": "thinking", "for": "ann"}' in lines
    assert f"think: {live_graphs_answer()}" in lines
    assert lines[-2].startswith("Paused: interrupt")
    out = hitl("resume 'yes'", capsys)
    assert "team > summarise: Owls hunt at night." in out.splitlines()
    assert "Live streaming: off" in hitl("stream off", capsys)
    out = hitl("start {'messages': [('user', 'again')], 'notes': []}", capsys)
    assert out.splitlines()[0].startswith("Paused: interrupt")  # nothing printed before the report


def test_config_and_context_verbs_show_set_and_refuse(capsys: pytest.CaptureFixture[str]) -> None:
    run("import live_graphs", capsys)
    run("%%hitl --checkpointer memory\nbuilder = live_graphs.chatty()", capsys)
    assert hitl("config", capsys) == "Run config: {}\n"
    assert hitl("config {'configurable': {'tone': 'warm'}}", capsys) == (
        'Run config: {"configurable": {"tone": "warm"}}\n'
    )
    assert hitl("context {'user': 'ann'}", capsys) == 'Run context: {"user": "ann"}\n'
    message = refused("config {'configurable': {'thread_id': 'other'}}", capsys)
    assert "thread_id" in message and "hw.debug(graph, thread_id=...)" in message
    assert ip.user_ns["dbg"].config == {"configurable": {"tone": "warm"}}
    assert "stream takes one of: on, off" in refused("stream maybe", capsys)
    hitl("stream off", capsys)
    hitl("start {'messages': [('user', 'owls?')], 'notes': []}", capsys)
    assert ip.user_ns["dbg"].state["notes"] == ["think:ann:warm"]


def live_graphs_answer() -> str:
    import live_graphs

    return live_graphs.ANSWER
