"""Export a thread to one file — JSON (`document.py`'s schema) or a self-contained HTML page
that shows it read-only in any browser (`page.py`) — and read an export back (`loaded.py`).

`Debugger.export_json` / `export_html`, `%hitl export PATH [--json]` and the widget's Export
button all come here. Files are written whole or not at all (`files.write_all`).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hitl_widgets.errors import DebuggerError
from hitl_widgets.export import document, page
from hitl_widgets.export.write import export_path
from hitl_widgets.files import write_all

if TYPE_CHECKING:
    from hitl_widgets.debugger_reads import ThreadReads

__all__ = ["Exported", "default_name", "export"]


@dataclass(frozen=True)
class Exported:
    """An export written: where, how big, and what its size budget cut."""

    path: Path
    size: int
    checkpoints: int
    cut_values: int
    omitted: int

    def summary(self) -> str:
        cut = f"; {self.cut_values} value(s) cut to the size budget" if self.cut_values else ""
        omitted = f"; {self.omitted} older checkpoint(s) without values" if self.omitted else ""
        return f"Exported {self.checkpoints} checkpoint(s) to {self.path} ({_size(self.size)}){cut}{omitted}"


def export(
    debugger: ThreadReads,
    path: str | os.PathLike[str] | None,
    *,
    html: bool,
    value_bytes: int = document.VALUE_BYTES,
    total_bytes: int = document.TOTAL_BYTES,
) -> Exported:
    """Write `debugger`'s thread to `path` (`.html` or `.json`, as `html` says; None:
    `default_name` in the current folder)."""
    if path is None:
        path = default_name(debugger.thread_id, html=html)
    target = export_path(path, (".html", ".htm") if html else (".json",))
    for name, value in (("value_bytes", value_bytes), ("total_bytes", total_bytes)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 100:
            raise DebuggerError(f"{name} must be a whole number of bytes of at least 100, not {value!r}")
    doc = document.build(debugger, value_bytes=value_bytes, total_bytes=total_bytes)
    text = page.page(doc) if html else json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    write_all((target, text))
    return Exported(
        target, target.stat().st_size, len(doc["checkpoints"]), doc["cut"]["values"], doc["cut"]["omitted"]
    )


def default_name(thread_id: str, *, html: bool = True) -> str:
    """`<thread_id>.html` (or `.json`), the id's characters unfit for a file name made `_`."""
    return re.sub(r"[^\w.-]", "_", thread_id).lstrip(".") + (".html" if html else ".json")


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.1f} kB"
