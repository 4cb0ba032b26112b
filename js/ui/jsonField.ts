/**
 * A text box for JSON with its message line: Ctrl/Cmd+Enter submits, what is wrong shows under
 * it (and marks it invalid for screen readers) until the person types again. Every JSON box of
 * the widgets is one of these, so each refuses invalid JSON the same way, before sending.
 */

import { parseJson } from "../lib/json";
import type { Json } from "../lib/protocol";
import { isSubmit } from "../lib/shortcuts";
import { h } from "./dom";

export interface JsonFieldOptions {
  testid: string;
  errorTestid: string;
  label: string;
  title?: string;
  rows: number;
  placeholder?: string;
  value?: string;
  class?: string;
  onSubmit?: () => void;
}

export interface JsonField {
  input: HTMLTextAreaElement;
  message: HTMLElement;
  /** The box's value parsed; undefined (with the reason shown) when it is not JSON. */
  read: () => Json | undefined;
  /** Show `text` under the box as what is wrong ("" clears it). */
  say: (text: string) => void;
}

export function jsonField(options: JsonFieldOptions): JsonField {
  const input = h("textarea", {
    class: options.class ?? "hw-code",
    testid: options.testid,
    label: options.label,
    title: options.title,
    attrs: { rows: options.rows, spellcheck: false, placeholder: options.placeholder },
  });
  input.value = options.value ?? "";
  const message = h("div", { class: "hw-field-error", testid: options.errorTestid, attrs: { role: "status" } });
  const say = (text: string) => {
    message.textContent = text;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
  const read = () => {
    const parsed = parseJson(input.value);
    if (parsed.ok) return parsed.value;
    say(parsed.message);
    return undefined;
  };
  input.addEventListener("input", () => say(""));
  const submit = options.onSubmit;
  if (submit !== undefined) {
    input.addEventListener("keydown", (event) => {
      if (isSubmit(event)) {
        event.preventDefault();
        submit();
      }
    });
  }
  return { input, message, read, say };
}
