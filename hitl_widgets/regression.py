"""`Debugger.to_test`: a checkpoint becomes a regression test.

It writes a pytest file and a fixture beside it: the checkpoint as the saver kept it, and what
the node(s) that ran next from it (or the node named) write on it today, recorded by running
them on the fixture as the test will (`backends.fixture.run_node`, the engine of `try_node`),
so the test passes as written and fails when a node's behaviour changes. Everything is checked
and recorded before anything is written; then both files are written, or neither.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hitl_widgets.backends import fixture as fixtures
from hitl_widgets.backends.base import Backend
from hitl_widgets.backends.fixture import Fixture, NodeRecord
from hitl_widgets.backends.graph_import import find_import_path, load_graph
from hitl_widgets.backends.push_tasks import TASKS_CHANNEL
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.files import write_all
from hitl_widgets.model import Checkpoint, Topology
from hitl_widgets.regression_text import FIXTURE_SUFFIX, Origin, test_source
from hitl_widgets.runs import Runner
from hitl_widgets.whatif import check_runnable, runnable_nodes

if TYPE_CHECKING:
    from hitl_widgets.backends.local import LocalBackend


def local_backend(backend: Backend) -> LocalBackend:
    """The backend, if its graph is in this kernel; a server's is refused with the reason."""
    from hitl_widgets.backends.local import LocalBackend

    if not isinstance(backend, LocalBackend):
        raise DebuggerError(
            "to_test() needs the graph in this kernel: a test imports the graph and runs its "
            "nodes itself, and this graph runs on a LangGraph server; debug it here with "
            "hw.debug(graph) to write its test"
        )
    return backend


def write_test(
    backend: LocalBackend,
    topology: Topology,
    checkpoint: Checkpoint,
    path: str | os.PathLike[str],
    node: str | None,
    graph_import: str | None,
    runs: Runner,
) -> Path:
    """Write the test of the node(s) that ran next from `checkpoint` (or `node`) at `path`
    and its fixture beside it; returns the test's path."""
    test_path = _test_path(path)
    fixture_path = test_path.with_name(test_path.stem + FIXTURE_SUFFIX)
    nodes = _nodes(topology, checkpoint, node)
    spec = graph_import if graph_import is not None else find_import_path(backend.graph)
    graph = load_graph(spec) if spec is not None else backend.graph
    missing = [name for name in nodes if name not in graph.nodes]
    if missing:
        raise DebuggerError(
            f"the graph {spec!r} has no node {choices(missing)}; its nodes: {choices(graph.nodes)}"
        )
    saved, metadata = backend.saved(checkpoint.id)
    _refuse_sends(saved, nodes, checkpoint)
    fixture = Fixture(
        saved, metadata, backend.thread_id, checkpoint.id, fixtures.run_config(runs.config), runs.context
    )
    # the state as the test will rebuild it, so that what is recorded is what the test sees
    rebuilt = fixtures.loads(fixtures.dumps(fixture), "the fixture")
    records = {name: _record(graph, rebuilt, name) for name in nodes}
    origin = Origin(checkpoint.id, checkpoint.step, backend.thread_id, fixture_path.name, test_path.name)
    write_all(
        (fixture_path, fixtures.dumps(replace(fixture, nodes=records))),
        (test_path, test_source(origin, spec, records)),
    )
    return test_path


def _test_path(path: str | os.PathLike[str]) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise DebuggerError(f"to_test() needs a path to a .py file, not {type(path).__name__}")
    target = Path(path).expanduser().absolute()
    if target.suffix != ".py":
        raise DebuggerError(f"the test must be a .py file (pytest collects those), not {str(path)!r}")
    if not target.stem.isidentifier():
        raise DebuggerError(
            f"{target.name!r} is not a module name pytest can import: use letters, digits and _"
        )
    if target.is_dir():
        raise DebuggerError(f"{str(path)!r} is a directory: give the path of the test file to write")
    if not target.parent.is_dir():
        raise DebuggerError(f"no folder {str(target.parent)!r} to write {target.name!r} in: create it first")
    if target.with_name(target.stem + FIXTURE_SUFFIX).is_dir():
        raise DebuggerError(f"{target.stem + FIXTURE_SUFFIX!r}, where the fixture goes, is a directory")
    return target


def _nodes(topology: Topology, checkpoint: Checkpoint, node: str | None) -> list[str]:
    if node is not None:
        check_runnable(topology, node, "to_test()")
        return [node]
    if not checkpoint.next:
        raise DebuggerError(
            f"nothing ran after checkpoint {checkpoint.short_id} (it is the end of a run): name the "
            f"node to test with node=, one of {choices(runnable_nodes(topology))}"
        )
    return list(dict.fromkeys(checkpoint.next))  # a node with several `Send` tasks, once


def _refuse_sends(saved: Mapping[str, Any], nodes: list[str], checkpoint: Checkpoint) -> None:
    """A node due as `Send` tasks runs on each Send's own input, which the what-if engine does
    not give it: refused rather than pinned on the wrong input."""
    sent = {getattr(send, "node", None) for send in saved["channel_values"].get(TASKS_CHANNEL) or ()}
    pushed = [name for name in nodes if name in sent]
    if pushed:
        raise DebuggerError(
            f"at checkpoint {checkpoint.short_id}, {choices(pushed)} runs as Send tasks, each on its "
            "own input, which a test cannot give it yet: test a node that runs on the state"
        )


def _record(graph: Any, fixture: Fixture, node: str) -> NodeRecord:
    try:
        update, asked = fixtures.run_node(graph, fixture, node, fixture.config, fixture.context)
    except DebuggerError:
        raise
    except Exception as exc:
        raise DebuggerError(
            f"{node} raised {type(exc).__name__}: {exc} on checkpoint {fixture.checkpoint_id}: there "
            "is no update to pin (fix the node, or try it with dbg.try_node); nothing was written"
        ) from None
    return NodeRecord(update, asked)
