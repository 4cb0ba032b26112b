/**
 * Where each node and edge of the graph goes, computed offline with dagre (never a web
 * service). Subgraphs are compound nodes: their interior is laid out inside them. Pure: the
 * graph view only draws the result.
 */

import dagre from "@dagrejs/dagre";
import type { Topology, TopologyNode } from "./protocol";

export const NODE_HEIGHT = 30;
const CHAR_WIDTH = 7.2; // ~ 12px UI font
const NODE_PADDING = 28;
const MIN_NODE_WIDTH = 56;
/** How far a self-loop reaches out of its node's right side (room is kept for it on both sides). */
export const LOOP_REACH = 26;

export interface LayoutInput {
  nodes: {
    id: string;
    label: string;
    kind: TopologyNode["kind"];
    parent: string | null;
    width: number;
    height: number;
  }[];
  edges: { source: string; target: string; conditional: boolean; label: string | null }[];
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  id: string;
  label: string;
  kind: TopologyNode["kind"];
  parent: string | null;
  /** A subgraph drawn as a box around its interior nodes. */
  container: boolean;
  /** Centre, width and height (dagre's convention). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  source: string;
  target: string;
  conditional: boolean;
  label: string | null;
  /** For an edge from a node to itself: start, two control points, end (a cubic curve). */
  loop: boolean;
  points: Point[];
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Subgraph containers first (drawn underneath), then nodes. */
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export function nodeLabel(node: TopologyNode): string {
  if (node.kind === "start") return "start";
  if (node.kind === "end") return "end";
  return node.name;
}

export function nodeWidth(label: string): number {
  return Math.max(MIN_NODE_WIDTH, Math.round(label.length * CHAR_WIDTH + NODE_PADDING));
}

/**
 * What dagre needs: sized nodes with their container, and edges between leaf nodes (dagre
 * cannot route an edge to a compound node, so an edge to a subgraph goes to its first interior
 * node; edges naming unknown nodes are dropped).
 */
export function layoutInput(topology: Topology): LayoutInput {
  const known = new Map(topology.nodes.map((n) => [n.id, n] as const));
  const firstChild = new Map<string, string>();
  for (const node of topology.nodes) {
    if (node.parent !== null && !firstChild.has(node.parent)) firstChild.set(node.parent, node.id);
  }
  const leaf = (id: string): string | null => {
    let current: string | undefined = id;
    const visited = new Set<string>();
    while (current !== undefined && firstChild.has(current) && !visited.has(current)) {
      visited.add(current);
      current = firstChild.get(current);
    }
    return current !== undefined && known.has(current) ? current : null;
  };
  const nodes = topology.nodes.map((n) => {
    const label = nodeLabel(n);
    return { id: n.id, label, kind: n.kind, parent: n.parent, width: nodeWidth(label), height: NODE_HEIGHT };
  });
  const edges: LayoutInput["edges"] = [];
  for (const e of topology.edges) {
    const source = leaf(e.source);
    const target = leaf(e.target);
    if (source !== null && target !== null) edges.push({ ...e, source, target });
  }
  return { nodes, edges };
}

/**
 * Top-to-bottom layout of `input`. An edge from a node to itself is left out of dagre (whose
 * self-loop route starts and ends away from the node) and drawn here as a loop on the node's
 * right side, with room kept for it.
 */
export function computeLayout(input: LayoutInput): GraphLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 36, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const parents = new Set(input.nodes.map((n) => n.parent).filter((p): p is string => p !== null));
  const looped = new Set(input.edges.filter((e) => e.source === e.target).map((e) => e.source));
  for (const n of input.nodes) {
    const container = parents.has(n.id);
    const width = n.width + (looped.has(n.id) ? 2 * LOOP_REACH : 0);
    g.setNode(n.id, container ? { label: n.label, paddingTop: 24 } : { label: n.label, width, height: n.height });
  }
  for (const n of input.nodes) {
    if (n.parent !== null) g.setParent(n.id, n.parent);
  }
  input.edges.forEach((e, i) => {
    if (e.source !== e.target) g.setEdge(e.source, e.target, { minlen: 1 }, `e${i}`);
  });
  dagre.layout(g);
  const placed: PlacedNode[] = input.nodes.map((n) => {
    const laid = g.node(n.id) as { x: number; y: number; width: number; height: number };
    const container = parents.has(n.id);
    const { x, y, height } = laid;
    return {
      id: n.id,
      label: n.label,
      kind: n.kind,
      parent: n.parent,
      container,
      x,
      y,
      width: container ? laid.width : n.width,
      height,
    };
  });
  placed.sort((a, b) => Number(b.container) - Number(a.container));
  const byId = new Map(placed.map((n) => [n.id, n] as const));
  const edges: PlacedEdge[] = input.edges.map((e, i) => {
    const node = byId.get(e.source);
    if (e.source === e.target && node !== undefined) return { ...e, loop: true, points: loopPoints(node) };
    const laid = g.edge(e.source, e.target, `e${i}`) as { points: Point[] };
    return { ...e, loop: false, points: laid.points };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes: placed, edges };
}

/** A loop leaving `node`'s right side above its middle and coming back below it. */
export function loopPoints(node: Pick<PlacedNode, "x" | "y" | "width" | "height">): Point[] {
  const right = node.x + node.width / 2;
  const rise = node.height / 3;
  return [
    { x: right, y: node.y - rise },
    { x: right + LOOP_REACH, y: node.y - rise - 12 },
    { x: right + LOOP_REACH, y: node.y + rise + 12 },
    { x: right, y: node.y + rise },
  ];
}

/** The SVG path of a placed edge: a cubic loop, or a rounded line through its points. */
export function placedEdgePath(edge: PlacedEdge): string {
  const [a, b, c, d] = edge.points;
  if (edge.loop && a !== undefined && b !== undefined && c !== undefined && d !== undefined) {
    return `M${round(a.x)},${round(a.y)} C${round(b.x)},${round(b.y)} ${round(c.x)},${round(c.y)} ${round(d.x)},${round(d.y)}`;
  }
  return edgePath(edge.points);
}

/** An SVG path through `points`, rounded at the bends. */
export function edgePath(points: Point[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return "";
  let d = `M${round(first.x)},${round(first.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i] as Point;
    const q = rest[i + 1] as Point;
    d += ` Q${round(p.x)},${round(p.y)} ${round((p.x + q.x) / 2)},${round((p.y + q.y) / 2)}`;
  }
  const last = rest.at(-1);
  if (last !== undefined) d += ` L${round(last.x)},${round(last.y)}`;
  return d;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
