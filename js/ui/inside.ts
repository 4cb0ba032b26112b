/**
 * "Inside subgraphs": a root checkpoint whose next step runs a subgraph opens the checkpoints
 * that subgraph (and the ones it ran, at any depth) saved while running from it, which the
 * root history shows as one step (`dbg.subgraph_checkpoints` in the kernel). Read on demand,
 * when the section is opened; a row shows that checkpoint's values.
 */

import { errorInfo } from "../client/rpc";
import type { Store } from "../client/store";
import { nodeList, shortId } from "../lib/format";
import type { JsonObject } from "../lib/protocol";
import { h } from "./dom";
import { jsonView } from "./jsonView";

interface SubgraphCheckpoint {
  path: string;
  id: string;
  parent_id: string | null;
  step: number;
  next: string[];
  values: JsonObject;
}

/** The section, and `show(id, next)` to point it at a checkpoint (hidden when no subgraph runs next). */
export function insideSection(store: Store): { el: HTMLElement; show: (id: string, next: string[]) => void } {
  const list = h("div", { class: "hw-inside-list", testid: "hw-inside-list", attrs: { role: "list" } });
  const values = h("div", { class: "hw-inside-values", testid: "hw-inside-values" });
  const summary = h("summary", {}, "Inside subgraphs");
  const el = h("details", { class: "hw-section hw-inside", testid: "hw-inside" }, summary, list, values);
  let current: string | null = null;
  let loaded: string | null = null;

  const subgraphs = () =>
    new Set(
      store.model
        .get("topology")
        .nodes.filter((n) => n.kind === "subgraph" && n.parent === null)
        .map((n) => n.id),
    );

  const load = (id: string) => {
    loaded = id;
    list.replaceChildren(h("div", { class: "hw-empty" }, "Reading the subgraphs' checkpoints…"));
    values.replaceChildren();
    store.rpc.call<{ checkpoints: SubgraphCheckpoint[] }>("subgraph_checkpoints", { checkpoint_id: id }).then(
      ({ checkpoints }) => {
        if (current !== id) return;
        list.replaceChildren(
          ...(checkpoints.length === 0
            ? [h("div", { class: "hw-empty" }, "No subgraph has run from this checkpoint yet.")]
            : checkpoints.map((c) => row(c))),
        );
      },
      (error: unknown) => {
        if (current === id)
          list.replaceChildren(
            h("div", { class: "hw-field-error", attrs: { role: "alert" } }, errorInfo(error).message),
          );
      },
    );
  };

  const row = (c: SubgraphCheckpoint): HTMLElement => {
    const depth = c.path.split("/").length;
    const item = h(
      "button",
      {
        class: "hw-inside-row",
        testid: `hw-inside-${shortId(c.id)}`,
        attrs: { type: "button", role: "listitem", title: `${c.path} · checkpoint ${c.id}` },
      },
      h("span", { class: "hw-inside-path" }, c.path),
      h("span", { class: "hw-dim" }, ` step ${c.step} · ${shortId(c.id)} · next: ${nodeList(c.next, "end")}`),
    );
    item.style.paddingLeft = `${depth * 12}px`;
    item.addEventListener("click", () => {
      for (const other of list.querySelectorAll(".hw-inside-row")) other.classList.remove("hw-selected");
      item.classList.add("hw-selected");
      values.replaceChildren(
        h("div", { class: "hw-dim" }, `State of ${c.path} at step ${c.step}`),
        jsonView(c.values, { testid: "hw-inside-json", openDepth: 2 }),
      );
    });
    return item;
  };

  el.addEventListener("toggle", () => {
    if ((el as HTMLDetailsElement).open && current !== null && loaded !== current) load(current);
  });

  const show = (id: string, next: string[]) => {
    const inside = subgraphs();
    el.hidden = !next.some((n) => inside.has(n));
    if (current === id) return;
    current = id;
    loaded = null;
    if (!el.hidden && (el as HTMLDetailsElement).open) load(id);
    else {
      list.replaceChildren();
      values.replaceChildren();
    }
  };
  return { el, show };
}
