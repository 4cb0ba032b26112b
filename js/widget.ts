/**
 * The anywidget module of hitl_widgets: one bundle for every view. `initialize` creates the
 * model-wide store (requests, checkpoint skeleton, head state, errors) once per model;
 * `render` builds the DOM of the view the model names, for each place it is displayed.
 */

import type { AnyModel, Initialize, Render } from "@anywidget/types";
import { type ExportDocument, ExportModel } from "./client/exportModel";
import { Store } from "./client/store";
import type { WidgetModel } from "./lib/protocol";
import { commandFor, isHelpKey } from "./lib/shortcuts";
import { Disposer, h } from "./ui/dom";
import { errorArea } from "./ui/errors";
import { closeHelp, toggleHelp } from "./ui/help";
import { runCommand } from "./ui/toolbar";
import { VIEWS } from "./ui/views";
import "./widget.css";

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

const stores = new WeakMap<AnyModel<WidgetModel>, Store>();

function storeOf(model: AnyModel<WidgetModel>): Store {
  let store = stores.get(model);
  if (store === undefined) {
    store = new Store(model);
    stores.set(model, store);
  }
  return store;
}

const initialize: Initialize<WidgetModel> = ({ model }) => {
  const store = storeOf(model);
  return () => {
    store.dispose();
    stores.delete(model);
  };
};

const render: Render<WidgetModel> = ({ model, el }) => mount(model, el);

function mount(model: AnyModel<WidgetModel>, el: HTMLElement): () => void {
  const store = storeOf(model);
  const disposer = new Disposer();
  const view = model.get("view");
  const errors = errorArea(store);
  disposer.add(errors.dispose);
  const root = h(
    "div",
    {
      class: `hw-root hw-view-${view}`,
      testid: `hw-view-${view}`,
      // JupyterLab's own shortcuts (arrow keys move cells, F-keys...) stand aside in here; the
      // root is focusable, so a click on blank widget space focuses it (the browser gives focus
      // to the nearest focusable ancestor), not the notebook, and the keys stay here.
      attrs: { "data-lm-suppress-shortcuts": "true", tabindex: -1 },
    },
    errors.el,
    VIEWS[view](store, disposer),
  );
  root.addEventListener("keydown", (event) => {
    const command = commandFor(event);
    if (command !== null) {
      event.preventDefault();
      event.stopPropagation();
      runCommand(store, command);
    } else if (isHelpKey(event, isTyping(event.target))) {
      event.preventDefault();
      event.stopPropagation();
      toggleHelp(root);
    } else if (event.key === "Escape" && closeHelp(root)) {
      event.stopPropagation();
    }
  });
  el.append(root);
  return () => {
    disposer.dispose();
    root.remove();
  };
}

/** Show an exported thread, read-only, with no kernel (the page hitl_widgets/export/page.py writes). */
export function showExport(el: HTMLElement, doc: ExportDocument): void {
  mount(new ExportModel(doc), el);
}

export default { initialize, render };
