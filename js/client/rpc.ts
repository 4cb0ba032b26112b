/**
 * Requests to the kernel and their answers, over the widget's custom messages (the Python side
 * is hitl_widgets/widgets/rpc.py). Every call settles: with the result, or with an `RpcError`
 * carrying the kernel's error (a refused command, a bad request, a bug), or when the widget
 * goes away. Pushes (new checkpoints, head state changes, errors in the kernel's listeners) go
 * to the subscribers.
 */

import type { AnyModel } from "@anywidget/types";
import type { ErrorInfo, ErrorPush, HistoryPush, LivePush, Reply, StatePush, WidgetModel } from "../lib/protocol";
import { isIncoming } from "../lib/protocol";
import { Emitter } from "./emitter";

export class RpcError extends Error {
  readonly info: ErrorInfo;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.info = info;
  }
}

/** Any thrown value as the error shape the widget shows. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof RpcError) return error.info;
  if (error instanceof Error) return { type: error.name, message: error.message, detail: error.stack ?? null };
  return { type: "Error", message: String(error), detail: null };
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: RpcError) => void;
}

type Pushes = { history: HistoryPush; state: StatePush; error: ErrorPush; live: LivePush };

export class Rpc {
  readonly pushes = new Emitter<Pushes>();
  /** Replies go to every open frontend of the model: ids carry this frontend's own prefix. */
  private readonly prefix = Math.random().toString(36).slice(2, 10);
  private nextId = 1;
  private readonly waiting = new Map<string, Waiting>();
  private readonly model: AnyModel<WidgetModel>;
  private readonly listener = (message: unknown) => this.receive(message);

  constructor(model: AnyModel<WidgetModel>) {
    this.model = model;
    model.on("msg:custom", this.listener);
  }

  call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = `${this.prefix}-${this.nextId++}`;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.model.send({ kind: "call", id, method, params });
    });
  }

  dispose(): void {
    this.model.off("msg:custom", this.listener);
    for (const waiting of this.waiting.values()) {
      waiting.reject(new RpcError({ type: "Closed", message: "the widget was closed", detail: null }));
    }
    this.waiting.clear();
    this.pushes.clear();
  }

  private receive(message: unknown): void {
    if (!isIncoming(message)) return;
    if (message.kind === "reply") this.settle(message);
    else this.pushes.emit(message.kind, message as never);
  }

  private settle(reply: Reply): void {
    const waiting = this.waiting.get(reply.id);
    if (waiting === undefined) return; // a reply to another frontend of this model
    this.waiting.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(new RpcError(reply.error));
  }
}
