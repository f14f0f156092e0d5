import assert from "node:assert/strict";
import { test } from "node:test";
import { RULES, client } from "./server_rules.mjs";

const { fill, firstChars, rulesOf } = await import(client("rules.js"));

test("a pack's rules, or none for a pack that predates them", () => {
  assert.equal(rulesOf({ rules: RULES }), RULES);
  assert.equal(rulesOf({}), null);
  assert.equal(rulesOf(undefined), null);
});

test("templates are filled by name; unknown places stay", () => {
  assert.equal(fill(RULES.lot_serial.too_long, { label: "Lot" }), `Lot is at most ${RULES.lot_serial.max} characters.`);
  assert.equal(fill("{a} and {b}", { a: 1 }), "1 and {b}");
  assert.equal(firstChars("a😀b", 2), "a😀");
});

test("the download carries every limit the screen checks", () => {
  for (const key of ["price", "quantity", "lot_serial", "price_reason", "signer", "usage_statuses", "batch"]) assert.ok(key in RULES, key);
  assert.equal(typeof RULES.price.max_cents, "number");
});
