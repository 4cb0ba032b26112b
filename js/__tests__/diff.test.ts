import { describe, expect, it } from "vitest";
import { deepEqual, diffJson, editedKeys, groupAdds } from "../lib/diff";

describe("diffJson", () => {
  it("finds nothing between equal values", () => {
    expect(diffJson({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] })).toEqual({ changes: [], more: 0 });
  });

  it("lists changed, added and removed paths", () => {
    const { changes } = diffJson({ a: 1, b: { c: "x", d: true }, gone: 0 }, { a: 2, b: { c: "y", d: true }, e: null });
    expect(changes).toEqual([
      { path: ["a"], op: "change", before: 1, after: 2 },
      { path: ["b", "c"], op: "change", before: "x", after: "y" },
      { path: ["e"], op: "add", after: null },
      { path: ["gone"], op: "remove", before: 0 },
    ]);
  });

  it("reports appended and dropped list items by index", () => {
    expect(diffJson([1, 2], [1, 2, 3]).changes).toEqual([{ path: [2], op: "add", after: 3 }]);
    expect(diffJson([1, 2, 3], [1]).changes).toEqual([
      { path: [1], op: "remove", before: 2 },
      { path: [2], op: "remove", before: 3 },
    ]);
  });

  it("treats a change of kind as one change", () => {
    expect(diffJson({ a: [1] }, { a: { x: 1 } }).changes).toEqual([
      { path: ["a"], op: "change", before: [1], after: { x: 1 } },
    ]);
  });

  it("counts what it does not list", () => {
    const before = Array.from({ length: 10 }, (_, i) => i);
    const after = before.map((i) => i + 1);
    const result = diffJson(before, after, 3);
    expect(result.changes.length).toBe(3);
    expect(result.more).toBe(7);
  });
});

describe("editedKeys", () => {
  it("sends only the keys that changed, and reports removed keys", () => {
    const original = { trail: ["a", "b"], text: "hi", n: 1 };
    const edited = { trail: ["a", "b"], text: "bye", extra: true };
    expect(editedKeys(original, edited)).toEqual({ values: { text: "bye", extra: true }, removed: ["n"] });
  });
});

describe("deepEqual", () => {
  it("compares structure, not identity or key order", () => {
    expect(deepEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(deepEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });
});

describe("groupAdds", () => {
  it("makes a run of items appended to one list one change", () => {
    const before = { messages: [1, 2] };
    const after = { messages: [1, 2, ...Array.from({ length: 300 }, (_, i) => i)], note: "x" };
    const grouped = groupAdds(diffJson(before, after, 1000).changes);
    expect(grouped).toHaveLength(2);
    expect(grouped[0]).toMatchObject({ op: "append", path: ["messages"], from: 2 });
    expect(grouped[0]?.op === "append" && grouped[0].items.length).toBe(300);
    expect(grouped[1]).toMatchObject({ op: "add", path: ["note"] });
  });

  it("leaves a single added item, and adds to different lists, apart", () => {
    const grouped = groupAdds(diffJson({ a: [], b: [] }, { a: [1], b: [1, 2] }).changes);
    expect(grouped.map((c) => c.op)).toEqual(["add", "append"]);
    expect(grouped[0]).toMatchObject({ path: ["a", 0] });
  });
});
