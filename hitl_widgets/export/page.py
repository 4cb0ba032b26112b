"""The export as one self-contained HTML page: the widget's own bundle and styles, and the
export document, inlined; no server, no kernel, no network.

The bundle is an ES module, so it is carried as a JSON string and imported from a `blob:` URL
made in the page; its `showExport` builds a read-only stand-in for the widget model from the
document (`js/client/exportModel.ts`) and renders the full debugger on it. Both the bundle and
the document sit in `<script type="application/json">` elements with every `<` written `\\u003c`,
so no text inside them can close the element: a payload stays data.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from pathlib import Path
from typing import Any

import hitl_widgets
from hitl_widgets.errors import DebuggerError

STATIC = Path(hitl_widgets.__file__).resolve().parent / "static"

_LOADER = """
const read = (id) => JSON.parse(document.getElementById(id).textContent);
const data = read("hw-export-data");
const url = URL.createObjectURL(new Blob([read("hw-export-bundle")], { type: "text/javascript" }));
import(url).then((mod) => mod.showExport(document.getElementById("hw-export"), data));
"""

# The widget's styles read JupyterLab's theme variables; outside JupyterLab, its light theme's,
# and its dark theme's where the reader's system asks for dark.
_THEME = """:root{color-scheme:light dark;
--jp-ui-font-color0:rgba(0,0,0,1);--jp-ui-font-color1:rgba(0,0,0,.87);--jp-ui-font-color2:rgba(0,0,0,.54);
--jp-ui-font-color3:rgba(0,0,0,.38);--jp-ui-inverse-font-color0:#fff;
--jp-brand-color0:#1976d2;--jp-brand-color1:#2196f3;--jp-brand-color2:#64b5f6;
--jp-error-color0:#d32f2f;--jp-error-color1:#f44336;--jp-warn-color0:#f57c00;--jp-warn-color1:#ff9800;
--jp-success-color0:#388e3c;--jp-success-color1:#4caf50;--jp-info-color0:#0097a7;--jp-info-color1:#00bcd4;
--jp-layout-color0:#fff;--jp-layout-color1:#fff;--jp-layout-color2:#eee;--jp-layout-color3:#bdbdbd;
--jp-border-color0:#bdbdbd;--jp-border-color1:#e0e0e0;--jp-border-color2:#eee;
--jp-ui-font-size0:.83333em;--jp-ui-font-size1:13px;--jp-code-font-size:13px;
--jp-ui-font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
--jp-code-font-family:Menlo,Consolas,"DejaVu Sans Mono",monospace}
@media (prefers-color-scheme:dark){:root{
--jp-ui-font-color0:rgba(255,255,255,1);--jp-ui-font-color1:rgba(255,255,255,.87);
--jp-ui-font-color2:rgba(255,255,255,.54);--jp-ui-font-color3:rgba(255,255,255,.38);
--jp-ui-inverse-font-color0:rgba(0,0,0,1);--jp-brand-color0:#64b5f6;--jp-brand-color1:#42a5f5;
--jp-brand-color2:#1976d2;--jp-layout-color0:#111;--jp-layout-color1:#212121;--jp-layout-color2:#424242;
--jp-layout-color3:#616161;--jp-border-color0:#616161;--jp-border-color1:#424242;--jp-border-color2:#303030}}
body{margin:0;padding:12px;font-family:var(--jp-ui-font-family);font-size:var(--jp-ui-font-size1);
background:var(--jp-layout-color0);color:var(--jp-ui-font-color1)}"""

# The page runs this one inline script and modules from blob: URLs only (no inline script a
# payload could smuggle in would run even if one were ever written as HTML), and fetches nothing.
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    f"script-src 'sha256-{base64.b64encode(hashlib.sha256(_LOADER.encode()).digest()).decode()}' blob:"
)


def script_json(value: Any) -> str:
    """JSON safe inside a `<script>` element: every `<` (found only inside JSON strings) is
    written `\\u003c`, so no `</script>` or `<!--` in a payload can end or change the element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def page(document: dict[str, Any]) -> str:
    """The HTML page showing `document` (an export) read-only, with everything it needs inlined."""
    try:
        bundle = (STATIC / "widget.js").read_text(encoding="utf-8")
        css = (STATIC / "widget.css").read_text(encoding="utf-8").replace("</", "<\\/")
    except OSError:
        raise DebuggerError(
            "cannot export HTML: the widget bundle is missing (hitl_widgets/static/widget.js); "
            "run `npm run build` in the source folder, or export JSON with export_json"
        ) from None
    title = html.escape(f"Thread {document['thread']['id']} · hitl_widgets export")
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            f"<title>{title}</title>",
            f"<style>{css}</style>",
            f"<style>{_THEME}</style>",
            '</head><body><div id="hw-export"></div>',
            f'<script type="application/json" id="hw-export-data">{script_json(document)}</script>',
            f'<script type="application/json" id="hw-export-bundle">{script_json(bundle)}</script>',
            f'<script type="module">{_LOADER}</script>',
            "</body></html>\n",
        ]
    )
