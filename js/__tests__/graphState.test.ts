import { describe, expect, it } from "vitest";
import { checkpointMoment, enclosing, headMoment, interruptedNodes, momentCaption, nodeFlags } from "../lib/graphState";
import { type InsideInfo, type InterruptInfo, insideOf, nodePath, pathId, type Status } from "../lib/protocol";
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
    expect(flags).toEqual({
      next: true,
      last: false,
      interrupted: true,
      before: true,
      after: false,
      failed: false,
      here: false,
    });
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

describe("inside a subgraph", () => {
  const inside: InsideInfo = {
    path: "mid/inner",
    next: ["y"],
    next_paths: ["mid/inner/y"],
    checkpoint_id: "c",
    nodes: ["x", "y"],
    values: {},
    summary: "inside mid/inner, next: mid/inner/y",
  };
  const none = { before: [], after: [] };

  it("names drawn nodes by path and back", () => {
    expect(nodePath("mid:inner:y")).toBe("mid/inner/y");
    expect(pathId("mid/inner/y")).toBe("mid:inner:y");
    expect(nodePath("a")).toBe("a");
    expect(enclosing("mid/inner")).toEqual(["mid", "mid:inner"]);
    expect(insideOf({})).toBeNull();
    expect(insideOf(inside)?.path).toBe("mid/inner");
  });

  it("marks the subgraph's next node as next and its boxes as where the run stands", () => {
    const head = headMoment({ ...status, next: ["mid"] }, [], inside);
    expect(nodeFlags("mid:inner:y", head, none)).toMatchObject({ next: true, here: false });
    expect(nodeFlags("mid", head, none)).toMatchObject({ next: false, here: true });
    expect(nodeFlags("mid:inner", head, none).here).toBe(true);
    expect(nodeFlags("mid:inner:x", head, none).next).toBe(false);
    expect(momentCaption(head)).toBe("Head: checkpoint x (step 2), in mid/inner");
    // while a run goes on, the place it stopped at is no longer where it stands
    const running = headMoment({ ...status, running: "step", next: ["mid"] }, [], inside);
    expect(nodeFlags("mid", running, none)).toMatchObject({ next: true, here: false });
  });

  it("shows breakpoints named by path on the nodes inside", () => {
    const head = headMoment(status, []);
    const flags = nodeFlags("mid:inner:y", head, { before: ["mid/inner/y"], after: ["mid/m1"] });
    expect(flags).toMatchObject({ before: true, after: false });
    expect(nodeFlags("mid:m1", head, { before: [], after: ["mid/m1"] }).after).toBe(true);
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
    expect(commandFor(key("F11"))).toBe("into");
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
