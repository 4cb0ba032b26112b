"""Where the front end comes from: the esbuild bundle in `hitl_widgets/static/`.

The bundle is a build output (`npm run build`, run by the package build). A source checkout
without it must still import, so the widgets then load a tiny module that says what to do.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
ESM_PATH = STATIC / "widget.js"
CSS_PATH = STATIC / "widget.css"

_MISSING = (
    "export default { render({ el }) { el.textContent = "
    "'hitl_widgets: the widget bundle is missing (hitl_widgets/static/widget.js). "
    "Run `npm run build` in the source folder, or reinstall the package.'; } };"
)

ESM: Path | str = ESM_PATH if ESM_PATH.is_file() else _MISSING
CSS: Path | str = CSS_PATH if CSS_PATH.is_file() else ""
