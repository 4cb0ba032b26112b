/**
 * Structured answers for the two review schemas graphs use:
 *
 * - Agent Inbox `HumanInterrupt` (langgraph.prebuilt.interrupt; the seeds' tool wrapper): the
 *   payload is `[{action_request: {action, args}, config: {allow_accept, allow_edit,
 *   allow_respond, allow_ignore}, description}]`, answered with `[{type, args}]`.
 * - LangChain v1 `HITLRequest` (HumanInTheLoopMiddleware): `{action_requests: [{name, args,
 *   description}], review_configs: [{action_name, allowed_decisions}]}`, answered with
 *   `{decisions: [...]}`, one decision per action, in order.
 */

import { isObject, parseJson } from "./json";
import type { Json, JsonObject } from "./protocol";

// ---------------------------------------------------------------- HumanInterrupt

export type HumanAction = "accept" | "edit" | "response" | "ignore";
export const HUMAN_ACTIONS: HumanAction[] = ["accept", "edit", "response", "ignore"];
const ALLOW_KEY: Record<HumanAction, string> = {
  accept: "allow_accept",
  edit: "allow_edit",
  response: "allow_respond",
  ignore: "allow_ignore",
};

export interface HumanInterrupt {
  action: string;
  args: Json;
  description: string | null;
  allowed: HumanAction[];
  /** The payload was a one-element list (the usual form): answer with a list too. */
  listed: boolean;
}

/** The request in `value` if it is an Agent Inbox HumanInterrupt, else null. */
export function asHumanInterrupt(value: Json): HumanInterrupt | null {
  const listed = Array.isArray(value);
  if (listed && value.length !== 1) return null;
  const request = listed ? value[0] : value;
  if (!isObject(request) || !isObject(request.action_request) || !isObject(request.config)) return null;
  const { action, args } = request.action_request;
  if (typeof action !== "string") return null;
  const config = request.config;
  return {
    action,
    args: args ?? {},
    description: typeof request.description === "string" ? request.description : null,
    allowed: HUMAN_ACTIONS.filter((a) => config[ALLOW_KEY[a]] === true),
    listed,
  };
}

/**
 * The answer for `kind`: accept and ignore carry no args; edit carries the action with the
 * edited args (`{action, args}`, read by tools as `response["args"]["args"]`); response carries
 * the person's text.
 */
export function humanAnswer(request: HumanInterrupt, kind: HumanAction, input?: Json): Json {
  let args: Json = null;
  if (kind === "edit") args = { action: request.action, args: input ?? request.args };
  else if (kind === "response") args = input ?? "";
  const answer: JsonObject = { type: kind, args };
  return request.listed ? [answer] : answer;
}

// ---------------------------------------------------------------- HITLRequest

export type DecisionType = "approve" | "edit" | "reject" | "respond";
export const DECISION_TYPES: DecisionType[] = ["approve", "edit", "reject", "respond"];

export interface ReviewedAction {
  name: string;
  args: Json;
  description: string | null;
  allowed: DecisionType[];
  /** The key the request used for the arguments ("args", or "arguments" in early versions). */
  argsKey: "args" | "arguments";
}

/** The actions of `value` if it is a LangChain HITLRequest, else null. */
export function asHitlRequest(value: Json): ReviewedAction[] | null {
  if (!isObject(value) || !Array.isArray(value.action_requests)) return null;
  const configs = Array.isArray(value.review_configs) ? value.review_configs.filter(isObject) : [];
  const actions: ReviewedAction[] = [];
  for (const request of value.action_requests) {
    if (!isObject(request) || typeof request.name !== "string") return null;
    const config = configs.find((c) => c.action_name === request.name);
    const allowed = Array.isArray(config?.allowed_decisions)
      ? DECISION_TYPES.filter((d) => (config.allowed_decisions as Json[]).includes(d))
      : (["approve", "edit", "reject"] as DecisionType[]);
    const argsKey = "args" in request || !("arguments" in request) ? "args" : "arguments";
    const description = request.description ?? config?.description;
    actions.push({
      name: request.name,
      args: request[argsKey] ?? {},
      description: typeof description === "string" ? description : null,
      allowed,
      argsKey,
    });
  }
  return actions;
}

export interface DecisionInput {
  type: DecisionType;
  /** Edited arguments (edit) or the message (reject, respond). */
  args?: Json;
  message?: string;
}

/** One decision as the middleware reads it. */
export function decision(action: ReviewedAction, input: DecisionInput): JsonObject {
  switch (input.type) {
    case "approve":
      return { type: "approve" };
    case "edit":
      return { type: "edit", edited_action: { name: action.name, [action.argsKey]: input.args ?? action.args } };
    case "reject":
      return input.message ? { type: "reject", message: input.message } : { type: "reject" };
    case "respond":
      return { type: "respond", message: input.message ?? "" };
  }
}

/** The whole answer, once every action has a decision; null while some are missing. */
export function hitlAnswer(actions: ReviewedAction[], inputs: (DecisionInput | undefined)[]): Json {
  const decisions: JsonObject[] = [];
  for (const [i, action] of actions.entries()) {
    const input = inputs[i];
    if (input === undefined) return null;
    decisions.push(decision(action, input));
  }
  return { decisions };
}

// ---------------------------------------------------------------- the answer box

export type AnswerRead = { ok: true; value: Json; asText: boolean } | { ok: false; message: string };

/**
 * What an answer box holds: JSON when it parses; otherwise, where the interrupt asks for no
 * particular shape (no schema, or a string schema), the text itself, so `hello world` needs
 * no quotes. Where a schema asks for more than a string, text that is not JSON is refused.
 */
export function readAnswer(text: string, schema: Json): AnswerRead {
  const parsed = parseJson(text);
  if (parsed.ok) return { ok: true, value: parsed.value, asText: false };
  const wantsText = schema === null || (isObject(schema) && schema.type === "string");
  if (wantsText && text.trim() !== "") return { ok: true, value: text, asText: true };
  return { ok: false, message: parsed.message };
}
