import assert from "node:assert/strict";
import { test } from "node:test";
import { RULES, client } from "./server_rules.mjs";

const { checkField, priceFields, signerProblem } = await import(client("checks.js"));
const { UNCHECKED } = await import(client("rules.js"));

const pack = { rules: RULES, catalog: [{ product_id: 7, unit_price: "990.00", price_source: "contract" }] };
const line = { product_id: 7, unit_price: "990.00" };

test("lot and serial: trimmed, at most the server's length", () => {
  assert.deepEqual(checkField("lot", "  A1  ", RULES), { value: "A1" });
  assert.deepEqual(checkField("serial", "x".repeat(RULES.lot_serial.max), RULES), { value: "x".repeat(RULES.lot_serial.max) });
  assert.deepEqual(checkField("lot", "x".repeat(RULES.lot_serial.max + 1), RULES), { error: `Lot is at most ${RULES.lot_serial.max} characters.` });
  assert.match(checkField("serial", "x".repeat(41), RULES).error, /^Serial is at most/);
});

test("quantity: a whole number within the server's limits", () => {
  assert.deepEqual(checkField("quantity", " 3 ", RULES), { value: 3 });
  assert.deepEqual(checkField("quantity", String(RULES.quantity.max), RULES), { value: RULES.quantity.max });
  assert.equal(checkField("quantity", String(RULES.quantity.max + 1), RULES).error, RULES.quantity.messages.max);
  assert.equal(checkField("quantity", "0", RULES).error, RULES.quantity.messages.min);
  assert.equal(checkField("quantity", "1.5", RULES).error, RULES.quantity.messages.whole);
  assert.equal(checkField("quantity", "٣", RULES).error, RULES.quantity.messages.whole);
});

test("a unit price is sent in the API's form", () => {
  assert.deepEqual(checkField("unit_price", "$1,234.5", RULES), { value: "1234.50" });
  assert.equal(checkField("unit_price", "12.345", RULES).error, RULES.price.messages.decimals);
  assert.deepEqual(checkField("expiry", "", RULES), { value: null });
});

test("a pack from before the rules: good values pass, limits wait for the server", () => {
  assert.deepEqual(checkField("lot", "x".repeat(60), null), { value: "x".repeat(60) });
  assert.deepEqual(checkField("quantity", "20000", null), { value: 20000 });
  assert.deepEqual(checkField("quantity", "two", null), { error: UNCHECKED });
  assert.deepEqual(checkField("unit_price", "5000000", null), { value: "5000000.00" });
  assert.deepEqual(priceFields({ ...pack, rules: undefined }, line, "5.00", ""), { error: UNCHECKED });
});

test("a price edit needs a reason only when it differs from the price in force", () => {
  assert.deepEqual(priceFields(pack, line, "990.00", ""), { fields: { unit_price: "990.00" } });
  assert.deepEqual(priceFields(pack, line, "5.00", ""), { error: RULES.price_reason.messages.needed });
  assert.deepEqual(priceFields(pack, line, "5.00", "ok"), { error: RULES.price_reason.messages.short });
  assert.deepEqual(priceFields(pack, line, "5.00", "x".repeat(RULES.price_reason.max + 1)), { error: RULES.price_reason.messages.long });
  assert.deepEqual(priceFields(pack, line, "5.00", "  Bulk   deal "), { fields: { unit_price: "5.00", price_reason: "Bulk deal" } });
  assert.ok(RULES.price_reason.usual.length > 0);
});

test("a provider's printed name and title, by the server's limits", () => {
  assert.equal(signerProblem("Jo  Smith", "RN", RULES), "");
  assert.equal(signerProblem("J", "RN", RULES), RULES.signer.messages.name);
  assert.equal(signerProblem("Jo Smith", " ", RULES), RULES.signer.messages.title);
  assert.equal(signerProblem("J".repeat(RULES.signer.max_name + 1), "RN", RULES), RULES.signer.messages.name_long);
  assert.equal(signerProblem("Jo Smith", "R".repeat(RULES.signer.max_title + 1), RULES), RULES.signer.messages.title_long);
});
