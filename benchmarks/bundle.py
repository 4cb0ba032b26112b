"""7: the size of the widget's JS and CSS as shipped (minified by esbuild at install time)."""

from __future__ import annotations

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "hitl_widgets" / "static"


def measure() -> dict[str, float]:
    files = [STATIC / "widget.js", STATIC / "widget.css"]
    raw = sum(f.stat().st_size for f in files)
    zipped = sum(len(gzip.compress(f.read_bytes())) for f in files)
    return {"bundle_kb": raw / 1024, "bundle_gzip_kb": zipped / 1024}
