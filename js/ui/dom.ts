/**
 * Building DOM without markup strings: every text goes in as a text node, so no payload or
 * state can ever become HTML (there is no `innerHTML` anywhere in the widgets).
 */

import type { AnyModel } from "@anywidget/types";
import type { WidgetModel } from "../lib/protocol";

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  testid?: string;
  title?: string;
  label?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

function apply(el: Element, props: Props): void {
  if (props.class) el.setAttribute("class", props.class);
  if (props.testid) el.setAttribute("data-testid", props.testid);
  if (props.title) el.setAttribute("title", props.title);
  if (props.label) el.setAttribute("aria-label", props.label);
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    el.addEventListener(type, listener as EventListener);
  }
}

function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** An HTML element with props and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props);
  append(el, children);
  return el;
}

/** A button that runs `action` on click (and says what it does to screen readers). */
export function button(text: string, testid: string, action: () => void, props: Props = {}): HTMLButtonElement {
  const el = h("button", { ...props, testid, attrs: { type: "button", ...props.attrs } }, text);
  el.addEventListener("click", (event) => {
    event.stopPropagation();
    action();
  });
  return el;
}

/** Call `update` now and whenever one of `traits` changes; returns the function that stops it. */
export function watch(model: AnyModel<WidgetModel>, traits: (keyof WidgetModel)[], update: () => void): () => void {
  const events = traits.map((t) => `change:${String(t)}`);
  for (const event of events) model.on(event, update);
  update();
  return () => {
    for (const event of events) model.off(event, update);
  };
}

/** Cleanups to run together when a view goes away. */
export class Disposer {
  private readonly cleanups: (() => void)[] = [];

  add(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  dispose(): void {
    for (const cleanup of this.cleanups.splice(0).reverse()) cleanup();
  }
}
