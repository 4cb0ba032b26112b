/**
 * LangChain chat messages as serialize.py sends them (`{"$type": "AIMessage", type: "ai",
 * content, tool_calls, id, ...}`, or a plain dict from a LangGraph server), read as a
 * conversation: who speaks, what they say, the tools they call with which arguments, and the
 * tool results. Pure, so the views only draw what this reads (hitl_widgets/text.py reads the
 * same shape for `%hitl state`).
 */

import { plural } from "./format";
import { compact, isObject, itemCount, markerType } from "./json";
import type { Json, JsonObject } from "./protocol";

export interface ToolCall {
  name: string;
  args: Json;
  id: string | null;
}

export interface ChatMessage {
  /** "human", "ai", "tool", "system", or what the message says it is. */
  role: string;
  /** The text (a cut string keeps its marker, for "load more"). */
  content: Json;
  toolCalls: ToolCall[];
  /** A tool result's tool name and the call it answers. */
  name: string | null;
  toolCallId: string | null;
  /** "error" for a failed tool call. */
  status: string | null;
  id: string | null;
}

const ROLES = new Set(["human", "ai", "tool", "system", "function", "chat", "remove", "developer"]);

function text(value: Json | undefined): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The message in `value`, or null when it is not one. */
export function asMessage(value: Json): ChatMessage | null {
  if (!isObject(value) || !("content" in value)) return null;
  const type = markerType(value);
  const role = text(value.type);
  const named = type !== null && (type.endsWith("Message") || type.endsWith("MessageChunk"));
  if (role === null || (!named && !ROLES.has(role.replace(/Chunk$/, "")))) return null;
  const calls = Array.isArray(value.tool_calls) ? value.tool_calls.filter(isObject) : [];
  return {
    role: role.replace(/Chunk$/, ""),
    content: value.content ?? "",
    toolCalls: calls.map((call: JsonObject) => ({
      name: text(call.name) ?? "?",
      args: call.args ?? {},
      id: text(call.id),
    })),
    name: text(value.name),
    toolCallId: text(value.tool_call_id),
    status: text(value.status),
    id: text(value.id),
  };
}

/** True for a non-empty list of messages (a trailing "more" marker allowed). */
export function isConversation(value: Json): value is Json[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const items = markerType(value.at(-1)) === "more" ? value.slice(0, -1) : value;
  return items.length > 0 && items.every((item) => asMessage(item) !== null);
}

/** Text parts of a content that is a list of blocks (`[{type: "text", text}, ...]`). */
export function contentText(content: Json): string | null {
  if (typeof content === "string") return content;
  if (markerType(content) === "str" && isObject(content)) return `${String(content.text ?? "")}…`;
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const block of content) {
    if (typeof block === "string") parts.push(block);
    else if (isObject(block) && typeof block.text === "string") parts.push(block.text);
    else return null;
  }
  return parts.join("\n");
}

/** One line for a message, as `%hitl state` prints it: `ai: -> search(city="Paris")`. */
export function messageLine(message: ChatMessage, width = 120): string {
  const who = message.role === "tool" && message.name ? `tool (${message.name})` : message.role;
  const parts: string[] = [];
  const said = contentText(message.content);
  if (said) parts.push(said.replace(/\s+/g, " "));
  else if (said === null) parts.push(JSON.stringify(message.content));
  for (const call of message.toolCalls) {
    const args = isObject(call.args)
      ? Object.entries(call.args)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(", ")
      : JSON.stringify(call.args);
    parts.push(`-> ${call.name}(${args})`);
  }
  const line = `${who}: ${parts.join(" ")}`;
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/** A value on one line: a message as its chat line, a conversation by its size and last line. */
export function oneLine(value: Json, width = 120): string {
  const message = asMessage(value);
  if (message !== null) return messageLine(message, width);
  if (isConversation(value)) {
    const last = asMessage(value.filter((item) => asMessage(item) !== null).at(-1) ?? null);
    const count = itemCount(value);
    return `${plural(count, "message")}${last ? `, last ${messageLine(last, width)}` : ""}`;
  }
  return compact(value, width);
}
