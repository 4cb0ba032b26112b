/**
 * Run settings: the run config and context every run is given (LangGraph keeps neither in the
 * thread, so the Debugger gives them to each run), and whether runs stream live. Folded away
 * until opened; read from the kernel when opened, so they show what cells set too. Each box
 * is checked as JSON before anything is sent, and the kernel's refusal shows under it.
 */

import { errorInfo } from "../client/rpc";
import type { Store } from "../client/store";
import type { Json } from "../lib/protocol";
import { type Disposer, h } from "./dom";
import { jsonField } from "./jsonField";

interface RunSettings {
  config: Json;
  context: Json;
  context_editable: boolean;
  streaming: boolean;
}

export function settingsPanel(store: Store, _disposer: Disposer): HTMLElement {
  const config = jsonField({
    testid: "hw-settings-config",
    errorTestid: "hw-settings-config-error",
    label: "Run config as JSON",
    title: 'Given to every run, e.g. {"configurable": {"model": "small"}} (Ctrl+Enter applies)',
    rows: 3,
    onSubmit: () => apply(),
  });
  const context = jsonField({
    testid: "hw-settings-context",
    errorTestid: "hw-settings-context-error",
    label: "Run context as JSON",
    title: "Given to every run as runtime.context (Ctrl+Enter applies)",
    rows: 2,
    onSubmit: () => apply(),
  });
  const streaming = h("input", { testid: "hw-settings-streaming", attrs: { type: "checkbox" } });
  const note = h("div", { class: "hw-dim", testid: "hw-settings-note" });
  const applyButton = h(
    "button",
    { class: "hw-button", testid: "hw-settings-apply", attrs: { type: "button" } },
    "Apply",
  );
  let contextEditable = true;

  const show = (settings: RunSettings) => {
    config.input.value = JSON.stringify(settings.config, null, 2);
    context.input.value = JSON.stringify(settings.context, null, 2);
    contextEditable = settings.context_editable;
    context.input.readOnly = !contextEditable;
    note.textContent = contextEditable ? "" : "The context is not JSON: set it in Python (dbg.context = ...).";
    streaming.checked = settings.streaming;
  };
  const load = () => {
    void store.rpc.call<RunSettings>("settings").then(show, () => undefined);
  };
  const apply = () => {
    const configValue = config.read();
    const contextValue = contextEditable ? context.read() : undefined;
    if (configValue === undefined || (contextEditable && contextValue === undefined)) return;
    const params: Record<string, unknown> = { config: configValue, streaming: streaming.checked };
    if (contextEditable) params.context = contextValue;
    store.rpc.call<RunSettings>("set_settings", params).then(show, (error: unknown) => {
      config.say(errorInfo(error).message);
    });
  };
  applyButton.addEventListener("click", apply);

  const panel = h(
    "details",
    { class: "hw-settings", testid: "hw-settings" },
    h("summary", {}, "Run settings: config, context, streaming"),
    h(
      "div",
      { class: "hw-settings-body" },
      h("label", { class: "hw-settings-label" }, "Config", config.input),
      config.message,
      h("label", { class: "hw-settings-label" }, "Context", context.input),
      context.message,
      note,
      h("label", { class: "hw-settings-check" }, streaming, " Stream tokens and node updates while running"),
      applyButton,
    ),
  );
  panel.addEventListener("toggle", () => {
    if ((panel as HTMLDetailsElement).open) load();
  });
  return panel;
}
