/**
 * The five views a widget can be (its `view` trait): the full debugger and its parts. The full
 * debugger composes the same parts, so each behaves the same alone or together.
 */

import type { Store } from "../client/store";
import type { ViewName } from "../lib/protocol";
import { checkpointPanel } from "./checkpoint";
import { type Disposer, h } from "./dom";
import { graphView } from "./graph";
import { interruptPanel } from "./interrupts";
import { livePanel } from "./live";
import { settingsPanel } from "./settings";
import { toolbar } from "./toolbar";
import { treeView } from "./tree";

type ViewBuilder = (store: Store, disposer: Disposer) => HTMLElement;

function panel(title: string, testid: string, body: HTMLElement): HTMLElement {
  return h("section", { class: "hw-panel", testid, label: title }, h("h3", { class: "hw-heading" }, title), body);
}

function fullDebugger(store: Store, disposer: Disposer): HTMLElement {
  const thread = store.model.get("thread");
  return h(
    "div",
    { class: "hw-debugger" },
    h(
      "div",
      { class: "hw-title" },
      h("strong", {}, "LangGraph debugger"),
      h("span", { class: "hw-dim" }, ` thread ${thread.id ?? "?"} · ${thread.backend ?? ""}`),
    ),
    toolbar(store, disposer),
    settingsPanel(store, disposer),
    livePanel(store, disposer),
    h(
      "div",
      { class: "hw-columns" },
      panel("Graph", "hw-panel-graph", graphView(store, disposer)),
      panel("Checkpoints", "hw-panel-tree", treeView(store, disposer)),
    ),
    interruptPanel(store, disposer),
    panel("State", "hw-panel-state", checkpointPanel(store, disposer)),
  );
}

function treeWithDetail(store: Store, disposer: Disposer): HTMLElement {
  return h("div", { class: "hw-tree-view" }, treeView(store, disposer), checkpointPanel(store, disposer));
}

export const VIEWS: Record<ViewName, ViewBuilder> = {
  debugger: fullDebugger,
  graph: graphView,
  tree: treeWithDetail,
  interrupts: interruptPanel,
  state: checkpointPanel,
};
