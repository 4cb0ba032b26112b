import { describe, expect, it } from "vitest";
import { asHitlRequest, asHumanInterrupt, decision, hitlAnswer, humanAnswer, readAnswer } from "../lib/answers";
import type { Json, JsonObject } from "../lib/protocol";

const inboxRequest: JsonObject = {
  action_request: { action: "search_hotel", args: { city: "Paris" } },
  config: { allow_accept: true, allow_edit: true, allow_respond: true, allow_ignore: false },
  description: "Please review the tool call",
};
const inbox: Json = [inboxRequest];

describe("Agent Inbox HumanInterrupt", () => {
  it("is recognised, with only the actions its config allows", () => {
    const request = asHumanInterrupt(inbox);
    expect(request).toEqual({
      action: "search_hotel",
      args: { city: "Paris" },
      description: "Please review the tool call",
      allowed: ["accept", "edit", "response"],
      listed: true,
    });
  });

  it("is not seen in other payloads", () => {
    expect(asHumanInterrupt({ question: "approve?" })).toBeNull();
    expect(asHumanInterrupt([inboxRequest, inboxRequest])).toBeNull();
    expect(asHumanInterrupt("text")).toBeNull();
  });

  it("answers with a one-element list the seeds' wrapper reads", () => {
    const request = asHumanInterrupt(inbox);
    if (request === null) throw new Error("not recognised");
    expect(humanAnswer(request, "accept")).toEqual([{ type: "accept", args: null }]);
    expect(humanAnswer(request, "ignore")).toEqual([{ type: "ignore", args: null }]);
    // edit: response["args"]["args"] holds the new arguments
    expect(humanAnswer(request, "edit", { city: "Rome" })).toEqual([
      { type: "edit", args: { action: "search_hotel", args: { city: "Rome" } } },
    ]);
    expect(humanAnswer(request, "response", "no hotels please")).toEqual([
      { type: "response", args: "no hotels please" },
    ]);
  });

  it("answers a bare request with a bare answer", () => {
    const request = asHumanInterrupt(inboxRequest);
    if (request === null) throw new Error("not recognised");
    expect(humanAnswer(request, "accept")).toEqual({ type: "accept", args: null });
  });
});

const hitl: Json = {
  action_requests: [
    { name: "send_email", args: { to: "a@b.c" }, description: "Send it?" },
    { name: "delete_file", args: { path: "/tmp/x" } },
  ],
  review_configs: [
    { action_name: "send_email", allowed_decisions: ["approve", "edit", "reject"] },
    { action_name: "delete_file", allowed_decisions: ["approve", "reject"] },
  ],
};

describe("LangChain HITLRequest", () => {
  it("is recognised, each action with its allowed decisions", () => {
    const actions = asHitlRequest(hitl);
    expect(actions?.map((a) => [a.name, a.allowed, a.description])).toEqual([
      ["send_email", ["approve", "edit", "reject"], "Send it?"],
      ["delete_file", ["approve", "reject"], null],
    ]);
    expect(asHitlRequest({ action_requests: "no" })).toBeNull();
    expect(asHitlRequest(inbox)).toBeNull();
  });

  it("answers one decision per action, in order, once all are chosen", () => {
    const actions = asHitlRequest(hitl);
    if (actions === null) throw new Error("not recognised");
    expect(hitlAnswer(actions, [{ type: "approve" }, undefined])).toBeNull();
    expect(
      hitlAnswer(actions, [
        { type: "edit", args: { to: "x@y.z" } },
        { type: "reject", message: "keep it" },
      ]),
    ).toEqual({
      decisions: [
        { type: "edit", edited_action: { name: "send_email", args: { to: "x@y.z" } } },
        { type: "reject", message: "keep it" },
      ],
    });
  });

  it("edits under the key the request used for arguments", () => {
    const actions = asHitlRequest({ action_requests: [{ name: "t", arguments: { a: 1 } }], review_configs: [] });
    const action = actions?.[0];
    if (action === undefined) throw new Error("not recognised");
    expect(action.allowed).toEqual(["approve", "edit", "reject"]);
    expect(decision(action, { type: "edit", args: { a: 2 } })).toEqual({
      type: "edit",
      edited_action: { name: "t", arguments: { a: 2 } },
    });
    expect(decision(action, { type: "reject" })).toEqual({ type: "reject" });
    expect(decision(action, { type: "respond", message: "hi" })).toEqual({ type: "respond", message: "hi" });
  });
});

describe("readAnswer", () => {
  it("takes JSON as JSON", () => {
    expect(readAnswer('{"a": 1}', null)).toEqual({ ok: true, value: { a: 1 }, asText: false });
    expect(readAnswer('"quoted"', null)).toEqual({ ok: true, value: "quoted", asText: false });
  });

  it("takes plain text as a string where the interrupt asks for no shape, or for a string", () => {
    expect(readAnswer("hello world", null)).toEqual({ ok: true, value: "hello world", asText: true });
    expect(readAnswer("hello world", { type: "string" })).toMatchObject({ ok: true, value: "hello world" });
  });

  it("refuses text that is not JSON where the schema asks for more, and an empty box", () => {
    const refused = readAnswer("hello world", { type: "object" });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? "" : refused.message).toContain("Invalid JSON");
    expect(readAnswer("   ", null).ok).toBe(false);
  });
});
