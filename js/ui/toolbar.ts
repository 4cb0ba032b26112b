/**
 * The toolbar: start from a JSON input (checked before anything is sent), step (over a
 * subgraph), step into (a subgraph that runs next), continue,
 * pause, and the status line (what runs, how far it got, why it last stopped and at which
 * breakpoint, a node's error with the user's frames first). A command that cannot act now is
 * disabled, its tooltip saying why.
 */

import type { Store } from "../client/store";
import { blocker, type RunCommand, type Situation } from "../lib/commands";
import { type InsideInfo, insideOf, type PauseJson, type Status } from "../lib/protocol";
import { type Command, SHORTCUT_LABELS } from "../lib/shortcuts";
import { type Disposer, h, watch } from "./dom";
import { errorSlot } from "./errors";
import { jsonField } from "./jsonField";

const COMMAND_LABELS: Record<Command, string> = { step: "Step", into: "Step into", cont: "Continue", pause: "Pause" };
/** What the step buttons do, for their tooltips (the others say it in their names). */
const COMMAND_TITLES: Partial<Record<Command, string>> = {
  step: "one superstep; a subgraph that runs next runs whole (step over)",
  into: "enter a subgraph that runs next and stop before its first node; elsewhere, as Step",
};

/** What the commands' availability is read from. */
export function situation(store: Store): Situation {
  const { model } = store;
  return {
    status: model.get("status"),
    headId: model.get("head_id"),
    interrupts: model.get("interrupts"),
    remote: model.get("thread").backend === "remote",
    readOnly: model.get("thread").read_only === true,
  };
}

/** Enable `el` when `reason` is null; else disable it, the tooltip saying why first (then
 * what it does, with its shortcut). */
export function enableFor(el: HTMLButtonElement, reason: string | null, title: string): void {
  el.disabled = reason !== null;
  el.title = reason === null ? title : `${reason}\n${title}`;
  if (reason === null) delete el.dataset.why;
  else el.dataset.why = reason;
}

/** Run a toolbar command (also what the keyboard shortcuts call); one that cannot act now
 * is not sent, and the status line says why. */
export function runCommand(store: Store, command: Command): void {
  const why = blocker(command, situation(store));
  if (why !== null) {
    store.hint(`${COMMAND_LABELS[command]}: ${why}`);
    return;
  }
  if (command === "into") void store.command<PauseJson>(COMMAND_LABELS.into, "step", { into: true });
  else void store.command<PauseJson | { pausing: boolean }>(COMMAND_LABELS[command], command);
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
    if (input !== undefined && blocker("start", situation(store)) === null) {
      void store.command("Start", "start", { input }, "start");
    }
  };
  field.input.addEventListener("input", () => store.clearErrors("start"));

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
        testid: `hw-${command === "cont" ? "continue" : command === "into" ? "step-into" : command}`,
        title: `${label} (${SHORTCUT_LABELS[command]})${COMMAND_TITLES[command] ? `: ${COMMAND_TITLES[command]}` : ""}`,
        attrs: { type: "button", "aria-keyshortcuts": SHORTCUT_LABELS[command] },
      },
      label,
    );
    el.addEventListener("click", () => runCommand(store, command));
    return el;
  };
  const exportButton = h(
    "button",
    {
      class: "hw-button",
      testid: "hw-export",
      title: "Write the whole thread to one HTML file beside the notebook (<thread id>.html), readable offline",
      attrs: { type: "button" },
    },
    "Export",
  );
  exportButton.addEventListener("click", () => {
    void store.command<{ summary: string }>("Export", "export").then((done) => {
      if (done !== undefined) store.hint(done.summary);
    });
  });
  exportButton.hidden = model.get("thread").read_only === true;
  const step = commandButton("step");
  const into = commandButton("into");
  const cont = commandButton("cont");
  const pause = commandButton("pause");

  const statusLine = h("div", {
    class: "hw-status",
    testid: "hw-status",
    attrs: { role: "status", "aria-live": "polite" },
  });
  const hint = h("div", { class: "hw-note hw-hint", testid: "hw-hint", attrs: { role: "status" } });
  const errorBox = h("details", { class: "hw-node-error", testid: "hw-node-error", attrs: { open: true } });
  const buttons: [HTMLButtonElement, RunCommand, string][] = [
    [startButton, "start", startButton.title],
    [step, "step", step.title],
    [into, "into", into.title],
    [cont, "cont", cont.title],
    [pause, "pause", pause.title],
  ];

  disposer.add(
    watch(model, ["status", "head_id", "interrupts", "inside"], () => {
      const status = model.get("status");
      const now = situation(store);
      for (const [el, command, title] of buttons) enableFor(el, blocker(command, now), title);
      statusLine.replaceChildren(...statusParts(status, insideOf(model.get("inside"))));
      statusLine.dataset.reason = status.reason ?? (status.running !== null ? "running" : "");
      hint.textContent = "";
      showNodeError(errorBox, status);
    }),
  );
  disposer.add(
    store.events.on("hint", () => {
      hint.textContent = store.lastHint;
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
      into,
      cont,
      pause,
      exportButton,
    ),
    errorSlot(store, "start", disposer),
    statusLine,
    hint,
    errorBox,
  );
}

/** A node's error: its exception line, the traceback from the user's frames on (library
 * frames folded into one line each run), and the whole traceback on demand. */
function showNodeError(box: HTMLDetailsElement, status: Status): void {
  const error = status.error;
  box.hidden = error === null || error === undefined;
  if (box.hidden) return;
  const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const full = status.error_full ?? null;
  box.replaceChildren();
  box.append(
    h(
      "summary",
      {},
      `Node error${status.failed?.length ? ` in ${status.failed.join(", ")}` : ""}: ${status.error_line ?? ""}`,
    ),
    h("pre", { testid: "hw-traceback" }, text(error)),
  );
  if (full !== null) {
    box.append(
      h(
        "details",
        { class: "hw-error-detail" },
        h("summary", {}, "Whole traceback (library frames too)"),
        h("pre", {}, text(full)),
      ),
    );
  }
}

function statusParts(status: Status, inside: InsideInfo | null): (HTMLElement | string)[] {
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
  const hit = status.breakpoint_hit
    ? h("span", { class: "hw-bp-hit", testid: "hw-bp-hit" }, `at the breakpoint ${status.breakpoint_hit}`)
    : null;
  // Stopped inside a subgraph: where, first (the summary says it too, after the checkpoint).
  const where =
    inside !== null
      ? h(
          "span",
          { class: "hw-badge hw-badge-inside", testid: "hw-stands-inside", title: inside.summary },
          `in ${inside.path}`,
        )
      : null;
  return [badge, where, hit, status.summary].filter((part): part is HTMLElement | string => part !== null);
}
