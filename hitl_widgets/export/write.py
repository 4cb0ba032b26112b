"""Where an export may be written: a path checked before anything is read or written (its
suffix, its folder). The file itself is written whole or not at all by `files.write_all`."""

from __future__ import annotations

import os
from pathlib import Path

from hitl_widgets.errors import DebuggerError


def export_path(path: str | os.PathLike[str], suffixes: tuple[str, ...]) -> Path:
    """`path` as a Path, refused with `DebuggerError` unless it ends in one of `suffixes` and
    its folder exists."""
    if not isinstance(path, (str, os.PathLike)) or not str(path):
        raise DebuggerError(f"an export path is a file name ending in {' or '.join(suffixes)}, not {path!r}")
    target = Path(path).expanduser()
    if target.suffix.lower() not in suffixes:
        raise DebuggerError(
            f"cannot export to {str(target)!r}: the file name must end in {' or '.join(suffixes)}"
        )
    if not target.parent.is_dir():
        raise DebuggerError(
            f"cannot export to {str(target)!r}: the folder {str(target.parent)!r} does not exist"
        )
    if target.is_dir():
        raise DebuggerError(f"cannot export to {str(target)!r}: it is a folder")
    return target
