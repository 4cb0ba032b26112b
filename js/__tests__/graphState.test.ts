import { describe, expect, it } from "vitest";
import { interruptedNodes, nodeFlags } from "../lib/graphState";
import type { Status } from "../lib/protocol";
import { commandFor, isSubmit } from "../lib/shortcuts";

const status: Status = {
  running: null,
  reason: "interrupt",
  summary: "",
  error: null,
  error_line: null,
  step: 2,
  checkpoint_id: "x",
  next: ["team"],
  last_nodes: ["plan"],
  progress: 0,
};

describe("interruptedNodes", () => {
  it("marks the node that called interrupt() and its enclosing subgraphs", () => {
    const ids = interruptedNodes([
      { id: "1", node: "ask_human", ns: ["team:abc", "ask_human:def"], value: null, response_schema: null },
      { id: "2", node: "human_node", ns: ["human_node:123"], value: null, response_schema: null },
    ]);
    expect([...ids].sort()).toEqual(["human_node", "team", "team:ask_human"]);
  });
});

describe("nodeFlags", () => {
  it("combines next, last run, interrupt and breakpoints", () => {
    const flags = nodeFlags("team", status, { before: ["team"], after: [] }, new Set(["team"]));
    expect(flags).toEqual({ next: true, last: false, interrupted: true, before: true, after: false, failed: false });
    expect(nodeFlags("plan", status, { before: [], after: ["plan"] }, new Set()).last).toBe(true);
    expect(nodeFlags("plan", { ...status, failed: ["plan"] }, { before: [], after: [] }, new Set()).failed).toBe(true);
    expect(nodeFlags("plan", { ...status, running: "cont" }, { before: [], after: [] }, new Set()).last).toBe(false);
  });
});

describe("shortcuts", () => {
  const key = (
    k: string,
    mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
  ) => ({
    key: k,
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    ...mods,
  });

  it("maps debugger keys to commands", () => {
    expect(commandFor(key("F10"))).toBe("step");
    expect(commandFor(key("F8"))).toBe("cont");
    expect(commandFor(key("F8", { shiftKey: true }))).toBe("pause");
    expect(commandFor(key("F8", { ctrlKey: true }))).toBeNull();
    expect(commandFor(key("a"))).toBeNull();
  });

  it("sends a text box with Ctrl or Cmd+Enter", () => {
    expect(isSubmit(key("Enter", { ctrlKey: true }))).toBe(true);
    expect(isSubmit(key("Enter", { metaKey: true }))).toBe(true);
    expect(isSubmit(key("Enter"))).toBe(false);
  });
});
