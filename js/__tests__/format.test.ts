import { describe, expect, it } from "vitest";
import { nodeList } from "../lib/format";

describe("nodeList", () => {
  it("folds a name repeated in a row into one with its count", () => {
    expect(nodeList(["agent", "tools", "tools", "tools", "review"])).toBe("agent, tools×3, review");
  });

  it("keeps names that come back later apart, and says none", () => {
    expect(nodeList(["a", "b", "a"])).toBe("a, b, a");
    expect(nodeList([], "end")).toBe("end");
  });
});
