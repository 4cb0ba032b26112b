"""hitl_widgets: debug LangGraph graphs in Jupyter — step, break, answer interrupts, time-travel.

Start with `dbg = hw.debug(graph)` (a compiled graph or a `StateGraph` builder), then
`dbg.start(input)`; in a notebook `dbg` displays the debugger. `%load_ext hitl_widgets` adds
the `%hitl` and `%%hitl` magics.
"""

from hitl_widgets.debugger import Debugger, DebuggerEvent
from hitl_widgets.errors import DebuggerError
from hitl_widgets.export.loaded import ExportedThread, load_export
from hitl_widgets.factory import debug
from hitl_widgets.magics import load_ipython_extension as load_ipython_extension  # %load_ext hitl_widgets
from hitl_widgets.magics import unload_ipython_extension as unload_ipython_extension
from hitl_widgets.model import Checkpoint, Inside, Pause, PendingInterrupt, SubgraphCheckpoint, Topology
from hitl_widgets.widgets import CheckpointTree, GraphView, InterruptPanel, StateInspector

__all__ = [
    "Checkpoint",
    "CheckpointTree",
    "Debugger",
    "DebuggerError",
    "DebuggerEvent",
    "ExportedThread",
    "GraphView",
    "Inside",
    "InterruptPanel",
    "Pause",
    "PendingInterrupt",
    "StateInspector",
    "SubgraphCheckpoint",
    "Topology",
    "debug",
    "load_export",
]
