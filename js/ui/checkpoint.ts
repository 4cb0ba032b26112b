/**
 * The selected checkpoint (the head unless another is selected): what it changed from its
 * parent, its values, and what can be done from it — edit its values (an `edit` at the head, a
 * `fork` elsewhere, with an `as_node` choice), fork it as it is, replay from it, check it out.
 * This is the state inspector, alone or under the checkpoint tree.
 */

import { errorInfo } from "../client/rpc";
import type { Store } from "../client/store";
import { editedKeys } from "../lib/diff";
import { clock, nodeList, shortId } from "../lib/format";
import { formatPath, isObject, pretty, toEditable } from "../lib/json";
import type { CheckpointRecord, Json, JsonObject, StateChange } from "../lib/protocol";
import { changeList } from "./changes";
import { button, type Disposer, h, watch } from "./dom";
import { jsonField } from "./jsonField";
import { jsonView } from "./jsonView";

export function checkpointPanel(store: Store, disposer: Disposer): HTMLElement {
  const { model } = store;
  const title = h("div", { class: "hw-detail-title", testid: "hw-detail-title" });
  const actions = h("div", { class: "hw-actions" });
  const changes = h("div", { class: "hw-changes", testid: "hw-changes" });
  const values = h("div", { class: "hw-values", testid: "hw-values" });
  const editorSlot = h("div", { class: "hw-editor-slot" });
  const sections = h(
    "div",
    {},
    h("details", { class: "hw-section", attrs: { open: true } }, h("summary", {}, "Changes from its parent"), changes),
    h("details", { class: "hw-section", attrs: { open: true } }, h("summary", {}, "Values"), values),
  );
  const el = h(
    "section",
    { class: "hw-detail", testid: "hw-detail", label: "Selected checkpoint" },
    title,
    actions,
    editorSlot,
    sections,
  );
  let editing: string | null = null; // the checkpoint the open editor edits
  let generation = 0; // answers for an older selection are dropped

  const render = () => {
    const mine = ++generation;
    const head = model.get("head_id");
    const id = model.get("selected") ?? head;
    sections.hidden = id === null;
    if (id === null) {
      title.textContent = "No checkpoint yet: start the graph.";
      actions.replaceChildren();
      return;
    }
    const isHead = id === head;
    showTitle(id, store.record(id));
    actions.replaceChildren(...actionButtons(store, id, isHead, () => openEditor(id, isHead)));
    if (editing !== null && editing !== id) closeEditor();
    store.detail(id, !isHead).then(
      (detail) => {
        if (mine !== generation) return;
        if (store.record(id) === undefined) showTitle(id, asRecord(detail.checkpoint));
        changes.replaceChildren(changeList(detail.changes as StateChange[]));
        if (!isHead) showValues(detail.values ?? {}, id);
      },
      (error: unknown) => {
        if (mine === generation) store.showError("Load the checkpoint", errorInfo(error));
      },
    );
    if (isHead) {
      const state = store.headState;
      if (state === null || state.id !== id) store.loadHeadState();
      else showValues(state.values, id);
    }
  };

  const toHead = () => void store.command("Select the head", "select", { checkpoint_id: null });
  const showTitle = (id: string, record: CheckpointRecord | undefined) => {
    title.replaceChildren(...titleParts(id, id === model.get("head_id"), record, toHead));
  };

  const showValues = (shown: JsonObject, id: string) => {
    values.replaceChildren(
      Object.keys(shown).length === 0
        ? h("div", { class: "hw-empty" }, "(empty state)")
        : jsonView(shown, {
            testid: "hw-values-json",
            openDepth: 2,
            load: (path, offset) => store.more("checkpoint", id, path, offset),
            onError: (error) => store.showError("Load more", errorInfo(error)),
          }),
    );
  };

  const closeEditor = () => {
    editing = null;
    editorSlot.replaceChildren();
  };

  const openEditor = (id: string, isHead: boolean) => {
    editing = id;
    editorSlot.replaceChildren(h("div", { class: "hw-empty" }, "Loading the values…"));
    store.rpc.call<{ values: JsonObject }>("editable", { checkpoint_id: id }).then(
      (result) => {
        if (editing === id) editorSlot.replaceChildren(stateEditor(store, id, isHead, result.values, closeEditor));
      },
      (error: unknown) => {
        closeEditor();
        store.showError("Load the values to edit", errorInfo(error));
      },
    );
  };

  disposer.add(watch(model, ["head_id", "selected"], render));
  disposer.add(
    store.events.on("head-state", () => {
      const state = store.headState;
      const id = model.get("selected") ?? model.get("head_id");
      if (state !== null && id !== null && state.id === id) showValues(state.values, id);
    }),
  );
  disposer.add(
    store.events.on("history", () => {
      const id = model.get("selected") ?? model.get("head_id");
      const record = id === null ? undefined : store.record(id);
      if (id !== null && record !== undefined) showTitle(id, record);
    }),
  );
  return el;
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
): (HTMLElement | string)[] {
  const parts: (HTMLElement | string)[] = [h("strong", { class: "hw-mono" }, shortId(id))];
  if (isHead) parts.push(h("span", { class: "hw-head-badge" }, "head"));
  if (record !== undefined) {
    parts.push(
      ` step ${record.step} · ${record.source}${record.writes.length ? ` by ${nodeList(record.writes)}` : ""} · next: ${nodeList(record.next, "end")} · ${clock(record.time)}`,
    );
  }
  if (!isHead) parts.push(" ", button("back to the head", "hw-back-to-head", toHead, { class: "hw-link" }));
  return parts;
}

function actionButtons(store: Store, id: string, isHead: boolean, edit: () => void): HTMLElement[] {
  const buttons = [
    button(isHead ? "Edit state…" : "Fork with edits…", "hw-edit", edit, {
      class: "hw-button",
      title: isHead
        ? "Change the head's values (a new checkpoint on this branch)"
        : "Make a new branch from this checkpoint with changed values",
    }),
  ];
  if (!isHead) {
    buttons.push(
      button("Fork", "hw-fork", () => void store.command("Fork", "fork", { checkpoint_id: id, values: null }), {
        class: "hw-button",
        title: "Make a new branch from this checkpoint, unchanged; it becomes the head",
      }),
      button("Replay from here", "hw-replay", () => void store.command("Replay", "replay", { checkpoint_id: id }), {
        class: "hw-button",
        title: "Run again from this checkpoint; what follows becomes a new branch",
      }),
      button("Checkout", "hw-checkout", () => void store.command("Checkout", "checkout", { checkpoint_id: id }), {
        class: "hw-button",
        title: "Stand at this checkpoint without changing anything; the next run starts here",
      }),
    );
  }
  return buttons;
}

/** The JSON editor for a checkpoint's values, with the as_node choice. */
function stateEditor(store: Store, id: string, isHead: boolean, values: JsonObject, close: () => void): HTMLElement {
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
  const asNode = h("select", { class: "hw-select", testid: "hw-as-node", label: "Apply as if written by node" });
  asNode.append(h("option", { attrs: { value: "" } }, "(let LangGraph infer)"));
  for (const name of store.model.get("as_nodes")) asNode.append(h("option", { attrs: { value: name } }, name));
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
      ? await store.command(isHead ? "Edit state" : "Fork with edits", "apply_state", {
          checkpoint_id: id,
          values: edits.values,
          as_node: asNode.value || null,
        })
      : await store.command("Fork", "fork", { checkpoint_id: id, values: null, as_node: asNode.value || null });
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
      `${isHead ? "Edit the head's values" : `Fork ${shortId(id)} with these values`}. Only the keys you change are sent, and they go through the graph's reducers (a list with an add reducer is appended to).`,
    ),
    cutNote,
    field.input,
    h("label", { class: "hw-inline" }, "as node ", asNode),
    field.message,
    h(
      "div",
      { class: "hw-actions" },
      button(isHead ? "Apply" : "Fork", "hw-apply", () => void apply(), { class: "hw-button hw-primary" }),
      button("Cancel", "hw-cancel", close, { class: "hw-button" }),
    ),
  );
}
