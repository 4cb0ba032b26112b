/**
 * Two panels side by side with a handle between them: drag it, or focus it and use the arrow
 * keys (Home/End for the ends), to give the first panel more or less of the width. Below
 * 640 px the panels stack (a container query in widget.css) and the handle hides.
 */

import { clampShare, SHARE_DEFAULT, SHARE_MAX, SHARE_MIN, shareForKey } from "../lib/viewport";
import { h } from "./dom";

export function split(first: HTMLElement, second: HTMLElement, label: string): HTMLElement {
  let share = SHARE_DEFAULT;
  const handle = h("div", {
    class: "hw-split-handle",
    testid: "hw-split-handle",
    title: "Drag, or focus and use ← →, to resize",
    label,
    attrs: {
      role: "separator",
      tabindex: 0,
      "aria-orientation": "vertical",
      "aria-valuemin": SHARE_MIN,
      "aria-valuemax": SHARE_MAX,
    },
  });
  const row = h("div", { class: "hw-split", testid: "hw-split" }, first, handle, second);
  const set = (percent: number) => {
    share = clampShare(percent);
    row.style.setProperty("--hw-graph-share", `${share}%`);
    handle.setAttribute("aria-valuenow", String(share));
    handle.setAttribute("aria-valuetext", `graph ${share}% of the width`);
  };
  set(share);

  handle.addEventListener("keydown", (event) => {
    const next = shareForKey(share, event.key);
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    set(next);
  });
  handle.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    handle.classList.add("hw-dragging");
    handle.focus();
  });
  handle.addEventListener("pointermove", (event) => {
    if (!handle.hasPointerCapture(event.pointerId)) return;
    const box = row.getBoundingClientRect();
    if (box.width > 0) set(((event.clientX - box.left) / box.width) * 100);
  });
  const release = (event: PointerEvent) => {
    if (handle.hasPointerCapture(event.pointerId)) handle.releasePointerCapture(event.pointerId);
    handle.classList.remove("hw-dragging");
  };
  handle.addEventListener("pointerup", release);
  handle.addEventListener("pointercancel", release);
  return h("div", { class: "hw-split-wrap" }, row);
}
