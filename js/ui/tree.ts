/**
 * The checkpoint tree as a virtual list: only the rows in view exist in the DOM, so a thread
 * of 10,000 checkpoints scrolls as lightly as one of ten. Each row draws its lanes (forks are
 * branches, each branch keeping its colour as forks are added), then short id, step, the
 * node(s) that wrote it, source, next and time. Arrow keys move, Enter selects; the head is
 * marked. A search box finds rows by step (`#12`), id, node or source; in "compare" mode a
 * click picks the checkpoint to compare with instead of selecting it.
 */

import type { Store } from "../client/store";
import { clock, nodeList, shortId } from "../lib/format";
import { findRows, laneCount, type TreeRow } from "../lib/tree";
import { button, type Disposer, h, s, watch } from "./dom";
import { errorSlot } from "./errors";

export const ROW_HEIGHT = 24;
const LANE_WIDTH = 12;
const MAX_LANES = 10;
const OVERSCAN = 8;
/** Branch colours (widget.css `.hw-lane-N`). */
const COLOURS = 6;
/** The list shows this many rows at most (then scrolls), and keeps room for this many. */
const VISIBLE_ROWS = 12;
const MIN_ROWS = 3;

let treeCount = 0;

export function treeView(store: Store, disposer: Disposer): HTMLElement {
  const { model } = store;
  const prefix = `hw-tree-${++treeCount}`;
  const spacer = h("div", { class: "hw-tree-spacer" });
  const scroller = h(
    "div",
    { class: "hw-tree-scroll", attrs: { role: "tree", "aria-label": "Checkpoints, newest first", tabindex: -1 } },
    spacer,
  );
  const empty = h("div", { class: "hw-empty", testid: "hw-tree-empty" });
  const search = h("input", {
    class: "hw-text hw-tree-search",
    testid: "hw-tree-search",
    label: "Find checkpoints: #step, id, node or source",
    attrs: { type: "search", placeholder: "Find: #step, id, node…" },
  });
  const found = h("span", { class: "hw-dim hw-tree-found", testid: "hw-tree-found", attrs: { "aria-live": "polite" } });
  const finder = h(
    "div",
    { class: "hw-tree-finder" },
    search,
    button("↑", "hw-tree-prev", () => jump(-1), {
      class: "hw-icon-button",
      label: "Previous match",
      title: "Previous match (Shift+Enter)",
    }),
    button("↓", "hw-tree-next", () => jump(1), {
      class: "hw-icon-button",
      label: "Next match",
      title: "Next match (Enter)",
    }),
    found,
  );
  const header = h(
    "div",
    { class: "hw-row hw-tree-header", attrs: { "aria-hidden": "true" } },
    h("span", { class: "hw-lanes-head" }),
    h("span", { class: "hw-c-id" }, "id"),
    h("span", { class: "hw-c-step" }, "step"),
    h("span", { class: "hw-c-wrote" }, "wrote"),
    h("span", { class: "hw-c-source" }, "source"),
    h("span", { class: "hw-c-next" }, "next"),
    h("span", { class: "hw-c-time" }, "time"),
  );
  const el = h(
    "div",
    { class: "hw-tree", testid: "hw-tree" },
    finder,
    errorSlot(store, "tree", disposer),
    header,
    scroller,
    empty,
  );

  let rows: TreeRow[] = [];
  let matches: number[] = [];
  let match = -1; // which of `matches` was jumped to last
  let lanes = 1;
  let active = 0; // index of the row that holds the keyboard focus
  let frame = 0;

  const selectedId = () => model.get("selected") ?? model.get("head_id");

  const select = (row: TreeRow) => {
    if (store.comparison !== null && store.comparison.b === null) {
      store.compareWith(row.record.id);
      return;
    }
    void store.select(row.isHead ? null : row.record.id);
  };

  const findAll = () => {
    matches = findRows(rows, search.value);
    match = Math.min(match, matches.length - 1);
    found.textContent =
      search.value.trim() === ""
        ? ""
        : matches.length === 0
          ? "no match"
          : `${match >= 0 ? `${match + 1} of ` : ""}${matches.length} found`;
  };

  /** Go to the next (or previous) match and open it. */
  const jump = (by: number) => {
    findAll();
    if (matches.length === 0) return;
    match = (match + by + matches.length) % matches.length;
    const index = matches[match] as number;
    findAll();
    moveTo(index, false);
    const row = rows[index];
    if (row !== undefined) select(row);
  };

  const rowElement = (row: TreeRow, index: number): HTMLElement => {
    const r = row.record;
    const selected = r.id === selectedId();
    const marks = [
      row.isHead ? " hw-head" : "",
      selected ? " hw-selected" : "",
      store.opening === r.id ? " hw-opening-row" : "",
      store.comparison?.a === r.id || store.comparison?.b === r.id ? " hw-compared" : "",
      matches.includes(index) ? " hw-match" : "",
    ].join("");
    const el = h(
      "div",
      {
        class: `hw-row${marks}`,
        testid: `hw-row-${shortId(r.id)}`,
        attrs: {
          id: `${prefix}-${index}`,
          role: "treeitem",
          tabindex: index === active ? 0 : -1,
          "aria-selected": selected ? "true" : "false",
          "aria-current": row.isHead ? "true" : undefined,
          "aria-level": row.lane + 1,
          "aria-label": `checkpoint ${shortId(r.id)}, step ${r.step}, ${r.source}${r.writes.length ? ` by ${r.writes.join(", ")}` : ""}${row.isHead ? ", head" : ""}`,
          "data-id": r.id,
          "data-head": row.isHead ? "true" : undefined,
          "data-branch": row.branch,
          "aria-busy": store.opening === r.id ? "true" : undefined,
        },
      },
      laneGutter(row, lanes),
      h("span", { class: "hw-c-id", title: row.isHead ? `${r.id} (head)` : r.id }, shortId(r.id)),
      h("span", { class: "hw-c-step" }, String(r.step)),
      h("span", { class: "hw-c-wrote", title: r.writes.join(", ") }, nodeList(r.writes)),
      h("span", { class: "hw-c-source" }, r.source),
      h("span", { class: "hw-c-next", title: r.next.join(", ") }, nodeList(r.next, "end")),
      h("span", { class: "hw-c-time" }, clock(r.time)),
    );
    el.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    el.addEventListener("click", () => {
      active = index;
      select(row);
    });
    return el;
  };

  const paint = () => {
    frame = 0;
    const top = scroller.scrollTop;
    const height = scroller.clientHeight || ROW_HEIGHT * VISIBLE_ROWS;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const focused = scroller.contains(document.activeElement);
    const children: HTMLElement[] = [];
    for (let i = first; i < last; i++) children.push(rowElement(rows[i] as TreeRow, i));
    spacer.replaceChildren(...children);
    if (focused) (spacer.querySelector(`#${prefix}-${active}`) as HTMLElement | null)?.focus({ preventScroll: true });
  };

  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(paint);
  };

  const refresh = () => {
    rows = store.rows();
    lanes = Math.min(MAX_LANES, Math.max(1, laneCount(rows)));
    el.style.setProperty("--hw-lanes", String(lanes));
    spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    scroller.style.height = `${Math.min(VISIBLE_ROWS, Math.max(MIN_ROWS, rows.length)) * ROW_HEIGHT}px`;
    active = Math.min(active, Math.max(0, rows.length - 1));
    empty.hidden = rows.length > 0;
    // No blank list above "loading" or "could not load": the list shows once it has rows.
    header.hidden = rows.length === 0;
    scroller.hidden = rows.length === 0;
    if (store.historyState === "failed") {
      empty.replaceChildren(
        "Could not load the checkpoints. ",
        button("Retry", "hw-tree-retry", () => store.loadHistory(), { class: "hw-button" }),
      );
    } else {
      empty.textContent =
        store.historyState === "loaded" ? "No checkpoints yet: start the graph." : "Loading checkpoints…";
    }
    if (search.value) findAll();
    paint();
  };

  const moveTo = (index: number, focus = true) => {
    if (rows.length === 0) return;
    active = Math.max(0, Math.min(rows.length - 1, index));
    const top = active * ROW_HEIGHT;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight) {
      scroller.scrollTop = top + ROW_HEIGHT - scroller.clientHeight;
    }
    paint();
    if (focus) (spacer.querySelector(`#${prefix}-${active}`) as HTMLElement | null)?.focus({ preventScroll: true });
  };

  search.addEventListener("input", () => {
    match = -1;
    findAll();
    paint();
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      jump(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape" && search.value !== "") {
      search.value = "";
      match = -1;
      findAll();
      paint();
    }
  });

  scroller.addEventListener("scroll", schedule, { passive: true });
  scroller.addEventListener("keydown", (event) => {
    const page = Math.max(1, Math.floor(scroller.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: rows.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === "Escape" && store.comparison !== null) {
      store.compareFrom(null); // stop picking the checkpoint to compare with
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const row = rows[active];
      if (row !== undefined) select(row);
    }
  });
  scroller.addEventListener("focus", () => moveTo(active));

  disposer.add(store.events.on("history", refresh));
  disposer.add(store.events.on("opening", paint));
  disposer.add(store.events.on("compare", paint));
  disposer.add(watch(model, ["head_id", "selected"], refresh));
  disposer.add(() => cancelAnimationFrame(frame));
  store.loadHistory();
  return el;
}

function laneGutter(row: TreeRow, lanes: number): SVGSVGElement {
  const x = (lane: number) => Math.min(lane, MAX_LANES - 1) * LANE_WIDTH + LANE_WIDTH / 2;
  const mid = ROW_HEIGHT / 2;
  const color = (branch: number) => `hw-lane hw-lane-${branch % COLOURS}`;
  const svg = s("svg", {
    class: "hw-lanes",
    attrs: { width: lanes * LANE_WIDTH, height: ROW_HEIGHT, "aria-hidden": "true" },
  });
  row.through.forEach((lane, i) => {
    const branch = row.throughBranches[i] ?? 0;
    svg.append(s("line", { class: color(branch), attrs: { x1: x(lane), y1: 0, x2: x(lane), y2: ROW_HEIGHT } }));
  });
  row.joins.forEach((lane, i) => {
    svg.append(
      s("path", {
        class: color(row.joinBranches[i] ?? 0),
        attrs: { d: `M${x(lane)},0 C${x(lane)},${mid} ${x(row.lane)},${mid / 2} ${x(row.lane)},${mid}`, fill: "none" },
      }),
    );
  });
  const own = x(row.lane);
  if (row.up) svg.append(s("line", { class: color(row.upBranch), attrs: { x1: own, y1: 0, x2: own, y2: mid } }));
  if (row.down)
    svg.append(s("line", { class: color(row.branch), attrs: { x1: own, y1: mid, x2: own, y2: ROW_HEIGHT } }));
  svg.append(
    s("circle", {
      class: `hw-dot ${color(row.branch)}${row.isHead ? " hw-dot-head" : ""}`,
      attrs: { cx: own, cy: mid, r: row.isHead ? 5 : 3.5 },
    }),
  );
  return svg;
}
