/**
 * What one widget model knows beyond its traits, shared by all its views on the page: the
 * checkpoint skeleton (fetched once, then grown by pushes), the head's values (fetched once,
 * then patched key by key), details of checkpoints (immutable, so cached), and the errors to
 * show. Created in the widget's `initialize`, so it outlives any one rendered view.
 */

import type { AnyModel } from "@anywidget/types";
import { applyLive, emptyLive, type LiveState } from "../lib/live";
import type {
  CheckpointDetail,
  CheckpointRecord,
  ErrorInfo,
  HeadState,
  Json,
  Path,
  RecordRow,
  StatePush,
  WidgetModel,
} from "../lib/protocol";
import { decodeRow } from "../lib/protocol";
import { mergeRecords, type TreeRow, treeRows } from "../lib/tree";
import { Emitter } from "./emitter";
import { errorInfo, Rpc } from "./rpc";

/** Details of this many checkpoints are kept (each is small: bounded values). */
const DETAIL_CACHE = 64;

export interface ShownError extends ErrorInfo {
  /** What the person was doing when it failed ("Step", "Resume"...). */
  action: string;
  key: number;
  /** Where it shows: next to the control that caused it (an `errorSlot` of that name), or in
   * the error area at the top ("top") when no such slot is on the page. */
  place: string;
  /** How many times this same error came (shown once, counted). */
  count: number;
}

/** Where an error shows when its command names no place. */
export const TOP = "top";

type StoreEvents = {
  history: undefined;
  live: undefined;
  "head-state": undefined;
  errors: undefined;
  busy: undefined;
  compare: undefined;
  hint: undefined;
  opening: undefined;
};

/** Two checkpoints being compared: `a` chosen, `b` picked next (null while picking). */
export interface Comparison {
  a: string;
  b: string | null;
}

/** Rows asked for before the whole skeleton, so a long thread's first screen paints at once. */
const FIRST_SCREEN_ROWS = 200;

export class Store {
  readonly model: AnyModel<WidgetModel>;
  readonly rpc: Rpc;
  readonly events = new Emitter<StoreEvents>();
  records: CheckpointRecord[] = [];
  historyState: "idle" | "loading" | "loaded" | "failed" = "idle";
  comparison: Comparison | null = null;
  /** The checkpoint a click asked to open, until the kernel answers (shown at once). */
  opening: string | null = null;
  /** A passing word for the status area: why a shortcut did nothing. */
  lastHint = "";
  /** Slots on the page, by place: an error for a place with a connected slot shows there. */
  private readonly slots = new Map<string, Set<HTMLElement>>();
  headState: HeadState | null = null;
  errors: ShownError[] = [];
  /** The run in flight (or the last one), as it streamed: running nodes, tokens, custom events. */
  live: LiveState = emptyLive();
  /** Commands sent and not yet answered, by name: buttons show them as busy. */
  readonly inFlight = new Map<string, number>();
  private rowsFor: { records: CheckpointRecord[]; head: string | null; rows: TreeRow[] } | null = null;
  private readonly details = new Map<string, Promise<CheckpointDetail>>();
  private headLoading: Promise<void> | null = null;
  private errorKey = 0;

  constructor(model: AnyModel<WidgetModel>) {
    this.model = model;
    this.rpc = new Rpc(model);
    this.rpc.pushes.on("history", (push) => this.addRows(push.rows));
    this.rpc.pushes.on("state", (push) => this.patchHeadState(push));
    this.rpc.pushes.on("error", (push) => this.showError("Update from the kernel", push.error));
    this.rpc.pushes.on("live", (push) => {
      this.live = applyLive(this.live, push);
      this.events.emit("live", undefined);
    });
  }

  dispose(): void {
    this.rpc.dispose();
    this.events.clear();
  }

  // ----------------------------------------------------------------- commands

  /**
   * Send a command. A failure shows next to `place` (or at the top); a success clears the
   * errors of earlier commands, which it has made stale. Resolves to undefined on failure.
   */
  async command<T>(
    action: string,
    method: string,
    params: Record<string, unknown> = {},
    place = TOP,
  ): Promise<T | undefined> {
    this.inFlight.set(method, (this.inFlight.get(method) ?? 0) + 1);
    this.events.emit("busy", undefined);
    try {
      const result = await this.rpc.call<T>(method, params);
      this.clearErrors();
      return result;
    } catch (error) {
      this.showError(action, errorInfo(error), place);
      return undefined;
    } finally {
      const left = (this.inFlight.get(method) ?? 1) - 1;
      if (left > 0) this.inFlight.set(method, left);
      else this.inFlight.delete(method);
      this.events.emit("busy", undefined);
    }
  }

  /** Show an error: the same one again is counted, not stacked; a new error at a control
   * replaces the one shown there (it answers a later attempt). */
  showError(action: string, info: ErrorInfo, place = TOP): void {
    const same = this.errors.find(
      (e) => e.place === place && e.action === action && e.type === info.type && e.message === info.message,
    );
    if (same !== undefined) {
      this.errors = this.errors.map((e) => (e === same ? { ...e, count: e.count + 1 } : e));
    } else {
      const kept = place === TOP ? this.errors : this.errors.filter((e) => e.place !== place);
      this.errors = [...kept, { ...info, action, place, count: 1, key: this.errorKey++ }];
    }
    this.events.emit("errors", undefined);
  }

  dismissError(key: number): void {
    this.errors = this.errors.filter((e) => e.key !== key);
    this.events.emit("errors", undefined);
  }

  /** Drop the errors shown at `place` (every error when no place is named). */
  clearErrors(place?: string): void {
    const kept = place === undefined ? [] : this.errors.filter((e) => e.place !== place);
    if (kept.length === this.errors.length) return;
    this.errors = kept;
    this.events.emit("errors", undefined);
  }

  /** Register `el` as where errors of `place` show; returns the function that unregisters it. */
  addSlot(place: string, el: HTMLElement): () => void {
    const found = this.slots.get(place) ?? new Set<HTMLElement>();
    this.slots.set(place, found);
    found.add(el);
    return () => found.delete(el);
  }

  /** True when a slot of `place` is on the page (so the top area leaves its errors to it). */
  hasSlot(place: string): boolean {
    for (const el of this.slots.get(place) ?? []) if (el.isConnected) return true;
    return false;
  }

  /** Say why something did not happen (a shortcut whose command cannot act now). */
  hint(text: string): void {
    this.lastHint = text;
    this.events.emit("hint", undefined);
  }

  /** Select a checkpoint (null: follow the head), showing at once that it is on its way. */
  async select(id: string | null): Promise<void> {
    this.opening = id;
    this.events.emit("opening", undefined);
    await this.command("Open the checkpoint", "select", { checkpoint_id: id }, "tree");
    if (this.opening === id) {
      this.opening = null;
      this.events.emit("opening", undefined);
    }
  }

  // ----------------------------------------------------------------- comparing

  /** Start comparing `a` with the checkpoint picked next (null stops comparing). */
  compareFrom(a: string | null): void {
    this.comparison = a === null ? null : { a, b: null };
    this.events.emit("compare", undefined);
  }

  /** The second checkpoint of the comparison, picked in the tree. */
  compareWith(b: string): void {
    if (this.comparison === null) return;
    this.comparison = { a: this.comparison.a, b };
    this.events.emit("compare", undefined);
  }

  // ----------------------------------------------------------------- checkpoints

  /** Fetch the skeleton once, the first screen first; pushes keep it current afterwards. */
  loadHistory(): void {
    if (this.historyState === "loading" || this.historyState === "loaded") return;
    this.historyState = "loading";
    this.events.emit("history", undefined); // "Loading…" in place of a retry already clicked
    this.rpc
      .call<{ rows: RecordRow[] }>("history", { limit: FIRST_SCREEN_ROWS })
      .then((result) => {
        this.clearErrors("tree"); // a failed load before this one is resolved
        this.addRows(result.rows);
        return this.rpc.call<{ rows: RecordRow[] }>("history");
      })
      .then((result) => {
        this.historyState = "loaded";
        this.addRows(result.rows);
      })
      .catch((error: unknown) => {
        this.historyState = "failed";
        this.showError("Load checkpoints", errorInfo(error), "tree");
        this.events.emit("history", undefined);
      });
  }

  /** The tree rows for the current skeleton and head (recomputed only when either changed). */
  rows(): TreeRow[] {
    const head = this.model.get("head_id");
    const cached = this.rowsFor;
    if (cached !== null && cached.records === this.records && cached.head === head) return cached.rows;
    const rows = treeRows(this.records, head);
    this.rowsFor = { records: this.records, head, rows };
    return rows;
  }

  record(id: string): CheckpointRecord | undefined {
    return this.rows().find((row) => row.record.id === id)?.record;
  }

  private addRows(rows: RecordRow[]): void {
    this.records = mergeRecords(this.records, rows.map(decodeRow));
    this.events.emit("history", undefined);
  }

  /** A checkpoint's values (unless `withValues` is false) and its changes from its parent. */
  detail(id: string, withValues: boolean): Promise<CheckpointDetail> {
    const key = `${id}:${withValues}`;
    let found = this.details.get(key);
    if (found === undefined) {
      found = this.rpc.call<CheckpointDetail>("checkpoint", { checkpoint_id: id, values: withValues });
      found.catch(() => this.details.delete(key));
      this.details.set(key, found);
      if (this.details.size > DETAIL_CACHE) {
        const oldest = this.details.keys().next().value;
        if (oldest !== undefined) this.details.delete(oldest);
      }
    }
    return found;
  }

  /** A wider view of the part of a value at `path` ("see more"). */
  async more(source: "checkpoint" | "inside" | "interrupt", id: string, path: Path, offset = 0): Promise<Json> {
    const result = await this.rpc.call<{ value: Json }>("more", { source, id, path, offset });
    return result.value;
  }

  // ----------------------------------------------------------------- head state

  /** Fetch the head's values once; pushes patch them afterwards. */
  loadHeadState(): void {
    if (this.headLoading !== null) return;
    this.headLoading = this.rpc
      .call<HeadState>("head_state")
      .then((state) => {
        this.headState = state;
        this.events.emit("head-state", undefined);
      })
      .catch((error: unknown) => this.showError("Load the state", errorInfo(error), "detail"))
      .finally(() => {
        this.headLoading = null;
      });
  }

  private patchHeadState(push: StatePush): void {
    const current = this.headState;
    if (current === null || current.id !== push.base) {
      if (current !== null) this.loadHeadState(); // out of step: fetch it whole again
      return;
    }
    const values = { ...current.values, ...push.set };
    for (const key of push.removed) delete values[key];
    this.headState = { id: push.id, values };
    this.events.emit("head-state", undefined);
  }
}
