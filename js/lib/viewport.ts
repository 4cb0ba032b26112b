/**
 * Where the graph sits in its viewport: the zoom that fits it, never below the scale at which
 * labels stay readable (a large graph is panned instead of shrunk), zooming about a point,
 * keeping the drawing in view, and how tall the viewport is made for it. Pure, so the graph
 * view only turns wheel, drag and key events into these numbers.
 */

/** 12 px labels are never drawn smaller than 9 px. */
export const MIN_SCALE = 0.75;
export const MAX_SCALE = 3;
/** Space kept around the drawing, in screen pixels. */
export const PADDING = 12;
export const MIN_VIEWPORT_HEIGHT = 160;
export const MAX_VIEWPORT_HEIGHT = 640;

export interface Size {
  width: number;
  height: number;
}

/** screen = k * drawing + (x, y). */
export interface ZoomTransform {
  k: number;
  x: number;
  y: number;
}

/**
 * The transform that shows the whole drawing when it fits at a readable scale (never above
 * 1:1), centred; otherwise the readable scale with its top (where the graph starts) in view,
 * centred across when it fits across, else from its left edge.
 */
export function fitTransform(drawing: Size, viewport: Size): ZoomTransform {
  const across = (viewport.width - 2 * PADDING) / Math.max(drawing.width, 1);
  const down = (viewport.height - 2 * PADDING) / Math.max(drawing.height, 1);
  const k = clamp(Math.min(across, down, 1), MIN_SCALE, 1);
  const shownWidth = drawing.width * k;
  const shownHeight = drawing.height * k;
  const x = shownWidth <= viewport.width - 2 * PADDING ? (viewport.width - shownWidth) / 2 : PADDING;
  const y = shownHeight <= viewport.height - 2 * PADDING ? (viewport.height - shownHeight) / 2 : PADDING;
  return { k, x, y };
}

/** Zoom by `factor` about `point` (screen pixels), the scale kept between its bounds. */
export function zoomAround(t: ZoomTransform, factor: number, point: { x: number; y: number }): ZoomTransform {
  const k = clamp(t.k * factor, MIN_SCALE, MAX_SCALE);
  return { k, x: point.x - ((point.x - t.x) * k) / t.k, y: point.y - ((point.y - t.y) * k) / t.k };
}

/**
 * `t` moved as little as needed so the view stays over the drawing (plus `margin`, in drawing
 * units): along an axis where the view is larger than the drawing, the drawing is centred.
 */
export function constrain(t: ZoomTransform, view: Size, drawing: Size, margin: number): ZoomTransform {
  const axis = (offset: number, viewLength: number, length: number) => {
    const before = -offset / t.k + margin; // how far the view starts past the drawing's start
    const after = (viewLength - offset) / t.k - (length + margin); // and ends past its end
    const shift = after > before ? (before + after) / 2 : Math.min(0, before) || Math.max(0, after);
    return offset + t.k * shift;
  };
  return { k: t.k, x: axis(t.x, view.width, drawing.width), y: axis(t.y, view.height, drawing.height) };
}

/**
 * A viewport tall enough for the drawing at 1:1 or, when that is too tall, at the readable
 * scale, within bounds (the rest is panned to).
 */
export function viewportHeight(drawing: Size): number {
  const full = drawing.height + 2 * PADDING;
  const shown = full <= MAX_VIEWPORT_HEIGHT ? full : drawing.height * MIN_SCALE + 2 * PADDING;
  return Math.round(clamp(shown, MIN_VIEWPORT_HEIGHT, MAX_VIEWPORT_HEIGHT));
}

/** The graph's share of a split, in percent of its width: kept between 20 and 80. */
export const SHARE_MIN = 20;
export const SHARE_MAX = 80;
export const SHARE_DEFAULT = 55;

export function clampShare(percent: number): number {
  return Math.round(clamp(percent, SHARE_MIN, SHARE_MAX));
}

/** The share a key press on the split's handle asks for, or null for another key. */
export function shareForKey(current: number, key: string): number | null {
  if (key === "ArrowLeft" || key === "ArrowUp") return clampShare(current - 5);
  if (key === "ArrowRight" || key === "ArrowDown") return clampShare(current + 5);
  if (key === "Home") return SHARE_MIN;
  if (key === "End") return SHARE_MAX;
  return null;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
