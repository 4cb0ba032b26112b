import { describe, expect, it } from "vitest";
import { computeLayout, edgePath, LOOP_REACH, layoutInput, nodeWidth, placedEdgePath } from "../lib/layout";
import type { Topology } from "../lib/protocol";

const node = (id: string, kind: "start" | "end" | "node" | "subgraph" = "node", parent: string | null = null) => ({
  id,
  name: id.split(":").at(-1) ?? id,
  kind,
  parent,
});

const subgraphTopology: Topology = {
  nodes: [
    node("__start__", "start"),
    node("plan"),
    node("team", "subgraph"),
    node("write"),
    node("__end__", "end"),
    node("team:research", "node", "team"),
    node("team:ask_human", "node", "team"),
  ],
  edges: [
    { source: "__start__", target: "plan", conditional: false, label: null },
    { source: "plan", target: "team:research", conditional: false, label: null },
    { source: "team:research", target: "team:ask_human", conditional: false, label: null },
    { source: "team:ask_human", target: "write", conditional: false, label: null },
    { source: "write", target: "__end__", conditional: false, label: null },
  ],
};

describe("layoutInput", () => {
  it("sizes nodes by their label and keeps start and end short", () => {
    const input = layoutInput(subgraphTopology);
    const byId = Object.fromEntries(input.nodes.map((n) => [n.id, n]));
    expect(byId.__start__?.label).toBe("start");
    expect(byId["team:research"]?.label).toBe("research");
    expect(byId["team:research"]?.parent).toBe("team");
    expect(nodeWidth("a_much_longer_node_name")).toBeGreaterThan(nodeWidth("plan"));
  });

  it("routes an edge aimed at a subgraph to its first interior node and drops unknown ends", () => {
    const topology: Topology = {
      nodes: subgraphTopology.nodes,
      edges: [
        { source: "plan", target: "team", conditional: true, label: null },
        { source: "plan", target: "nowhere", conditional: false, label: null },
      ],
    };
    expect(layoutInput(topology).edges).toEqual([
      { source: "plan", target: "team:research", conditional: true, label: null },
    ]);
  });
});

describe("computeLayout", () => {
  it("places the interior of a subgraph inside its box, top to bottom", () => {
    const layout = computeLayout(layoutInput(subgraphTopology));
    const byId = Object.fromEntries(layout.nodes.map((n) => [n.id, n]));
    const team = byId.team;
    const research = byId["team:research"];
    expect(team?.container).toBe(true);
    expect(layout.nodes[0]?.id).toBe("team"); // containers are drawn first, underneath
    if (team === undefined || research === undefined) throw new Error("missing nodes");
    expect(Math.abs(research.x - team.x)).toBeLessThan(team.width / 2);
    expect(Math.abs(research.y - team.y)).toBeLessThan(team.height / 2);
    expect((byId.plan?.y ?? 0) < research.y).toBe(true);
    expect(layout.edges).toHaveLength(5);
    for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    expect(layout.width).toBeGreaterThan(0);
  });

  it("keeps conditional edges marked", () => {
    const topology: Topology = {
      nodes: [node("__start__", "start"), node("agent"), node("tools"), node("__end__", "end")],
      edges: [
        { source: "__start__", target: "agent", conditional: false, label: null },
        { source: "agent", target: "tools", conditional: true, label: null },
        { source: "agent", target: "__end__", conditional: true, label: null },
        { source: "tools", target: "agent", conditional: false, label: null },
      ],
    };
    const layout = computeLayout(layoutInput(topology));
    expect(layout.edges.filter((e) => e.conditional).map((e) => e.target)).toEqual(["tools", "__end__"]);
  });
});

describe("self-loops", () => {
  const topology: Topology = {
    nodes: [node("__start__", "start"), node("tick"), node("__end__", "end")],
    edges: [
      { source: "__start__", target: "tick", conditional: false, label: null },
      { source: "tick", target: "tick", conditional: true, label: null },
      { source: "tick", target: "__end__", conditional: true, label: null },
    ],
  };

  it("start and end on the node's right side and stay inside the drawing", () => {
    const layout = computeLayout(layoutInput(topology));
    const tick = layout.nodes.find((n) => n.id === "tick");
    const loop = layout.edges.find((e) => e.source === "tick" && e.target === "tick");
    if (tick === undefined || loop === undefined) throw new Error("missing");
    expect(loop.loop).toBe(true);
    const right = tick.x + tick.width / 2;
    const first = loop.points[0];
    const last = loop.points.at(-1);
    for (const end of [first, last]) {
      expect(end?.x).toBe(right); // on the node's border, not away from it
      expect(Math.abs((end?.y ?? 0) - tick.y)).toBeLessThan(tick.height / 2);
    }
    const reach = Math.max(...loop.points.map((p) => p.x));
    expect(reach).toBe(right + LOOP_REACH);
    expect(reach).toBeLessThanOrEqual(layout.width);
    expect(placedEdgePath(loop)).toMatch(/^M[\d.]+,[\d.]+ C/);
  });

  it("leave the other edges to dagre", () => {
    const layout = computeLayout(layoutInput(topology));
    expect(layout.edges.filter((e) => e.loop)).toHaveLength(1);
    const out = layout.edges.find((e) => e.target === "__end__");
    expect(out?.loop).toBe(false);
    expect(placedEdgePath(out as NonNullable<typeof out>)).toBe(edgePath(out?.points ?? []));
  });
});

describe("edgePath", () => {
  it("draws a path through the points", () => {
    expect(
      edgePath([
        { x: 0, y: 0 },
        { x: 10, y: 10 },
      ]),
    ).toBe("M0,0 L10,10");
    expect(
      edgePath([
        { x: 0, y: 0 },
        { x: 10, y: 10 },
        { x: 20, y: 0 },
      ]),
    ).toBe("M0,0 Q10,10 15,5 L20,0");
    expect(edgePath([])).toBe("");
  });
});
