"""What a `Debugger` does beside the thread, writing nothing to it: a node tried on a
checkpoint's state (`try_node`), a checkpoint turned into a regression test (`to_test`), the
thread exported to a file (`export_html`, `export_json`). Each waits for a run in flight, which
shares the graph's subgraphs (and the breakpoints it put inside them)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hitl_widgets import regression, whatif
from hitl_widgets.debugger_reads import ThreadReads
from hitl_widgets.errors import DebuggerError
from hitl_widgets.model import TryResult
from hitl_widgets.runs import Runner

if TYPE_CHECKING:
    from hitl_widgets.export import Exported


class SideWork(ThreadReads):
    """The side half of the `Debugger`: runs and files that leave the thread as it is."""

    _runs: Runner

    def try_node(
        self, node: str, checkpoint_id: str | None = None, values: Mapping[str, Any] | None = None
    ) -> TryResult:
        """Run `node` once on the state of a checkpoint (the head's if none is named), with
        `values` applied first, and say what it would write, writing nothing to the thread: a
        what-if for a prompt or a tool, on the exact state that went wrong. The node runs in a
        copy of that checkpoint held in memory, with the run config and context; its side
        effects outside the graph (an API it calls) do happen."""
        self._check_no_run("try_node")
        target = self._history.resolve(checkpoint_id) if checkpoint_id is not None else self._head.current()
        return whatif.try_node(self._backend, self._topology, node, target, values, self._runs)

    def to_test(
        self,
        checkpoint_id: str,
        path: str | os.PathLike[str],
        node: str | None = None,
        *,
        graph_import: str | None = None,
    ) -> Path:
        """Write a pytest file at `path` (and `<name>.fixture.json` beside it) that runs the
        node(s) that ran next from a checkpoint (or `node`) on that checkpoint's state and
        checks that it writes the update it writes today, with a marked place to write the
        expected one instead. The graph is imported by its module path (found, or
        `graph_import="package.module:name"`); for a notebook's graph the file says how to
        point it at the graph. Only for a graph in this kernel. Returns the test's path."""
        self._check_no_run("to_test")
        backend = regression.local_backend(self._backend)
        checkpoint = self.checkpoint(checkpoint_id)
        return regression.write_test(
            backend, self._topology, checkpoint, path, node, graph_import, self._runs
        )

    def export_html(self, path: str | os.PathLike[str], **budget: int) -> Path:
        """Write the whole thread to one self-contained HTML page that shows it read-only in
        any browser, offline, with no kernel: graph, every branch, each checkpoint's state and
        changes, interrupts, errors. Values beyond the size budget (`value_bytes`, default 20 kB
        each; `total_bytes`, default 10 MB) are cut and marked. Returns the file's path."""
        return self.export(path, html=True, **budget).path

    def export_json(self, path: str | os.PathLike[str], **budget: int) -> Path:
        """The thread as one JSON file (schema: `hitl_widgets/export/document.py`), bounded as
        `export_html`; `hw.load_export(path)` reads it back. Returns the file's path."""
        return self.export(path, html=False, **budget).path

    def export(self, path: str | os.PathLike[str] | None, *, html: bool, **budget: int) -> Exported:
        """`export_html` or `export_json`, answering with the file's size and what was cut;
        `path` None: `<thread id>.html` (or `.json`) in the current folder."""
        from hitl_widgets.export import export  # the layer above the engine, loaded when used

        return export(self, path, html=html, **budget)

    def _check_no_run(self, what: str) -> None:
        """A node run on the side waits for the run in flight: they would share the subgraphs,
        and with them the breakpoints that run put inside them."""
        if (running := self.running) is not None:
            raise DebuggerError(f"{what}() waits for the run in flight ({running}) to pause; try again then")
