import { describe, expect, it } from "vitest";
import {
  codePoints,
  compact,
  formatPath,
  isCut,
  itemCount,
  keyCount,
  locateJsonError,
  markerType,
  parseJson,
  reprText,
  sizeLabel,
  stringPart,
  toEditable,
} from "../lib/json";
import type { Json } from "../lib/protocol";

describe("parseJson", () => {
  it("parses valid JSON", () => {
    expect(parseJson(' {"a": [1, "x"]} ')).toEqual({ ok: true, value: { a: [1, "x"] } });
    expect(parseJson('"yes"')).toEqual({ ok: true, value: "yes" });
  });

  it("says where invalid JSON breaks and what was expected there", () => {
    expect(parseJson('{\n  "a": 1,\n  b: 2\n}')).toEqual({
      ok: false,
      message: "Invalid JSON at line 3, column 3: expected a key in double quotes, found 'b'",
    });
    expect(parseJson('{"some_text": hi}')).toEqual({
      ok: false,
      message: "Invalid JSON at line 1, column 15: expected a value (a string needs double quotes), found 'h'",
    });
  });

  it("refuses empty input with a hint", () => {
    expect(parseJson("   ")).toEqual({ ok: false, message: "Nothing to send: type a JSON value." });
  });

  it("refuses a bare word (a string needs quotes)", () => {
    expect(parseJson("yes").ok).toBe(false);
  });
});

describe("locateJsonError", () => {
  it("finds the first place a text stops being JSON", () => {
    expect(locateJsonError("[1, 2,]")).toEqual({ offset: 6, expected: "a value (a string needs double quotes)" });
    expect(locateJsonError('{"a": 1 "b": 2}')).toEqual({ offset: 8, expected: "',' or '}'" });
    expect(locateJsonError('"open')).toEqual({ offset: 5, expected: "the closing '\"' of a string" });
    expect(locateJsonError('"a\\nb"')).toBeNull(); // an escaped line break
    expect(locateJsonError('"a\nb"')).toEqual({ offset: 2, expected: "no line break inside a string (write \\n)" });
    expect(locateJsonError("1 2")).toEqual({ offset: 2, expected: "the end of the input" });
    expect(locateJsonError("-")).toEqual({ offset: 0, expected: "a number" });
    expect(locateJsonError('{"a": [true, null, -1.5e3, {"b": "c\\""}]}')).toBeNull();
  });
});

describe("markers", () => {
  it("tells cut parts from objects shown with their class", () => {
    expect(markerType({ $type: "str", text: "ab", length: 9 })).toBe("str");
    expect(isCut({ $type: "str", text: "ab", length: 9 })).toBe(true);
    expect(isCut({ $type: "more", count: 3 })).toBe(true);
    expect(isCut({ $type: "Widget", repr: "<Widget>" })).toBe(true);
    expect(isCut({ $type: "HumanMessage", content: "hi" })).toBe(false);
    expect(isCut({ content: "hi" })).toBe(false);
  });
});

describe("toEditable", () => {
  it("turns class-marked objects into their fields and lists cut parts", () => {
    const shown: Json = {
      messages: [
        { $type: "HumanMessage", content: "hi", type: "human" },
        { $type: "more", count: 4 },
      ],
      text: { $type: "str", text: "abc", length: 5000 },
      meta: { a: 1, $more: { $type: "more", count: 2 } },
    };
    const editable = toEditable(shown);
    expect(editable.value).toEqual({
      messages: [
        { content: "hi", type: "human" },
        { $type: "more", count: 4 },
      ],
      text: { $type: "str", text: "abc", length: 5000 },
      meta: { a: 1 },
    });
    expect(editable.cut).toEqual([["messages", 1], ["text"], ["meta", "$more"]]);
  });
});

describe("formatPath and compact", () => {
  it("reads like code", () => {
    expect(formatPath(["messages", 3, "content"])).toBe("messages[3].content");
    expect(formatPath([])).toBe("(the whole value)");
  });

  it("shows markers for what they are, on one line", () => {
    expect(compact({ s: { $type: "str", text: "ab", length: 10 } })).toBe('{"s":"ab…"}');
    expect(compact([1, { $type: "more", count: 5 }])).toBe('[1,"… 5 more"]');
    expect(compact("x".repeat(200), 10)).toBe(`"${"x".repeat(8)}…`);
  });

  it("reads a depth marker whose repr was itself cut as text, not [object Object]", () => {
    const deep = { $type: "depth", repr: { $type: "str", text: "{'a': [1, 2", length: 5000 } };
    expect(compact({ k: deep })).toBe(`{"k":"<depth {'a': [1, 2…>"}`);
    expect(compact({ $type: "depth", repr: "[1]" })).toBe('"<depth [1]>"');
    expect(reprText({ $type: "str", text: "abc", length: 9 })).toBe("abc…");
  });
});

describe("itemCount, keyCount and sizeLabel", () => {
  it("count what a list or dict held before it was cut, not what was sent", () => {
    const list: Json[] = [1, 2, { $type: "more", count: 999_998 }];
    expect(itemCount(list)).toBe(1_000_000);
    expect(sizeLabel("[", itemCount(list))).toBe("[1,000,000 items]");
    expect(itemCount([1, { a: 1 }])).toBe(2);
    expect(keyCount({ a: 1, b: 2, $more: { $type: "more", count: 98 } })).toBe(100);
    expect(keyCount({ $type: "HumanMessage", content: "hi" })).toBe(1);
    expect(sizeLabel("{", 1)).toBe("{1 key}");
  });
});

describe("stringPart", () => {
  it("reads a loaded string, whole or cut, with its real length in code points", () => {
    expect(stringPart("ab😀")).toEqual({ text: "ab😀", length: 3 });
    expect(stringPart({ $type: "str", text: "abc", length: 600_000 })).toEqual({ text: "abc", length: 600_000 });
    expect(stringPart([1])).toBeNull();
    expect(codePoints("😀x")).toBe(2);
  });
});
