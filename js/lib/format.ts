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
  if (nodes.length === 0) return none;
  // A name repeated in a row (a step's `Send` tasks of one node) reads once with its count.
  const runs: [string, number][] = [];
  for (const name of nodes) {
    const last = runs[runs.length - 1];
    if (last && last[0] === name) last[1] += 1;
    else runs.push([name, 1]);
  }
  return runs.map(([name, count]) => (count === 1 ? name : `${name}×${count}`)).join(", ");
}

/** `1 item` / `3 items`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
