import { describe, expect, it } from "vitest";
import { computeLayout, edgePath, layoutInput, nodeWidth } from "../lib/layout";
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
