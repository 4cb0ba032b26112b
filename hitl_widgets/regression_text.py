"""The text of a regression test written by `Debugger.to_test`: short, readable, and with one
marked place per node where the user writes the update the node should write.

Recorded values appear only in comments (each line commented, so no payload can end a comment
and become code); the test reads them from the fixture.
"""

from __future__ import annotations

import json
import keyword
import pprint
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hitl_widgets.backends.fixture import NodeRecord

FIXTURE_SUFFIX = ".fixture.json"  # beside the test: test_x.py, test_x.fixture.json
SHOWN_LINES = 24  # of a recorded update, in the comment above the place to edit

COMPARED = """\
What is compared: the update the node returns, as plain data (`comparable`): tuples as lists,
pydantic models, dataclasses and namedtuples as their class name and fields, and LangChain
messages by type and fields without their `id` (every run makes new ids)."""

GRAPH_IMPORTED = """\
# The graph, by its import path "package.module:name" (run pytest where it is importable).
GRAPH = {spec}"""

GRAPH_TO_SET = """\
# EDIT: the graph was defined in a notebook (or made by a function and kept in no module), so
# this file cannot import it, and every test here fails until GRAPH is set. Move the graph into
# a module and set GRAPH to its import path "package.module:name" (the compiled graph, its
# StateGraph builder, or a function that returns either), e.g. GRAPH = "my_agent.graph:graph",
# or import it: `from my_agent.graph import graph as GRAPH`.
GRAPH = None"""
SET_GRAPH = "\nGRAPH = None\n"  # in a test that cannot import its graph


@dataclass(frozen=True)
class Origin:
    """Where the test comes from, said in its docstring."""

    checkpoint_id: str
    step: int
    thread_id: str
    fixture_name: str
    test_name: str


def test_source(origin: Origin, spec: str | None, records: Mapping[str, NodeRecord]) -> str:
    """The pytest file: one test per node, each comparing what the node writes today with the
    update recorded in the fixture (or the one the user writes in its place)."""
    nodes = ", ".join(records)
    doc = f"""\
Regression test of {nodes}, written by hitl_widgets from checkpoint
{origin.checkpoint_id} (step {origin.step}) of thread
{origin.thread_id!r}.

{origin.fixture_name}, beside this file, holds that checkpoint as LangGraph saved it (in its
own serializer format) and what each node wrote on it when this file was written. Each test
runs its node once on that state, in memory (nothing is saved), and compares what it writes.

{COMPARED}

Run it with:  pytest {origin.test_name}"""
    graph = GRAPH_IMPORTED.format(spec=_literal(spec)) if spec is not None else GRAPH_TO_SET
    tests = "\n\n".join(_test(name, node, record) for name, (node, record) in _named(records).items())
    return f'''"""{_docstring_safe(doc)}
"""

from pathlib import Path

from hitl_widgets.testing import comparable, load_checkpoint, run_node

FIXTURE = load_checkpoint(Path(__file__).with_name({_literal(origin.fixture_name)}))

{graph}


{tests}
'''


def _test(name: str, node: str, record: NodeRecord) -> str:
    name_ = _literal(node)
    lines = [
        f"def {name}() -> None:",
        f"    ran = run_node(GRAPH, FIXTURE, {name_})",
        "    # ---- EXPECTED " + "-" * 64,
        f"    # What {_comment_safe(node)} wrote when this test was written (read from the fixture):",
        *_commented(record.update),
        f"    # To pin what it should write instead, replace FIXTURE.update({name_}) with that.",
        f"    expected = FIXTURE.update({name_})",
        "    # " + "-" * 78,
        "    assert comparable(ran.update) == comparable(expected)",
    ]
    if record.interrupts:
        lines += [
            "    # It raised an interrupt; these are the values it asked with:",
            *_commented(list(record.interrupts)),
            f"    asked = FIXTURE.interrupts({name_})",
            "    assert comparable(list(ran.interrupts)) == comparable(list(asked))",
        ]
    return "\n".join(lines)


def _commented(value: Any) -> list[str]:
    shown = pprint.pformat(value, width=84, compact=True, sort_dicts=False).splitlines()
    if len(shown) > SHOWN_LINES:
        shown = [*shown[:SHOWN_LINES], f"... ({len(shown) - SHOWN_LINES} more lines)"]
    return [f"    #   {_comment_safe(line)}" for line in shown]


def _literal(text: str) -> str:
    """A Python string literal for `text`, in double quotes (JSON's escapes are Python's)."""
    return json.dumps(text)


def _comment_safe(text: str) -> str:
    """One line that stays inside a comment."""
    return " ".join(text.splitlines())


def _docstring_safe(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _named(records: Mapping[str, NodeRecord]) -> dict[str, tuple[str, NodeRecord]]:
    """Each node's test function name: `test_` and the node name made an identifier, unique."""
    named: dict[str, tuple[str, NodeRecord]] = {}
    for node, record in records.items():
        base = "test_" + (re.sub(r"\W+", "_", node, flags=re.ASCII).strip("_") or "node")
        name = base if not keyword.iskeyword(base) else base + "_"
        suffix = 2
        while name in named:
            name, suffix = f"{base}_{suffix}", suffix + 1
        named[name] = (node, record)
    return named


def written_text(test_path: Path) -> str:
    """What `%hitl test` prints: the files written and how to run the test (and, for a graph
    the test cannot import, that GRAPH must be set first)."""
    shown = test_path
    if test_path.is_relative_to(Path.cwd()):
        shown = test_path.relative_to(Path.cwd())
    lines = [
        f"Wrote {shown} and its fixture {test_path.stem}{FIXTURE_SUFFIX}",
        f"Run it with: pytest {shown}",
    ]
    if SET_GRAPH in test_path.read_text(encoding="utf-8"):
        lines.append(
            "The graph is in no module a test can import (made in this notebook or by a function): "
            "set GRAPH in the file (it says how); until then the test fails and says so"
        )
    return "\n".join(lines)
