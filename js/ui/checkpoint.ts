/**
 * The selected checkpoint (the head unless another is selected): what it changed from its
 * parent, its values, and what can be done from it — edit its values (an `edit` at the head, a
 * `fork` elsewhere, with an `as_node` choice), fork it as it is, replay from it, check it out.
 * This is the state inspector, alone or under the checkpoint tree.
 *
 * While a run stands inside a subgraph, the head shows that subgraph's own state first (an
 * edit at the head changes it there, as `dbg.edit` does), the root's state below it.
 */

import { errorInfo } from "../client/rpc";
import type { Store } from "../client/store";
import { blocker, READ_ONLY } from "../lib/commands";
import { editedKeys } from "../lib/diff";
import { clock, nodeList, shortId } from "../lib/format";
import { formatPath, isObject, pretty, toEditable } from "../lib/json";
import {
  type CheckpointDetail,
  type CheckpointRecord,
  type InsideInfo,
  insideOf,
  type Json,
  type JsonObject,
  type StateChange,
} from "../lib/protocol";
import { changeList } from "./changes";
import { button, type Disposer, h, watch } from "./dom";
import { errorSlot } from "./errors";
import { insideSection } from "./inside";
import { jsonField } from "./jsonField";
import { jsonView } from "./jsonView";
import { enableFor, situation } from "./toolbar";

export function checkpointPanel(store: Store, disposer: Disposer): HTMLElement {
  const { model } = store;
  const title = h("div", { class: "hw-detail-title", testid: "hw-detail-title" });
  const opening = h("div", { class: "hw-note hw-opening", testid: "hw-opening", attrs: { role: "status" } });
  const actions = h("div", { class: "hw-actions" });
  const compare = h("div", { class: "hw-compare", testid: "hw-compare" });
  const changes = h("div", { class: "hw-changes", testid: "hw-changes" });
  const values = h("div", { class: "hw-values", testid: "hw-values" });
  const hereValues = h("div", { class: "hw-values", testid: "hw-here-values" });
  const hereTitle = h("summary", { testid: "hw-here-title" });
  const hereSection = h("details", { class: "hw-section", attrs: { open: true } }, hereTitle, hereValues);
  const valuesTitle = h("summary", {}, "Values");
  const happened = h("div", { class: "hw-happened", testid: "hw-happened" });
  const happenedSection = h(
    "details",
    { class: "hw-section", attrs: { open: true } },
    h("summary", {}, "Interrupts and errors here"),
    happened,
  );
  happenedSection.hidden = true; // shown where an export says what happened there
  const editorSlot = h("div", { class: "hw-editor-slot" });
  const subgraphRuns = insideSection(store);
  const sections = h(
    "div",
    {},
    happenedSection,
    h("details", { class: "hw-section", attrs: { open: true } }, h("summary", {}, "Changes from its parent"), changes),
    hereSection,
    h("details", { class: "hw-section", attrs: { open: true } }, valuesTitle, values),
    subgraphRuns.el,
  );
  const el = h(
    "section",
    { class: "hw-detail", testid: "hw-detail", label: "Selected checkpoint" },
    title,
    opening,
    actions,
    errorSlot(store, "detail", disposer),
    compare,
    editorSlot,
    sections,
  );
  let editing: string | null = null; // the checkpoint the open editor edits
  let generation = 0; // answers for an older selection are dropped
  let shown = ""; // what is drawn: the id, whether it is the head, whether a run is live

  /** The checkpoint to show: the selected one, else the head, else (during a first run) the
   * newest one the run saved. `live`: a run is saving checkpoints and nothing is selected. */
  const target = () => {
    const status = model.get("status");
    const head = model.get("head_id");
    const live = status.running !== null && model.get("selected") === null && status.checkpoint_id !== null;
    const id = model.get("selected") ?? (live ? status.checkpoint_id : head);
    return { id, head, live };
  };

  const render = (force = false) => {
    const { id, head, live } = target();
    const key = `${id}|${head}|${live}|${model.get("status").running}`;
    if (key === shown && !force) return;
    shown = key;
    const mine = ++generation;
    sections.hidden = id === null;
    if (id === null) {
      title.textContent = "No checkpoint yet: start the graph.";
      actions.replaceChildren();
      return;
    }
    const isHead = id === head && !live;
    showTitle(id, store.record(id), live);
    subgraphRuns.show(id, store.record(id)?.next ?? []);
    actions.replaceChildren(
      ...(live
        ? []
        : actionButtons(
            store,
            id,
            isHead,
            () => openEditor(id, isHead),
            () => confirmReplay(id),
            () => openTry(id),
          )),
    );
    if (editing !== null && editing !== id) closeEditor();
    store.detail(id, !isHead).then(
      (detail) => {
        if (mine !== generation) return;
        if (store.record(id) === undefined) {
          showTitle(id, asRecord(detail.checkpoint), live);
          subgraphRuns.show(id, asRecord(detail.checkpoint).next);
        }
        changes.replaceChildren(changeList(detail.changes as StateChange[]));
        showHappened(happenedSection, happened, detail);
        if (!isHead) showValues(detail.values ?? {}, id);
      },
      (error: unknown) => {
        if (mine === generation) store.showError("Load the checkpoint", errorInfo(error), "detail");
      },
    );
    if (isHead) {
      const state = store.headState;
      if (state === null || state.id !== id) store.loadHeadState();
      else showValues(state.values, id);
    }
  };

  const toHead = () => void store.select(null);
  const showTitle = (id: string, record: CheckpointRecord | undefined, live = false) => {
    title.replaceChildren(...titleParts(id, id === model.get("head_id") && !live, record, toHead, live));
  };

  let valuesShown: { shown: JsonObject; id: string } | null = null; // redrawn when the watches change
  const showValues = (shown: JsonObject, id: string) => {
    valuesShown = { shown, id };
    values.replaceChildren(
      Object.keys(shown).length === 0
        ? h("div", { class: "hw-empty" }, "(empty state)")
        : jsonView(shown, {
            testid: "hw-values-json",
            openDepth: 2,
            watched: model.get("watches"),
            load: (path, offset) => store.more("checkpoint", id, path, offset),
            onError: (error) => store.showError("Load more", errorInfo(error), "detail"),
          }),
    );
  };

  /** The subgraph's own state, while the head is shown and the run stands inside one. */
  const showInside = () => {
    const { id, head, live } = target();
    const inside = id !== null && id === head && !live ? insideOf(model.get("inside")) : null;
    hereSection.hidden = inside === null;
    valuesTitle.textContent = inside === null ? "Values" : "Root state (the whole graph's)";
    if (inside === null) return hereValues.replaceChildren();
    hereTitle.textContent = `State of subgraph ${inside.path} (the run stands inside it: Edit state… edits this)`;
    hereValues.replaceChildren(
      jsonView(inside.values, {
        testid: "hw-here-json",
        openDepth: 2,
        load: (path, offset) => store.more("inside", inside.checkpoint_id, path, offset),
        onError: (error) => store.showError("Load more", errorInfo(error), "detail"),
      }),
    );
  };

  const closeEditor = () => {
    editing = null;
    editorSlot.replaceChildren();
    store.clearErrors("editor");
  };

  const openEditor = (id: string, isHead: boolean) => {
    editing = id;
    editorSlot.replaceChildren(h("div", { class: "hw-empty" }, "Loading the values…"));
    store.rpc.call<{ values: JsonObject; inside: string | null }>("editable", { checkpoint_id: id }).then(
      (result) => {
        const inside = result.inside === null ? null : insideOf(model.get("inside"));
        if (editing === id)
          editorSlot.replaceChildren(stateEditor(store, id, isHead, result.values, closeEditor, inside));
      },
      (error: unknown) => {
        closeEditor();
        store.showError("Load the values to edit", errorInfo(error), "detail");
      },
    );
  };

  /** A what-if: one node run on this checkpoint's state, beside it; nothing is written. */
  const openTry = (id: string) => {
    editing = null;
    const nodes = model
      .get("topology")
      .nodes.filter((n) => n.parent === null && (n.kind === "node" || n.kind === "subgraph"));
    const select = h(
      "select",
      { class: "hw-select", testid: "hw-try-node", label: "Node to try" },
      ...nodes.map((n) => h("option", { attrs: { value: n.id } }, n.name)),
    ) as HTMLSelectElement;
    const field = jsonField({
      testid: "hw-try-values",
      errorTestid: "hw-try-error",
      label: "Values to apply first (optional JSON object)",
      rows: 3,
      placeholder: '{"key": "value"} (optional: the state as it is if empty)',
    });
    const result = h("div", { class: "hw-try-result", testid: "hw-try-result" });
    const go = button(
      "Run it (writes nothing)",
      "hw-try-run",
      () => {
        const values = field.input.value.trim() === "" ? null : field.read();
        if (values === undefined) return;
        result.replaceChildren(h("div", { class: "hw-empty" }, "Running the node…"));
        store.rpc
          .call<{ summary: string; update: Json; interrupts: Json[] }>("try_node", {
            checkpoint_id: id,
            node: select.value,
            values,
          })
          .then(
            (tried) =>
              result.replaceChildren(
                h("div", { class: "hw-note" }, tried.summary),
                jsonView(tried.interrupts.length > 0 ? tried.interrupts : tried.update, {
                  testid: "hw-try-json",
                  openDepth: 3,
                }),
              ),
            (error: unknown) => {
              result.replaceChildren();
              field.say(errorInfo(error).message);
            },
          );
      },
      { class: "hw-button hw-primary" },
    );
    const close = button("Close", "hw-try-close", () => editorSlot.replaceChildren(), { class: "hw-button" });
    editorSlot.replaceChildren(
      h(
        "div",
        { class: "hw-confirm", testid: "hw-try-panel" },
        h("div", { class: "hw-confirm-text" }, "Try a node on this checkpoint's state:"),
        select,
        field.input,
        field.message,
        h("div", { class: "hw-confirm-actions" }, go, close),
        result,
      ),
    );
    select.focus();
  };

  /** A replay asks first: what it runs again, and which interrupts ask again (read from the thread). */
  const confirmReplay = (id: string) => {
    editing = null;
    editorSlot.replaceChildren(h("div", { class: "hw-empty" }, "Reading what the replay runs again…"));
    store.rpc.call<{ summary: string }>("replay_preview", { checkpoint_id: id }).then(
      (result) => {
        const go = button(
          "Replay",
          "hw-replay-confirm",
          () => {
            editorSlot.replaceChildren();
            void store.command("Replay", "replay", { checkpoint_id: id }, "detail");
          },
          { class: "hw-button hw-primary" },
        );
        const cancel = button("Cancel", "hw-replay-cancel", () => editorSlot.replaceChildren(), { class: "hw-button" });
        editorSlot.replaceChildren(
          h(
            "div",
            { class: "hw-confirm", testid: "hw-replay-preview" },
            h("div", { class: "hw-confirm-text" }, result.summary),
            h("div", { class: "hw-confirm-actions" }, go, cancel),
          ),
        );
        go.focus();
      },
      (error: unknown) => {
        editorSlot.replaceChildren();
        store.showError("Preview the replay", errorInfo(error), "detail");
      },
    );
  };

  const showOpening = () => {
    const id = store.opening;
    opening.hidden = id === null;
    opening.replaceChildren(
      ...(id === null
        ? []
        : [h("span", { class: "hw-spinner", attrs: { "aria-hidden": "true" } }), `Opening checkpoint ${shortId(id)}…`]),
    );
  };

  disposer.add(watch(model, ["head_id", "selected", "status"], () => render()));
  disposer.add(watch(model, ["head_id", "selected", "status", "inside"], showInside));
  showInside();
  disposer.add(
    watch(model, ["watches"], () => {
      if (valuesShown !== null) showValues(valuesShown.shown, valuesShown.id);
    }),
  );
  disposer.add(store.events.on("opening", showOpening));
  showOpening();
  disposer.add(compareView(store, compare));
  disposer.add(
    store.events.on("head-state", () => {
      const state = store.headState;
      const { id, live } = target();
      if (state !== null && id !== null && state.id === id && !live) showValues(state.values, id);
    }),
  );
  disposer.add(
    store.events.on("history", () => {
      // Checkpoints read again after a failure (a retry): what failed here is read again too.
      if (store.historyState === "loaded" && store.errors.some((e) => e.place === "detail")) {
        store.clearErrors("detail");
        render(true);
      }
      const { id, live } = target();
      const record = id === null ? undefined : store.record(id);
      if (id !== null && record !== undefined) showTitle(id, record, live);
    }),
  );
  return el;
}

/** The comparison of two checkpoints: "pick the other one" while picking, then the changes
 * from the first to the second (`dbg.diff` in the kernel). Returns the function that stops it. */
function compareView(store: Store, el: HTMLElement): () => void {
  let generation = 0;
  const close = button("Stop comparing", "hw-compare-close", () => store.compareFrom(null), { class: "hw-link" });
  const update = () => {
    const mine = ++generation;
    const comparison = store.comparison;
    el.hidden = comparison === null;
    if (comparison === null) {
      el.replaceChildren();
      return;
    }
    const { a, b } = comparison;
    if (b === null) {
      el.replaceChildren(
        h(
          "span",
          { testid: "hw-compare-pick" },
          `Comparing ${shortId(a)}: pick the other checkpoint in the list (Esc there stops). `,
        ),
        close,
      );
      return;
    }
    const heading = h("div", { class: "hw-compare-title" }, `Changes from ${shortId(a)} to ${shortId(b)} `, close);
    el.replaceChildren(heading, h("div", { class: "hw-empty" }, "Comparing…"));
    store.rpc.call<{ changes: StateChange[] }>("diff", { a, b }).then(
      (result) => {
        if (mine === generation) el.replaceChildren(heading, changeList(result.changes, "hw-compare-changes"));
      },
      (error: unknown) => {
        if (mine !== generation) return;
        el.replaceChildren(heading);
        store.showError("Compare", errorInfo(error), "detail");
      },
    );
  };
  update();
  return store.events.on("compare", update);
}

/** What an export records at a checkpoint beyond its state: the interrupts asked there and
 * answered since, with the answers, and the errors of the tasks that ran from it. */
function showHappened(section: HTMLElement, el: HTMLElement, detail: CheckpointDetail): void {
  const answered = detail.answered ?? [];
  const errors = Object.entries(detail.errors ?? {});
  section.hidden = answered.length === 0 && errors.length === 0;
  el.replaceChildren(
    ...answered.map((a) =>
      h(
        "div",
        { class: "hw-answered-here", testid: "hw-answered-here" },
        h("div", {}, `Interrupt in ${a.node} asked:`),
        jsonView(a.value, { openDepth: 2 }),
        a.answer === undefined
          ? h("div", { class: "hw-dim" }, "Answered (the thread does not keep the answer).")
          : h("div", {}, "Answered:", jsonView(a.answer, { openDepth: 2, testid: "hw-answer-here" })),
      ),
    ),
    ...errors.map(([node, text]) =>
      h(
        "div",
        { class: "hw-error-here", testid: "hw-error-here" },
        `Error in ${node}:`,
        h("pre", {}, typeof text === "string" ? text : JSON.stringify(text)),
      ),
    ),
  );
}

function asRecord(checkpoint: {
  id: string;
  parent_id: string | null;
  step: number;
  source: string;
  writes: string[];
  next: string[];
  created_at: string | null;
}): CheckpointRecord {
  return {
    id: checkpoint.id,
    parentId: checkpoint.parent_id,
    step: checkpoint.step,
    source: checkpoint.source,
    writes: checkpoint.writes,
    next: checkpoint.next,
    time: checkpoint.created_at ? Date.parse(checkpoint.created_at) : null,
  };
}

function titleParts(
  id: string,
  isHead: boolean,
  record: CheckpointRecord | undefined,
  toHead: () => void,
  live: boolean,
): (HTMLElement | string)[] {
  const parts: (HTMLElement | string)[] = [h("strong", { class: "hw-mono" }, shortId(id))];
  if (isHead) parts.push(h("span", { class: "hw-head-badge" }, "head"));
  if (live) parts.push(h("span", { class: "hw-head-badge hw-live-badge", testid: "hw-live" }, "just saved"));
  if (record !== undefined) {
    parts.push(
      ` step ${record.step} · ${record.source}${record.writes.length ? ` by ${nodeList(record.writes)}` : ""} · next: ${nodeList(record.next, "end")} · ${clock(record.time)}`,
    );
  }
  if (!isHead && !live) parts.push(" ", button("back to the head", "hw-back-to-head", toHead, { class: "hw-link" }));
  return parts;
}

function actionButtons(
  store: Store,
  id: string,
  isHead: boolean,
  edit: () => void,
  replay: () => void,
  tryNode: () => void,
): HTMLElement[] {
  const busy = blocker("change", situation(store));
  const readOnly = situation(store).readOnly === true ? READ_ONLY : null; // what needs no run, still needs the kernel
  const act = (label: string, testid: string, action: () => void, title: string, why: string | null = busy) => {
    const el = button(label, testid, action, { class: "hw-button" });
    enableFor(el, why, title);
    return el;
  };
  const command = (label: string, method: string, params: Record<string, unknown>) => () =>
    void store.command(label, method, params, "detail");
  const buttons = [
    act(
      isHead ? "Edit state…" : "Fork with edits…",
      "hw-edit",
      edit,
      isHead
        ? "Change the head's values (a new checkpoint on this branch)"
        : "Make a new branch from this checkpoint with changed values",
    ),
  ];
  if (!isHead) {
    const ends = store.record(id)?.next.length === 0;
    buttons.push(
      act(
        "Fork",
        "hw-fork",
        command("Fork", "fork", { checkpoint_id: id, values: null }),
        "Make a new branch from this checkpoint, unchanged; it becomes the head",
      ),
      act(
        "Replay from here",
        "hw-replay",
        replay,
        "Run again from this checkpoint; what follows becomes a new branch",
        busy ?? (ends ? "Nothing runs after this checkpoint (its run ended here): fork it with edits instead." : null),
      ),
      act(
        "Checkout",
        "hw-checkout",
        command("Checkout", "checkout", { checkpoint_id: id }),
        "Stand at this checkpoint without changing anything; the next run starts here",
      ),
    );
  }
  buttons.push(
    act(
      "Try a node…",
      "hw-try",
      tryNode,
      "Run one node on this checkpoint's state (edited if you like) and see what it would write; nothing is written",
      readOnly,
    ),
    act(
      "Compare with…",
      "hw-compare-with",
      () => store.compareFrom(id),
      "Pick another checkpoint in the list to see what changed between the two",
      readOnly,
    ),
  );
  return buttons;
}

/** What each special `as_node` does, in words (LangGraph's own names for them are terse). */
const AS_NODE_WORDS: Record<string, string> = {
  "": "LangGraph works out which node the update comes from (it refuses when it cannot tell).",
  __input__: "As if it were the graph's input: the run goes on from the start, as after a new input.",
  __copy__: "Copy the checkpoint as it is, values ignored: a fork that runs the same next nodes again.",
};

/** The JSON editor for a checkpoint's values, with the as_node choice; `inside`: the head's
 * run stands in that subgraph, and the values are its own (its nodes are the choices). */
function stateEditor(
  store: Store,
  id: string,
  isHead: boolean,
  values: JsonObject,
  close: () => void,
  inside: InsideInfo | null,
): HTMLElement {
  const original = toEditable(values);
  const originalValues = isObject(original.value) ? original.value : {};
  const text = pretty(originalValues);
  const field = jsonField({
    testid: "hw-state-editor",
    errorTestid: "hw-editor-error",
    label: "State values as JSON",
    rows: Math.min(16, text.split("\n").length + 1),
    value: text,
    onSubmit: () => void apply(),
  });
  const say = field.say;
  field.input.addEventListener("input", () => store.clearErrors("editor"));
  const asNode = h("select", { class: "hw-select", testid: "hw-as-node", label: "Apply as if written by node" });
  asNode.append(h("option", { attrs: { value: "" } }, "(let LangGraph infer)"));
  const asNodes = store.model.get("as_nodes");
  const choices = inside === null ? asNodes : [...inside.nodes, ...asNodes.filter((n) => n in AS_NODE_WORDS)];
  for (const name of choices) {
    const special = AS_NODE_WORDS[name];
    asNode.append(h("option", { attrs: { value: name }, title: special }, special ? `${name} (special)` : name));
  }
  const asNodeWords = h("div", { class: "hw-note", testid: "hw-as-node-help" });
  const explain = () => {
    const name = asNode.value;
    asNodeWords.textContent =
      AS_NODE_WORDS[name] ?? `As if node ${name} wrote these values: what runs next is what follows ${name}.`;
  };
  asNode.addEventListener("change", explain);
  explain();
  const apply = async () => {
    const edited = field.read();
    if (edited === undefined) return;
    if (!isObject(edited)) return say("The values must be a JSON object of state keys to values.");
    const edits = editedKeys(originalValues, edited);
    if (edits.removed.length > 0) {
      return say(`A checkpoint cannot lose keys (${edits.removed.join(", ")}); set a value instead.`);
    }
    for (const [key, value] of Object.entries(edits.values)) {
      const cut = toEditable(value as Json, [key]).cut;
      if (cut.length > 0) {
        return say(
          `${formatPath(cut[0] ?? [key])} was cut for display and cannot be sent back; change it from Python, or replace that part whole.`,
        );
      }
    }
    const changed = Object.keys(edits.values).length > 0;
    if (!changed && isHead) return say("Nothing changed: edit a value first.");
    say("");
    const result = changed
      ? await store.command(
          isHead ? "Edit state" : "Fork with edits",
          "apply_state",
          { checkpoint_id: id, values: edits.values, as_node: asNode.value || null },
          "editor",
        )
      : await store.command(
          "Fork",
          "fork",
          { checkpoint_id: id, values: null, as_node: asNode.value || null },
          "editor",
        );
    if (result !== undefined) close();
  };
  const cutNote = original.cut.length
    ? h(
        "p",
        { class: "hw-note" },
        `Some parts were cut for display (${original.cut.slice(0, 3).map(formatPath).join(", ")}${original.cut.length > 3 ? ", …" : ""}); keys holding them can only be replaced whole.`,
      )
    : null;
  return h(
    "div",
    { class: "hw-editor", testid: "hw-editor" },
    h(
      "p",
      { class: "hw-note" },
      `${inside !== null ? `Edit the state of subgraph ${inside.path}, where the run stands (the root checkpoint stays)` : isHead ? "Edit the head's values" : `Fork ${shortId(id)} with these values`}. Only the keys you change are sent, and they go through the graph's reducers (a list with an add reducer is appended to).`,
    ),
    cutNote,
    field.input,
    h("label", { class: "hw-inline" }, "as node ", asNode),
    asNodeWords,
    field.message,
    errorSlot(store, "editor"),
    h(
      "div",
      { class: "hw-actions" },
      button(isHead ? "Apply" : "Fork", "hw-apply", () => void apply(), { class: "hw-button hw-primary" }),
      button("Cancel", "hw-cancel", close, { class: "hw-button" }),
    ),
  );
}
