/**
 * Keyboard shortcuts of the debugger, active while focus is inside the widget (the widget
 * marks itself so JupyterLab's own shortcuts stand aside there). Debugger-style keys: F10 to
 * step, F8 to continue, Shift+F8 to pause, Ctrl/Cmd+Enter to send what is being typed.
 */

export type Command = "step" | "cont" | "pause";

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export const SHORTCUT_LABELS: Record<Command, string> = {
  step: "F10",
  cont: "F8",
  pause: "Shift+F8",
};

/** The command a key press means, or null. */
export function commandFor(event: KeyLike): Command | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key === "F10" && !event.shiftKey) return "step";
  if (event.key === "F8") return event.shiftKey ? "pause" : "cont";
  return null;
}

/** Ctrl+Enter or Cmd+Enter: send the text box's content. */
export function isSubmit(event: KeyLike): boolean {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey);
}
