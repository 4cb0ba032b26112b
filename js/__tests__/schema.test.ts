import { describe, expect, it } from "vitest";
import { formFor, readForm, validate } from "../lib/schema";

const rating = {
  type: "object",
  properties: { rating: { type: "integer", minimum: 1, maximum: 5 }, comment: { type: "string" } },
  required: ["rating"],
};

describe("formFor", () => {
  it("makes a field per property, with types, bounds and required marks", () => {
    const form = formFor(rating);
    expect(form?.object).toBe(true);
    expect(form?.fields.map((f) => [f.name, f.kind, f.required, f.minimum, f.maximum])).toEqual([
      ["rating", "integer", true, 1, 5],
      ["comment", "string", false, null, null],
    ]);
  });

  it("makes one field for a scalar or enum schema", () => {
    expect(formFor({ type: "boolean" })?.fields[0]?.kind).toBe("boolean");
    const choice = formFor({ enum: ["approve", "reject"] });
    expect(choice?.object).toBe(false);
    expect(choice?.fields[0]?.options).toEqual(["approve", "reject"]);
  });

  it("gives up (a JSON box instead) on nested objects and arrays", () => {
    expect(formFor({ type: "object", properties: { tags: { type: "array" } } })).toBeNull();
    expect(formFor({ type: "array" })).toBeNull();
    expect(formFor("not a schema")).toBeNull();
  });
});

describe("readForm", () => {
  const form = formFor(rating);
  if (form === null) throw new Error("no form");

  it("builds the answer, converting numbers", () => {
    expect(readForm(form, rating, { rating: "4", comment: "good" })).toEqual({
      ok: true,
      value: { rating: 4, comment: "good" },
    });
    expect(readForm(form, rating, { rating: "5", comment: "" })).toEqual({ ok: true, value: { rating: 5 } });
  });

  it("refuses missing, out-of-range and non-integer values, field by field", () => {
    expect(readForm(form, rating, { rating: "", comment: "" })).toEqual({ ok: false, errors: { rating: "required" } });
    expect(readForm(form, rating, { rating: "9" })).toEqual({ ok: false, errors: { rating: "must be at most 5" } });
    expect(readForm(form, rating, { rating: "2.5" })).toEqual({ ok: false, errors: { rating: "must be integer" } });
    expect(readForm(form, rating, { rating: "abc" })).toEqual({ ok: false, errors: { rating: "not a number" } });
  });

  it("reads checkboxes and enum choices", () => {
    const schema = {
      type: "object",
      properties: { ok: { type: "boolean" }, mode: { enum: ["a", "b"] } },
      required: ["mode"],
    };
    const f = formFor(schema);
    if (f === null) throw new Error("no form");
    expect(readForm(f, schema, { ok: true, mode: "b" })).toEqual({ ok: true, value: { ok: true, mode: "b" } });
    expect(readForm(f, schema, { ok: false, mode: "" })).toEqual({ ok: false, errors: { mode: "required" } });
  });
});

describe("validate", () => {
  it("accepts what matches and names what does not", () => {
    expect(validate(rating, { rating: 3 })).toEqual([]);
    expect(validate(rating, { comment: "x" })).toEqual([{ field: "rating", message: "required" }]);
    expect(validate(rating, "3")).toEqual([{ field: "", message: "must be object" }]);
    expect(validate({ type: "string", minLength: 2 }, "a")).toEqual([
      { field: "", message: "must have at least 2 characters" },
    ]);
    expect(validate({ type: "array", items: { type: "number" } }, [1, "x"])).toEqual([
      { field: "", message: "must be number" },
    ]);
    expect(validate({ type: ["string", "null"] }, null)).toEqual([]);
  });
});
