import { describe, expect, it } from "vitest";
import { checkpointMoment, headMoment, interruptedNodes, momentCaption, nodeFlags } from "../lib/graphState";
import type { InterruptInfo, Status } from "../lib/protocol";
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
    const pending: InterruptInfo[] = [
      { id: "1", node: "ask_human", ns: ["team:abc", "ask_human:def"], value: null, response_schema: null },
      { id: "2", node: "human_node", ns: ["human_node:123"], value: null, response_schema: null },
    ];
    const ids = interruptedNodes(pending);
    expect([...ids].sort()).toEqual(["human_node", "team", "team:ask_human"]);
  });
});

describe("nodeFlags", () => {
  it("combines next, last run, interrupt and breakpoints at the head", () => {
    const head = headMoment(status, []);
    const flags = nodeFlags("team", { ...head, interrupted: new Set(["team"]) }, { before: ["team"], after: [] });
    expect(flags).toEqual({ next: true, last: false, interrupted: true, before: true, after: false, failed: false });
    expect(nodeFlags("plan", head, { before: [], after: ["plan"] }).last).toBe(true);
    const failed = headMoment({ ...status, failed: ["plan"] }, []);
    expect(nodeFlags("plan", failed, { before: [], after: [] }).failed).toBe(true);
    expect(nodeFlags("plan", headMoment({ ...status, running: "cont" }, []), { before: [], after: [] }).last).toBe(
      false,
    );
  });

  it("follows a selected checkpoint: its next nodes, its writers, its interrupts", () => {
    const record = {
      id: "abcdef0123456789",
      parentId: null,
      step: 1,
      source: "loop",
      writes: ["plan"],
      next: ["team"],
      time: null,
    };
    const moment = checkpointMoment(record, [{ node: "ask_human", ns: ["team:1", "ask_human:2"] }]);
    const none = { before: [], after: [] };
    expect(nodeFlags("team", moment, none)).toMatchObject({ next: true, interrupted: true });
    expect(nodeFlags("team:ask_human", moment, none).interrupted).toBe(true);
    expect(nodeFlags("plan", moment, none).last).toBe(true);
    expect(momentCaption(moment)).toBe("Selected checkpoint 23456789 (step 1), not the head");
    expect(momentCaption(headMoment(status, []))).toBe("Head: checkpoint x (step 2)");
    expect(momentCaption(headMoment({ ...status, checkpoint_id: null }, []))).toBe("No checkpoint yet");
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
