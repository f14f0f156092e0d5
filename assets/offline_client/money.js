// Closeout offline: money and totals exactly as the server computes them
// (closeout/domain/pricing.py: extended_price, case_totals). Amounts are integer cents (BigInt),
// read from and written as the API's "990.00" strings: never a float.

import { fill, firstChars, UNCHECKED } from "./rules.js";

export const UNUSED = "Unused"; // domain/catalog.py UsageStatus.UNUSED: recorded, never billed

/** "990.00" (or "990", "990.5") -> 99000n. Throws on anything else. */
export function toCents(text) {
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(String(text).trim());
  if (!match) throw new Error(`not an amount: ${text}`);
  return BigInt(match[1]) * 100n + BigInt((match[2] || "").padEnd(2, "0") || "0");
}

/** 99000n -> "990.00" (the API's form). */
export function fromCents(cents) {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** 123450n -> "$1,234.50": the one way money is shown (domain/money.py format_usd). */
export function usd(cents) {
  const [whole, part] = fromCents(cents < 0n ? -cents : cents).split(".");
  return `${cents < 0n ? "-" : ""}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${part}`;
}

// The grammar of domain/money.py price_refusal, character for character: ASCII blanks around,
// digits 0-9, an optional leading "$", commas only between thousands, at most 2 decimals.
const BLANKS = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;
const SHAPE = /^(-?)\$?(-?)([0-9,]*)(?:\.([0-9]*))?$/;
const THOUSANDS = /^[1-9][0-9]{0,2}(?:,[0-9]{3})+$/;

/** { kind } of refusal ("" when read) and the cents: the limit is checked by parsePrice. */
export function priceRefusal(typed) {
  const text = typed.replace(BLANKS, "");
  if (text === "" || text === "$") return { kind: "empty" };
  const shape = SHAPE.exec(text);
  if (!shape || (shape[1] && shape[2]) || !/[0-9]/.test(text)) return { kind: "malformed" };
  const whole = shape[3];
  const cents = shape[4] ?? "";
  if (shape[1] || shape[2]) return { kind: "negative" };
  if (whole.includes(",") && !THOUSANDS.test(whole)) return { kind: "commas" };
  if (cents.length > 2) return { kind: "decimals" };
  const digits = whole.replaceAll(",", "").replace(/^0+/, "");
  if (digits.length > 9) return { kind: "over" };
  return { kind: "", cents: BigInt(digits || "0") * 100n + BigInt(cents.padEnd(2, "0")) };
}

/** A price typed by a rep ("$1,234.5") as domain/money.py parse_price reads it, with the limit
 * and words of the download's `rules` (rules.js): { cents } or { error }. */
export function parsePrice(raw, rules) {
  const typed = String(raw ?? "");
  const price = rules?.price;
  let { kind, cents } = priceRefusal(typed);
  if (!kind && price && cents > BigInt(price.max_cents)) kind = "over";
  if (!kind) return { cents };
  return { error: price ? fill(price.messages[kind], { typed: firstChars(typed, price.typed_shown) }) : UNCHECKED };
}

/** No-charge and Unused lines are recorded but never billed. */
export const isBillable = (line) => !line.no_charge && line.usage_status !== UNUSED;

/** Quantity × unit price, exact; zero for a line that is not billed. */
export const extendedCents = (line) => (isBillable(line) ? toCents(line.unit_price) * BigInt(line.quantity) : 0n);

// Python's sorted() on str orders by code point; JS's default sort by UTF-16 unit.
const byCodePoint = (a, b) => {
  const x = [...a].map((c) => c.codePointAt(0));
  const y = [...b].map((c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
};

/** Billable subtotal per manufacturer (sorted by name) and the grand total, with the counts of
 * what was left out and why: case_totals, line for line. Amounts as cents. */
export function caseTotals(lines) {
  const subtotals = new Map();
  let billable = 0;
  let noCharge = 0;
  let unused = 0;
  for (const line of lines) {
    if (line.usage_status === UNUSED) unused += 1;
    else if (line.no_charge) noCharge += 1;
    else {
      billable += 1;
      subtotals.set(line.manufacturer, (subtotals.get(line.manufacturer) ?? 0n) + extendedCents(line));
    }
  }
  const byManufacturer = [...subtotals.entries()].sort((a, b) => byCodePoint(a[0], b[0]));
  const grand = byManufacturer.reduce((sum, [, amount]) => sum + amount, 0n);
  return { byManufacturer, grand, billable, noCharge, unused };
}

/** The totals in the API's form: {"by_manufacturer": [["Maker", "990.00"]], "grand_total": "990.00"}. */
export function totalsAsApi(lines) {
  const totals = caseTotals(lines);
  return { by_manufacturer: totals.byManufacturer.map(([name, cents]) => [name, fromCents(cents)]), grand_total: fromCents(totals.grand) };
}
