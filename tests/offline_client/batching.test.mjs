import assert from "node:assert/strict";
import { test } from "node:test";
import { RULES, client } from "./server_rules.mjs";

const { nextBatch } = await import(client("batching.js"));

const edit = (line_id) => ({ kind: "edit", line_id });

test("a batch holds at most the server's limit", () => {
  const outbox = Array.from({ length: RULES.batch + 7 }, (_, i) => edit(i + 1));
  assert.equal(nextBatch(outbox, RULES.batch).length, RULES.batch);
  assert.ok(nextBatch(outbox).length < RULES.batch); // no limit known yet: a small batch
});

test("a batch stops before a change that depends on an answer in it", () => {
  assert.deepEqual(nextBatch([edit(1), edit(2), edit(1)], RULES.batch), [edit(1), edit(2)]);
  assert.deepEqual(nextBatch([edit(1), { kind: "edit", after: "a" }], RULES.batch), [edit(1)]);
  assert.deepEqual(nextBatch([edit(1), { kind: "sign" }], RULES.batch), [edit(1)]);
  assert.deepEqual(nextBatch([{ kind: "sign" }, edit(1)], RULES.batch), [{ kind: "sign" }]);
  assert.deepEqual(nextBatch([{ kind: "add" }, { kind: "add" }], RULES.batch).length, 2);
});
