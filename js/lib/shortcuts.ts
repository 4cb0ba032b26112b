/**
 * Keyboard shortcuts of the debugger, active while focus is anywhere inside the widget (a click
 * on its blank space focuses it; it marks itself so JupyterLab's own shortcuts stand aside
 * there). Debugger-style keys: F10 to step (over a subgraph), F11 to step into one, F8 to continue, Shift+F8 to pause, Ctrl/Cmd+Enter
 * to send what is being typed, `?` for the list of them all.
 */

export type Command = "step" | "into" | "cont" | "pause";

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export const SHORTCUT_LABELS: Record<Command, string> = {
  step: "F10",
  into: "F11",
  cont: "F8",
  pause: "Shift+F8",
};

/** The command a key press means, or null. */
export function commandFor(event: KeyLike): Command | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key === "F10" && !event.shiftKey) return "step";
  if (event.key === "F11" && !event.shiftKey) return "into";
  if (event.key === "F8") return event.shiftKey ? "pause" : "cont";
  return null;
}

/** Ctrl+Enter or Cmd+Enter: send the text box's content. */
export function isSubmit(event: KeyLike): boolean {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey);
}

/** `?` opens the help, except while typing (a `?` is then text). */
export function isHelpKey(event: KeyLike, typing: boolean): boolean {
  return event.key === "?" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey;
}

/** Every key the widget answers, as the help overlay lists them. */
export const SHORTCUT_HELP: [keys: string, what: string][] = [
  [SHORTCUT_LABELS.step, "Step: run one superstep (a subgraph that runs next runs whole)"],
  [SHORTCUT_LABELS.into, "Step into: enter a subgraph that runs next, stop before its first node"],
  [SHORTCUT_LABELS.cont, "Continue: run to the next pause"],
  [SHORTCUT_LABELS.pause, "Pause a running continue at the next superstep"],
  ["Ctrl+Enter", "Send the text box (start input, answer, state edit)"],
  ["Enter / Shift+Enter", "On a graph node: breakpoint before / after"],
  ["Shift+F10, ContextMenu", "On a graph node: its menu"],
  ["← ↑ → ↓", "On the graph: pan; in the checkpoint list: move"],
  ["+ / − / 0", "On the graph: zoom in / out / fit"],
  ["Ctrl+wheel, drag", "On the graph: zoom, pan"],
  ["Esc", "Close this help, a menu, the maximised graph"],
  ["?", "This help"],
];
