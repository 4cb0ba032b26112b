"""`files.write_all`: every file or none, an older file put back when a later rename fails, and
the modes a user expects (a new file readable as any new file here, a replaced one keeping its)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import hitl_widgets as hw
from hitl_widgets.files import write_all


def test_new_files_get_the_umasks_mode_and_replaced_ones_keep_theirs(tmp_path: Path) -> None:
    old = tmp_path / "kept.py"
    old.write_text("old")
    old.chmod(0o640)
    umask = os.umask(0o022)
    try:
        write_all((tmp_path / "new.py", "new"), (old, "replaced"))
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.py").stat().st_mode) == 0o644
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    assert old.read_text() == "replaced"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.py", "new.py"]


def test_a_rename_that_fails_puts_the_older_files_back(tmp_path: Path) -> None:
    first = tmp_path / "test_x.py"
    first.write_text("the user's own test")
    second = tmp_path / "test_x.fixture.json"
    second.mkdir()  # a folder where the second file should go: its rename fails
    (second / "inside").write_text("keep me")
    with pytest.raises(hw.DebuggerError, match="nothing was written"):
        write_all((first, "generated"), (second, "{}"))
    assert first.read_text() == "the user's own test"
    assert (second / "inside").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test_x.fixture.json", "test_x.py"]
