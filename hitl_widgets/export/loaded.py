"""An export read back into a notebook: `hw.load_export(path)`.

What it can do: list the exported thread's checkpoints (`history()`, `checkpoint(id)`: the
same `Checkpoint` records the Debugger hands out, whose `values` are the exported JSON views,
cut where the export cut them), each one's changes from its parent, the interrupts pending and
the task errors there; and display itself as the same read-only debugger the HTML export shows
(the export page in a sandboxed frame). What it cannot: run, resume, edit or fork anything —
the graph is not there — nor show what the export's size budget left out.
"""

from __future__ import annotations

import html
import json
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from hitl_widgets.errors import DebuggerError, choices
from hitl_widgets.export.document import FORMAT, VERSION
from hitl_widgets.export.page import page
from hitl_widgets.history import MIN_ID_CHARS
from hitl_widgets.model import Checkpoint, short_id

_EMBEDDED = re.compile(r'<script type="application/json" id="hw-export-data">(.*?)</script>', re.S)
# The frame's height in a notebook's output (it scrolls inside).
_FRAME_HEIGHT = 900


class ExportedThread:
    """A read-only thread from an export file (see the module's docstring for what it can do)."""

    def __init__(self, document: dict[str, Any], path: Path) -> None:
        self.document = document
        self.path = path
        self._entries: dict[str, dict[str, Any]] = {entry["id"]: entry for entry in document["checkpoints"]}
        for entry in self._entries.values():
            _checkpoint(entry)  # every entry has what a checkpoint needs: a damaged file fails here, once

    @property
    def thread_id(self) -> str:
        return str(self.document["thread"]["id"])

    @property
    def head(self) -> Checkpoint | None:
        head = self.document["head"]
        return self.checkpoint(head) if head else None

    def history(self, *, limit: int | None = None) -> list[Checkpoint]:
        """Every exported checkpoint, all branches, newest first (the newest `limit` if given)."""
        entries = self.document["checkpoints"]
        return [_checkpoint(entry) for entry in entries[:limit]]

    def checkpoint(self, checkpoint_id: str) -> Checkpoint:
        """One checkpoint, by whole id or a unique prefix or suffix of at least 6 characters."""
        return _checkpoint(self._entry(checkpoint_id))

    def changes(self, checkpoint_id: str) -> list[dict[str, Any]]:
        """The checkpoint's changes from its parent: `[{key, op, before?, after?, offset?}]`."""
        return list(self._entry(checkpoint_id)["changes"] or [])

    def interrupts_at(self, checkpoint_id: str) -> list[dict[str, Any]]:
        """The interrupts pending at the checkpoint: `[{id, node, ns, value, response_schema}]`."""
        return list(self._entry(checkpoint_id)["interrupts"])

    def answered_at(self, checkpoint_id: str) -> list[dict[str, Any]]:
        """The interrupts asked at the checkpoint and answered since: `[{id, node, ns, value,
        answer?}]` (`answer` where the thread kept it)."""
        return list(self._entry(checkpoint_id)["answered"])

    def errors_at(self, checkpoint_id: str) -> dict[str, Any]:
        """The errors of the tasks that ran from the checkpoint, by node (text, or cut text)."""
        return dict(self._entry(checkpoint_id)["errors"])

    def _entry(self, checkpoint_id: str) -> dict[str, Any]:
        if not isinstance(checkpoint_id, str):
            raise DebuggerError(f"a checkpoint id is a string, not {type(checkpoint_id).__name__}")
        if checkpoint_id in self._entries:
            return self._entries[checkpoint_id]
        matches = [
            i
            for i in self._entries
            if len(checkpoint_id) >= MIN_ID_CHARS
            and (i.startswith(checkpoint_id) or i.endswith(checkpoint_id))
        ]
        if len(matches) == 1:
            return self._entries[matches[0]]
        known = choices((short_id(i) for i in self._entries), limit=8)
        if matches:
            raise DebuggerError(
                f"checkpoint id {checkpoint_id!r} is ambiguous: it matches {choices(matches, limit=6)}"
            )
        raise DebuggerError(
            f"no checkpoint {checkpoint_id!r} in this export (give at least {MIN_ID_CHARS} characters); ids: {known}"
        )

    def _repr_html_(self) -> str:
        frame = html.escape(page(self.document), quote=True)
        return (
            f'<iframe sandbox="allow-scripts" srcdoc="{frame}" title="Exported thread {html.escape(self.thread_id)}" '
            f'style="width:100%;height:{_FRAME_HEIGHT}px;border:0"></iframe>'
        )

    def __repr__(self) -> str:
        head = self.document["head"]
        return (
            f"<ExportedThread thread={self.thread_id!r} checkpoints={len(self._entries)} "
            f"head={short_id(head) if head else 'none'} from {str(self.path)!r}>"
        )


def load_export(path: str | os.PathLike[str]) -> ExportedThread:
    """Read an export (`.json` from `export_json`, or `.html` from `export_html`)."""
    target = Path(path).expanduser()
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DebuggerError(f"cannot read the export {str(target)!r}: {exc}") from None
    if target.suffix.lower() in (".html", ".htm"):
        found = _EMBEDDED.search(text)
        if found is None:
            raise DebuggerError(f"{str(target)!r} is not a hitl_widgets HTML export (no export data in it)")
        text = found.group(1)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DebuggerError(f"{str(target)!r} is not a hitl_widgets export: not JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DebuggerError(f"{str(target)!r} is not a hitl_widgets export (its format is not {FORMAT!r})")
    if document.get("version") != VERSION:
        raise DebuggerError(
            f"{str(target)!r} is export version {document.get('version')!r}; this hitl_widgets reads version {VERSION}"
        )
    try:
        return ExportedThread(document, target)
    except (KeyError, TypeError) as exc:
        raise DebuggerError(
            f"{str(target)!r} is a damaged hitl_widgets export: {type(exc).__name__} {exc}"
        ) from None


def _checkpoint(entry: dict[str, Any]) -> Checkpoint:
    created = entry["created_at"]
    values = entry["values"]
    return Checkpoint(
        id=entry["id"],
        parent_id=entry["parent_id"],
        step=entry["step"],
        source=entry["source"],
        next=tuple(entry["next"]),
        created_at=datetime.fromisoformat(created) if created else None,
        writes=tuple(entry["writes"]),
        _load_values=lambda: values,
    )
