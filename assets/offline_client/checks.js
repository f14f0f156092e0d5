// Closeout offline: a typed value checked before it is queued, by the limits and words of the
// server's domain carried in the download (rules.js), so the rep is spared a certain refusal; the
// server checks everything again at sync. Pure: no database, no React (tests/offline_client).
import { fromCents, parsePrice } from "./money.js";
import { fill, rulesOf, UNCHECKED } from "./rules.js";
import { pricedAs } from "./view.js";

/** A field's typed value as the API takes it, or {error}, by the download's `rules` (rules.js;
 * null for a pack that predates them: only what the value needs to be sent is checked). */
export function checkField(field, raw, rules) {
  if (field === "lot" || field === "serial") {
    const text = String(raw).trim();
    const limit = rules?.lot_serial;
    return limit && text.length > limit.max ? { error: fill(limit.too_long, { label: field === "lot" ? "Lot" : "Serial" }) } : { value: text };
  }
  if (field === "quantity") {
    const words = rules?.quantity?.messages;
    if (!/^\s*[0-9]+\s*$/.test(String(raw))) return { error: words?.whole ?? UNCHECKED };
    const value = Number(raw);
    if (words && value < rules.quantity.min) return { error: words.min };
    if (words && value > rules.quantity.max) return { error: words.max };
    return { value };
  }
  if (field === "expiry") return { value: raw ? String(raw) : null };
  if (field === "unit_price") {
    const price = parsePrice(raw, rules);
    return price.error ? price : { value: fromCents(price.cents) };
  }
  return { value: raw };
}

/** A price edit: the price in force needs no reason (and clears it); another needs one. */
export function priceFields(pack, line, price, reason) {
  const source = pricedAs(pack, line.product_id, price);
  if (source !== "edited") return { fields: { unit_price: price } };
  const why = String(reason ?? "").trim().replace(/\s+/g, " ");
  const rule = rulesOf(pack)?.price_reason;
  if (!why) return { error: rule?.messages.needed ?? UNCHECKED };
  if (rule && why.length < rule.min) return { error: rule.messages.short };
  if (rule && why.length > rule.max) return { error: rule.messages.long };
  return { fields: { unit_price: price, price_reason: why } };
}

/** What is wrong with a Provider Representative's printed name and title (domain/signing.py's
 * limits and words), or "". Runs of blanks count as one space, as the server keeps them. */
export function signerProblem(name, title, rules) {
  const rule = rules?.signer;
  const squeeze = (text) => String(text ?? "").trim().split(/\s+/).filter(Boolean).join(" ");
  const [printed, role] = [squeeze(name), squeeze(title)];
  if (printed.length < (rule?.min ?? 1)) return rule?.messages.name ?? UNCHECKED;
  if (role.length < (rule?.min ?? 1)) return rule?.messages.title ?? UNCHECKED;
  if (rule && printed.length > rule.max_name) return rule.messages.name_long;
  if (rule && role.length > rule.max_title) return rule.messages.title_long;
  return "";
}
