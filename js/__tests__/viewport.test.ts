import { describe, expect, it } from "vitest";
import {
  clampShare,
  constrain,
  fitTransform,
  MAX_SCALE,
  MAX_VIEWPORT_HEIGHT,
  MIN_SCALE,
  MIN_VIEWPORT_HEIGHT,
  PADDING,
  SHARE_MAX,
  SHARE_MIN,
  shareForKey,
  viewportHeight,
  zoomAround,
} from "../lib/viewport";

describe("fitTransform", () => {
  it("shows a small graph whole, 1:1 and centred", () => {
    const t = fitTransform({ width: 100, height: 50 }, { width: 500, height: 300 });
    expect(t).toEqual({ k: 1, x: 200, y: 125 });
  });

  it("shrinks a graph that fits at a readable scale", () => {
    const t = fitTransform({ width: 560, height: 200 }, { width: 500, height: 300 });
    expect(t.k).toBeCloseTo((500 - 2 * PADDING) / 560);
    expect(t.k).toBeGreaterThanOrEqual(MIN_SCALE);
    expect(t.x).toBeCloseTo(PADDING);
  });

  it("never shrinks below the readable scale: a 200-node graph is panned, its top in view", () => {
    const t = fitTransform({ width: 3000, height: 9000 }, { width: 600, height: 500 });
    expect(t).toEqual({ k: MIN_SCALE, x: PADDING, y: PADDING });
  });

  it("centres a tall narrow graph across", () => {
    const t = fitTransform({ width: 100, height: 2000 }, { width: 600, height: 500 });
    expect(t.k).toBe(MIN_SCALE);
    expect(t.x).toBeCloseTo((600 - 100 * MIN_SCALE) / 2);
    expect(t.y).toBe(PADDING);
  });
});

describe("zoomAround", () => {
  it("keeps the point under the pointer where it was, within the scale bounds", () => {
    const t = zoomAround({ k: 1, x: 10, y: 20 }, 2, { x: 110, y: 120 });
    expect(t).toEqual({ k: 2, x: -90, y: -80 }); // drawing point (100, 100) stays at (110, 120)
    expect(zoomAround({ k: 1, x: 0, y: 0 }, 0.1, { x: 0, y: 0 }).k).toBe(MIN_SCALE);
    expect(zoomAround({ k: 1, x: 0, y: 0 }, 100, { x: 0, y: 0 }).k).toBe(MAX_SCALE);
  });
});

describe("constrain", () => {
  const view = { width: 400, height: 300 };
  it("stops panning at the drawing's edges", () => {
    const drawing = { width: 1000, height: 1000 };
    expect(constrain({ k: 1, x: 50, y: -5000 }, view, drawing, 10)).toEqual({ k: 1, x: 10, y: -710 });
    expect(constrain({ k: 1, x: -100, y: -100 }, view, drawing, 10)).toEqual({ k: 1, x: -100, y: -100 });
  });

  it("centres a drawing smaller than the view", () => {
    expect(constrain({ k: 1, x: 0, y: 0 }, view, { width: 100, height: 1000 }, 0).x).toBe(150);
  });
});

describe("viewportHeight", () => {
  it("is the drawing's height within bounds", () => {
    expect(viewportHeight({ width: 10, height: 20 })).toBe(MIN_VIEWPORT_HEIGHT);
    expect(viewportHeight({ width: 10, height: 300 })).toBe(300 + 2 * PADDING);
    expect(viewportHeight({ width: 10, height: 700 })).toBe(700 * MIN_SCALE + 2 * PADDING); // fits, readable
    expect(viewportHeight({ width: 10, height: 9000 })).toBe(MAX_VIEWPORT_HEIGHT);
  });
});

describe("split share", () => {
  it("stays between its bounds and moves by 5 with the arrow keys", () => {
    expect(clampShare(5)).toBe(SHARE_MIN);
    expect(clampShare(95)).toBe(SHARE_MAX);
    expect(shareForKey(50, "ArrowLeft")).toBe(45);
    expect(shareForKey(50, "ArrowRight")).toBe(55);
    expect(shareForKey(78, "ArrowRight")).toBe(SHARE_MAX);
    expect(shareForKey(50, "Home")).toBe(SHARE_MIN);
    expect(shareForKey(50, "End")).toBe(SHARE_MAX);
    expect(shareForKey(50, "a")).toBeNull();
  });
});
