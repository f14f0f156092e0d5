import assert from "node:assert/strict";
import { test } from "node:test";
import { RULES, client } from "./server_rules.mjs";

const { caseTotals, fromCents, parsePrice, priceRefusal, toCents, usd } = await import(client("money.js"));

test("amounts travel as exact cents", () => {
  assert.equal(toCents("990.5"), 99050n);
  assert.equal(fromCents(99050n), "990.50");
  assert.equal(fromCents(-5n), "-0.05");
  assert.equal(usd(123456780n), "$1,234,567.80");
  assert.throws(() => toCents("1e3"));
});

test("a typed price is read strictly, with the download's words", () => {
  assert.deepEqual(parsePrice(" $1,234.5 ", RULES), { cents: 123450n });
  assert.deepEqual(parsePrice(".5", RULES), { cents: 50n });
  assert.deepEqual(parsePrice("1000000", RULES), { cents: 100000000n });
  assert.equal(parsePrice("1000000.01", RULES).error, RULES.price.messages.over);
  assert.equal(parsePrice("0.10000", RULES).error, RULES.price.messages.decimals);
  assert.equal(parsePrice("12,34", RULES).error, RULES.price.messages.commas);
  assert.equal(parsePrice("-$3", RULES).error, RULES.price.messages.negative);
  assert.equal(parsePrice("", RULES).error, RULES.price.messages.empty);
  assert.equal(parsePrice("1e3", RULES).error, "“1e3” is not a price.");
  assert.equal(parsePrice("٣", RULES).error, "“٣” is not a price.");
});

test("the typed text in a message is cut by characters, not UTF-16 units", () => {
  const typed = "😀".repeat(30);
  assert.equal(parsePrice(typed, RULES).error, `“${"😀".repeat(RULES.price.typed_shown)}” is not a price.`);
});

test("a cap far beyond reach is refused without reading every digit", () => {
  assert.equal(priceRefusal("9".repeat(5000)).kind, "over");
});

test("totals leave out no-charge and Unused lines and sort makers by code point", () => {
  const line = (manufacturer, unit_price, extra = {}) => ({ manufacturer, unit_price, quantity: 2, usage_status: "Used", no_charge: false, ...extra });
  const totals = caseTotals([line("Zeta", "1.00"), line("Éclair", "2.50"), line("Zeta", "9.99", { no_charge: true }), line("Apex", "4.00", { usage_status: "Unused" })]);
  assert.deepEqual(totals.byManufacturer, [["Zeta", 200n], ["Éclair", 500n]]);
  assert.equal(totals.grand, 700n);
  assert.deepEqual([totals.billable, totals.noCharge, totals.unused], [2, 1, 1]);
});
