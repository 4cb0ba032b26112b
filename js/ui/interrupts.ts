/**
 * Pending interrupts: each payload as data (a collapsible tree, long strings folded), an answer
 * box each (JSON, checked before sending), structured actions for Agent Inbox HumanInterrupt
 * and LangChain HITLRequest payloads, a form where the interrupt has a `response_schema`, and
 * with several pending one "Resume all" that answers them together by id.
 */

import { errorInfo } from "../client/rpc";
import type { Store } from "../client/store";
import {
  asHitlRequest,
  asHumanInterrupt,
  type DecisionInput,
  type HumanAction,
  type HumanInterrupt,
  hitlAnswer,
  humanAnswer,
  type ReviewedAction,
  readAnswer,
} from "../lib/answers";
import { blocker } from "../lib/commands";
import { compact, isObject, pretty, toEditable } from "../lib/json";
import type { InterruptInfo, Json, Path } from "../lib/protocol";
import { type Form, formFor, readForm, validate } from "../lib/schema";
import { button, type Disposer, h, watch } from "./dom";
import { errorSlot } from "./errors";
import { type JsonField, jsonField } from "./jsonField";
import { jsonView } from "./jsonView";
import { enableFor, situation } from "./toolbar";

type Read = { ok: true; value: Json } | { ok: false };

interface Card {
  el: HTMLElement;
  /** The answer in the card's box, checked; shows what is wrong otherwise. */
  read: () => Read;
}

/** An interrupt answered while others stay pending: shown until a new pause, so a partial
 * answer leaves a trace. */
interface Answered {
  where: string;
  text: string;
}

export function interruptPanel(store: Store, disposer: Disposer): HTMLElement {
  const { model } = store;
  const el = h("section", { class: "hw-interrupts", testid: "hw-interrupts", label: "Pending interrupts" });
  let shown: string | null = null;
  let answered: Answered[] = [];
  // Buttons that send an answer: enabled only while nothing runs.
  let senders: [HTMLButtonElement, string][] = []; // reset by each render

  const enableSenders = () => {
    const why = blocker("resume", situation(store));
    for (const [b, title] of senders) enableFor(b, why, title);
  };

  const traceEl = h("ul", { class: "hw-answered", testid: "hw-answered", label: "Answered" });
  const showTrace = () => {
    traceEl.hidden = answered.length === 0;
    traceEl.replaceChildren(
      ...answered.map((a) =>
        h(
          "li",
          {},
          h("span", { class: "hw-answered-mark", attrs: { "aria-hidden": "true" } }, "✓ "),
          `Answered ${a.where}: `,
          h("span", { class: "hw-mono" }, a.text),
        ),
      ),
    );
  };

  const render = () => {
    const pending = model.get("interrupts");
    const key = pending.map((p) => p.id).join(",");
    if (key === shown) return; // same interrupts: keep what is being typed
    shown = key;
    senders = [];
    if (pending.length === 0) {
      answered = []; // every interrupt answered: the trace has done its work
      el.replaceChildren(h("div", { class: "hw-empty", testid: "hw-no-interrupts" }, "No pending interrupts."));
      return;
    }
    const several = pending.length > 1;
    const send = async (info: InterruptInfo, value: Json) => {
      const result = await store.command(
        `Resume ${info.node}`,
        "resume",
        { value: several ? { [info.id]: value } : value },
        answerPlace(info),
      );
      if (result !== undefined && several) {
        answered = [...answered, { where: whereOf(info), text: compact(value, 80) }];
        showTrace();
      }
      return result;
    };
    const sender = (b: HTMLButtonElement) => {
      senders.push([b, b.title]);
      return b;
    };
    const cards = pending.map((info, index) => interruptCard(store, info, index, several, send, sender));
    const children: HTMLElement[] = [
      h("h3", { class: "hw-heading" }, several ? `${pending.length} pending interrupts` : "Pending interrupt"),
    ];
    showTrace();
    children.push(traceEl);
    children.push(...cards.map((c) => c.el));
    if (several) {
      const resumeAll = () => {
        const answers: Record<string, Json> = {};
        let complete = true;
        cards.forEach((card, i) => {
          const read = card.read();
          if (read.ok) answers[(pending[i] as InterruptInfo).id] = read.value;
          else complete = false;
        });
        if (complete) void store.command("Resume all", "resume", { value: answers });
      };
      children.push(
        h(
          "div",
          { class: "hw-actions" },
          sender(
            button("Resume all", "hw-resume-all", resumeAll, {
              class: "hw-button hw-primary",
              title: "Answer every pending interrupt at once, with the answers in their boxes",
            }),
          ),
        ),
      );
    }
    el.replaceChildren(...children);
    enableSenders();
  };

  disposer.add(watch(model, ["interrupts"], render));
  disposer.add(watch(model, ["status"], enableSenders));
  return el;
}

function whereOf(info: InterruptInfo): string {
  return info.ns.length > 1 ? info.ns.map((seg) => seg.split(":")[0]).join(" › ") : info.node;
}

/** The error slot of an interrupt's answer. */
function answerPlace(info: InterruptInfo): string {
  return `answer-${info.id}`;
}

/** Rows for a text box showing `text`: its lines, at least `min`, at most 16 (then it scrolls). */
function rowsFor(text: string, min: number): number {
  return Math.max(min, Math.min(16, text.split("\n").length));
}

function interruptCard(
  store: Store,
  info: InterruptInfo,
  index: number,
  several: boolean,
  send: (info: InterruptInfo, value: Json) => Promise<unknown>,
  sender: (b: HTMLButtonElement) => HTMLButtonElement,
): Card {
  const schema = info.response_schema;
  const where = whereOf(info);
  const load = (path: Path, offset: number) => store.more("interrupt", info.id, path, offset);
  const onError = (error: unknown) => store.showError("Load more", errorInfo(error), answerPlace(info));
  const takesText = schema === null || (isObject(schema) && schema.type === "string");

  const field = jsonField({
    testid: `hw-answer-${index}`,
    errorTestid: `hw-answer-error-${index}`,
    label: `Answer to the interrupt in ${where}${takesText ? ", as JSON or plain text" : ", as JSON"}`,
    title: takesText
      ? "The answer: JSON, or plain text sent as a string (Ctrl+Enter resumes)"
      : "The answer, as JSON (Ctrl+Enter resumes)",
    rows: 2,
    placeholder: takesText ? 'plain text, or JSON: {"key": "value"}' : '{"key": "value"}',
    onSubmit: () => resume(),
  });
  const note = h("div", { class: "hw-note", testid: `hw-answer-note-${index}`, attrs: { role: "status" } });
  const sizeToText = () => {
    field.input.rows = rowsFor(field.input.value, 2);
  };
  field.input.addEventListener("input", () => {
    note.textContent = "";
    sizeToText();
    store.clearErrors(answerPlace(info));
  });
  const read = (): Read => {
    const got = readAnswer(field.input.value, schema);
    if (!got.ok) {
      field.say(got.message);
      return { ok: false };
    }
    const problems = schema !== null ? validate(schema, got.value) : [];
    if (problems.length > 0) {
      field.say(
        `Does not match the answer schema: ${problems.map((p) => (p.field ? `${p.field} ${p.message}` : p.message)).join("; ")}`,
      );
      return { ok: false };
    }
    return { ok: true, value: got.value };
  };
  const resume = () => {
    const answer = read();
    if (answer.ok) void send(info, answer.value);
  };

  /** A structured answer: sent at once when it is the only interrupt, else put in the box. */
  const answer = (value: Json) => {
    field.input.value = pretty(value);
    sizeToText();
    field.say("");
    if (!several) void send(info, value);
    else {
      answerBox.open = true;
      note.textContent = "Answer filled in: “Resume all” sends it with the others.";
    }
  };

  const human = asHumanInterrupt(info.value);
  const hitl = human === null ? asHitlRequest(info.value) : null;
  const form = schema !== null ? formFor(schema) : null;
  const structured = human !== null || hitl !== null || form !== null;

  // With a structured block, its own button is the primary one; the raw payload and the JSON
  // box are there on demand.
  const answerBox = h(
    "details",
    { class: "hw-answer", testid: `hw-answer-box-${index}`, attrs: { open: !structured } },
    h(
      "summary",
      { class: "hw-answer-summary" },
      structured ? "Answer with JSON instead" : takesText ? "Answer (text or JSON)" : "Answer (JSON)",
    ),
    field.input,
    field.message,
    note,
    h(
      "div",
      { class: "hw-actions" },
      sender(
        button(several ? "Resume this one" : "Resume", `hw-resume-${index}`, resume, {
          class: several || structured ? "hw-button" : "hw-button hw-primary",
          title: "Resume with this answer (Ctrl+Enter)",
        }),
      ),
    ),
  );

  const el = h(
    "article",
    {
      class: "hw-interrupt",
      testid: `hw-interrupt-${index}`,
      attrs: { "data-interrupt-id": info.id },
      label: `Interrupt in ${where}`,
    },
    h(
      "div",
      { class: "hw-interrupt-head" },
      h("strong", {}, `Interrupt in ${where}`),
      h("span", { class: "hw-mono hw-dim", title: info.id }, ` ${info.id.slice(0, 8)}`),
    ),
    h(
      "details",
      { class: "hw-section", testid: `hw-payload-box-${index}`, attrs: { open: !structured } },
      h("summary", {}, structured ? "Raw payload" : "Payload"),
      jsonView(info.value, { load, onError, openDepth: 3, testid: `hw-payload-${index}` }),
    ),
    human !== null ? humanBlock(store, info, human, index, answer, sender, answerPlace(info)) : null,
    hitl !== null ? hitlBlock(hitl, index, answer, sender) : null,
    form !== null && schema !== null ? formBlock(form, schema, index, answer, sender) : null,
    answerBox,
    errorSlot(store, answerPlace(info)),
  );
  return { el, read };
}

const HUMAN_LABELS: Record<HumanAction, string> = {
  accept: "Accept",
  edit: "Edit…",
  response: "Respond…",
  ignore: "Ignore",
};

function humanBlock(
  store: Store,
  info: InterruptInfo,
  request: HumanInterrupt,
  index: number,
  answer: (value: Json) => void,
  sender: (b: HTMLButtonElement) => HTMLButtonElement,
  place: string,
): HTMLElement {
  const extra = h("div", { class: "hw-structured-extra" });
  const argsPath: Path = request.listed ? [0, "action_request", "args"] : ["action_request", "args"];

  const openEdit = async () => {
    let args = request.args;
    if (toEditable(args).cut.length > 0) {
      try {
        args = await store.more("interrupt", info.id, argsPath, 0);
      } catch (error) {
        store.showError("Load the arguments", errorInfo(error), place);
        return;
      }
    }
    const editor = jsonField({
      testid: `hw-hi-args-${index}`,
      errorTestid: `hw-hi-error-${index}`,
      label: `Arguments of ${request.action}, as JSON`,
      rows: 4,
      value: pretty(toEditable(args).value),
      onSubmit: () => sendEdit(),
    });
    const sendEdit = () => {
      const edited = editor.read();
      if (edited !== undefined) answer(humanAnswer(request, "edit", edited));
    };
    extra.replaceChildren(
      h("label", { class: "hw-label" }, `Edit the arguments of ${request.action}`),
      editor.input,
      editor.message,
      sender(button("Send edited call", `hw-hi-send-edit-${index}`, sendEdit, { class: "hw-button hw-primary" })),
    );
    editor.input.focus();
  };

  const openRespond = () => {
    const area = h("textarea", {
      class: "hw-code",
      testid: `hw-hi-response-${index}`,
      label: "Your response",
      attrs: { rows: 2 },
    });
    extra.replaceChildren(
      h("label", { class: "hw-label" }, "Respond instead of running the call (sent as text)"),
      area,
      sender(
        button(
          "Send response",
          `hw-hi-send-response-${index}`,
          () => answer(humanAnswer(request, "response", area.value)),
          {
            class: "hw-button hw-primary",
          },
        ),
      ),
    );
    area.focus();
  };

  const actions: Record<HumanAction, () => void> = {
    accept: () => answer(humanAnswer(request, "accept")),
    edit: () => void openEdit(),
    response: openRespond,
    ignore: () => answer(humanAnswer(request, "ignore")),
  };
  return h(
    "div",
    { class: "hw-structured", testid: `hw-hi-${index}` },
    request.description ? h("p", { class: "hw-description" }, request.description) : null,
    h("div", {}, "Action: ", h("strong", { class: "hw-mono" }, request.action)),
    jsonView(request.args, { openDepth: 2, testid: `hw-hi-argsview-${index}` }),
    h(
      "div",
      { class: "hw-actions", attrs: { role: "group", "aria-label": "Review the action" } },
      ...request.allowed.map((kind) =>
        sender(button(HUMAN_LABELS[kind], `hw-hi-${kind}-${index}`, actions[kind], { class: "hw-button" })),
      ),
    ),
    extra,
  );
}

const DECISION_LABELS = { approve: "Approve", edit: "Edit", reject: "Reject", respond: "Respond" } as const;

function hitlBlock(
  actions: ReviewedAction[],
  index: number,
  answer: (value: Json) => void,
  sender: (b: HTMLButtonElement) => HTMLButtonElement,
): HTMLElement {
  const chosen: (DecisionInput | undefined)[] = actions.map(() => undefined);
  const readers: (() => DecisionInput | null)[] = [];
  const problem = h("div", { class: "hw-field-error", testid: `hw-hitl-error-${index}`, attrs: { role: "status" } });

  const rows = actions.map((action, j) => {
    const extra = h("div", { class: "hw-structured-extra" });
    const group = h("div", {
      class: "hw-actions",
      attrs: { role: "group", "aria-label": `Decision for ${action.name}` },
    });
    let editor: JsonField | null = null;
    let message: HTMLInputElement | null = null;
    const choose = (type: DecisionInput["type"]) => {
      chosen[j] = { type };
      problem.textContent = "";
      // Pressed shows by a check mark and weight as well as colour.
      for (const b of group.querySelectorAll("button")) {
        const on = b.dataset.decision === type;
        b.setAttribute("aria-pressed", String(on));
        b.textContent = `${on ? "✓ " : ""}${DECISION_LABELS[b.dataset.decision as DecisionInput["type"]]}`;
      }
      editor = null;
      message = null;
      if (type === "edit") {
        editor = jsonField({
          testid: `hw-hitl-args-${index}-${j}`,
          errorTestid: `hw-hitl-args-error-${index}-${j}`,
          label: `Arguments of ${action.name}`,
          rows: 3,
          value: pretty(toEditable(action.args).value),
        });
        extra.replaceChildren(editor.input, editor.message);
      } else if (type === "reject" || type === "respond") {
        message = h("input", {
          class: "hw-text",
          testid: `hw-hitl-message-${index}-${j}`,
          label: `Message for ${action.name}`,
          attrs: { type: "text", placeholder: "message (optional)" },
        });
        extra.replaceChildren(message);
      } else {
        extra.replaceChildren();
      }
    };
    for (const type of action.allowed) {
      const b = button(DECISION_LABELS[type], `hw-hitl-${index}-${j}-${type}`, () => choose(type), {
        class: "hw-button hw-toggle",
        attrs: { "aria-pressed": "false", "data-decision": type },
      });
      group.append(b);
    }
    readers.push(() => {
      const decision = chosen[j];
      if (decision === undefined) return null;
      if (editor !== null) {
        const args = editor.read();
        if (args === undefined) return null;
        if (!isObject(args)) {
          editor.say("The arguments must be a JSON object.");
          return null;
        }
        return { type: decision.type, args };
      }
      return message !== null ? { type: decision.type, message: message.value } : decision;
    });
    return h(
      "div",
      { class: "hw-action" },
      h(
        "div",
        {},
        h("strong", { class: "hw-mono" }, action.name),
        action.description ? h("span", { class: "hw-description" }, ` — ${action.description}`) : null,
      ),
      jsonView(action.args, { openDepth: 2 }),
      group,
      extra,
    );
  });

  const submit = () => {
    problem.textContent = "";
    const inputs = readers.map((r) => r());
    if (inputs.some((d, j) => d === null && chosen[j] === undefined)) {
      problem.textContent = "Choose a decision for every action.";
      return;
    }
    if (inputs.some((d) => d === null)) return; // an edited action's arguments say what is wrong
    const value = hitlAnswer(actions, inputs as DecisionInput[]);
    if (value !== null) answer(value);
  };

  return h(
    "div",
    { class: "hw-structured", testid: `hw-hitl-${index}` },
    ...rows,
    problem,
    sender(button("Send decisions", `hw-hitl-send-${index}`, submit, { class: "hw-button hw-primary" })),
  );
}

function formBlock(
  form: Form,
  schema: Json,
  index: number,
  answer: (value: Json) => void,
  sender: (b: HTMLButtonElement) => HTMLButtonElement,
): HTMLElement {
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const errors = new Map<string, HTMLElement>();
  const fields = form.fields.map((field) => {
    const testid = `hw-form-${index}-${field.name || "value"}`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (field.kind === "enum") {
      input = h("select", { class: "hw-select", testid });
      if (!field.required) input.append(h("option", { attrs: { value: "" } }, ""));
      for (const option of field.options)
        input.append(h("option", { attrs: { value: String(option) } }, String(option)));
      // The schema's default is chosen from the start (`Literal[...] = "revise"`).
      input.value = field.default !== undefined && field.default !== null ? String(field.default) : "";
    } else if (field.kind === "boolean") {
      input = h("input", { testid, attrs: { type: "checkbox" } });
      input.checked = field.default === true;
    } else {
      const numeric = field.kind === "number" || field.kind === "integer";
      input = h("input", {
        class: "hw-text",
        testid,
        attrs: {
          type: numeric ? "number" : "text",
          min: field.minimum ?? undefined,
          max: field.maximum ?? undefined,
          step: field.kind === "integer" ? 1 : numeric ? "any" : undefined,
        },
      });
      if (field.default !== undefined && field.default !== null) input.value = String(field.default);
    }
    if (field.required) input.setAttribute("aria-required", "true");
    const error = h("span", { class: "hw-field-error", testid: `hw-form-error-${index}-${field.name || "value"}` });
    input.addEventListener("input", () => {
      error.textContent = "";
    });
    inputs.set(field.name, input);
    errors.set(field.name, error);
    const bounds = [
      field.minimum !== null ? `≥ ${field.minimum}` : "",
      field.maximum !== null ? `≤ ${field.maximum}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    const caption = h(
      "span",
      { class: "hw-label" },
      `${field.label}${field.required ? " *" : ""}${bounds ? ` (${bounds})` : ""}`,
    );
    return h(
      "label",
      { class: field.kind === "boolean" ? "hw-form-field hw-form-check" : "hw-form-field" },
      ...(field.kind === "boolean" ? [input, caption] : [caption, input]),
      field.description ? h("span", { class: "hw-dim" }, field.description) : null,
      error,
    );
  });
  const submit = () => {
    const raw: Record<string, string | boolean> = {};
    for (const [name, input] of inputs)
      raw[name] = input instanceof HTMLInputElement && input.type === "checkbox" ? input.checked : input.value;
    const result = readForm(form, schema, raw);
    for (const [name, error] of errors) error.textContent = result.ok ? "" : (result.errors[name] ?? "");
    if (result.ok) answer(result.value);
  };
  return h(
    "div",
    { class: "hw-structured hw-form", testid: `hw-form-${index}` },
    h("div", { class: "hw-label" }, "Answer form (from the interrupt's response schema)"),
    ...fields,
    sender(button("Send", `hw-form-send-${index}`, submit, { class: "hw-button hw-primary" })),
  );
}
