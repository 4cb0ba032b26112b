/**
 * What a checkpoint changed from its parent, key by key, and inside a changed key path by path
 * (`+` added, `-` removed, `~` changed). The kernel decided which keys changed, on the real
 * values; this only shows the difference between the bounded views it sent.
 */

import { diffJson } from "../lib/diff";
import { compact, formatPath } from "../lib/json";
import type { Json, Path, StateChange } from "../lib/protocol";
import { h } from "./dom";

const SIGN = { add: "+", remove: "-", change: "~" } as const;

export function changeList(changes: StateChange[]): HTMLElement {
  if (changes.length === 0) return h("div", { class: "hw-empty" }, "No change from its parent.");
  const list = h("ul", { class: "hw-change-list" });
  for (const change of changes) {
    if (change.op === "change") {
      const offset = change.offset ?? 0;
      const { changes: inner, more } = diffJson(change.before ?? null, change.after ?? null);
      for (const item of inner) {
        list.append(line(item.op, shift([change.key, ...item.path], offset), item.before, item.after));
      }
      if (inner.length === 0) {
        list.append(
          h(
            "li",
            { class: "hw-change hw-change-change", testid: "hw-change" },
            `~ ${change.key}: changed past the part shown`,
          ),
        );
      }
      if (more > 0) list.append(h("li", { class: "hw-empty" }, `… and ${more} more changes in ${change.key}`));
    } else {
      list.append(line(change.op, [change.key], change.before, change.after));
    }
  }
  return list;
}

/** A change inside a list that kept its first `offset` items: indexes count from there. */
function shift(path: Path, offset: number): Path {
  if (offset === 0 || typeof path[1] !== "number") return path;
  return [path[0] as string, (path[1] as number) + offset, ...path.slice(2)];
}

function line(
  op: "add" | "remove" | "change",
  path: Path,
  before: Json | undefined,
  after: Json | undefined,
): HTMLElement {
  const text =
    op === "add"
      ? compact(after ?? null)
      : op === "remove"
        ? compact(before ?? null)
        : `${compact(before ?? null, 60)} → ${compact(after ?? null, 60)}`;
  return h(
    "li",
    { class: `hw-change hw-change-${op}`, testid: "hw-change" },
    h("span", { class: "hw-change-sign", attrs: { "aria-label": op } }, SIGN[op]),
    h("span", { class: "hw-change-path" }, formatPath(path)),
    h("span", { class: "hw-change-value" }, text),
  );
}
