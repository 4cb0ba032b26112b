"""Test notebooks as .ipynb files, with the kernelspec JupyterLab needs to start a kernel itself.

Without `metadata.kernelspec` JupyterLab opens a "Select Kernel" dialog. `python3` is the
virtualenv's ipykernel: the server replaces the spec's `python` with its own interpreter, so the
kernel imports `hitl_widgets` (the smoke test checks `sys.executable`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def write_notebook(path: Path, cells: Sequence[str]) -> None:
    """Write a notebook whose code cells hold `cells`, in order, without outputs."""
    notebook = new_notebook(
        cells=[new_code_cell(source) for source in cells],
        metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
