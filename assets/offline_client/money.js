// Closeout offline: money and totals exactly as the server computes them
// (closeout/domain/pricing.py: extended_price, case_totals). Amounts are integer cents (BigInt),
// read from and written as the API's "990.00" strings: never a float.

export const USAGE_STATUSES = ["Implanted", "Used", "Wasted", "Explanted", "Unused"]; // domain/catalog.py
export const UNUSED = "Unused";
export const MAX_UNIT_CENTS = 100000000n; // domain/money.py: MAX_UNIT_PRICE 1,000,000

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

/** A price typed by a rep ("$1,234.5"), as domain/money.py parse_price reads it:
 * { cents } or { error } in the app's words. */
export function parsePrice(raw) {
  const text = String(raw ?? "").trim().replaceAll(",", "").replace(/^\$/, "").trim();
  if (!text) return { error: "Enter a price." };
  if (text.startsWith("-")) return { error: "A price cannot be negative." };
  if (/^\d+\.\d{3,}$/.test(text)) return { error: "Use at most 2 decimal places." };
  if (!/^\d+(\.\d{0,2})?$/.test(text) && !/^\.\d{1,2}$/.test(text)) return { error: `“${String(raw).slice(0, 20)}” is not a price.` };
  const cents = toCents(text.startsWith(".") ? `0${text}` : text);
  if (cents > MAX_UNIT_CENTS) return { error: "That price is over $1,000,000; check it." };
  return { cents };
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
