/**
 * What the browser shows of a run while it goes: the nodes running now, each node's tokens
 * growing, the custom events its nodes wrote. Built up from the kernel's batched `live`
 * pushes; bounded, since a long run streams without end (the final words reach the state).
 */

import { type Json, type LivePush, pathId } from "./protocol";

/** Token text kept per node: the newest characters. */
export const TOKEN_CHARS = 20_000;
/** Custom events kept: the newest. */
export const CUSTOM_EVENTS = 200;

export interface LiveState {
  running: string[];
  /** Node paths in the order their tokens first came, with the text so far. */
  tokens: Map<string, string>;
  custom: { node: string; data: Json }[];
  finished: string[];
}

export function emptyLive(): LiveState {
  return { running: [], tokens: new Map(), custom: [], finished: [] };
}

/** The live state after a push (a new object; the old one is left as it was). */
export function applyLive(state: LiveState, push: LivePush): LiveState {
  const base = push.reset ? emptyLive() : state;
  const tokens = new Map(base.tokens);
  for (const [node, text] of Object.entries(push.tokens)) {
    tokens.set(node, ((tokens.get(node) ?? "") + text).slice(-TOKEN_CHARS));
  }
  return {
    running: push.running,
    tokens,
    custom: [...base.custom, ...push.custom].slice(-CUSTOM_EVENTS),
    finished: [...base.finished, ...push.finished],
  };
}

/** Whether a drawn node (or a subgraph holding it) is running now. */
export function isRunning(state: LiveState, nodeId: string): boolean {
  return state.running.some((path) => {
    const id = pathId(path);
    return id === nodeId || id.startsWith(`${nodeId}:`);
  });
}
