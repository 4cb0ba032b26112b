"""What-if runs (`Debugger.try_node`): one node run on a checkpoint's state, checked first and
its failure said in the Debugger's words; the backend runs it writing nothing (`local_try`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hitl_widgets.backends.base import Backend
from hitl_widgets.checks import check_values
from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.model import Topology, TryResult
from hitl_widgets.runs import Runner


def try_node(
    backend: Backend,
    topology: Topology,
    node: str,
    checkpoint_id: str | None,
    values: Mapping[str, Any] | None,
    runs: Runner,
) -> TryResult:
    check_runnable(topology, node, "try_node()")
    if values is not None:
        check_values(backend, values)
    if checkpoint_id is None:
        raise DebuggerError("the thread has no checkpoint yet: start a run with an input first")
    try:
        update, asked = backend.try_node(node, checkpoint_id, values, runs.config, runs.context)
    except DebuggerError:
        raise
    except Exception as exc:
        raise DebuggerError(f"{node} raised {type(exc).__name__}: {exc} (nothing was written)") from None
    return TryResult(node=node, checkpoint_id=checkpoint_id, update=update, interrupts=asked)


def runnable_nodes(topology: Topology) -> list[str]:
    """The nodes a what-if or a test can run: every node of the root graph but `__start__`."""
    return [n for n in topology.node_names if n != "__start__"]


def check_runnable(topology: Topology, node: str, caller: str) -> None:
    """Refuse a node name the graph cannot run, naming the ones it can."""
    runnable = runnable_nodes(topology)
    if node not in runnable:
        raise DebuggerError(f"{caller} needs a node of the graph: {choices(runnable)}, not {node!r}")
