/**
 * The keyboard help: `?` anywhere in the widget (or the title's "?" button) shows every key
 * it answers; Esc, `?` again or the close button hides it.
 */

import { SHORTCUT_HELP } from "../lib/shortcuts";
import { button, h } from "./dom";

/** Hides the help overlay of the widget root that holds `from`; false if it was not shown. */
export function closeHelp(from: Element): boolean {
  const root = from.closest(".hw-root");
  const open = root?.querySelector(":scope > .hw-help");
  if (root === null || open === null || open === undefined) return false;
  open.remove();
  (root as HTMLElement).focus();
  return true;
}

/** Shows or hides the help overlay of the widget root that holds `from`. */
export function toggleHelp(from: Element): void {
  const root = from.closest(".hw-root");
  if (root === null || closeHelp(root)) return;
  const close = button("Close", "hw-help-close", () => toggleHelp(root), { class: "hw-button" });
  const overlay = h(
    "div",
    { class: "hw-help", testid: "hw-help", label: "Keyboard shortcuts", attrs: { role: "dialog" } },
    h("strong", {}, "Keyboard shortcuts"),
    h("div", { class: "hw-dim" }, "They work wherever the focus is in the widget: click its blank space first."),
    h(
      "div",
      { class: "hw-help-list", attrs: { role: "list" } },
      ...SHORTCUT_HELP.map(([keys, what]) =>
        h("div", { class: "hw-help-row", attrs: { role: "listitem" } }, h("kbd", {}, keys), h("span", {}, what)),
      ),
    ),
    close,
  );
  root.append(overlay);
  close.focus();
}

/** The "?" button of the title bar. */
export function helpButton(): HTMLButtonElement {
  const el = h(
    "button",
    {
      class: "hw-button hw-help-button",
      testid: "hw-help-button",
      title: "Keyboard shortcuts (?)",
      label: "Keyboard shortcuts",
      attrs: { type: "button", "aria-keyshortcuts": "?" },
    },
    "?",
  );
  el.addEventListener("click", () => toggleHelp(el));
  return el;
}
