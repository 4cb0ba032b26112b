"""A notebook that shows a Debugger, executed by nbclient and saved, as GitHub or nbviewer get
it: for the saved-notebook tests (tests/test_static_view.py and the browser test).

Its second cell pauses at an interrupt whose payload is hostile HTML, then displays `dbg`; its
third cell displays a `GraphView`. nbclient runs it in a real kernel (this virtualenv's
`python3`) started in `tests/`, so `import graphs` works.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

TESTS_DIR = Path(__file__).resolve().parent
HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
CELLS = (
    "import graphs\nimport hitl_widgets as hw",
    f'dbg = hw.debug(graphs.text_to_revise(), checkpointer="memory")\ndbg.start({{"some_text": {HOSTILE!r}}})\ndbg',
    "hw.GraphView(dbg)",
)


def executed_notebook(cells: Sequence[str] = CELLS) -> nbformat.NotebookNode:
    """The notebook of `cells`, run top to bottom in a fresh kernel, with its outputs."""
    notebook = new_notebook(
        cells=[new_code_cell(source) for source in cells],
        metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
    )
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(TESTS_DIR)}}).execute()
    return notebook
