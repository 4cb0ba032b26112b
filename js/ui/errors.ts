/**
 * Where errors show: next to the control that caused them (an error slot: the start box, the
 * state editor, an answer box, the checkpoint list), else in the error area at the top of the
 * view — never only in a log. The same error again is counted rather than stacked, and a
 * later command that succeeds clears them (store.ts).
 */

import { type ShownError, type Store, TOP } from "../client/store";
import { button, type Disposer, h } from "./dom";

function errorBox(store: Store, error: ShownError): HTMLElement {
  const box = h(
    "div",
    { class: "hw-error", testid: "hw-error", attrs: { "data-place": error.place } },
    h(
      "div",
      { class: "hw-error-head" },
      h("strong", {}, `${error.action} failed: `),
      h("span", { testid: "hw-error-message" }, `${error.type}: ${error.message}`),
      error.count > 1
        ? h(
            "span",
            { class: "hw-error-count", testid: "hw-error-count", title: "How many times it failed so" },
            ` ×${error.count}`,
          )
        : null,
    ),
    button("×", "hw-error-dismiss", () => store.dismissError(error.key), {
      class: "hw-icon-button",
      label: "Dismiss this error",
      title: "Dismiss",
    }),
  );
  if (error.detail) {
    box.append(h("details", { class: "hw-error-detail" }, h("summary", {}, "Traceback"), h("pre", {}, error.detail)));
  }
  return box;
}

/** The error area at the top of a view: errors of no place, and of places not on the page. */
export function errorArea(store: Store): { el: HTMLElement; dispose: () => void } {
  const el = h("div", { class: "hw-errors", testid: "hw-errors", attrs: { role: "alert", "aria-live": "assertive" } });
  const update = () => {
    const shown = store.errors.filter((e) => e.place === TOP || !store.hasSlot(e.place));
    el.replaceChildren(...shown.map((error) => errorBox(store, error)));
    el.hidden = shown.length === 0;
  };
  const stop = store.events.on("errors", update);
  update();
  return { el, dispose: stop };
}

/** Errors of `place`, shown where this element is put (next to their cause). A slot that
 * leaves the page (a closed editor, an answered interrupt) stops listening by itself. */
export function errorSlot(store: Store, place: string, disposer?: Disposer): HTMLElement {
  const el = h("div", { class: "hw-errors hw-errors-inline", testid: `hw-errors-${place}`, attrs: { role: "alert" } });
  let placed = false;
  const update = () => {
    if (el.isConnected) placed = true;
    else if (placed) {
      stop();
      unregister();
      return;
    }
    const shown = store.errors.filter((e) => e.place === place);
    el.replaceChildren(...shown.map((error) => errorBox(store, error)));
    el.hidden = shown.length === 0;
  };
  const unregister = store.addSlot(place, el);
  const stop: () => void = store.events.on("errors", update);
  update();
  disposer?.add(() => {
    stop();
    unregister();
  });
  return el;
}
