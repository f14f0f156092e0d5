// Closeout offline: what the screen shows of a case = the stored pack (the server's lines as last
// known) with the waiting changes laid over it, in order. Pure: no database, no React.
import { caseTotals, extendedCents, toCents } from "./money.js";

const NEW_LINE = { lot: "", serial: "", expiry: null, quantity: 1, usage_status: "Used", no_charge: false, price_reason: "", scan_warning: "" };

/** A typed price is "edited" unless it equals the price in force (domain/pricing.py priced_by_hand). */
export function pricedAs(pack, productId, price) {
  const product = pack.catalog.find((p) => p.product_id === productId);
  return product && toCents(product.unit_price) === toCents(price) ? product.price_source : "edited";
}

/** Lines to show: stored lines (edited / removed marks from the outbox), then lines added or
 * scanned offline (with their own later changes, `after` their add). Each carries `pending` (its
 * waiting changes) and `extended_cents`. `outbox` and `conflicts` are the signed-in user's. */
export function caseView(pack, outbox, conflicts = []) {
  const lines = pack.lines.map((line) => ({ ...line, pending: [], pendingFields: {} }));
  const byId = new Map(lines.map((line) => [line.id, line]));
  const added = [];
  const signatures = [];
  const byChange = new Map(); // lines added offline, by their add's change id
  for (const change of outbox.filter((c) => c.case === pack.number)) {
    const line = change.after ? byChange.get(change.after) : byId.get(change.line_id);
    if (change.kind === "edit" && line) {
      Object.assign(line, change.payload.fields);
      Object.assign(line.pendingFields, change.payload.fields);
      if ("unit_price" in change.payload.fields) line.price_source = pricedAs(pack, line.product_id, change.payload.fields.unit_price);
      line.pending.push(change);
    } else if (change.kind === "remove" && line) {
      line.removed = true;
      line.pending.push(change);
    } else if (change.kind === "add") {
      const product = pack.catalog.find((p) => p.product_id === change.payload.product_id) ?? {};
      const fields = change.payload.fields ?? {};
      const source = "unit_price" in fields ? pricedAs(pack, product.product_id, fields.unit_price) : product.price_source;
      const fresh = { ...NEW_LINE, ...product, ...fields, price_source: source, id: null, change, pending: [change], pendingFields: {}, version: null };
      byChange.set(change.id, fresh);
      added.push(fresh);
    } else if (change.kind === "scan") {
      added.push({ id: null, scan: change.payload.raw, change, pending: [change], pendingFields: {} });
    } else if (change.kind === "sign") {
      signatures.push(change);
    }
  }
  const shown = [...lines, ...added].map((line, index) => ({ ...line, shownPosition: index + 1 }));
  for (const line of shown) line.extended_cents = line.scan || line.removed ? 0n : extendedCents(line);
  const priced = shown.filter((line) => !line.scan && !line.removed);
  const waiting = outbox.filter((c) => c.case === pack.number);
  return { lines: shown, totals: caseTotals(priced), signatures, waiting, conflicts: conflicts.filter((c) => c.case === pack.number) };
}

/** The [line id, version] pairs a signature given now vouches for: stored lines by version
 * (rebased at sync when an earlier change of theirs is saved), offline additions by their change. */
export function vouchedLines(view) {
  return view.lines
    .filter((line) => !line.removed)
    .map((line) => (line.id != null ? [line.id, line.version] : { change: line.change.id }));
}
