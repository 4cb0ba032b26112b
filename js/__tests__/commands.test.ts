import { describe, expect, it } from "vitest";
import { blocker, type Situation } from "../lib/commands";
import type { InterruptInfo, Status } from "../lib/protocol";

function status(fields: Partial<Status> = {}): Status {
  return {
    running: null,
    reason: null,
    summary: "",
    error: null,
    error_line: null,
    step: 1,
    checkpoint_id: "c1",
    next: ["node"],
    last_nodes: [],
    progress: 0,
    ...fields,
  };
}
const pending: InterruptInfo = { id: "i1", node: "ask", ns: [], value: "?", response_schema: null };

function at(fields: Partial<Status>, more: Partial<Situation> = {}): Situation {
  return { status: status(fields), headId: "c1", interrupts: [], ...more };
}

describe("blocker", () => {
  it("lets step and continue act with something to run", () => {
    expect(blocker("step", at({}))).toBeNull();
    expect(blocker("cont", at({ reason: "breakpoint" }))).toBeNull();
  });

  it("says why step and continue cannot act", () => {
    expect(blocker("step", at({ next: [], reason: "done" }))).toContain("finished");
    expect(blocker("cont", at({}, { interrupts: [pending] }))).toContain("interrupt is pending");
    expect(blocker("cont", at({}, { headId: null }))).toContain("start the graph");
    expect(blocker("step", at({ running: "cont" }))).toContain("cont is running");
  });

  it("lets a breakpoint after the last node be continued (that finishes the run)", () => {
    expect(blocker("cont", at({ next: [], reason: "breakpoint" }))).toBeNull();
  });

  it("enables resume only with something pending, pause only while running", () => {
    expect(blocker("into", at({}))).toBeNull();
    expect(blocker("into", { ...at({}), remote: true })).toContain("only where breakpoints were compiled");
    expect(blocker("into", at({ running: "cont" }))).toContain("cont is running");
    expect(blocker("resume", at({}))).toContain("No interrupt");
    expect(blocker("resume", at({}, { interrupts: [pending] }))).toBeNull();
    expect(blocker("pause", at({}))).toContain("Nothing is running");
    expect(blocker("pause", at({ running: "cont" }))).toBeNull();
    expect(blocker("start", at({ running: "cont" }))).not.toBeNull();
    expect(blocker("start", at({ next: [] }))).toBeNull();
  });
});
