/**
 * The thread's checkpoints as a tree drawn in lanes, newest first, like `git log --graph`:
 * each branch (a fork from a past checkpoint) runs down its own lane until it joins the lane
 * of the checkpoint it forked from. Pure: the list view only draws these rows.
 */

import type { CheckpointRecord } from "./protocol";

export interface TreeRow {
  record: CheckpointRecord;
  /** The lane this checkpoint sits in (0 = leftmost). */
  lane: number;
  /** Lanes that pass by this row (a branch above waiting for an older checkpoint). */
  through: number[];
  /** Lanes that end at this row: newer checkpoints of other branches forked from this one. */
  joins: number[];
  /** A newer checkpoint in this lane continues from this one (draw the line up). */
  up: boolean;
  /** This checkpoint has a parent below (draw the line down). */
  down: boolean;
  /** How many checkpoints were made from this one (more than one: a fork point). */
  children: number;
  isHead: boolean;
}

/** Newest first: checkpoint ids grow with time (UUIDv6), so a string sort orders them. */
export function byNewest(a: CheckpointRecord, b: CheckpointRecord): number {
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** `existing` with `incoming` added (a record seen again replaces the old one), newest first. */
export function mergeRecords(existing: CheckpointRecord[], incoming: CheckpointRecord[]): CheckpointRecord[] {
  if (incoming.length === 0) return existing;
  const seen = new Map(existing.map((r) => [r.id, r] as const));
  for (const record of incoming) seen.set(record.id, record);
  const merged = [...seen.values()];
  merged.sort(byNewest);
  return merged;
}

/** Lay `records` (newest first) out in lanes. Linear in the number of records times lanes. */
export function treeRows(records: CheckpointRecord[], headId: string | null): TreeRow[] {
  const ids = new Set(records.map((r) => r.id));
  const children = new Map<string, number>();
  for (const r of records) {
    if (r.parentId !== null) children.set(r.parentId, (children.get(r.parentId) ?? 0) + 1);
  }
  // lanes[i]: the id of the checkpoint lane i waits for (the parent of the last row in it).
  const lanes: (string | null)[] = [];
  const rows: TreeRow[] = [];
  for (const record of records) {
    const waiting: number[] = [];
    lanes.forEach((awaited, i) => {
      if (awaited === record.id) waiting.push(i);
    });
    let lane: number;
    if (waiting.length > 0) {
      lane = waiting[0] as number;
    } else {
      const free = lanes.indexOf(null);
      lane = free === -1 ? lanes.length : free;
    }
    const joins = waiting.slice(1);
    for (const j of joins) lanes[j] = null;
    const through: number[] = [];
    lanes.forEach((awaited, i) => {
      if (awaited !== null && i !== lane) through.push(i);
    });
    const down = record.parentId !== null && ids.has(record.parentId);
    lanes[lane] = down ? record.parentId : null;
    while (lanes.length > 0 && lanes[lanes.length - 1] === null) lanes.pop();
    rows.push({
      record,
      lane,
      through,
      joins,
      up: waiting.length > 0,
      down,
      children: children.get(record.id) ?? 0,
      isHead: record.id === headId,
    });
  }
  return rows;
}

/** How many lanes the rows use (the width of the drawing). */
export function laneCount(rows: TreeRow[]): number {
  let widest = 0;
  for (const row of rows) {
    widest = Math.max(widest, row.lane + 1, ...row.through.map((l) => l + 1), ...row.joins.map((l) => l + 1));
  }
  return widest;
}
