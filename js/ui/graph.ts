/**
 * The graph as SVG: dagre's layout, conditional edges dashed, subgraphs as boxes around their
 * interior, and each node marked as it stands at the checkpoint shown — the head, or the one
 * selected in the tree (next, last run, pending interrupt), with its breakpoints.
 *
 * Click a node (or Enter) to toggle a breakpoint before it; Shift+click (Shift+Enter) for
 * after; right-click (or the context-menu key) for a menu with both. A subgraph's box takes
 * breakpoints for the whole subgraph, and the nodes inside it their own, by path
 * ("mid/inner/y"), wherever the Debugger can stop there (its `breakable` nodes: in this
 * kernel, all of them; a LangGraph server stops inside a subgraph only where the subgraph was
 * compiled with breakpoints, and such nodes say so). A run stopped inside a subgraph marks
 * the nodes next there and the subgraph boxes it stands in.
 *
 * The drawing zooms and pans: drag or arrow keys pan, Ctrl+wheel (or a pinch) or +/− zoom, 0
 * fits. It is never shrunk below a readable scale: a large graph is panned instead. A plain
 * wheel scrolls the notebook, as everywhere else on the page.
 */
import type { Store } from "../client/store";
import { checkpointMoment, type GraphMoment, headMoment, momentCaption, nodeFlags } from "../lib/graphState";
import {
  computeLayout,
  type GraphLayout,
  layoutInput,
  type PlacedEdge,
  type PlacedNode,
  placedEdgePath,
} from "../lib/layout";
import { isRunning } from "../lib/live";
import { insideOf, nodePath } from "../lib/protocol";
import {
  constrain,
  fitTransform,
  MIN_SCALE,
  PADDING,
  viewportHeight,
  type ZoomTransform,
  zoomAround,
} from "../lib/viewport";
import { button, type Disposer, h, s, watch } from "./dom";

let graphCount = 0;

/** How far one arrow key pans, in screen pixels. */
const PAN_STEP = 48;
const ZOOM_STEP = 1.25;
/** A press that moves less than this (screen pixels) is a click, not a drag. */
const DRAG_THRESHOLD = 3;
/** The drawing's margin inside the panning bounds, in drawing units. */
const MARGIN = PADDING / MIN_SCALE;

export function graphView(store: Store, disposer: Disposer): HTMLElement {
  const { model } = store;
  const arrowId = `hw-arrow-${++graphCount}`;
  const caption = h("span", { class: "hw-graph-showing", testid: "hw-graph-showing" });
  const toHead = button("show the head", "hw-graph-to-head", () => {
    void store.command("Select the head", "select", { checkpoint_id: null });
  });
  toHead.className = "hw-link";
  const tool = (text: string, testid: string, title: string, action: () => void) =>
    button(text, testid, action, { class: "hw-button hw-graph-tool", title, label: title });
  const maximise = tool("⤢", "hw-graph-maximise", "Maximise the graph (Esc restores)", () =>
    setMaximised(!wrap.classList.contains("hw-graph-maximised")),
  );
  maximise.setAttribute("aria-pressed", "false");
  const bar = h(
    "div",
    { class: "hw-graph-bar" },
    h("span", { class: "hw-graph-where" }, caption, " ", toHead),
    h(
      "span",
      { class: "hw-graph-tools", attrs: { role: "toolbar", "aria-label": "Graph view" } },
      tool("−", "hw-graph-zoom-out", "Zoom out (−)", () => zoomBy(1 / ZOOM_STEP)),
      tool("+", "hw-graph-zoom-in", "Zoom in (+)", () => zoomBy(ZOOM_STEP)),
      tool("Fit", "hw-graph-fit", "Fit the graph (0)", () => fitView()),
      maximise,
    ),
  );
  const scene = s("g", { class: "hw-graph-scene" });
  const svg = s(
    "svg",
    {
      class: "hw-graph-svg",
      testid: "hw-graph-svg",
      label: "Graph of the nodes. Drag or arrow keys: pan; Ctrl+wheel or + and −: zoom; 0: fit",
      attrs: { role: "group", tabindex: 0 },
    },
    s(
      "defs",
      {},
      s(
        "marker",
        {
          attrs: {
            id: arrowId,
            viewBox: "0 0 10 10",
            refX: 9,
            refY: 5,
            markerWidth: 7,
            markerHeight: 7,
            orient: "auto-start-reverse",
          },
        },
        s("path", { class: "hw-g-arrow", attrs: { d: "M0,0 L10,5 L0,10 z" } }),
      ),
    ),
    scene,
  );
  const viewport = h("div", { class: "hw-graph-viewport", testid: "hw-graph-viewport" }, svg);
  // Right-click opens the node menu here, not JupyterLab's own context menu.
  const wrap = h(
    "div",
    { class: "hw-graph", testid: "hw-graph", attrs: { "data-jp-suppress-context-menu": "true" } },
    bar,
    viewport,
    legend(),
  );
  const menu = h("div", { class: "hw-menu", testid: "hw-node-menu", attrs: { role: "menu" } });
  menu.hidden = true;
  let layout: GraphLayout | null = null;
  const headNow = () => headMoment(model.get("status"), model.get("interrupts"), insideOf(model.get("inside")));
  let moment: GraphMoment = headNow();
  const nodes = new Map<string, SVGGElement>();

  // ------------------------------------------------------------------ zoom and pan

  let moved = false; // once the person zoomed or panned, a resize no longer refits
  let transform: ZoomTransform = { k: 1, x: 0, y: 0 };
  const viewSize = () => ({ width: svg.clientWidth, height: svg.clientHeight });
  const setTransform = (next: ZoomTransform, byPerson: boolean) => {
    transform = layout === null ? next : constrain(next, viewSize(), layout, MARGIN);
    scene.setAttribute("transform", `translate(${transform.x},${transform.y}) scale(${transform.k})`);
    wrap.dataset.scale = transform.k.toFixed(3);
    if (byPerson) moved = true;
  };
  const fitView = () => {
    if (layout === null || svg.clientWidth === 0) return;
    setTransform(fitTransform(layout, viewSize()), false);
    moved = false;
  };
  const zoomBy = (factor: number) => {
    const { width, height } = viewSize();
    setTransform(zoomAround(transform, factor, { x: width / 2, y: height / 2 }), true);
  };
  const panBy = (dx: number, dy: number) => {
    setTransform({ k: transform.k, x: transform.x + dx, y: transform.y + dy }, true);
  };

  svg.addEventListener(
    "wheel",
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls the notebook
      event.preventDefault();
      // Lines, pages or pixels to a zoom exponent, as browsers scale pinches (Ctrl+wheel).
      const exponent = -event.deltaY * (event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.002) * 10;
      const box = svg.getBoundingClientRect();
      const at = { x: event.clientX - box.left, y: event.clientY - box.top };
      setTransform(zoomAround(transform, 2 ** exponent, at), true);
    },
    { passive: false },
  );
  // Drag to pan: a press that moves past the threshold pans, and its release is no click.
  let drag: { pointer: number; x: number; y: number; from: ZoomTransform; panning: boolean } | null = null;
  let swallowClick = false;
  svg.addEventListener("mousedown", (event) => event.stopPropagation()); // the notebook keeps out
  svg.addEventListener("pointerdown", (event) => {
    swallowClick = false;
    if (event.button !== 0) return;
    drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY, from: transform, panning: false };
  });
  svg.addEventListener("pointermove", (event) => {
    if (drag === null || event.pointerId !== drag.pointer) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.panning) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      drag.panning = true;
      svg.setPointerCapture(event.pointerId);
      svg.classList.add("hw-panning");
    }
    setTransform({ k: drag.from.k, x: drag.from.x + dx, y: drag.from.y + dy }, true);
  });
  const endDrag = (event: PointerEvent) => {
    if (drag === null || event.pointerId !== drag.pointer) return;
    swallowClick = drag.panning;
    drag = null;
    svg.classList.remove("hw-panning");
  };
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener(
    "click",
    (event) => {
      if (!swallowClick) return;
      swallowClick = false;
      event.stopPropagation();
    },
    true,
  );
  const resized = new ResizeObserver(() => {
    if (!moved) fitView();
  });
  resized.observe(viewport);
  disposer.add(() => resized.disconnect());

  const setMaximised = (on: boolean) => {
    wrap.classList.toggle("hw-graph-maximised", on);
    wrap.closest(".hw-debugger")?.classList.toggle("hw-graph-maximised", on);
    maximise.setAttribute("aria-pressed", String(on));
    maximise.title = on ? "Restore the layout (Esc)" : "Maximise the graph (Esc restores)";
    moved = false; // the resize observer refits to the new size
  };

  svg.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const pans: Record<string, [number, number]> = {
      ArrowLeft: [PAN_STEP, 0],
      ArrowRight: [-PAN_STEP, 0],
      ArrowUp: [0, PAN_STEP],
      ArrowDown: [0, -PAN_STEP],
    };
    const pan = pans[event.key];
    if (pan !== undefined) panBy(...pan);
    else if (event.key === "+" || event.key === "=") zoomBy(ZOOM_STEP);
    else if (event.key === "-" || event.key === "_") zoomBy(1 / ZOOM_STEP);
    else if (event.key === "0") fitView();
    else return;
    event.preventDefault();
  });
  wrap.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && wrap.classList.contains("hw-graph-maximised")) {
      event.stopPropagation();
      setMaximised(false);
    }
  });

  // ------------------------------------------------------------------ breakpoints and the menu

  /** Breakpoints name a node by its path from the root ("mid/inner/y"). */
  const toggle = (node: PlacedNode, when: "before" | "after") => {
    const path = nodePath(node.id);
    const current = model.get("breakpoints")[when].includes(path);
    void store.command(`Breakpoint ${when} ${path}`, "set_breakpoint", { node: path, when, on: !current });
  };

  let menuFrom: SVGGElement | null = null; // the node whose menu is open: focus goes back there
  /** Opens the menu at (x, y) in viewport coordinates, kept inside the widget (not the panel). */
  const openMenu = (node: PlacedNode, x: number, y: number, from: SVGGElement) => {
    menuFrom = from;
    const bp = model.get("breakpoints");
    const path = nodePath(node.id);
    const item = (text: string, testid: string, action: () => void) => {
      const el = h("button", { class: "hw-menu-item", testid, attrs: { type: "button", role: "menuitem" } }, text);
      el.addEventListener("click", () => {
        closeMenu();
        action();
      });
      return el;
    };
    const label = (when: "before" | "after") => {
      if (!bp[when].includes(path)) return `Break ${when}`;
      const condition = bp.conditions?.[when][path];
      return `Remove breakpoint ${when}${condition ? ` (when ${condition})` : ""}`;
    };
    /** A breakpoint that holds only when a Python expression over `state` is true (read in the kernel). */
    const conditional = (when: "before" | "after") => {
      const input = h("input", {
        class: "hw-menu-input",
        testid: "hw-menu-condition",
        attrs: { type: "text", placeholder: "len(state['messages']) > 4", "aria-label": `Break ${when} when` },
      }) as HTMLInputElement;
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" || input.value.trim() === "") return;
        event.stopPropagation();
        const condition = input.value.trim();
        closeMenu();
        void store.command(`Breakpoint ${when} ${path} when ${condition}`, "set_breakpoint", {
          node: path,
          when,
          on: true,
          condition,
        });
      });
      menu.replaceChildren(h("div", { class: "hw-menu-title" }, `Break ${when} ${path} when (Enter):`), input);
      input.focus();
    };
    const conditionItem = (when: "before" | "after") => {
      const el = h(
        "button",
        { class: "hw-menu-item", testid: `hw-menu-${when}-when`, attrs: { type: "button", role: "menuitem" } },
        `Break ${when} when…`,
      );
      el.addEventListener("click", (event) => {
        event.stopPropagation();
        conditional(when);
      });
      return el;
    };
    menu.replaceChildren(
      h("div", { class: "hw-menu-title" }, path),
      item(label("before"), "hw-menu-before", () => toggle(node, "before")),
      item(label("after"), "hw-menu-after", () => toggle(node, "after")),
      conditionItem("before"),
      conditionItem("after"),
    );
    const host = (wrap.closest(".hw-root") as HTMLElement | null) ?? wrap;
    host.append(menu);
    menu.hidden = false;
    const box = host.getBoundingClientRect();
    const left = Math.min(x - box.left, host.clientWidth - menu.offsetWidth - 4);
    const below = y - box.top;
    const top = below + menu.offsetHeight > host.clientHeight ? below - menu.offsetHeight : below;
    menu.style.left = `${Math.max(4, left)}px`;
    menu.style.top = `${Math.max(4, top)}px`;
    (menu.querySelector("button") as HTMLButtonElement | null)?.focus();
  };
  const closeMenu = () => {
    menu.hidden = true;
    menuFrom?.focus();
  };
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      closeMenu();
    }
  });
  menu.addEventListener("focusout", () => {
    // Where focus went is known once the event is over: an item the menu replaces with an input
    // leaves with no related target, and the input takes the focus just after.
    setTimeout(() => {
      if (!menu.contains(document.activeElement)) menu.hidden = true;
    }, 0);
  });
  disposer.add(() => menu.remove());

  const makeInteractive = (node: PlacedNode, g: SVGGElement) => {
    g.addEventListener("click", (event) => toggle(node, event.shiftKey ? "after" : "before"));
    g.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle(node, event.shiftKey ? "after" : "before");
      } else if (event.key === "ContextMenu" || (event.key === "F10" && event.shiftKey)) {
        event.preventDefault();
        event.stopPropagation();
        const box = g.getBoundingClientRect();
        openMenu(node, box.left, box.bottom, g);
      }
    });
    g.addEventListener("contextmenu", (event) => {
      event.preventDefault();
      event.stopPropagation();
      openMenu(node, event.clientX, event.clientY, g);
    });
  };

  // ------------------------------------------------------------------ drawing

  const draw = () => {
    layout = computeLayout(layoutInput(model.get("topology")));
    const canBreak = new Set(model.get("breakable"));
    const breakable = (node: PlacedNode) =>
      (node.kind === "node" || node.kind === "subgraph") && canBreak.has(nodePath(node.id));
    // a server's subgraphs: nothing inside them takes a breakpoint
    const sealed = (node: PlacedNode) => !layout?.nodes.some((n) => n.parent === node.id && breakable(n));
    nodes.clear();
    const containers = layout.nodes.filter((n) => n.container);
    const parts: SVGElement[] = [];
    for (const node of containers) {
      const interactive = breakable(node);
      const g = containerShape(node, interactive, sealed(node));
      if (interactive) makeInteractive(node, g);
      nodes.set(node.id, g);
      parts.push(g);
    }
    for (const edge of layout.edges) parts.push(edgeShape(edge, arrowId));
    for (const node of containers) parts.push(containerLabel(node)); // over the edges, with a halo
    for (const node of layout.nodes.filter((n) => !n.container)) {
      const interactive = breakable(node);
      const g = nodeShape(node, interactive);
      if (interactive) makeInteractive(node, g);
      nodes.set(node.id, g);
      parts.push(g);
    }
    scene.replaceChildren(...parts);
    viewport.style.setProperty("--hw-graph-height", `${viewportHeight(layout)}px`);
    wrap.dataset.nodes = String(layout.nodes.length);
    moved = false;
    fitView();
    mark();
  };

  const mark = () => {
    if (layout === null) return;
    const breakpoints = model.get("breakpoints");
    const running = model.get("status").running !== null;
    caption.textContent = momentCaption(moment);
    wrap.dataset.showing = moment.checkpointId ?? "";
    toHead.hidden = moment.head;
    wrap.classList.toggle("hw-graph-past", !moment.head);
    for (const [id, g] of nodes) {
      const flags = nodeFlags(id, moment, breakpoints);
      g.classList.toggle("hw-next", flags.next);
      g.classList.toggle("hw-failed", flags.failed);
      g.classList.toggle("hw-last", flags.last);
      g.classList.toggle("hw-interrupted", flags.interrupted);
      // A node is running if the run streams it so; without live events, the nodes it runs next.
      const live = store.live.running.length > 0 || store.live.finished.length > 0;
      g.classList.toggle("hw-running", running && moment.head && (live ? isRunning(store.live, id) : flags.next));
      g.classList.toggle("hw-bp-before", flags.before);
      g.classList.toggle("hw-bp-after", flags.after);
      g.classList.toggle("hw-here", flags.here);
      const states = [
        flags.here ? "the run stands inside it" : "",
        flags.next ? (moment.head ? "runs next" : "ran next") : "",
        flags.last ? (moment.head ? "ran last" : "wrote this checkpoint") : "",
        flags.interrupted ? "has a pending interrupt" : "",
        flags.failed ? "failed" : "",
        flags.before ? "breakpoint before" : "",
        flags.after ? "breakpoint after" : "",
      ].filter(Boolean);
      g.dataset.state = states.join(", ");
      const name = g.dataset.label ?? id;
      const how =
        g.getAttribute("role") === "button"
          ? "Enter: breakpoint before; Shift+Enter: after"
          : g.classList.contains("hw-g-interior")
            ? SERVER_INTERIOR
            : "";
      g.setAttribute("aria-label", `${name}${states.length ? ` (${states.join(", ")})` : ""}.${how ? ` ${how}` : ""}`);
    }
  };

  // The checkpoint shown: the head (always while a run goes on), or the one selected.
  let generation = 0;
  const follow = () => {
    const mine = ++generation;
    const status = model.get("status");
    const head = model.get("head_id");
    const selected = model.get("selected");
    if (selected === null || selected === head || status.running !== null) {
      moment = headNow();
      mark();
      return;
    }
    const record = store.record(selected);
    if (record !== undefined) {
      moment = checkpointMoment(record, []);
      mark();
    }
    // The same request (and cache entry) as the state panel's, for the interrupts there.
    store.detail(selected, true).then(
      (detail) => {
        if (mine !== generation) return;
        moment = checkpointMoment(record ?? detail.checkpoint, detail.interrupts);
        mark();
      },
      () => {
        if (mine === generation) caption.textContent = `${momentCaption(moment)} (its interrupts could not be read)`;
      },
    );
  };

  disposer.add(watch(model, ["topology", "breakable"], draw));
  disposer.add(watch(model, ["status", "interrupts", "selected", "head_id", "inside"], follow));
  disposer.add(watch(model, ["breakpoints"], mark));
  disposer.add(store.events.on("live", mark));
  return wrap;
}

/** Why a node inside a subgraph takes no breakpoint (only a server's do not). */
const SERVER_INTERIOR =
  "No breakpoint here: a LangGraph server stops inside a subgraph only where the subgraph was compiled with interrupt_before / interrupt_after.";

function edgeShape(edge: PlacedEdge, arrowId: string): SVGPathElement {
  const cls = ["hw-g-edge", edge.conditional ? "hw-g-conditional" : "", edge.loop ? "hw-g-loop" : ""];
  return s("path", {
    class: cls.filter(Boolean).join(" "),
    testid: edge.loop ? `hw-loop-${edge.source}` : undefined,
    attrs: { d: placedEdgePath(edge), "marker-end": `url(#${arrowId})` },
  });
}

/** A subgraph's box; `interactive`: it takes breakpoints; `sealed`: the nodes inside it take
 * none (a server's). */
function containerShape(node: PlacedNode, interactive: boolean, sealed: boolean): SVGGElement {
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  const how = interactive
    ? "Click its box: breakpoint before the whole subgraph · Shift+click: after · Right-click: menu"
    : SERVER_INTERIOR;
  return s(
    "g",
    {
      class: "hw-g-container",
      testid: `hw-node-${node.id}`,
      attrs: {
        "data-node": node.id,
        "data-label": node.label,
        tabindex: interactive ? 0 : undefined,
        role: interactive ? "button" : undefined,
      },
    },
    s(
      "title",
      {},
      `subgraph ${nodePath(node.id)}\n${how}` +
        (sealed
          ? "\nBreakpoints on the nodes inside it must be compiled into the subgraph: a LangGraph server stops nowhere else inside it."
          : "\nClick a node inside it: breakpoint before that node."),
    ),
    s("rect", {
      class: "hw-g-container-box",
      attrs: { x: left, y: top, width: node.width, height: node.height, rx: 8 },
    }),
    s("rect", {
      class: "hw-g-focus",
      attrs: { x: left - 3, y: top - 3, width: node.width + 6, height: node.height + 6, rx: 10 },
    }),
    ...breakpointMarkers(node.id, left, top, node.width),
  );
}

/** The subgraph's name on its box's top border (inside, it would cover the first node). */
function containerLabel(node: PlacedNode): SVGTextElement {
  const attrs = { x: node.x - node.width / 2 + 12, y: node.y - node.height / 2 + 4 };
  return s("text", { class: "hw-g-container-label", attrs }, node.label);
}

/** A node; `interactive`: it takes breakpoints (a click sets one). */
function nodeShape(node: PlacedNode, interactive: boolean): SVGGElement {
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  const terminal = node.kind === "start" || node.kind === "end";
  const interior = node.parent !== null;
  const parentPath = nodePath(node.parent ?? "");
  const title = interactive
    ? `${nodePath(node.id)}\nClick: breakpoint before · Shift+click: after · Right-click: menu`
    : interior
      ? `${node.label}, inside subgraph ${parentPath}\n${SERVER_INTERIOR} ` +
        `Click the ${parentPath} box to break around the whole subgraph.`
      : node.label;
  const g = s(
    "g",
    {
      class: `hw-g-node hw-g-${node.kind}${interior ? " hw-g-interior" : ""}`,
      testid: `hw-node-${node.id}`,
      attrs: {
        "data-node": node.id,
        "data-label": node.label,
        tabindex: interactive ? 0 : undefined,
        role: interactive ? "button" : undefined,
      },
    },
    s("title", {}, title),
    s("rect", {
      class: "hw-g-box",
      attrs: { x: left, y: top, width: node.width, height: node.height, rx: terminal ? node.height / 2 : 6 },
    }),
    s("text", { class: "hw-g-label", attrs: { x: node.x, y: node.y + 4, "text-anchor": "middle" } }, node.label),
  );
  if (interactive) {
    g.append(
      s("rect", {
        class: "hw-g-focus",
        attrs: { x: left - 4, y: top - 4, width: node.width + 8, height: node.height + 8, rx: 9 },
      }),
      ...breakpointMarkers(node.id, left, top + node.height / 2, node.width),
    );
  }
  return g;
}

/** The red dot (before) on the left edge and square (after) on the right, at height `y`. */
function breakpointMarkers(id: string, left: number, y: number, width: number): SVGElement[] {
  return [
    s("circle", { class: "hw-g-bp hw-g-bp-before", testid: `hw-bp-before-${id}`, attrs: { cx: left, cy: y, r: 5 } }),
    s("rect", {
      class: "hw-g-bp hw-g-bp-after",
      testid: `hw-bp-after-${id}`,
      attrs: { x: left + width - 5, y: y - 5, width: 10, height: 10 },
    }),
  ];
}

function legend(): HTMLElement {
  const swatch = (cls: string) => h("span", { class: `hw-legend-swatch ${cls}`, attrs: { "aria-hidden": "true" } });
  return h(
    "div",
    { class: "hw-legend" },
    h("span", {}, swatch("hw-sw-next"), "next"),
    h("span", {}, swatch("hw-sw-last"), "last run"),
    h("span", {}, swatch("hw-sw-interrupt"), "interrupt"),
    h("span", {}, swatch("hw-sw-here"), "stopped inside"),
    h("span", {}, swatch("hw-sw-before"), "break before"),
    h("span", {}, swatch("hw-sw-after"), "break after"),
    h("span", {}, swatch("hw-sw-conditional"), "conditional edge"),
    h(
      "span",
      { class: "hw-legend-hint" },
      "Click a node: break before · Shift+click: after · Drag: pan · Ctrl+wheel: zoom · ?: all keys",
    ),
  );
}
