import { describe, expect, it } from "vitest";
import type { CheckpointRecord } from "../lib/protocol";
import { decodeRow } from "../lib/protocol";
import { branchesOf, findRows, laneCount, mergeRecords, treeRows } from "../lib/tree";

/** A record with a sortable id: `c07` is newer than `c03`. */
function rec(n: number, parent: number | null, step = n): CheckpointRecord {
  const id = (k: number) => `c${String(k).padStart(2, "0")}`;
  return {
    id: id(n),
    parentId: parent === null ? null : id(parent),
    step,
    source: "loop",
    writes: [],
    next: [],
    time: null,
  };
}

describe("treeRows", () => {
  it("puts a linear thread in one lane, newest first, with lines between neighbours", () => {
    const records = mergeRecords([], [rec(1, null), rec(2, 1), rec(3, 2)]);
    const rows = treeRows(records, "c03");
    expect(rows.map((r) => r.record.id)).toEqual(["c03", "c02", "c01"]);
    expect(rows.map((r) => r.lane)).toEqual([0, 0, 0]);
    expect(rows.map((r) => [r.up, r.down])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
    expect(rows[0]?.isHead).toBe(true);
    expect(laneCount(rows)).toBe(1);
  });

  it("draws a fork as a second lane that joins at the forked checkpoint", () => {
    // 1 -> 2 -> 3 -> 4 (old branch);  2 -> 5 -> 6 (fork from 2, newest, the head)
    const records = mergeRecords([], [rec(1, null), rec(2, 1), rec(3, 2), rec(4, 3), rec(5, 2), rec(6, 5)]);
    const rows = treeRows(records, "c06");
    const byId = Object.fromEntries(rows.map((r) => [r.record.id, r]));
    expect(byId.c06?.lane).toBe(0); // the newest branch runs straight down the first lane
    expect(byId.c05?.lane).toBe(0);
    expect(byId.c04?.lane).toBe(1); // the older branch moves aside
    expect(byId.c03?.lane).toBe(1);
    expect(byId.c03?.through).toEqual([0]); // the fork's lane passes by
    expect(byId.c02?.lane).toBe(0);
    expect(byId.c02?.joins).toEqual([1]); // the older branch joins where it forked
    expect(byId.c02?.children).toBe(2);
    expect(byId.c06?.isHead).toBe(true);
    expect(laneCount(rows)).toBe(2);
  });

  it("frees a lane once its branch joined, for the next branch", () => {
    // 1 -> 2 -> 3;  fork 1 -> 4;  fork 3 -> 5
    const records = mergeRecords([], [rec(1, null), rec(2, 1), rec(3, 2), rec(4, 1), rec(5, 3)]);
    const rows = treeRows(records, "c05");
    expect(laneCount(rows)).toBeLessThanOrEqual(2);
    const byId = Object.fromEntries(rows.map((r) => [r.record.id, r]));
    expect(byId.c01?.joins.length).toBe(1);
  });

  it("does not wait for a parent that is not in the list", () => {
    const rows = treeRows([rec(5, 4), rec(3, 2)], null);
    expect(rows.map((r) => r.down)).toEqual([false, false]);
    expect(rows.map((r) => r.lane)).toEqual([0, 0]);
  });

  it("lays out 10,000 checkpoints with forks quickly enough to do on every update", () => {
    const records: CheckpointRecord[] = [rec(1, null)];
    for (let i = 2; i <= 10_000; i++) records.push(rec(i, i % 500 === 0 ? i - 250 : i - 1));
    const sorted = mergeRecords([], records);
    const rows = treeRows(sorted, null);
    expect(rows.length).toBe(10_000);
    expect(laneCount(rows)).toBeGreaterThan(1);
  });
});

describe("mergeRecords", () => {
  it("adds new records in order and replaces ones seen again", () => {
    const first = mergeRecords([], [rec(2, 1), rec(1, null)]);
    const updated = { ...rec(2, 1), next: ["a"] };
    const merged = mergeRecords(first, [rec(3, 2), updated]);
    expect(merged.map((r) => r.id)).toEqual(["c03", "c02", "c01"]);
    expect(merged[1]?.next).toEqual(["a"]);
  });

  it("returns the same array when nothing is new", () => {
    const first = mergeRecords([], [rec(1, null)]);
    expect(mergeRecords(first, [])).toBe(first);
  });
});

describe("decodeRow", () => {
  it("reads the compact row the kernel sends", () => {
    expect(decodeRow(["id", "p", 3, "loop", ["a"], ["b"], 1000])).toEqual({
      id: "id",
      parentId: "p",
      step: 3,
      source: "loop",
      writes: ["a"],
      next: ["b"],
      time: 1000,
    });
  });
});

describe("branches", () => {
  it("keep their colour numbers when a newer fork is added", () => {
    // 1 -> 2 -> 3 -> 4;  fork 2 -> 5 -> 6
    const first = mergeRecords([], [rec(1, null), rec(2, 1), rec(3, 2), rec(4, 3), rec(5, 2), rec(6, 5)]);
    const before = branchesOf(first);
    expect([1, 2, 3, 4].map((n) => before.get(`c0${n}`))).toEqual([0, 0, 0, 0]);
    expect(before.get("c05")).toBe(1);
    expect(before.get("c06")).toBe(1);
    // a second fork, from 3: the older branches keep their numbers, it takes the next one
    const second = mergeRecords(first, [rec(7, 3), rec(8, 7)]);
    const after = branchesOf(second);
    for (const [id, branch] of before) expect(after.get(id)).toBe(branch);
    expect(after.get("c07")).toBe(2);
    expect(after.get("c08")).toBe(2);
  });

  it("colour each row's lines by the branch they belong to", () => {
    const records = mergeRecords([], [rec(1, null), rec(2, 1), rec(3, 2), rec(4, 3), rec(5, 2), rec(6, 5)]);
    const byId = Object.fromEntries(treeRows(records, "c06").map((r) => [r.record.id, r]));
    expect(byId.c06?.branch).toBe(1);
    expect(byId.c04?.branch).toBe(0);
    // the fork point is on the first branch; the lane that joins it comes from the fork
    expect(byId.c02?.branch).toBe(0);
    expect([...(byId.c02?.joinBranches ?? []), byId.c02?.upBranch].sort()).toEqual([0, 1]);
    // beside the old branch, the fork's lane keeps the fork's colour down to the fork point
    expect(byId.c04?.throughBranches).toEqual([1]);
    expect(byId.c03?.throughBranches).toEqual([1]);
  });
});

describe("findRows", () => {
  const records = mergeRecords(
    [],
    [
      { ...rec(1, null, -1), source: "input", next: ["agent"] },
      { ...rec(2, 1, 0), writes: ["agent"], next: ["tools"] },
      { ...rec(3, 2, 1), writes: ["tools"], next: ["agent"] },
      { ...rec(4, 3, 2), writes: ["agent"], next: [] },
    ],
  );
  const rows = treeRows(records, "c04");

  it("finds a step by its number, with or without #", () => {
    expect(findRows(rows, "#1").map((i) => rows[i]?.record.id)).toEqual(["c03"]);
    expect(findRows(rows, "2").map((i) => rows[i]?.record.id)).toEqual(["c04"]);
  });

  it("finds nodes that wrote or run next, and sources, case aside", () => {
    expect(findRows(rows, "TOOLS").map((i) => rows[i]?.record.id)).toEqual(["c03", "c02"]);
    expect(findRows(rows, "input").map((i) => rows[i]?.record.id)).toEqual(["c01"]);
  });

  it("finds ids by their end, and nothing for blank or unknown text", () => {
    expect(findRows(rows, "c03").map((i) => rows[i]?.record.id)).toEqual(["c03"]);
    expect(findRows(rows, "  ")).toEqual([]);
    expect(findRows(rows, "nowhere")).toEqual([]);
  });
});
