"""A small layered (Sugiyama-style) layout of a graph, for drawings made in Python.

The live widget lays the graph out in the browser with dagre; a drawing made without a
browser (the static view a saved notebook keeps) needs positions computed here. A graph of
LangGraph nodes is small, so the classic steps in their plainest form are enough: edges that
close a cycle (an agent's `tools -> agent`) are set aside, every node goes one layer below its
deepest predecessor, a few barycenter sweeps order each layer to cut crossings, and layers are
centred under each other. Edges are not routed: the drawing joins the placed nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

NODE_HEIGHT = 28
LAYER_GAP = 44
NODE_GAP = 18
MARGIN = 12
CHAR_WIDTH = 7
NODE_PADDING = 24
MIN_NODE_WIDTH = 48
# Room kept on the right for loops (an edge from a node to itself).
LOOP_ROOM = 40
_SWEEPS = 4


@dataclass(frozen=True)
class Placed:
    """A node's box: top-left corner, width and height."""

    id: str
    x: float
    y: float
    width: float
    layer: int
    height: float = NODE_HEIGHT

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    nodes: dict[str, Placed]
    # Edges between known nodes, each with whether it goes back up (closes a cycle, or loops).
    edges: tuple[tuple[str, str, bool], ...]


def node_width(label: str) -> float:
    return max(MIN_NODE_WIDTH, len(label) * CHAR_WIDTH + NODE_PADDING)


def layered_layout(labels: dict[str, str], edges: Sequence[tuple[str, str]]) -> Layout:
    """Place the nodes of `labels` (id -> label, in the order given) top to bottom along `edges`
    (edges naming unknown nodes are left out; an edge may appear more than once)."""
    ids = list(labels)
    known = [(s, t) for s, t in dict.fromkeys(edges) if s in labels and t in labels]
    back = _back_edges(ids, known)
    forward = [(s, t) for s, t in known if s != t and (s, t) not in back]
    layer = _layers(ids, forward)
    rows = _ordered_rows(ids, forward, layer)
    widths = {i: node_width(labels[i]) for i in ids}
    row_widths = [sum(widths[i] for i in row) + NODE_GAP * (len(row) - 1) for row in rows]
    inner = max(row_widths, default=0.0)
    nodes: dict[str, Placed] = {}
    for depth, (row, row_width) in enumerate(zip(rows, row_widths, strict=True)):
        x = MARGIN + (inner - row_width) / 2
        y = MARGIN + depth * (NODE_HEIGHT + LAYER_GAP)
        for i in row:
            nodes[i] = Placed(i, x, y, widths[i], depth)
            x += widths[i] + NODE_GAP
    room = LOOP_ROOM if any(s == t for s, t in known) else 0
    height = MARGIN * 2 + len(rows) * NODE_HEIGHT + max(len(rows) - 1, 0) * LAYER_GAP
    return Layout(
        width=MARGIN * 2 + inner + room,
        height=height,
        nodes=nodes,
        edges=tuple((s, t, s == t or (s, t) in back) for s, t in known),
    )


def _back_edges(ids: list[str], edges: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The edges that close a cycle, found by a depth-first walk from the nodes in order (the
    start node first), so the graph's own flow points down and only its loops go back up."""
    targets: dict[str, list[str]] = {i: [] for i in ids}
    for s, t in edges:
        targets[s].append(t)
    state: dict[str, int] = {}  # 1: on the walk's path, 2: done
    back: set[tuple[str, str]] = set()
    for root in ids:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(targets[root]))]
        while stack:
            node, rest = stack[-1]
            nxt = next(rest, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(targets[nxt])))
    return back


def _layers(ids: list[str], forward: list[tuple[str, str]]) -> dict[str, int]:
    """Each node one layer below its deepest predecessor (the edges form no cycle)."""
    preds: dict[str, list[str]] = {i: [] for i in ids}
    succs: dict[str, list[str]] = {i: [] for i in ids}
    for s, t in forward:
        preds[t].append(s)
        succs[s].append(t)
    waiting = {i: len(preds[i]) for i in ids}
    ready = [i for i in ids if waiting[i] == 0]
    layer = dict.fromkeys(ids, 0)
    while ready:
        node = ready.pop(0)
        for t in succs[node]:
            layer[t] = max(layer[t], layer[node] + 1)
            waiting[t] -= 1
            if waiting[t] == 0:
                ready.append(t)
    return layer


def _ordered_rows(ids: list[str], forward: list[tuple[str, str]], layer: dict[str, int]) -> list[list[str]]:
    """The nodes of each layer, ordered by a few down and up sweeps that put each node at the
    mean position of its neighbours in the other layers (ties keep the order given)."""
    rows: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for i in ids:
        rows[layer[i]].append(i)
    neighbours: dict[str, list[str]] = {i: [] for i in ids}
    for s, t in forward:
        neighbours[s].append(t)
        neighbours[t].append(s)
    for sweep in range(_SWEEPS):
        down = sweep % 2 == 0
        for depth in range(1, len(rows)) if down else range(len(rows) - 2, -1, -1):
            position = {i: p for row in rows for p, i in enumerate(row)}
            above = [
                [n for n in neighbours[i] if (layer[n] < depth if down else layer[n] > depth)]
                for i in rows[depth]
            ]
            means = {
                i: sum(position[n] for n in near) / len(near) if near else position[i]
                for i, near in zip(rows[depth], above, strict=True)
            }
            rows[depth] = sorted(rows[depth], key=means.__getitem__)
    return rows
