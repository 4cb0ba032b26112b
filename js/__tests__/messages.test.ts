import { describe, expect, it } from "vitest";
import { asMessage, contentText, isConversation, messageLine, oneLine } from "../lib/messages";
import type { Json } from "../lib/protocol";

const human: Json = { $type: "HumanMessage", type: "human", content: "find me a hotel", id: "h1" };
const call: Json = {
  $type: "AIMessage",
  type: "ai",
  content: "",
  id: "a1",
  tool_calls: [{ name: "search_hotel", args: { city: "Paris" }, id: "call_1", type: "tool_call" }],
};
const result: Json = {
  $type: "ToolMessage",
  type: "tool",
  content: "Found the Grand Hotel",
  name: "search_hotel",
  tool_call_id: "call_1",
  status: "success",
};

describe("asMessage", () => {
  it("reads a message as serialize.py sends it, and as a server's plain dict", () => {
    expect(asMessage(call)).toMatchObject({
      role: "ai",
      toolCalls: [{ name: "search_hotel", args: { city: "Paris" }, id: "call_1" }],
      id: "a1",
    });
    expect(asMessage(result)).toMatchObject({ role: "tool", name: "search_hotel", toolCallId: "call_1" });
    expect(asMessage({ type: "human", content: "hi" })).toMatchObject({ role: "human", content: "hi" });
  });

  it("refuses what only looks like one", () => {
    expect(asMessage({ type: "text", content: "a content block" })).toBeNull();
    expect(asMessage({ $type: "Order", type: "ai" })).toBeNull();
    expect(asMessage("human")).toBeNull();
  });
});

describe("isConversation", () => {
  it("is a list of messages, a cut list's marker allowed", () => {
    expect(isConversation([human, call, result])).toBe(true);
    expect(isConversation([human, { $type: "more", count: 280 }])).toBe(true);
    expect(isConversation([human, 3])).toBe(false);
    expect(isConversation([])).toBe(false);
  });
});

describe("lines", () => {
  it("say who speaks, what, and which tools are called with what", () => {
    expect(messageLine(asMessage(call) as never)).toBe('ai: -> search_hotel(city="Paris")');
    expect(messageLine(asMessage(result) as never)).toBe("tool (search_hotel): Found the Grand Hotel");
  });

  it("sum up a conversation by its size and its last message", () => {
    expect(oneLine([human, call, result, { $type: "more", count: 297 }])).toBe(
      "300 messages, last tool (search_hotel): Found the Grand Hotel",
    );
    expect(oneLine({ plain: 1 })).toBe('{"plain":1}');
  });

  it("read content blocks and cut strings as text", () => {
    expect(contentText([{ type: "text", text: "a" }, "b"])).toBe("a\nb");
    expect(contentText({ $type: "str", text: "long", length: 9000 })).toBe("long…");
    expect(contentText([{ type: "image_url", image_url: "x" }])).toBeNull();
  });
});
