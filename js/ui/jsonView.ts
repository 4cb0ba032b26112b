/**
 * A value as a collapsible tree: containers fold (closed ones are built when first opened),
 * long strings fold with "show all", and what the kernel cut for size (serialize.py's `$type`
 * markers) offers "load more", fetched through `load`. LangChain messages read as a
 * conversation: who speaks, what they say, the tools they call and with what, tool results;
 * their ids and other fields on demand. Text only: values are data, never markup.
 */

import { plural } from "../lib/format";
import {
  codePoints,
  formatPath,
  isObject,
  itemCount,
  keyCount,
  markerType,
  reprText,
  sizeLabel,
  stringPart,
} from "../lib/json";
import { asMessage, type ChatMessage, contentText, isConversation } from "../lib/messages";
import type { Json, JsonObject, Path } from "../lib/protocol";
import { h } from "./dom";

export interface JsonViewOptions {
  /** A wider view of the part at `path` (from item `offset` on, for lists). */
  load?: (path: Path, offset: number) => Promise<Json>;
  /** Containers shallower than this start open. */
  openDepth?: number;
  onError?: (error: unknown) => void;
  testid?: string;
  /** Top-level keys to mark as watched, each with its condition (or null: any change). */
  watched?: Record<string, string | null>;
}

/** Strings longer than this show their start and a "show all" button. */
export const FOLD = 240;

export function jsonView(value: Json, options: JsonViewOptions = {}, path: Path = []): HTMLElement {
  const root = h("div", { class: "hw-json", testid: options.testid ?? "hw-json" });
  root.append(valueNode(value, path, 0, options));
  return root;
}

function valueNode(value: Json, path: Path, depth: number, o: JsonViewOptions): HTMLElement {
  if (typeof value === "string") return stringNode(value, value.length, path, o, false);
  if (value === null || typeof value !== "object") {
    return h("span", { class: `hw-json-${value === null ? "null" : typeof value}` }, String(value));
  }
  if (Array.isArray(value)) {
    const conversation = isConversation(value);
    return container(
      "",
      "[",
      itemCount(value),
      arrayEntries(value),
      path,
      depth,
      o,
      conversation ? `[${plural(itemCount(value), "message")}]` : null,
    );
  }
  const message = asMessage(value);
  if (message !== null) return messageNode(message, value, path, depth, o);
  const type = markerType(value);
  if (type === null) return objectNode("", value, path, depth, o);
  return markerNode(type, value, path, depth, o);
}

function markerNode(type: string, value: JsonObject, path: Path, depth: number, o: JsonViewOptions): HTMLElement {
  switch (type) {
    case "str":
      return stringNode(String(value.text ?? ""), Number(value.length ?? 0), path, o, true);
    case "depth":
      return loadable(reprText(value.repr), "open", path, 0, depth, o);
    case "bytes":
      return h("span", { class: "hw-json-marker" }, `bytes (${String(value.length)} bytes)`);
    case "set":
      return container(
        "set",
        "[",
        itemCount(asArray(value.items)),
        arrayEntries(asArray(value.items)),
        [...path, "items"],
        depth,
        o,
      );
    case "ndarray":
      return container(
        `ndarray ${JSON.stringify(value.shape)} ${String(value.dtype)}`,
        "[",
        Number(value.size ?? 0),
        arrayEntries(asArray(value.items)),
        [...path, "items"],
        depth,
        o,
      );
    default:
      if ("repr" in value) return h("span", { class: "hw-json-marker" }, `<${type}> ${reprText(value.repr)}`);
      return objectNode(type, value, path, depth, o);
  }
}

function asArray(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

function arrayEntries(items: Json[], offset = 0): [string | number, Json][] {
  return items.map((item, i) => [offset + i, item]);
}

function objectNode(type: string, value: JsonObject, path: Path, depth: number, o: JsonViewOptions): HTMLElement {
  const entries: [string | number, Json][] = Object.entries(value).filter(([k]) => k !== "$type");
  return container(type, "{", keyCount(value), entries, path, depth, o);
}

function container(
  type: string,
  bracket: "[" | "{",
  count: number,
  entries: [string | number, Json][],
  path: Path,
  depth: number,
  o: JsonViewOptions,
  label: string | null = null,
): HTMLElement {
  const summary = h(
    "summary",
    { class: "hw-json-summary" },
    type ? `${type} ` : "",
    label ?? sizeLabel(bracket, count),
  );
  const details = h("details", { class: `hw-json-node${label ? " hw-conversation" : ""}` }, summary);
  const fill = () => {
    if (details.dataset.built) return;
    details.dataset.built = "1";
    const body = h("div", { class: "hw-json-body" });
    for (const [key, item] of entries) body.append(entryRow(key, item, path, depth + 1, o, details));
    details.append(body);
  };
  if (depth < (o.openDepth ?? 1)) {
    details.open = true;
    fill();
  } else {
    details.addEventListener("toggle", fill);
  }
  return details;
}

function entryRow(
  key: string | number,
  item: Json,
  path: Path,
  depth: number,
  o: JsonViewOptions,
  parent: HTMLElement,
): HTMLElement {
  if (markerType(item) === "more" && isObject(item)) {
    const count = Number(item.count ?? 0);
    if (o.load === undefined) return h("div", { class: "hw-json-row hw-json-marker" }, `… ${count} more`);
    if (key === "$more") {
      // A dict cut after some keys: load the whole dict wider, in place.
      return h(
        "div",
        { class: "hw-json-row" },
        loadable(`… ${count} more keys`, "load", path, 0, depth - 1, o, parent),
      );
    }
    // A list cut at index `key`: load the items from there and put them in place of the marker.
    const row = h("div", { class: "hw-json-row" });
    row.append(
      moreButton(`… ${count} more items`, async () => {
        const loaded = await load(o, path, Number(key));
        if (loaded === undefined) return;
        const rows = arrayEntries(asArray(loaded), Number(key)).map(([k, v]) => entryRow(k, v, path, depth, o, parent));
        row.replaceWith(...rows);
      }),
    );
    return row;
  }
  if (typeof key === "number" && asMessage(item) !== null) {
    // A message in a conversation: its role says more than its index, which stays a tooltip.
    return h(
      "div",
      { class: "hw-json-row", title: `${formatPath(path)}[${key}]` },
      valueNode(item, [...path, key], depth, o),
    );
  }
  const label = h("span", { class: "hw-json-key" }, typeof key === "number" ? `${key}` : key);
  const watched = path.length === 0 && typeof key === "string" ? o.watched?.[key] : undefined;
  const badge =
    watched === undefined
      ? []
      : [
          h(
            "span",
            {
              class: "hw-json-watched",
              testid: `hw-watched-${key}`,
              title:
                watched === null ? "Watched: a run pauses after a step that changes it" : `Watched when ${watched}`,
            },
            "watched",
          ),
        ];
  return h(
    "div",
    { class: "hw-json-row" },
    label,
    ...badge,
    h("span", { class: "hw-json-colon" }, ": "),
    valueNode(item, [...path, key], depth, o),
  );
}

/**
 * One chat message: its role, its text, its tool calls (name and arguments), a tool result's
 * tool and status; its ids and every other field behind "details".
 */
function messageNode(
  message: ChatMessage,
  value: JsonObject,
  path: Path,
  depth: number,
  o: JsonViewOptions,
): HTMLElement {
  const failed = message.status === "error";
  const el = h("div", {
    class: `hw-msg hw-msg-${message.role}${failed ? " hw-msg-failed" : ""}`,
    testid: "hw-msg",
    attrs: { "data-role": message.role },
  });
  el.append(h("div", { class: "hw-msg-role" }, message.role));
  if (message.role === "tool" && message.name) {
    el.append(h("div", { class: "hw-msg-tool" }, `result of ${message.name}${failed ? " (error)" : ""}`));
  }
  const said = contentText(message.content);
  const contentPath = [...path, "content"];
  const content = message.content;
  if (typeof content === "string") {
    // What was said, as text: no quotes, no escapes; a long one folds like any string.
    if (content !== "")
      el.append(
        h("div", { class: "hw-msg-content" }, stringNode(content, content.length, contentPath, o, false, false)),
      );
  } else if (markerType(content) === "str" && isObject(content)) {
    const text = String(content.text ?? "");
    el.append(
      h("div", { class: "hw-msg-content" }, stringNode(text, Number(content.length ?? 0), contentPath, o, true, false)),
    );
  } else if (said !== null) {
    if (said !== "") el.append(h("div", { class: "hw-msg-content" }, said));
  } else {
    el.append(h("div", { class: "hw-msg-content" }, valueNode(message.content, contentPath, depth + 1, o)));
  }
  message.toolCalls.forEach((call, i) => {
    el.append(
      h(
        "div",
        { class: "hw-msg-call", testid: "hw-msg-call" },
        h("span", { class: "hw-msg-arrow", attrs: { "aria-hidden": "true" } }, "→ "),
        h("span", { class: "hw-msg-call-name" }, call.name),
        " ",
        valueNode(call.args, [...path, "tool_calls", i, "args"], 0, o),
      ),
    );
  });
  const fields = h("details", { class: "hw-msg-fields" }, h("summary", {}, "ids and fields"));
  fields.addEventListener(
    "toggle",
    () => {
      fields.append(objectNode(markerType(value) ?? "", value, path, 0, { ...o, openDepth: 1 }));
    },
    { once: true },
  );
  el.append(fields);
  return el;
}

function stringNode(
  text: string,
  length: number,
  path: Path,
  o: JsonViewOptions,
  cut: boolean,
  quoted = true,
): HTMLElement {
  const el = h("span", { class: quoted ? "hw-json-string" : "hw-msg-text" });
  const folded = text.length > FOLD;
  const q = quoted ? '"' : "";
  const shown = document.createTextNode(`${q}${folded ? text.slice(0, FOLD) : text}${folded || cut ? "…" : q}`);
  el.append(shown);
  if (folded && (!cut || o.load !== undefined)) {
    el.append(
      moreButton(`show all (${length} characters)`, async () => {
        if (cut) {
          await showWhole(el, path, o);
          return;
        }
        el.replaceWith(wholeBox(text));
      }),
    );
  } else if (cut && o.load !== undefined) {
    el.append(moreButton(`load all ${length} characters`, () => showWhole(el, path, o)));
  } else if (cut) {
    el.append(h("span", { class: "hw-json-marker" }, ` (${length} characters in all)`));
  }
  return el;
}

/** A whole string, never folded again: in a scrollable box, as text. */
function wholeBox(text: string): HTMLElement {
  return h("pre", { class: "hw-json-string hw-json-whole", testid: "hw-json-whole" }, text);
}

/** Replace a cut string by the whole of it, loaded a page at a time (a string may be longer than
 * one page): the first page at once, the rest on "load the next characters". */
async function showWhole(el: HTMLElement, path: Path, o: JsonViewOptions): Promise<void> {
  const loaded = await load(o, path, 0);
  if (loaded === undefined) return;
  const first = stringPart(loaded);
  if (first === null) {
    el.replaceWith(valueNode(loaded, path, 0, o));
    return;
  }
  const box = wholeBox(first.text);
  const total = first.length;
  let got = codePoints(first.text);
  const wrap = h("div", {}, box);
  const next = (): void => {
    if (got >= total) return;
    const button = moreButton(`load the next characters (${got} of ${total} shown)`, async () => {
      const part = stringPart((await load(o, path, got)) ?? null);
      if (part === null || part.text === "") return;
      box.append(part.text);
      got += codePoints(part.text);
      button.remove();
      next();
    });
    wrap.append(button);
  };
  next();
  el.replaceWith(wrap);
}

function loadable(
  text: string,
  action: string,
  path: Path,
  offset: number,
  depth: number,
  o: JsonViewOptions,
  target?: HTMLElement,
): HTMLElement {
  const el = h("span", { class: "hw-json-marker" }, text, " ");
  if (o.load === undefined) return el;
  el.append(
    moreButton(action, async () => {
      const loaded = await load(o, path, offset);
      if (loaded !== undefined)
        (target ?? el).replaceWith(valueNode(loaded, path, depth, { ...o, openDepth: depth + 1 }));
    }),
  );
  return el;
}

function moreButton(text: string, action: () => Promise<void>): HTMLButtonElement {
  const el = h("button", { class: "hw-link", testid: "hw-more", attrs: { type: "button" } }, text);
  el.addEventListener("click", (event) => {
    event.stopPropagation();
    el.disabled = true;
    action().finally(() => {
      el.disabled = false;
    });
  });
  return el;
}

async function load(o: JsonViewOptions, path: Path, offset: number): Promise<Json | undefined> {
  if (o.load === undefined) return undefined;
  try {
    return await o.load(path, offset);
  } catch (error) {
    o.onError?.(error);
    return undefined;
  }
}
