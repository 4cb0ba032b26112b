"""Writing an export file whole or not at all: the path is checked first (its suffix, its
folder), the text goes to a temporary file in the same folder, and `os.replace` puts it in
place, so a failure leaves no half-written file and never clobbers an older export."""

from __future__ import annotations

import os
import tempfile
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


def write_text(target: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `target` through a temporary file beside it and `os.replace`."""
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise DebuggerError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise DebuggerError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
