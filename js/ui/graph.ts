/**
 * The graph as SVG: dagre's layout, conditional edges dashed, subgraphs as boxes around their
 * interior, and each node marked as it stands (next, last run, pending interrupt, breakpoints).
 * Click a node (or Enter) to toggle a breakpoint before it; Shift+click (Shift+Enter) for
 * after; right-click (or the context-menu key) for a menu with both.
 */

import type { Store } from "../client/store";
import { interruptedNodes, nodeFlags } from "../lib/graphState";
import { computeLayout, edgePath, type GraphLayout, layoutInput, type PlacedNode } from "../lib/layout";
import { type Disposer, h, s, watch } from "./dom";

let graphCount = 0;

export function graphView(store: Store, disposer: Disposer): HTMLElement {
  const { model } = store;
  const arrowId = `hw-arrow-${++graphCount}`;
  // Right-click opens the node menu here, not JupyterLab's own context menu.
  const wrap = h("div", { class: "hw-graph", testid: "hw-graph", attrs: { "data-jp-suppress-context-menu": "true" } });
  const menu = h("div", { class: "hw-menu", testid: "hw-node-menu", attrs: { role: "menu" } });
  menu.hidden = true;
  let layout: GraphLayout | null = null;
  const nodes = new Map<string, SVGGElement>();

  const toggle = (node: PlacedNode, when: "before" | "after") => {
    const current = model.get("breakpoints")[when].includes(node.id);
    void store.command(`Breakpoint ${when} ${node.label}`, "set_breakpoint", { node: node.id, when, on: !current });
  };

  const openMenu = (node: PlacedNode, x: number, y: number) => {
    const bp = model.get("breakpoints");
    const item = (text: string, testid: string, action: () => void) => {
      const el = h("button", { class: "hw-menu-item", testid, attrs: { type: "button", role: "menuitem" } }, text);
      el.addEventListener("click", () => {
        menu.hidden = true;
        action();
      });
      return el;
    };
    menu.replaceChildren(
      h("div", { class: "hw-menu-title" }, node.label),
      item(bp.before.includes(node.id) ? "Remove breakpoint before" : "Break before", "hw-menu-before", () =>
        toggle(node, "before"),
      ),
      item(bp.after.includes(node.id) ? "Remove breakpoint after" : "Break after", "hw-menu-after", () =>
        toggle(node, "after"),
      ),
    );
    menu.style.left = `${x}px`;
    menu.style.top = `${y}px`;
    menu.hidden = false;
    (menu.querySelector("button") as HTMLButtonElement | null)?.focus();
  };
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape") menu.hidden = true;
  });
  menu.addEventListener("focusout", (event) => {
    if (!menu.contains(event.relatedTarget as Node | null)) menu.hidden = true;
  });

  const draw = () => {
    layout = computeLayout(layoutInput(model.get("topology")));
    nodes.clear();
    const svg = s("svg", {
      class: "hw-graph-svg",
      label: "Graph of the nodes",
      attrs: { viewBox: `0 0 ${layout.width} ${layout.height}`, width: layout.width, role: "group" },
    });
    svg.style.maxWidth = `${layout.width}px`;
    svg.append(
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
    );
    const containers = layout.nodes.filter((n) => n.container);
    for (const node of containers) svg.append(containerShape(node));
    for (const edge of layout.edges) {
      svg.append(
        s("path", {
          class: edge.conditional ? "hw-g-edge hw-g-conditional" : "hw-g-edge",
          attrs: { d: edgePath(edge.points), "marker-end": `url(#${arrowId})` },
        }),
      );
    }
    for (const node of containers) svg.append(containerLabel(node)); // over the edges, with a halo
    for (const node of layout.nodes.filter((n) => !n.container)) {
      const g = nodeShape(node);
      if (node.kind === "node" || node.kind === "subgraph") {
        g.addEventListener("click", (event) => toggle(node, event.shiftKey ? "after" : "before"));
        g.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            toggle(node, event.shiftKey ? "after" : "before");
          } else if (event.key === "ContextMenu" || (event.key === "F10" && event.shiftKey)) {
            event.preventDefault();
            event.stopPropagation();
            const box = g.getBoundingClientRect();
            const origin = wrap.getBoundingClientRect();
            openMenu(node, box.left - origin.left, box.bottom - origin.top);
          }
        });
        g.addEventListener("contextmenu", (event) => {
          event.preventDefault();
          const origin = wrap.getBoundingClientRect();
          openMenu(node, event.clientX - origin.left, event.clientY - origin.top);
        });
      }
      nodes.set(node.id, g);
      svg.append(g);
    }
    wrap.replaceChildren(svg, legend(), menu);
    mark();
  };

  const mark = () => {
    if (layout === null) return;
    const status = model.get("status");
    const breakpoints = model.get("breakpoints");
    const interrupted = interruptedNodes(model.get("interrupts"));
    for (const [id, g] of nodes) {
      const flags = nodeFlags(id, status, breakpoints, interrupted);
      g.classList.toggle("hw-next", flags.next);
      g.classList.toggle("hw-failed", flags.failed);
      g.classList.toggle("hw-last", flags.last);
      g.classList.toggle("hw-interrupted", flags.interrupted);
      g.classList.toggle("hw-running", flags.next && status.running !== null);
      g.classList.toggle("hw-bp-before", flags.before);
      g.classList.toggle("hw-bp-after", flags.after);
      const states = [
        flags.next ? "runs next" : "",
        flags.last ? "ran last" : "",
        flags.interrupted ? "has a pending interrupt" : "",
        flags.failed ? "failed" : "",
        flags.before ? "breakpoint before" : "",
        flags.after ? "breakpoint after" : "",
      ].filter(Boolean);
      g.dataset.state = states.join(", ");
      const name = g.dataset.label ?? id;
      g.setAttribute(
        "aria-label",
        `${name}${states.length ? ` (${states.join(", ")})` : ""}. Enter: breakpoint before; Shift+Enter: after`,
      );
    }
  };

  disposer.add(watch(model, ["topology"], draw));
  disposer.add(watch(model, ["status", "breakpoints", "interrupts"], mark));
  return wrap;
}

function containerShape(node: PlacedNode): SVGGElement {
  return s(
    "g",
    { class: "hw-g-container", testid: `hw-node-${node.id}`, attrs: { "data-node": node.id } },
    s("title", {}, `subgraph ${node.id}: breakpoints inside it must be compiled into the subgraph`),
    s("rect", {
      attrs: { x: node.x - node.width / 2, y: node.y - node.height / 2, width: node.width, height: node.height, rx: 8 },
    }),
  );
}

function containerLabel(node: PlacedNode): SVGTextElement {
  const attrs = { x: node.x - node.width / 2 + 6, y: node.y - node.height / 2 + 13 };
  return s("text", { class: "hw-g-container-label", attrs }, node.label);
}

function nodeShape(node: PlacedNode): SVGGElement {
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  const terminal = node.kind === "start" || node.kind === "end";
  const interactive = !terminal;
  const g = s(
    "g",
    {
      class: `hw-g-node hw-g-${node.kind}`,
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
      interactive ? `${node.id}\nClick: breakpoint before · Shift+click: after · Right-click: menu` : node.label,
    ),
    s("rect", {
      class: "hw-g-box",
      attrs: { x: left, y: top, width: node.width, height: node.height, rx: terminal ? node.height / 2 : 6 },
    }),
    s("text", { class: "hw-g-label", attrs: { x: node.x, y: node.y + 4, "text-anchor": "middle" } }, node.label),
  );
  if (interactive) {
    g.append(
      s("circle", {
        class: "hw-g-bp hw-g-bp-before",
        testid: `hw-bp-before-${node.id}`,
        attrs: { cx: left, cy: top + node.height / 2, r: 5 },
      }),
      s("rect", {
        class: "hw-g-bp hw-g-bp-after",
        testid: `hw-bp-after-${node.id}`,
        attrs: { x: left + node.width - 5, y: top + node.height / 2 - 5, width: 10, height: 10 },
      }),
    );
  }
  return g;
}

function legend(): HTMLElement {
  const swatch = (cls: string) => h("span", { class: `hw-legend-swatch ${cls}`, attrs: { "aria-hidden": "true" } });
  return h(
    "div",
    { class: "hw-legend" },
    h("span", {}, swatch("hw-sw-next"), "next"),
    h("span", {}, swatch("hw-sw-last"), "last run"),
    h("span", {}, swatch("hw-sw-interrupt"), "interrupt"),
    h("span", {}, swatch("hw-sw-before"), "break before"),
    h("span", {}, swatch("hw-sw-after"), "break after"),
    h("span", {}, swatch("hw-sw-conditional"), "conditional edge"),
    h("span", { class: "hw-legend-hint" }, "Click a node: break before · Shift+click: after"),
  );
}
