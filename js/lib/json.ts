/**
 * JSON as people type it and as the kernel sends it: parsing with a message a person can act
 * on, and reading the `"$type"` markers of hitl_widgets/serialize.py (what was cut for display,
 * and what stands for a Python object).
 */

import type { Json, JsonObject, Path } from "./protocol";

export type Parsed = { ok: true; value: Json } | { ok: false; message: string };

/** Parse `text`; on failure say where (line and column) and what was expected there. */
export function parseJson(text: string): Parsed {
  if (text.trim() === "") return { ok: false, message: "Nothing to send: type a JSON value." };
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    const found = locateJsonError(text);
    if (found === null)
      return { ok: false, message: `Invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
    const at = text[found.offset];
    const what = at === undefined ? "the end of the input" : `'${at}'`;
    return {
      ok: false,
      message: `Invalid JSON at ${lineColumn(text, found.offset)}: expected ${found.expected}, found ${what}`,
    };
  }
}

export interface JsonSyntaxError {
  offset: number;
  expected: string;
}

/**
 * Where `text` stops being JSON, and what should have come there (browsers word and place
 * `JSON.parse` errors differently, and some give no position at all). Null if no error is found.
 */
export function locateJsonError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (expected: string): never => {
    throw { offset: i, expected } satisfies JsonSyntaxError;
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") i += 2;
      else if (c < " ") fail("no line break inside a string (write \\n)");
      else i++;
    }
    fail("the closing '\"' of a string");
  };
  const number = () => {
    const match = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    match.lastIndex = i;
    if (match.exec(text) === null) fail("a number");
    i = match.lastIndex;
  };
  const items = (close: "]" | "}", item: () => void) => {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      space();
      if (text[i] === ",") i++;
      else if (text[i] === close) {
        i++;
        return;
      } else fail(`',' or '${close}'`);
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      items("}", () => {
        space();
        if (text[i] !== '"') fail("a key in double quotes");
        string();
        space();
        if (text[i] !== ":") fail("':'");
        i++;
        value();
      });
    } else if (c === "[") items("]", value);
    else if (c === '"') string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) number();
    else {
      const literal = ["true", "false", "null"].find((word) => text.startsWith(word, i));
      if (literal === undefined) fail("a value (a string needs double quotes)");
      else i += literal.length;
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail("the end of the input");
  } catch (error) {
    return error as JsonSyntaxError;
  }
  return null;
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

/** A marker's `repr` as text: to_json sends a long one as a cut string (`{"$type": "str", ...}`). */
export function reprText(repr: Json | undefined): string {
  if (typeof repr === "string") return repr;
  if (markerType(repr) === "str" && isObject(repr)) return `${String(repr.text ?? "")}…`;
  return repr === undefined ? "…" : JSON.stringify(repr);
}

/** How many items a list had before to_json cut it: those sent, plus the count of a trailing
 * `{"$type": "more", "count": n}` marker. */
export function itemCount(items: Json[]): number {
  const last = items.at(-1);
  if (markerType(last) === "more" && isObject(last)) return items.length - 1 + Number(last.count ?? 0);
  return items.length;
}

/** How many keys a dict had before to_json cut it: those sent, plus the count of its `$more`. */
export function keyCount(value: JsonObject): number {
  const keys = Object.keys(value).filter((key) => key !== "$type" && key !== "$more");
  const more = value.$more;
  return keys.length + (isObject(more) ? Number(more.count ?? 0) : 0);
}

/** A container's header: `[1,000,000 items]`, `{1 key}`. */
export function sizeLabel(bracket: "[" | "{", count: number): string {
  const unit = bracket === "[" ? (count === 1 ? "item" : "items") : count === 1 ? "key" : "keys";
  return `${bracket}${count.toLocaleString("en-US")} ${unit}${bracket === "[" ? "]" : "}"}`;
}

/** A string as loaded by "show all": whole, or its start with its real `length` (a cut string
 * marker); null for anything else. Lengths count code points, as Python's `len` does. */
export function stringPart(value: Json): { text: string; length: number } | null {
  if (typeof value === "string") return { text: value, length: codePoints(value) };
  if (markerType(value) === "str" && isObject(value)) {
    const text = String(value.text ?? "");
    return { text, length: Number(value.length ?? codePoints(text)) };
  }
  return null;
}

/** Characters as Python counts them (a surrogate pair is one). */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** A value on one line, cut to `width` characters; markers read as what they stand for. */
export function compact(value: Json, width = 120): string {
  const text = JSON.stringify(value, (_key, item: unknown) => {
    const type = markerType(item);
    if (type === null || !isObject(item)) return item;
    if (type === "str") return `${String(item.text)}…`;
    if (type === "more") return `… ${String(item.count)} more`;
    if ("repr" in item) return `<${type} ${reprText(item.repr)}>`;
    return item;
  });
  const line = text ?? "undefined";
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}
