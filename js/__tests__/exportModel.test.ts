import { describe, expect, it } from "vitest";
import { type ExportCheckpoint, type ExportDocument, ExportModel } from "../client/exportModel";
import { blocker, READ_ONLY } from "../lib/commands";

function checkpoint(id: string, parent: string | null, fields: Partial<ExportCheckpoint> = {}): ExportCheckpoint {
  return {
    id,
    parent_id: parent,
    step: 0,
    source: "loop",
    writes: ["a"],
    next: [],
    created_at: "2026-01-01T00:00:00+00:00",
    values: { n: 1 },
    changes: [{ key: "n", op: "add", after: 1 }],
    interrupts: [],
    answered: [],
    errors: {},
    cut: [],
    ...fields,
  };
}

const doc: ExportDocument = {
  format: "hitl_widgets.export",
  version: 1,
  exported_at: "2026-01-01T00:00:00+00:00",
  thread: { id: "t1", backend: "local" },
  graph: { nodes: [], edges: [] },
  head: "c2",
  status: null,
  limits: { value_bytes: 20000, total_bytes: 20000000 },
  cut: { values: 0, omitted: 1 },
  checkpoints: [
    checkpoint("c2", "c1", { interrupts: [{ id: "i", node: "a", ns: ["a:1"], value: "?", response_schema: null }] }),
    checkpoint("c1", null, {
      values: null,
      changes: null,
      answered: [{ id: "j", node: "a", ns: ["a:0"], value: "ok?", answer: "yes" }],
      errors: { a: "ValueError: no" },
    }),
  ],
};

/** Send a request as the widget's Rpc does and wait for the reply. */
function call(model: ExportModel, method: string, params: Record<string, unknown> = {}): Promise<unknown> {
  return new Promise((resolve) => {
    model.on("msg:custom", (reply: { id: string }) => {
      if (reply.id === method) resolve(reply);
    });
    model.send({ kind: "call", id: method, method, params });
  });
}

describe("ExportModel", () => {
  it("holds the traits of a read-only widget", () => {
    const model = new ExportModel(doc);
    expect(model.get("head_id")).toBe("c2");
    expect(model.get("thread").read_only).toBe(true);
    expect(model.get("interrupts").map((i) => i.id)).toEqual(["i"]);
    expect(model.get("status").summary).toBe(
      "Read-only export of 2026-01-01 00:00:00 UTC: 2 checkpoint(s), 1 checkpoint(s) without values.",
    );
  });

  it("answers reads from the document", async () => {
    const model = new ExportModel(doc);
    expect(await call(model, "history", { limit: 1 })).toMatchObject({
      ok: true,
      result: { rows: [["c2", "c1", 0, "loop", ["a"], [], Date.parse("2026-01-01T00:00:00Z")]] },
    });
    expect(await call(model, "head_state")).toMatchObject({ result: { id: "c2", values: { n: 1 } } });
    const detail = await call(model, "checkpoint", { checkpoint_id: "c1" });
    expect(detail).toMatchObject({
      result: {
        checkpoint: { id: "c1" },
        changes: [],
        answered: [{ node: "a", value: "ok?", answer: "yes" }],
        errors: { a: "ValueError: no" },
      },
    });
    expect(JSON.stringify(detail)).toContain("left out of this export");
  });

  it("selects as the kernel would, and refuses commands", async () => {
    const model = new ExportModel(doc);
    let changed = 0;
    model.on("change:selected", () => changed++);
    await call(model, "select", { checkpoint_id: "c1" });
    expect([model.get("selected"), changed]).toEqual(["c1", 1]);
    expect(await call(model, "step")).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining(READ_ONLY) },
    });
    expect(await call(model, "checkpoint", { checkpoint_id: "nope" })).toMatchObject({ ok: false });
    expect(await call(model, "more", { source: "checkpoint", id: "c2", path: ["n"] })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^Not in this export: this part was cut/) },
    });
  });

  it("makes every command say why it cannot act", () => {
    const model = new ExportModel(doc);
    const situation = { status: model.get("status"), headId: "c2", interrupts: [], readOnly: true };
    for (const command of ["start", "step", "cont", "pause", "resume", "change"] as const) {
      expect(blocker(command, situation)).toBe(READ_ONLY);
    }
  });
});
