import { describe, expect, it } from "vitest";
import { applyLive, CUSTOM_EVENTS, emptyLive, isRunning, TOKEN_CHARS } from "../lib/live";
import type { LivePush } from "../lib/protocol";

function push(fields: Partial<LivePush>): LivePush {
  return { kind: "live", reset: false, running: [], tokens: {}, custom: [], finished: [], ...fields };
}

describe("live run state", () => {
  it("appends each node's tokens batch after batch, in arrival order", () => {
    let state = applyLive(emptyLive(), push({ running: ["agent"], tokens: { agent: "Hello" } }));
    state = applyLive(state, push({ running: ["agent"], tokens: { agent: " world", "team/writer": "Hi" } }));
    expect([...state.tokens]).toEqual([
      ["agent", "Hello world"],
      ["team/writer", "Hi"],
    ]);
    expect(state.running).toEqual(["agent"]);
  });

  it("forgets the last run when a new one starts", () => {
    const before = applyLive(emptyLive(), push({ tokens: { a: "x" }, custom: [{ node: "a", data: 1 }] }));
    const after = applyLive(before, push({ reset: true, running: ["b"] }));
    expect(after.tokens.size).toBe(0);
    expect(after.custom).toEqual([]);
    expect(before.tokens.get("a")).toBe("x"); // the old state is left as it was
  });

  it("keeps the newest characters and events only", () => {
    const long = "y".repeat(TOKEN_CHARS);
    const state = applyLive(applyLive(emptyLive(), push({ tokens: { a: "start" } })), push({ tokens: { a: long } }));
    expect(state.tokens.get("a")).toBe(long);
    const many = Array.from({ length: CUSTOM_EVENTS + 5 }, (_, i) => ({ node: "a", data: i }));
    expect(applyLive(emptyLive(), push({ custom: many })).custom[0]?.data).toBe(5);
  });

  it("marks a subgraph running while a node inside it runs", () => {
    const state = applyLive(emptyLive(), push({ running: ["team/writer"] }));
    expect(isRunning(state, "team")).toBe(true);
    expect(isRunning(state, "team:writer")).toBe(true);
    expect(isRunning(state, "team:editor")).toBe(false);
    expect(isRunning(state, "tea")).toBe(false);
  });
});
