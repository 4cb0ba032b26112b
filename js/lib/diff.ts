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
