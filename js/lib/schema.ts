/**
 * Answers shaped by an interrupt's `response_schema` (JSON Schema): a form for the common
 * cases (an object of strings, numbers, integers, booleans and enums, or one such value) and a
 * validator for any answer, so nothing that breaks the schema is sent.
 */

import { isObject } from "./json";
import type { Json, JsonObject } from "./protocol";

export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum";

export interface Field {
  /** Property name; "" for a schema that is one value rather than an object. */
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description: string | null;
  options: Json[];
  minimum: number | null;
  maximum: number | null;
  minLength: number | null;
  maxLength: number | null;
  default: Json | undefined;
}

export interface Form {
  /** True when the answer is an object of the fields; false for a single value. */
  object: boolean;
  fields: Field[];
}

/** The raw inputs of a form: text for most fields, a boolean for checkboxes. */
export type FormInput = Record<string, string | boolean>;

export type FormResult = { ok: true; value: Json } | { ok: false; errors: Record<string, string> };

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function fieldOf(name: string, schema: JsonObject, required: boolean): Field | null {
  const options = Array.isArray(schema.enum) ? schema.enum : null;
  const type = schema.type;
  let kind: FieldKind;
  if (options !== null) kind = "enum";
  else if (type === "string" || type === "number" || type === "integer" || type === "boolean") kind = type;
  else return null;
  return {
    name,
    label: typeof schema.title === "string" ? schema.title : name || "answer",
    kind,
    required,
    description: typeof schema.description === "string" ? schema.description : null,
    options: options ?? [],
    minimum: num(schema.minimum),
    maximum: num(schema.maximum),
    minLength: num(schema.minLength),
    maxLength: num(schema.maxLength),
    default: "default" in schema ? schema.default : undefined,
  };
}

/** A form for `schema`, or null when it needs more than a form can give (use a JSON box). */
export function formFor(schema: Json): Form | null {
  if (!isObject(schema)) return null;
  if (schema.type === "object" || isObject(schema.properties)) {
    const properties = schema.properties;
    if (!isObject(properties)) return null;
    const required = new Set(
      Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : [],
    );
    const fields: Field[] = [];
    for (const [name, sub] of Object.entries(properties)) {
      const field = isObject(sub) ? fieldOf(name, sub, required.has(name)) : null;
      if (field === null) return null;
      fields.push(field);
    }
    return { object: true, fields };
  }
  const single = fieldOf("", schema, true);
  return single === null ? null : { object: false, fields: [single] };
}

function readField(field: Field, raw: string | boolean | undefined): { value?: Json; error?: string } {
  if (field.kind === "boolean") return { value: raw === true };
  const text = typeof raw === "string" ? raw : "";
  if (text.trim() === "") return field.required ? { error: "required" } : {};
  if (field.kind === "enum") {
    const chosen = field.options.find((option) => String(option) === text);
    return chosen === undefined
      ? { error: `choose one of ${field.options.map(String).join(", ")}` }
      : { value: chosen };
  }
  if (field.kind === "string") return { value: text };
  const n = Number(text);
  if (!Number.isFinite(n)) return { error: "not a number" };
  return { value: n };
}

/** The answer the form's inputs make, checked against the schema it came from. */
export function readForm(form: Form, schema: Json, input: FormInput): FormResult {
  const errors: Record<string, string> = {};
  const object: JsonObject = {};
  let single: Json = null;
  for (const field of form.fields) {
    const read = readField(field, input[field.name]);
    if (read.error !== undefined) errors[field.name] = read.error;
    else if (read.value !== undefined) {
      if (form.object) object[field.name] = read.value;
      else single = read.value;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const value = form.object ? object : single;
  const problems = validate(schema, value);
  if (problems.length > 0) {
    for (const problem of problems) errors[problem.field] ??= problem.message;
    return { ok: false, errors };
  }
  return { ok: true, value };
}

export interface Problem {
  /** The top-level property concerned, "" for the value itself. */
  field: string;
  message: string;
}

function typeMatches(type: Json, value: Json): boolean {
  if (Array.isArray(type)) return type.some((t) => typeMatches(t, value));
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return true;
  }
}

/** What in `value` breaks `schema` (type, enum, required, bounds, nested properties, items). */
export function validate(schema: Json, value: Json, field = ""): Problem[] {
  if (!isObject(schema)) return [];
  const problems: Problem[] = [];
  const say = (message: string) => problems.push({ field, message });
  if (schema.type !== undefined && !typeMatches(schema.type, value)) {
    say(`must be ${Array.isArray(schema.type) ? schema.type.join(" or ") : String(schema.type)}`);
    return problems;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    say(`must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(", ")}`);
  }
  if (typeof value === "number") {
    const min = num(schema.minimum);
    const max = num(schema.maximum);
    if (min !== null && value < min) say(`must be at least ${min}`);
    if (max !== null && value > max) say(`must be at most ${max}`);
  }
  if (typeof value === "string") {
    const min = num(schema.minLength);
    const max = num(schema.maxLength);
    if (min !== null && value.length < min) say(`must have at least ${min} characters`);
    if (max !== null && value.length > max) say(`must have at most ${max} characters`);
  }
  if (isObject(value)) {
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name === "string" && !(name in value)) problems.push({ field: field || name, message: "required" });
      }
    }
    if (isObject(schema.properties)) {
      for (const [name, sub] of Object.entries(schema.properties)) {
        if (name in value) problems.push(...validate(sub, value[name] as Json, field || name));
      }
    }
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    const items = schema.items;
    value.forEach((item) => {
      problems.push(...validate(items, item, field));
    });
  }
  return problems;
}
