/**
 * The run as it happens: which nodes run now, each node's LLM tokens as they arrive, and the
 * custom events nodes write with `get_stream_writer()`. Hidden while there is nothing to show.
 * Text goes in as text nodes (payloads are data, never HTML).
 */

import type { Store } from "../client/store";
import { type Disposer, h } from "./dom";

export function livePanel(store: Store, disposer: Disposer): HTMLElement {
  const running = h("div", { class: "hw-live-running", testid: "hw-live-running", attrs: { "aria-live": "polite" } });
  const tokens = h("div", { class: "hw-live-tokens", testid: "hw-live-tokens" });
  const custom = h("ol", { class: "hw-live-custom", testid: "hw-live-custom" });
  const panel = h(
    "section",
    { class: "hw-panel hw-live", testid: "hw-panel-live", label: "Live run" },
    h("h3", { class: "hw-heading" }, "Live"),
    running,
    tokens,
    custom,
  );
  const boxes = new Map<string, HTMLElement>();

  const update = () => {
    const live = store.live;
    const isRunning = store.model.get("status").running !== null;
    panel.hidden = !isRunning && live.tokens.size === 0 && live.custom.length === 0;
    running.textContent = live.running.length
      ? `Running: ${live.running.join(", ")}`
      : isRunning
        ? "Running…"
        : "Last run";
    for (const [node, text] of live.tokens) {
      let box = boxes.get(node);
      if (box === undefined) {
        box = h("pre", { class: "hw-live-text", testid: `hw-live-text-${node}` });
        boxes.set(node, box);
        tokens.append(h("div", { class: "hw-live-node" }, h("div", { class: "hw-live-label" }, node), box));
      }
      if (box.textContent !== text) {
        const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
        box.textContent = text;
        if (atEnd) box.scrollTop = box.scrollHeight; // follow the text unless the person scrolled up
      }
    }
    if (live.tokens.size === 0 && boxes.size > 0) {
      boxes.clear();
      tokens.replaceChildren();
    }
    if (custom.childElementCount !== live.custom.length || live.custom.length === 0) {
      custom.replaceChildren(
        ...live.custom.map((event) =>
          h("li", {}, h("span", { class: "hw-live-label" }, event.node), ` ${oneLine(event.data)}`),
        ),
      );
    }
  };
  disposer.add(store.events.on("live", update));
  const onStatus = () => update();
  store.model.on("change:status", onStatus);
  disposer.add(() => store.model.off("change:status", onStatus));
  update();
  return panel;
}

/** A custom event's payload on one line, cut to a readable length. */
function oneLine(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
