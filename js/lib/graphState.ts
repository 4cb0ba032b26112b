/**
 * What each node of the graph is at the checkpoint the graph shows (the head, or the one
 * selected in the tree): about to run, last run, holding a pending interrupt, carrying
 * breakpoints. Pure, so the drawing only maps flags to classes.
 *
 * A run stopped inside a subgraph stands in its box: the nodes next there are "next", and the
 * subgraph boxes around them are "here". Breakpoints name nodes by path ("mid/inner/y"), the
 * drawing by LangGraph's xray id ("mid:inner:y").
 */

import { shortId } from "./format";
import {
  type Breakpoints,
  type CheckpointRecord,
  type InsideInfo,
  type InterruptInfo,
  nodePath,
  pathId,
  type Status,
} from "./protocol";

export interface NodeFlags {
  next: boolean;
  last: boolean;
  interrupted: boolean;
  before: boolean;
  after: boolean;
  /** Its task raised: the run stopped on an error there. */
  failed: boolean;
  /** A subgraph the run stands inside (stopped in it, or in one nested in it). */
  here: boolean;
}

/** Where the graph stands: one checkpoint's next nodes, its writers and its interrupts. */
export interface GraphMoment {
  /** The checkpoint shown; null before the first one. */
  checkpointId: string | null;
  step: number | null;
  head: boolean;
  next: string[];
  last: string[];
  interrupted: Set<string>;
  /** Nodes whose task raised, stopping the run (at the head only). */
  failed: string[];
  /** The subgraph boxes the run stands inside, outermost first (at the head only). */
  here: string[];
}

/** Where an interrupt was raised: `ns` is `["outer:task", "inner:task"]`. */
export type InterruptPlace = Pick<InterruptInfo, "node" | "ns">;

/**
 * Node ids holding a pending interrupt: the node that called `interrupt()` and, inside a
 * subgraph, every enclosing subgraph node. Drawn interior nodes are named `outer:inner`.
 */
export function interruptedNodes(interrupts: InterruptPlace[]): Set<string> {
  const ids = new Set<string>();
  for (const pending of interrupts) {
    const names = pending.ns.map((segment) => segment.split(":")[0] ?? segment);
    if (names.length === 0) names.push(pending.node);
    for (let depth = 1; depth <= names.length; depth++) ids.add(names.slice(0, depth).join(":"));
  }
  return ids;
}

/** The subgraph boxes around a place inside: "mid/inner" -> ["mid", "mid:inner"]. */
export function enclosing(path: string): string[] {
  const names = path.split("/");
  return names.map((_, depth) => names.slice(0, depth + 1).join(":"));
}

/** The head as the traits say (while a run goes on, nothing is "last run" yet). Stopped
 * inside a subgraph, what runs next is the subgraph's next nodes, in its box. */
export function headMoment(status: Status, interrupts: InterruptInfo[], inside: InsideInfo | null = null): GraphMoment {
  const stands = status.running === null ? inside : null;
  return {
    checkpointId: status.checkpoint_id,
    step: status.step,
    head: true,
    next: stands !== null ? stands.next_paths.map(pathId) : status.next,
    last: status.running === null ? status.last_nodes : [],
    interrupted: interruptedNodes(interrupts),
    failed: status.running === null ? (status.failed ?? []) : [],
    here: stands !== null ? enclosing(stands.path) : [],
  };
}

/** A past checkpoint, from its skeleton row and the interrupts pending there. */
export function checkpointMoment(
  record: Pick<CheckpointRecord, "id" | "step" | "next" | "writes">,
  interrupts: InterruptPlace[],
): GraphMoment {
  return {
    checkpointId: record.id,
    step: record.step,
    head: false,
    next: record.next,
    last: record.writes,
    interrupted: interruptedNodes(interrupts),
    failed: [],
    here: [],
  };
}

/** What the graph panel says it shows. */
export function momentCaption(moment: GraphMoment): string {
  if (moment.checkpointId === null) return "No checkpoint yet";
  const where = `checkpoint ${shortId(moment.checkpointId)} (step ${moment.step ?? "?"})`;
  const inside = moment.here.at(-1);
  if (!moment.head) return `Selected ${where}, not the head`;
  return inside === undefined ? `Head: ${where}` : `Head: ${where}, in ${nodePath(inside)}`;
}

export function nodeFlags(nodeId: string, moment: GraphMoment, breakpoints: Breakpoints): NodeFlags {
  const path = nodePath(nodeId);
  return {
    next: moment.next.includes(nodeId),
    last: moment.last.includes(nodeId),
    interrupted: moment.interrupted.has(nodeId),
    before: breakpoints.before.includes(path),
    after: breakpoints.after.includes(path),
    failed: moment.failed.includes(nodeId),
    here: moment.here.includes(nodeId),
  };
}
