"""The debugger as it stands, as one static piece of HTML: what a saved notebook keeps.

A live widget needs a kernel and its widget model; a notebook opened on GitHub, in nbviewer or
in JupyterLab without them shows none of it. This snapshot is shown there instead: the graph
(an inline SVG laid out by `layered`), the head, the pending interrupts and the newest
checkpoints, the same texts the magics print (`text`).

What it must be to be shown everywhere: every payload is escaped text (state and interrupt
values are data, never markup); no script, no external resource, no `id`; styles are inline
(GitHub drops `<style>`), in colours that read on light and dark pages (`currentColor` and
greys with transparency). Its size is bounded: values are cut by `text.compact`, and each
section to a number of lines.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Collection
from typing import TYPE_CHECKING, Literal

from hitl_widgets.layered import NODE_HEIGHT, Layout, layered_layout
from hitl_widgets.model import Topology, error_line
from hitl_widgets.text import checkpoint_text, history_text, interrupts_text, state_text

if TYPE_CHECKING:
    from hitl_widgets.debugger import Debugger

Part = Literal["status", "graph", "state", "interrupts", "checkpoints"]
PARTS: tuple[Part, ...] = ("status", "graph", "state", "interrupts", "checkpoints")

# The class that marks the static view, so the live widget's page can find and hide it.
STATIC_CLASS = "hw-static"
CHECKPOINTS_SHOWN = 10
STATE_LINES = 40
INTERRUPT_LINES = 20
LINE_CHARS = 200
LABEL_CHARS = 40
# A graph of more nodes is not drawn (its SVG alone would pass 30 KB): its size is said instead.
NODES_DRAWN = 100

_NEXT = "#e8912d"  # what runs next: orange, readable on light and dark
_ASKING = "#d9534f"  # a node whose interrupt waits for an answer
_BOX = "border:1px solid rgba(128,128,128,.45);border-radius:6px;padding:8px 10px;margin:2px 0;"
_FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.4;"
_HEADING = "font-weight:600;margin:8px 0 2px 0;"
_PRE = (
    "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;margin:0;"
    "padding:4px 6px;background:rgba(128,128,128,.1);border-radius:4px;white-space:pre;overflow-x:auto;"
)


def snapshot_html(debugger: Debugger, parts: Collection[Part] = PARTS) -> str:
    """The static view of `debugger`: a `<div class="hw-static">` with inline styles only,
    showing `parts` (all by default; a view of one part, such as `GraphView`, shows its own).

    A thread that cannot be read (a server gone away) gives a view that says so, never an
    exception: a display must not fail a cell.
    """
    try:
        body = _sections(debugger, parts)
    except Exception as exc:
        body = _pre(f"The thread cannot be read ({type(exc).__name__}: {exc})")
    title = (
        f"LangGraph debugger · thread {debugger.thread_id} ({debugger.backend_kind}) · "
        "a saved view: run the cell for the live debugger"
    )
    return (
        f'<div class="{STATIC_CLASS}" style="{_BOX}{_FONT}">'
        f'<div style="{_HEADING}margin-top:0;">{_text(title)}</div>{body}</div>'
    )


def _sections(debugger: Debugger, parts: Collection[Part]) -> str:
    history = debugger.history(limit=CHECKPOINTS_SHOWN + 1)
    if not history:
        graph = _svg(debugger.topology, (), set()) if "graph" in parts else ""
        return graph + _pre("No checkpoints yet.")
    head = debugger.head
    interrupts = debugger.interrupts
    pause = debugger.last_pause
    if pause is not None and pause.checkpoint_id == head.id:
        status = pause.summary() + (f"\n  error: {error_line(pause.error)}" if pause.error else "")
    else:
        status = checkpoint_text(head)
    # the node that asks, by its drawn id (`outer:inner` inside subgraphs), and each subgraph around it
    paths = [[seg.split(":", 1)[0] for seg in i.ns] or [i.node] for i in interrupts]
    asking = {":".join(path[: depth + 1]) for path in paths for depth in range(len(path))}
    older = "\n  … older checkpoints not shown" if len(history) > CHECKPOINTS_SHOWN else ""
    shown = {
        "status": lambda: _pre(status),
        "graph": lambda: _svg(debugger.topology, head.next, asking),
        "state": lambda: (
            _heading(f"State at {head.short_id}") + _pre(_cut(state_text(debugger.state), STATE_LINES))
        ),
        "interrupts": lambda: (
            _heading("Pending interrupts") + _pre(_cut(interrupts_text(interrupts), INTERRUPT_LINES))
        ),
        "checkpoints": lambda: (
            _heading(f"Newest checkpoints (* the head; {CHECKPOINTS_SHOWN} at most)")
            + _pre(history_text(history[:CHECKPOINTS_SHOWN], head.id) + older)
        ),
    }
    return "".join(shown[part]() for part in PARTS if part in parts)


def _svg(topology: Topology, next_nodes: tuple[str, ...], asking: set[str]) -> str:
    """The graph as inline SVG. Node names are its only text, one a line: where a sanitizer
    drops SVG (JupyterLab, for a notebook it does not trust) they remain as a list of nodes.

    A subgraph's interior nodes are laid out with the others (edges reach them, not the
    subgraph); the subgraph is a dashed box around them."""
    if len(topology.nodes) > NODES_DRAWN:
        edges = len(topology.edges)
        return _pre(f"Graph: {len(topology.nodes)} nodes, {edges} edges (too many to draw here)")
    parents = {n.id: n.parent for n in topology.nodes}
    containers = {p for p in parents.values() if p is not None}
    labels = _labels(topology, containers)
    layout = _layout(topology)
    dashed = {(e.source, e.target) for e in topology.edges if e.conditional}
    parts = [
        _box(
            layout,
            n.id,
            n.name,
            parents,
            _ASKING if n.id in asking else _NEXT if n.id in next_nodes else None,
        )
        for n in topology.nodes
        if n.id in containers
    ]
    parts += [_edge(layout, s, t, up, (s, t) in dashed) for s, t, up in layout.edges]
    bows = [_bow(layout, s, t) for s, t, up in layout.edges if not up]
    width = max([layout.width, *(right + 12 for right in bows if right is not None)])
    for node in topology.nodes:
        if node.id in containers:
            continue
        placed = layout.nodes[node.id]
        colour = _ASKING if node.id in asking else _NEXT if node.id in next_nodes else None
        stroke = (
            f'stroke="{colour}" stroke-width="2"' if colour else 'stroke="currentColor" stroke-opacity=".6"'
        )
        rounded = NODE_HEIGHT / 2 if node.kind in ("start", "end") else 4
        parts.append(
            f'<g data-node="{_text(node.id)}"><rect x="{placed.x:.1f}" y="{placed.y:.1f}" '
            f'width="{placed.width:.1f}" height="{placed.height}" rx="{rounded}" '
            f'fill="rgba(128,128,128,.12)" {stroke}/>'
            f'<text x="{placed.centre:.1f}" y="{placed.y + placed.height / 2 + 4:.1f}" '
            f'text-anchor="middle" font-size="12" fill="currentColor">{_text(labels[node.id])}</text></g>\n'
        )
    legend = (
        f'<div style="font-size:11px;opacity:.8;">'
        f'<span style="color:{_NEXT};">■</span> runs next &nbsp; '
        f'<span style="color:{_ASKING};">■</span> waits for an answer &nbsp; '
        f"dashed: conditional edge</div>"
    )
    return (
        f'<div style="overflow-x:auto;margin:6px 0;"><svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width:.0f}" height="{layout.height:.0f}" '
        f'viewBox="0 0 {width:.0f} {layout.height:.0f}" role="img" '
        f'style="color:inherit;max-width:100%;height:auto;">{"".join(parts)}</svg></div>{legend}'
    )


def _labels(topology: Topology, containers: Collection[str]) -> dict[str, str]:
    """The drawn nodes (not the subgraph boxes) and their labels."""
    return {n.id: _label(n.kind, n.name) for n in topology.nodes if n.id not in containers}


@functools.lru_cache(maxsize=16)  # a Debugger's graph never changes; its snapshot redraws on every pause
def _layout(topology: Topology) -> Layout:
    containers = {n.parent for n in topology.nodes if n.parent is not None}
    return layered_layout(_labels(topology, containers), [(e.source, e.target) for e in topology.edges])


def _box(
    layout: Layout, container: str, name: str, parents: dict[str, str | None], colour: str | None
) -> str:
    """A subgraph: a dashed box around the placed nodes inside it (at any depth), named at its
    top left, in `colour` if it runs next or asks."""

    def inside(node: str) -> bool:
        parent = parents.get(node)
        while parent is not None:
            if parent == container:
                return True
            parent = parents.get(parent)
        return False

    placed = [p for i, p in layout.nodes.items() if inside(i)]
    if not placed:
        return ""
    stroke = f'stroke="{colour}" stroke-width="2"' if colour else 'stroke="currentColor" stroke-opacity=".45"'
    left, top = min(p.x for p in placed) - 8, min(p.y for p in placed) - 18
    right, bottom = max(p.x + p.width for p in placed) + 8, max(p.y + p.height for p in placed) + 6
    return (
        f'<g data-node="{_text(container)}"><rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" '
        f'height="{bottom - top:.1f}" rx="6" fill="none" {stroke} '
        f'stroke-dasharray="5 3"/><text x="{left + 6:.1f}" y="{top + 12:.1f}" font-size="11" '
        f'fill="currentColor" fill-opacity=".8">{_text(_label("subgraph", name))}</text></g>\n'
    )


def _edge(layout: Layout, source: str, target: str, up: bool, dashed: bool) -> str:
    """A curve from `source` to `target` with its arrowhead: down from the bottom of one box
    to the top of the next; an edge closing a cycle goes back up from the top of one to the
    bottom of the other, off centre so that it does not cover the edge down; a loop goes round
    the node's right side."""
    a, b = layout.nodes[source], layout.nodes[target]
    if a.id == b.id:
        sx, sy, ty = a.x + a.width, a.y + 6, a.y + a.height - 6
        reach = sx + 30
        path = f"M{sx:.1f},{sy:.1f} C{reach:.1f},{sy:.1f} {reach:.1f},{ty:.1f} {sx:.1f},{ty:.1f}"
        head = f"{sx:.1f},{ty:.1f} {sx + 8:.1f},{ty - 4:.1f} {sx + 8:.1f},{ty + 4:.1f}"
    elif up:
        sx, sy = a.x + a.width * 0.75, a.y
        tx, ty = b.x + b.width * 0.75, b.y + b.height
        bend = max((sy - ty) / 2, 16)
        path = f"M{sx:.1f},{sy:.1f} C{sx:.1f},{sy - bend:.1f} {tx:.1f},{ty + bend:.1f} {tx:.1f},{ty:.1f}"
        head = f"{tx:.1f},{ty:.1f} {tx - 4:.1f},{ty + 8:.1f} {tx + 4:.1f},{ty + 8:.1f}"
    else:
        sx, sy, tx, ty = a.centre, a.y + a.height, b.centre, b.y
        right = _bow(layout, source, target)
        if right is not None:  # a long edge bows out to the right of the layers it spans
            reach = max((right - (sx + tx) / 8) / 0.75, sx, tx)  # the curve's middle reaches `right`
            path = (
                f"M{sx:.1f},{sy:.1f} C{reach:.1f},{sy + 30:.1f} {reach:.1f},{ty - 30:.1f} {tx:.1f},{ty:.1f}"
            )
        else:
            bend = (ty - sy) / 2
            path = f"M{sx:.1f},{sy:.1f} C{sx:.1f},{sy + bend:.1f} {tx:.1f},{ty - bend:.1f} {tx:.1f},{ty:.1f}"
        head = f"{tx:.1f},{ty:.1f} {tx - 4:.1f},{ty - 8:.1f} {tx + 4:.1f},{ty - 8:.1f}"
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<g data-edge="{_text(source)} -> {_text(target)}">'
        f'<path d="{path}" fill="none" stroke="currentColor" stroke-opacity=".55"{dash}/>'
        f'<polygon points="{head}" fill="currentColor" fill-opacity=".7"/></g>'
    )


def _bow(layout: Layout, source: str, target: str) -> float | None:
    """How far right an edge down across more than one layer bows, to pass the nodes of the
    layers between (None for an edge to the next layer)."""
    a, b = layout.nodes[source], layout.nodes[target]
    between = [p.x + p.width for p in layout.nodes.values() if a.layer < p.layer < b.layer]
    return max(between) + 14 if between else None


def _label(kind: str, name: str) -> str:
    """What a node's box reads: `start`, `end`, or its name (cut)."""
    label = "start" if kind == "start" else "end" if kind == "end" else name
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _cut(text: str, lines: int) -> str:
    """At most `lines` lines of at most `LINE_CHARS` characters, saying how many were left out."""
    kept = [line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…" for line in text.splitlines()]
    if len(kept) <= lines:
        return "\n".join(kept)
    return "\n".join([*kept[:lines], f"  … {len(kept) - lines} more lines not shown"])


def _heading(text: str) -> str:
    return f'<div style="{_HEADING}">{_text(text)}</div>'


def _pre(text: str) -> str:
    return f'<pre style="{_PRE}">{_text(text)}</pre>'


def _text(text: str) -> str:
    return html.escape(text, quote=True)
