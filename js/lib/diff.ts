/**
 * Differences between JSON values, for people: which paths were added, removed or changed.
 * Used to show what a checkpoint changed inside a key, and which keys an edit touches (only
 * those are sent, so an unchanged list under an `add` reducer is not appended twice).
 */

import { isObject } from "./json";
import type { Json, JsonObject, Path } from "./protocol";

export interface JsonChange {
  path: Path;
  op: "add" | "remove" | "change";
  before?: Json;
  after?: Json;
}

/** At most this many changes are listed; the rest are counted. */
export const MAX_CHANGES = 200;

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i] as Json));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => key in b && deepEqual(a[key] as Json, b[key] as Json));
  }
  return false;
}

/** Paths where `before` and `after` differ, outermost first; containers of different kinds
 * (or a container and a scalar) count as one change at their path. */
export function diffJson(before: Json, after: Json, limit = MAX_CHANGES): { changes: JsonChange[]; more: number } {
  const changes: JsonChange[] = [];
  let more = 0;
  const add = (change: JsonChange) => {
    if (changes.length < limit) changes.push(change);
    else more += 1;
  };
  const walk = (a: Json, b: Json, path: Path) => {
    if (deepEqual(a, b)) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      const shared = Math.min(a.length, b.length);
      for (let i = 0; i < shared; i++) walk(a[i] as Json, b[i] as Json, [...path, i]);
      for (let i = shared; i < b.length; i++) add({ path: [...path, i], op: "add", after: b[i] as Json });
      for (let i = shared; i < a.length; i++) add({ path: [...path, i], op: "remove", before: a[i] as Json });
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const [key, value] of Object.entries(b)) {
        if (key in a) walk(a[key] as Json, value, [...path, key]);
        else add({ path: [...path, key], op: "add", after: value });
      }
      for (const [key, value] of Object.entries(a)) {
        if (!(key in b)) add({ path: [...path, key], op: "remove", before: value });
      }
      return;
    }
    add({ path, op: "change", before: a, after: b });
  };
  walk(before, after, []);
  return { changes, more };
}

export interface KeyEdits {
  /** Keys whose value the person changed or added: what an edit sends. */
  values: JsonObject;
  /** Keys the person deleted: a checkpoint cannot lose a key, so these are reported, not sent. */
  removed: string[];
}

/** The top-level keys of an edited state that differ from the state it started from. */
export function editedKeys(original: JsonObject, edited: JsonObject): KeyEdits {
  const values: JsonObject = {};
  for (const [key, value] of Object.entries(edited)) {
    if (!(key in original) || !deepEqual(original[key] as Json, value)) values[key] = value;
  }
  const removed = Object.keys(original).filter((key) => !(key in edited));
  return { values, removed };
}

/** A run of items added at the end of one list: one line for people, however many items. */
export interface ListAdd {
  path: Path;
  op: "append";
  /** Index of the first added item. */
  from: number;
  items: Json[];
}

/**
 * `changes` with every run of consecutive items added to the same list (`list[5]`, `list[6]`,
 * ...) folded into one `append`: a step that added 300 messages is one line, not 300.
 */
export function groupAdds(changes: JsonChange[]): (JsonChange | ListAdd)[] {
  const out: (JsonChange | ListAdd)[] = [];
  for (const change of changes) {
    const index = change.path.at(-1);
    const parent = change.path.slice(0, -1);
    const last = out.at(-1);
    if (change.op === "add" && typeof index === "number") {
      if (
        last !== undefined &&
        last.op === "append" &&
        last.from + last.items.length === index &&
        samePath(last.path, parent)
      ) {
        last.items.push(change.after ?? null);
        continue;
      }
      out.push({ path: parent, op: "append", from: index, items: [change.after ?? null] });
      continue;
    }
    out.push(change);
  }
  return out.map((item) => (item.op === "append" && item.items.length === 1 ? single(item) : item));
}

function single(add: ListAdd): JsonChange {
  return { path: [...add.path, add.from], op: "add", after: add.items[0] ?? null };
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}
