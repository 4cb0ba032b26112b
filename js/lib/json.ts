/**
 * JSON as people type it and as the kernel sends it: parsing with a message a person can act
 * on, and reading the `"$type"` markers of hitl_widgets/serialize.py (what was cut for display,
 * and what stands for a Python object).
 */

import type { Json, JsonObject, Path } from "./protocol";

export type Parsed = { ok: true; value: Json } | { ok: false; message: string };

/** Parse `text`; on failure say where (line and column) and what was wrong. */
export function parseJson(text: string): Parsed {
  if (text.trim() === "") return { ok: false, message: "Nothing to send: type a JSON value." };
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(reason);
    const where = position?.[1] ? ` at ${lineColumn(text, Number(position[1]))}` : "";
    const what = reason.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+/, "");
    return { ok: false, message: `Invalid JSON${where}: ${what}` };
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Markers meaning "this is not the whole value" or "this has no JSON form". */
const CUT_TYPES = new Set(["str", "more", "depth", "cycle", "bytes", "set", "ndarray", "float", "error"]);

/** The `$type` of a marker object, or null for plain JSON. */
export function markerType(value: unknown): string | null {
  if (!isObject(value)) return null;
  const type = value.$type;
  return typeof type === "string" ? type : null;
}

/** True when a marker stands for a value shown only in part or with no JSON form. */
export function isCut(value: unknown): boolean {
  const type = markerType(value);
  if (type === null) return false;
  return CUT_TYPES.has(type) || (isObject(value) && "repr" in value);
}

export interface Editable {
  value: Json;
  /** Paths of parts that cannot be sent back as they are (cut, or with no JSON form). */
  cut: Path[];
}

/**
 * A bounded view turned into values that can be sent back as an edit: objects shown with
 * their class (`{"$type": "HumanMessage", ...fields}`) become their fields, and every part that
 * was cut or has no JSON form is listed, so the editor can refuse to send it.
 */
export function toEditable(value: Json, path: Path = []): Editable {
  if (Array.isArray(value)) {
    const cut: Path[] = [];
    const items = value.map((item, index) => {
      const inner = toEditable(item, [...path, index]);
      cut.push(...inner.cut);
      return inner.value;
    });
    return { value: items, cut };
  }
  if (!isObject(value)) return { value, cut: [] };
  if (isCut(value)) return { value, cut: [path] };
  const cut: Path[] = [];
  const fields: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "$type") continue;
    if (key === "$more") {
      cut.push([...path, key]);
      continue;
    }
    const inner = toEditable(item, [...path, key]);
    cut.push(...inner.cut);
    fields[key] = inner.value;
  }
  return { value: fields, cut };
}

/** A path as a person reads it: `messages[3].content`. */
export function formatPath(path: Path): string {
  let text = "";
  for (const segment of path) {
    text += typeof segment === "number" ? `[${segment}]` : text === "" ? segment : `.${segment}`;
  }
  return text || "(the whole value)";
}

export function pretty(value: Json): string {
  return JSON.stringify(value, null, 2);
}

/** A value on one line, cut to `width` characters; markers read as what they stand for. */
export function compact(value: Json, width = 120): string {
  const text = JSON.stringify(value, (_key, item: unknown) => {
    const type = markerType(item);
    if (type === null || !isObject(item)) return item;
    if (type === "str") return `${String(item.text)}…`;
    if (type === "more") return `… ${String(item.count)} more`;
    if ("repr" in item) return `<${type} ${String(item.repr)}>`;
    return item;
  });
  const line = text ?? "undefined";
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}
