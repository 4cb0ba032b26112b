"""Writing files whole or not at all: what a command writes (a generated test and its fixture,
an export) goes to temporary files in the target folders, then renamed into place, so a failure
leaves nothing half-written and never clobbers an older file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hitl_widgets.errors import DebuggerError


def write_all(*files: tuple[Path, str]) -> None:
    """Write every file or none: each to a temporary file in its folder, then renamed."""
    temporaries: list[tuple[str, Path]] = []
    try:
        for target, text in files:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temporaries.append((temporary, target))
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
        replaced: list[Path] = []
        try:
            for temporary, target in temporaries:
                os.replace(temporary, target)
                replaced.append(target)
        except OSError:
            for target in replaced:
                target.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise DebuggerError(
            f"cannot write {files[0][0].parent}: {exc.strerror or exc}; nothing was written"
        ) from None
    finally:
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)
