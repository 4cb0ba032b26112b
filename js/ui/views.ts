/**
 * The views a widget can be (its `view` trait): the full debugger and its parts, and what
 * `dbg.sidecar()` shows in its cell. The full debugger composes the same parts, so each
 * behaves the same alone or together.
 */

import type { Store } from "../client/store";
import type { ViewName } from "../lib/protocol";
import { checkpointPanel } from "./checkpoint";
import { type Disposer, h } from "./dom";
import { graphView } from "./graph";
import { helpButton } from "./help";
import { interruptPanel } from "./interrupts";
import { livePanel } from "./live";
import { settingsPanel } from "./settings";
import { split } from "./split";
import { toolbar } from "./toolbar";
import { treeView } from "./tree";

type ViewBuilder = (store: Store, disposer: Disposer) => HTMLElement;

function panel(title: string, testid: string, body: HTMLElement): HTMLElement {
  return h(
    "section",
    { class: `hw-panel ${testid}`, testid, label: title },
    h("h3", { class: "hw-heading" }, title),
    body,
  );
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
      helpButton(),
    ),
    toolbar(store, disposer),
    thread.read_only === true ? null : settingsPanel(store, disposer),
    livePanel(store, disposer),
    split(
      panel("Graph", "hw-panel-graph", graphView(store, disposer)),
      panel("Checkpoints", "hw-panel-tree", treeView(store, disposer)),
      "Resize the graph and checkpoints panels",
    ),
    interruptPanel(store, disposer),
    panel("State", "hw-panel-state", checkpointPanel(store, disposer)),
  );
}

function treeWithDetail(store: Store, disposer: Disposer): HTMLElement {
  return h("div", { class: "hw-tree-view" }, treeView(store, disposer), checkpointPanel(store, disposer));
}

/**
 * `dbg.sidecar()`'s cell: tells the kernel whether this page is JupyterLab, whose shell can
 * take the side panel; anywhere else (Notebook 7) it shows the debugger itself, saying why.
 */
function sidePanelLauncher(store: Store, disposer: Disposer): HTMLElement {
  const lab = document.querySelector(".jp-LabShell") !== null;
  store.model.send({ kind: "side-panel", lab });
  if (lab) {
    return h("div", { class: "hw-note", testid: "hw-side-panel-note" }, "The debugger is open beside the notebook.");
  }
  return h(
    "div",
    {},
    h(
      "div",
      { class: "hw-note hw-side-panel-fallback", testid: "hw-side-panel-note", attrs: { role: "note" } },
      "Side panels need JupyterLab, and this page is not JupyterLab (Notebook 7?): the debugger is shown here instead.",
    ),
    fullDebugger(store, disposer),
  );
}

export const VIEWS: Record<ViewName, ViewBuilder> = {
  debugger: fullDebugger,
  graph: graphView,
  tree: treeWithDetail,
  interrupts: interruptPanel,
  state: checkpointPanel,
  launcher: sidePanelLauncher,
};
