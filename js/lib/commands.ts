/**
 * When a command can act, and why not when it cannot: the toolbar and the panels disable a
 * button with this reason as its tooltip rather than let it answer with a "failed" banner.
 * Pure: it reads the same traits the views are drawn from.
 */

import type { InterruptInfo, Status } from "./protocol";

export interface Situation {
  status: Status;
  headId: string | null;
  interrupts: InterruptInfo[];
  /** The thread is on a LangGraph server (it steps into a subgraph only where compiled). */
  remote?: boolean;
  /** An exported thread with no kernel: nothing can act. */
  readOnly?: boolean;
}

/** Why nothing acts in an exported thread (the tooltip of every command there). */
export const READ_ONLY = "Read-only export: nothing runs or changes here.";

export type RunCommand = "start" | "step" | "into" | "cont" | "pause" | "resume" | "change";

/** Why "Step into" cannot act on a server, whatever the moment. */
export const INTO_ON_SERVER =
  "A LangGraph server stops inside subgraphs only where breakpoints were compiled into them: Step runs a subgraph as one step.";

/** Null when `command` can act now; else why not, in words a person acts on. */
export function blocker(
  command: RunCommand,
  { status, headId, interrupts, remote, readOnly }: Situation,
): string | null {
  if (readOnly === true) return READ_ONLY;
  const running = status.running;
  if (command === "into" && remote === true) return INTO_ON_SERVER;
  if (command === "pause") return running === null ? "Nothing is running." : null;
  if (running !== null) return `${running} is running: wait, or press Pause.`;
  if (command === "start" || command === "change") return null;
  if (command === "resume") return interrupts.length === 0 ? "No interrupt is pending: nothing to answer." : null;
  if (headId === null) return "The thread is empty: start the graph with an input first.";
  if (interrupts.length > 0) {
    return `${interrupts.length === 1 ? "An interrupt is" : `${interrupts.length} interrupts are`} pending: answer it below first.`;
  }
  // A breakpoint after the last node: going on just finishes the run.
  if (status.next.length === 0 && status.reason !== "breakpoint") {
    return "The run is finished (nothing runs next): start a new run, or replay or fork a past checkpoint.";
  }
  return null;
}
