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
}

type StoreEvents = {
  history: undefined;
  live: undefined;
  "head-state": undefined;
  errors: undefined;
  busy: undefined;
};

/** Rows asked for before the whole skeleton, so a long thread's first screen paints at once. */
const FIRST_SCREEN_ROWS = 200;

export class Store {
  readonly model: AnyModel<WidgetModel>;
  readonly rpc: Rpc;
  readonly events = new Emitter<StoreEvents>();
  records: CheckpointRecord[] = [];
  historyState: "idle" | "loading" | "loaded" = "idle";
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

  /** Send a command; a failure is shown in the error area (and resolves to undefined). */
  async command<T>(action: string, method: string, params: Record<string, unknown> = {}): Promise<T | undefined> {
    this.inFlight.set(method, (this.inFlight.get(method) ?? 0) + 1);
    this.events.emit("busy", undefined);
    try {
      return await this.rpc.call<T>(method, params);
    } catch (error) {
      this.showError(action, errorInfo(error));
      return undefined;
    } finally {
      const left = (this.inFlight.get(method) ?? 1) - 1;
      if (left > 0) this.inFlight.set(method, left);
      else this.inFlight.delete(method);
      this.events.emit("busy", undefined);
    }
  }

  showError(action: string, info: ErrorInfo): void {
    this.errors = [...this.errors, { ...info, action, key: this.errorKey++ }];
    this.events.emit("errors", undefined);
  }

  dismissError(key: number): void {
    this.errors = this.errors.filter((e) => e.key !== key);
    this.events.emit("errors", undefined);
  }

  // ----------------------------------------------------------------- checkpoints

  /** Fetch the skeleton once, the first screen first; pushes keep it current afterwards. */
  loadHistory(): void {
    if (this.historyState !== "idle") return;
    this.historyState = "loading";
    this.rpc
      .call<{ rows: RecordRow[] }>("history", { limit: FIRST_SCREEN_ROWS })
      .then((result) => {
        this.addRows(result.rows);
        return this.rpc.call<{ rows: RecordRow[] }>("history");
      })
      .then((result) => {
        this.historyState = "loaded";
        this.addRows(result.rows);
      })
      .catch((error: unknown) => {
        this.historyState = "idle";
        this.showError("Load checkpoints", errorInfo(error));
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
  async more(source: "checkpoint" | "interrupt", id: string, path: Path, offset = 0): Promise<Json> {
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
      .catch((error: unknown) => this.showError("Load the state", errorInfo(error)))
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
