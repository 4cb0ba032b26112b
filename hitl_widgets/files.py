"""Writing files whole or not at all: what a command writes (a generated test and its fixture,
an export) goes to temporary files in the target folders, then renamed into place, so a failure
leaves nothing half-written and puts back any older file it was replacing."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from hitl_widgets.errors import DebuggerError


def write_all(*files: tuple[Path, str]) -> None:
    """Write every file or none: each to a temporary file in its folder, then renamed. A new
    file gets the mode any new file gets here (the umask's); a replaced one keeps its own."""
    temporaries: list[tuple[str, Path]] = []
    try:
        for target, text in files:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temporaries.append((temporary, target))
            os.fchmod(handle, _mode_for(target))  # mkstemp makes it readable by its owner only
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
        _replace_all(temporaries)
    except OSError as exc:
        raise DebuggerError(
            f"cannot write {files[0][0].parent}: {exc.strerror or exc}; nothing was written"
        ) from None
    finally:
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)


def _replace_all(temporaries: list[tuple[str, Path]]) -> None:
    """Rename each temporary file onto its target; if one rename fails, undo those done, older
    files put back where they were."""
    done: list[tuple[Path, Path | None]] = []  # (target, where its older file waits, if any)
    try:
        for temporary, target in temporaries:
            aside = None
            if target.exists():
                handle, kept = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")
                os.close(handle)
                aside = Path(kept)
                try:
                    os.replace(target, aside)
                except OSError:
                    aside.unlink()
                    raise
            done.append((target, aside))
            os.replace(temporary, target)
    except OSError:
        for target, aside in reversed(done):
            if aside is not None:
                os.replace(aside, target)
            else:
                target.unlink(missing_ok=True)
        raise
    for _, aside in done:
        if aside is not None:
            aside.unlink(missing_ok=True)


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
