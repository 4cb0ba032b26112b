/**
 * The toolbar: start from a JSON input (checked before anything is sent), step, continue,
 * pause, and the status line (what runs, how far it got, why it last stopped, a node's error).
 */

import type { Store } from "../client/store";
import type { PauseJson, Status } from "../lib/protocol";
import { type Command, SHORTCUT_LABELS } from "../lib/shortcuts";
import { type Disposer, h, watch } from "./dom";
import { jsonField } from "./jsonField";

const COMMAND_LABELS: Record<Command, string> = { step: "Step", cont: "Continue", pause: "Pause" };

/** Run a toolbar command (also what the keyboard shortcuts call). */
export function runCommand(store: Store, command: Command): void {
  void store.command<PauseJson | { pausing: boolean }>(COMMAND_LABELS[command], command);
}

export function toolbar(store: Store, disposer: Disposer): HTMLElement {
  const { model } = store;
  const field = jsonField({
    class: "hw-input",
    testid: "hw-start-input",
    errorTestid: "hw-start-error",
    label: "Graph input as JSON",
    title: "The graph's input, as JSON (Ctrl+Enter starts)",
    rows: 1,
    placeholder: '{"key": "value"}',
    onSubmit: () => start(),
  });
  const start = () => {
    const input = field.read();
    if (input !== undefined) void store.command("Start", "start", { input });
  };

  const startButton = h(
    "button",
    {
      class: "hw-button hw-primary",
      testid: "hw-start",
      title: "Start a new run from this input (Ctrl+Enter)",
      attrs: { type: "button" },
    },
    "Start",
  );
  startButton.addEventListener("click", start);
  const commandButton = (command: Command) => {
    const label = COMMAND_LABELS[command];
    const el = h(
      "button",
      {
        class: "hw-button",
        testid: `hw-${command === "cont" ? "continue" : command}`,
        title: `${label} (${SHORTCUT_LABELS[command]})`,
        attrs: { type: "button", "aria-keyshortcuts": SHORTCUT_LABELS[command] },
      },
      label,
    );
    el.addEventListener("click", () => runCommand(store, command));
    return el;
  };
  const step = commandButton("step");
  const cont = commandButton("cont");
  const pause = commandButton("pause");

  const statusLine = h("div", {
    class: "hw-status",
    testid: "hw-status",
    attrs: { role: "status", "aria-live": "polite" },
  });
  const errorBox = h("details", { class: "hw-node-error", testid: "hw-node-error" });

  disposer.add(
    watch(model, ["status"], () => {
      const status = model.get("status");
      const running = status.running !== null;
      startButton.disabled = running;
      step.disabled = running;
      cont.disabled = running;
      pause.disabled = !running;
      statusLine.replaceChildren(...statusParts(status));
      statusLine.dataset.reason = status.reason ?? (running ? "running" : "");
      const error = status.error;
      errorBox.hidden = error === null || error === undefined;
      if (!errorBox.hidden) {
        const text = typeof error === "string" ? error : JSON.stringify(error);
        errorBox.replaceChildren(h("summary", {}, `Node error: ${status.error_line ?? ""}`), h("pre", {}, text));
      }
    }),
  );

  return h(
    "div",
    { class: "hw-toolbar-wrap" },
    h(
      "div",
      { class: "hw-toolbar", attrs: { role: "toolbar", "aria-label": "Debugger commands" } },
      h("div", { class: "hw-input-wrap" }, field.input, field.message),
      startButton,
      step,
      cont,
      pause,
    ),
    statusLine,
    errorBox,
  );
}

function statusParts(status: Status): (HTMLElement | string)[] {
  if (status.running !== null) {
    const parts = [`Running ${status.running}…`];
    if (status.progress > 0) parts.push(`${status.progress} superstep(s) saved`);
    if (status.step !== null) parts.push(`step ${status.step}`);
    if (status.next.length > 0) parts.push(`next: ${status.next.join(", ")}`);
    return [h("span", { class: "hw-spinner", attrs: { "aria-hidden": "true" } }), parts.join(" · ")];
  }
  const badge = status.reason
    ? h("span", { class: `hw-badge hw-badge-${status.reason}`, testid: "hw-reason" }, status.reason)
    : null;
  return badge ? [badge, status.summary] : [status.summary];
}
