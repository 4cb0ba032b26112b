/**
 * What each node of the graph is right now, from the traits: about to run, last run, holding
 * a pending interrupt, carrying breakpoints. Pure, so the drawing only maps flags to classes.
 */

import type { Breakpoints, InterruptInfo, Status } from "./protocol";

export interface NodeFlags {
  next: boolean;
  last: boolean;
  interrupted: boolean;
  before: boolean;
  after: boolean;
  /** Its task raised: the run stopped on an error there. */
  failed: boolean;
}

/**
 * Node ids holding a pending interrupt: the node that called `interrupt()` and, inside a
 * subgraph, every enclosing subgraph node. `ns` is `["outer:task", "inner:task"]`; drawn
 * interior nodes are named `outer:inner`.
 */
export function interruptedNodes(interrupts: InterruptInfo[]): Set<string> {
  const ids = new Set<string>();
  for (const pending of interrupts) {
    const names = pending.ns.map((segment) => segment.split(":")[0] ?? segment);
    if (names.length === 0) names.push(pending.node);
    for (let depth = 1; depth <= names.length; depth++) ids.add(names.slice(0, depth).join(":"));
  }
  return ids;
}

export function nodeFlags(
  nodeId: string,
  status: Status,
  breakpoints: Breakpoints,
  interrupted: Set<string>,
): NodeFlags {
  return {
    next: status.next.includes(nodeId),
    last: status.running === null && status.last_nodes.includes(nodeId),
    interrupted: interrupted.has(nodeId),
    before: breakpoints.before.includes(nodeId),
    after: breakpoints.after.includes(nodeId),
    failed: status.running === null && (status.failed ?? []).includes(nodeId),
  };
}
