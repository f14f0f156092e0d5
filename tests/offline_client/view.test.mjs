import assert from "node:assert/strict";
import { test } from "node:test";
import { RULES, client } from "./server_rules.mjs";

const { caseView, pricedAs, vouchedLines } = await import(client("view.js"));

const pack = {
  number: "CS-1", rules: RULES,
  catalog: [{ product_id: 7, ref: "R7", manufacturer: "Apex", unit_price: "100.00", price_source: "contract" }],
  lines: [
    { id: 1, version: 3, product_id: 7, ref: "R7", manufacturer: "Apex", quantity: 1, unit_price: "100.00", usage_status: "Used", no_charge: false, price_source: "contract" },
    { id: 2, version: 1, product_id: 7, ref: "R7", manufacturer: "Apex", quantity: 1, unit_price: "100.00", usage_status: "Used", no_charge: false, price_source: "contract" },
  ],
};

test("waiting changes are laid over the stored lines, in order", () => {
  const outbox = [
    { id: "e", case: "CS-1", kind: "edit", line_id: 1, payload: { fields: { quantity: 3, unit_price: "90.00" } } },
    { id: "r", case: "CS-1", kind: "remove", line_id: 2, payload: {} },
    { id: "a", case: "CS-1", kind: "add", payload: { product_id: 7, fields: {} } },
    { id: "s", case: "CS-1", kind: "scan", payload: { raw: "0100" } },
    { id: "o", case: "CS-2", kind: "remove", line_id: 1, payload: {} },
  ];
  const view = caseView(pack, outbox);
  const [first, second, added, scanned] = view.lines;
  assert.deepEqual([first.quantity, first.unit_price, first.price_source], [3, "90.00", "edited"]);
  assert.equal(second.removed, true);
  assert.deepEqual([added.id, added.price_source, added.shownPosition], [null, "contract", 3]);
  assert.equal(scanned.scan, "0100");
  assert.equal(view.totals.grand, 27000n + 10000n); // 3 × 90 + the added line; removed and scanned lines count nothing
  assert.equal(view.waiting.length, 4);
  assert.deepEqual(vouchedLines(view), [[1, 3], { change: "a" }, { change: "s" }]);
});

test("a price equal to the price in force is not an edit", () => {
  assert.equal(pricedAs(pack, 7, "100"), "contract");
  assert.equal(pricedAs(pack, 7, "100.01"), "edited");
  assert.equal(pricedAs(pack, 8, "100.00"), "edited");
});
