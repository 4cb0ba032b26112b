/**
 * What a checkpoint changed from its parent, key by key, and inside a changed key path by path
 * (`+` added, `-` removed, `~` changed). The kernel decided which keys changed, on the real
 * values; this only shows the difference between the bounded views it sent. Items appended to
 * a list are one line however many (a conversation that grew by 300 messages is one line),
 * opening to show them; messages read as chat lines.
 */

import { diffJson, groupAdds } from "../lib/diff";
import { formatPath, itemCount, markerType } from "../lib/json";
import { isConversation, oneLine } from "../lib/messages";
import type { Json, Path, StateChange } from "../lib/protocol";
import { h } from "./dom";
import { jsonView } from "./jsonView";

const SIGN = { add: "+", remove: "-", change: "~", append: "+" } as const;

export function changeList(changes: StateChange[], testid = "hw-change-list"): HTMLElement {
  if (changes.length === 0) return h("div", { class: "hw-empty", testid }, "No change.");
  const list = h("ul", { class: "hw-change-list", testid });
  for (const change of changes) {
    if (change.op === "change") {
      const offset = change.offset ?? 0;
      const { changes: inner, more } = diffJson(change.before ?? null, change.after ?? null);
      for (const item of groupAdds(inner)) {
        if (item.op === "append") {
          const path = shift([change.key, ...item.path, item.from], offset);
          list.append(appended(path, item.items));
        } else {
          list.append(line(item.op, shift([change.key, ...item.path], offset), item.before, item.after));
        }
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

/** Items appended to a list at `path` (which ends with the first new index): one line that
 * opens to show them (a conversation as chat). */
function appended(path: Path, items: Json[]): HTMLElement {
  const first = path.at(-1) as number;
  const count = itemCount(items);
  const where = `${formatPath(path.slice(0, -1))}[${first}${count > 1 ? `…${first + count - 1}` : ""}]`;
  const what = `${count} new ${isConversation(items) ? "message" : "item"}${count === 1 ? "" : "s"}`;
  // All of them on one line when they were all sent; else the first, since the rest is unseen.
  const sent = items.filter((item) => markerType(item) !== "more");
  const gist = sent.length === count ? oneLine(items, 90) : `first ${oneLine(sent[0] ?? null, 80)}`;
  const summary = h(
    "summary",
    {},
    h("span", { class: "hw-change-sign", attrs: { "aria-label": "add" } }, "+"),
    h("span", { class: "hw-change-path" }, where),
    h("span", { class: "hw-change-value" }, `${what}: ${gist}`),
  );
  const details = h("details", {}, summary);
  details.addEventListener(
    "toggle",
    () => {
      details.append(jsonView(items, { openDepth: 1, testid: "hw-change-items" }));
    },
    { once: true },
  );
  return h("li", { class: "hw-change hw-change-add hw-change-append", testid: "hw-change" }, details);
}

function line(
  op: "add" | "remove" | "change",
  path: Path,
  before: Json | undefined,
  after: Json | undefined,
): HTMLElement {
  const text =
    op === "add"
      ? oneLine(after ?? null)
      : op === "remove"
        ? oneLine(before ?? null)
        : `${oneLine(before ?? null, 60)} → ${oneLine(after ?? null, 60)}`;
  return h(
    "li",
    { class: `hw-change hw-change-${op}`, testid: "hw-change" },
    h("span", { class: "hw-change-sign", attrs: { "aria-label": op } }, SIGN[op]),
    h("span", { class: "hw-change-path" }, formatPath(path)),
    h("span", { class: "hw-change-value" }, text),
  );
}
