/**
 * The wire between the Python widget (hitl_widgets/widgets) and this front end: the synced
 * traits, the request/reply messages and the pushes. Python's side of each shape is named in
 * its comment; keep the two in step.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type PathSegment = string | number;
export type Path = PathSegment[];

export type ViewName = "debugger" | "graph" | "tree" | "interrupts" | "state" | "launcher";
export type PauseReason = "interrupt" | "breakpoint" | "step" | "done" | "error";

/** base.py `_status`. */
export interface Status {
  running: string | null;
  reason: PauseReason | null;
  summary: string;
  /** A node's traceback (its last lines). */
  error: Json;
  /** The traceback's exception line (`ValueError: ...`), found by text.error_line. */
  error_line: string | null;
  step: number | null;
  checkpoint_id: string | null;
  next: string[];
  last_nodes: string[];
  progress: number;
  /** The nodes whose task raised (an "error" pause), to mark them. */
  failed?: string[];
  /** The whole traceback's end, library frames too (`error` starts at the user's frames). */
  error_full?: Json;
  /** Which breakpoint stopped the run: "before X" / "after Y" (a "breakpoint" pause). */
  breakpoint_hit?: string | null;
}

/** serialize.topology_json. */
export interface TopologyNode {
  id: string;
  name: string;
  kind: "start" | "end" | "node" | "subgraph";
  parent: string | null;
}
export interface TopologyEdge {
  source: string;
  target: string;
  conditional: boolean;
  label: string | null;
}
export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

export interface Breakpoints {
  before: string[];
  after: string[];
  /** A conditional breakpoint's condition, by side and node (`Debugger.breakpoint_conditions`). */
  conditions?: { before: Record<string, string>; after: Record<string, string> };
}

/** serialize.interrupt_json (bounded by wire.interrupt_view). */
export interface InterruptInfo {
  id: string;
  node: string;
  ns: string[];
  value: Json;
  response_schema: Json;
}

/** inside.inside_json: where the head stands inside a subgraph. */
export interface InsideInfo {
  /** The subgraph's path from the root, "mid/inner". */
  path: string;
  /** Its next nodes in its own names, and by path from the root ("mid/inner/y"). */
  next: string[];
  next_paths: string[];
  /** The subgraph's own checkpoint. */
  checkpoint_id: string;
  /** Its nodes, in its own names: what an edit there may be written as. */
  nodes: string[];
  /** Its state, each key bounded. */
  values: JsonObject;
  /** "inside mid/inner, next: mid/inner/y". */
  summary: string;
}

/** The synced traits of base.DebuggerWidgetBase. */
export interface WidgetModel {
  view: ViewName;
  /** `read_only`: an exported thread shown with no kernel (client/exportModel.ts). */
  thread: { id?: string; backend?: string; read_only?: boolean };
  topology: Topology;
  as_nodes: string[];
  /** Every node a breakpoint can name: root nodes, then subgraph paths ("mid/inner/y"). */
  breakable: string[];
  /** Where the head stands inside a subgraph; {} at the root (read it with `insideOf`). */
  inside: InsideInfo | Record<string, never>;
  status: Status;
  breakpoints: Breakpoints;
  /** Watched state keys and their conditions (`Debugger.watches`). */
  watches: Record<string, string | null>;
  head_id: string | null;
  interrupts: InterruptInfo[];
  selected: string | null;
}

/** wire.record_row: `[id, parent_id, step, source, writes, next, created_ms]`. */
export type RecordRow = [string, string | null, number, string, string[], string[], number | null];

export interface CheckpointRecord {
  id: string;
  parentId: string | null;
  step: number;
  source: string;
  writes: string[];
  next: string[];
  time: number | null;
}

/** The `inside` trait as a value: null at the root. */
export function insideOf(inside: WidgetModel["inside"]): InsideInfo | null {
  return "path" in inside ? (inside as InsideInfo) : null;
}

/** A drawn node's id ("mid:inner:y", LangGraph's xray ids) as a breakpoint names it ("mid/inner/y"). */
export function nodePath(id: string): string {
  return id.replaceAll(":", "/");
}

/** A path ("mid/inner/y") as the drawn node's id ("mid:inner:y"). */
export function pathId(path: string): string {
  return path.replaceAll("/", ":");
}

export function decodeRow(row: RecordRow): CheckpointRecord {
  const [id, parentId, step, source, writes, next, time] = row;
  return { id, parentId, step, source, writes, next, time };
}

/** serialize.checkpoint_json. */
export interface CheckpointJson {
  id: string;
  parent_id: string | null;
  step: number;
  source: string;
  next: string[];
  writes: string[];
  created_at: string | null;
}

/** changes.state_changes. */
export interface StateChange {
  key: string;
  op: "add" | "remove" | "change";
  before?: Json;
  after?: Json;
  offset?: number;
}

/** An interrupt asked at a checkpoint and answered since (export/document.py). */
export interface AnsweredInterrupt {
  id: string;
  node: string;
  ns: string[];
  value: Json;
  /** Absent where the thread does not keep it (a server's). */
  answer?: Json;
}

/** commands.checkpoint. */
export interface CheckpointDetail {
  checkpoint: CheckpointJson;
  values?: JsonObject;
  changes: StateChange[];
  /** Where the interrupts pending at this checkpoint were raised. */
  interrupts: Pick<InterruptInfo, "node" | "ns">[];
  /** An export's (client/exportModel.ts): what was asked and answered here, and task errors. */
  answered?: AnsweredInterrupt[];
  errors?: Record<string, Json>;
}

/** serialize.pause_json. */
export interface PauseJson {
  reason: PauseReason;
  checkpoint_id: string | null;
  step: number | null;
  next: string[];
  interrupts: InterruptInfo[];
  error: Json;
}

/** rpc.error_json. */
export interface ErrorInfo {
  type: string;
  message: string;
  detail: string | null;
}

export interface HeadState {
  id: string | null;
  values: JsonObject;
}

/** Messages from Python. */
export type Reply =
  | { kind: "reply"; id: string; ok: true; result: unknown }
  | { kind: "reply"; id: string; ok: false; error: ErrorInfo };
export interface HistoryPush {
  kind: "history";
  rows: RecordRow[];
}
export interface StatePush {
  kind: "state";
  base: string | null;
  id: string | null;
  set: JsonObject;
  removed: string[];
}
export interface ErrorPush {
  kind: "error";
  error: ErrorInfo;
}
/** A batch of a run's live events: what to add to what the browser already shows. */
export interface LivePush {
  kind: "live";
  /** A run began: forget what the last one showed. */
  reset: boolean;
  /** The nodes running now, as paths (`outer/inner` inside a subgraph). */
  running: string[];
  /** Token text to append, by node path. */
  tokens: Record<string, string>;
  custom: { node: string; data: Json }[];
  finished: string[];
}
export type Incoming = Reply | HistoryPush | StatePush | ErrorPush | LivePush;

const INCOMING_KINDS = new Set(["reply", "history", "state", "error", "live"]);

export function isIncoming(message: unknown): message is Incoming {
  if (typeof message !== "object" || message === null) return false;
  return INCOMING_KINDS.has(String((message as { kind?: unknown }).kind));
}
