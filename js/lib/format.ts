/** Short forms a person reads: checkpoint ids, times, node lists. */

/** The last 8 characters (hitl_widgets.model.short_id): UUIDv6 ids share their time-based head. */
export function shortId(id: string): string {
  return id.slice(-8);
}

/** `HH:MM:SS` in local time, or "-" when unknown. */
export function clock(ms: number | null): string {
  if (ms === null) return "-";
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function nodeList(nodes: string[], none = "-"): string {
  return nodes.length > 0 ? nodes.join(", ") : none;
}

/** `1 item` / `3 items`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
