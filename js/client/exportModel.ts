/**
 * A read-only stand-in for the anywidget model, built from an export document
 * (hitl_widgets/export/document.py): the same bundle renders an exported thread with no kernel.
 * It holds the traits a widget would sync and answers the widget's requests from the document —
 * the skeleton, the head's values, a checkpoint's values and changes, the selection — and
 * refuses every command with "read-only export".
 */

import type { AnyModel } from "@anywidget/types";
import { READ_ONLY } from "../lib/commands";
import type {
  AnsweredInterrupt,
  CheckpointDetail,
  CheckpointJson,
  ErrorInfo,
  InterruptInfo,
  Json,
  JsonObject,
  RecordRow,
  StateChange,
  Topology,
  WidgetModel,
} from "../lib/protocol";

/** One checkpoint of an export (document.py's schema). */
export interface ExportCheckpoint extends CheckpointJson {
  values: JsonObject | null;
  changes: StateChange[] | null;
  interrupts: InterruptInfo[];
  answered: AnsweredInterrupt[];
  errors: Record<string, Json>;
  cut: string[];
}

/** An export document, version 1. */
export interface ExportDocument {
  format: "hitl_widgets.export";
  version: number;
  exported_at: string;
  thread: { id: string; backend: string };
  graph: Topology;
  head: string | null;
  status: { reason: WidgetModel["status"]["reason"]; summary: string; error: Json } | null;
  limits: { value_bytes: number; total_bytes: number };
  cut: { values: number; omitted: number };
  checkpoints: ExportCheckpoint[];
}

/** Shown in place of the values of a checkpoint the export's size budget left out. */
const OMITTED: JsonObject = {
  "(not exported)": { $type: "omitted", repr: "left out of this export: its size budget was spent" },
};

/** Reads the widget makes that an export cannot answer, and why. */
const NOT_EXPORTED: Record<string, string> = {
  more: "this part was cut to the export's size budget, and the rest is not in the file",
  diff: "comparing two checkpoints reads their whole states, in the kernel",
  subgraph_checkpoints: "what subgraphs saved inside a step is read from the kernel",
};

/** The model's event handlers, typed as anywidget types them. */
type Handler = Parameters<AnyModel<WidgetModel>["off"]>[1] & {};

export class ExportModel implements AnyModel<WidgetModel> {
  readonly widget_manager = {} as AnyModel<WidgetModel>["widget_manager"];
  private readonly traits: WidgetModel;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly byId = new Map<string, ExportCheckpoint>();

  constructor(private readonly doc: ExportDocument) {
    for (const cp of doc.checkpoints) this.byId.set(cp.id, cp);
    const head = doc.head === null ? undefined : this.byId.get(doc.head);
    const parts = [`${doc.checkpoints.length} checkpoint(s)`];
    if (doc.cut.values > 0) parts.push(`${doc.cut.values} value(s) cut to the size budget`);
    if (doc.cut.omitted > 0) parts.push(`${doc.cut.omitted} checkpoint(s) without values`);
    const when = doc.exported_at.slice(0, 19).replace("T", " ");
    this.traits = {
      view: "debugger",
      thread: { id: doc.thread.id, backend: `${doc.thread.backend} · read-only export`, read_only: true },
      topology: doc.graph,
      as_nodes: [],
      breakable: [], // nothing takes a breakpoint in an export
      inside: {},
      status: {
        running: null,
        reason: doc.status?.reason ?? null,
        summary: [`Read-only export of ${when} UTC: ${parts.join(", ")}.`, doc.status?.summary ?? ""].join(" ").trim(),
        error: doc.status?.error ?? null,
        error_line: null,
        step: head?.step ?? null,
        checkpoint_id: doc.head,
        next: head?.next ?? [],
        last_nodes: head?.writes ?? [],
        progress: 0,
      },
      breakpoints: { before: [], after: [] },
      watches: {},
      head_id: doc.head,
      interrupts: head?.interrupts ?? [],
      selected: null,
    };
  }

  get<K extends keyof WidgetModel>(key: K): WidgetModel[K] {
    return this.traits[key];
  }

  set<K extends keyof WidgetModel>(key: K, value: WidgetModel[K]): void {
    this.traits[key] = value;
    this.emit(`change:${String(key)}`);
  }

  on(event: string, callback: Handler): void {
    const found = this.handlers.get(event) ?? new Set<Handler>();
    this.handlers.set(event, found);
    found.add(callback);
  }

  off(event?: string | null, callback?: Handler | null): void {
    if (event === undefined || event === null) this.handlers.clear();
    else if (callback === undefined || callback === null) this.handlers.delete(event);
    else this.handlers.get(event)?.delete(callback);
  }

  save_changes(): void {}

  /** A request from the widget: answered (later, as the kernel would) from the document. */
  send(content: unknown): void {
    const call = content as { kind?: string; id?: string; method?: string; params?: Record<string, unknown> };
    if (call.kind !== "call") return;
    let reply: Json | { ok: false; error: ErrorInfo };
    try {
      reply = { ok: true, result: this.answer(call.method ?? "", call.params ?? {}) } as Json;
    } catch (error) {
      reply = { ok: false, error: { type: "ReadOnlyExport", message: String((error as Error).message), detail: null } };
    }
    setTimeout(() => this.emit("msg:custom", { kind: "reply", id: call.id, ...(reply as object) }, []), 0);
  }

  private answer(method: string, params: Record<string, unknown>): Json {
    if (method === "history") {
      const limit = typeof params.limit === "number" && params.limit > 0 ? params.limit : undefined;
      return { rows: this.doc.checkpoints.slice(0, limit).map(row) as unknown as Json };
    }
    if (method === "head_state") {
      const head = this.doc.head === null ? undefined : this.byId.get(this.doc.head);
      return { id: this.doc.head, values: head?.values ?? (head ? OMITTED : {}) };
    }
    if (method === "checkpoint") return this.detail(String(params.checkpoint_id)) as unknown as Json;
    if (method === "select") {
      const id = typeof params.checkpoint_id === "string" ? this.checkpoint(params.checkpoint_id).id : null;
      this.set("selected", id);
      return { selected: id };
    }
    const missing = NOT_EXPORTED[method];
    if (missing !== undefined) throw new Error(`Not in this export: ${missing}.`);
    throw new Error(`${READ_ONLY} (${method} needs the kernel)`);
  }

  private checkpoint(id: string): ExportCheckpoint {
    const found = this.byId.get(id);
    if (found === undefined) throw new Error(`No checkpoint ${id} in this export.`);
    return found;
  }

  private detail(id: string): CheckpointDetail {
    const cp = this.checkpoint(id);
    const { values, changes, interrupts, answered, errors, cut: _cut, ...checkpoint } = cp;
    return {
      checkpoint,
      values: values ?? OMITTED,
      changes: changes ?? [],
      interrupts: interrupts.map((i) => ({ node: i.node, ns: i.ns })),
      answered,
      errors,
    };
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) handler(...args);
  }
}

function row(cp: ExportCheckpoint): RecordRow {
  const time = cp.created_at === null ? null : Date.parse(cp.created_at);
  return [cp.id, cp.parent_id, cp.step, cp.source, cp.writes, cp.next, time];
}
