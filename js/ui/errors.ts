/**
 * The error area: every failed command and every error the kernel reports shows here, in
 * view, until dismissed — never only in a log.
 */

import type { Store } from "../client/store";
import { button, h } from "./dom";

export function errorArea(store: Store): { el: HTMLElement; dispose: () => void } {
  const el = h("div", { class: "hw-errors", attrs: { role: "alert", "aria-live": "assertive" } });
  const update = () => {
    el.replaceChildren(
      ...store.errors.map((error) => {
        const box = h(
          "div",
          { class: "hw-error", testid: "hw-error" },
          h(
            "div",
            { class: "hw-error-head" },
            h("strong", {}, `${error.action} failed: `),
            h("span", { testid: "hw-error-message" }, `${error.type}: ${error.message}`),
          ),
          button("×", "hw-error-dismiss", () => store.dismissError(error.key), {
            class: "hw-icon-button",
            label: "Dismiss this error",
            title: "Dismiss",
          }),
        );
        if (error.detail) {
          box.append(
            h("details", { class: "hw-error-detail" }, h("summary", {}, "Traceback"), h("pre", {}, error.detail)),
          );
        }
        return box;
      }),
    );
    el.hidden = store.errors.length === 0;
  };
  const stop = store.events.on("errors", update);
  update();
  return { el, dispose: stop };
}
