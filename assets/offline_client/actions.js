// Closeout offline: what the rep does on the offline screen, as changes in the outbox. Checks
// here only spare the rep a certain refusal (the limits and words of the server's domain, carried
// in the download: rules.js); the server checks everything again at sync.
import { db, enqueue as queue } from "./db.js";
import { outboxChanged, syncNow } from "./sync.js";

export { checkField, priceFields } from "./checks.js";

/** While the connection is up, a change goes out at once; otherwise it waits for it. */
async function enqueue(...args) {
  const id = await queue(...args);
  afterChange();
  return id;
}

/** A change of a line added offline: while its add never left the tablet and no signature vouches
 * for it, the add itself changes (or is dropped: `change` null); otherwise a new change is queued
 * after it, on the line the add's answer names (sync.js rebase), so a signature made in between
 * is refused by the server if what was signed changed. Read and written in one transaction on the
 * current outbox, never on the screen's snapshot. Returns whether a change was queued. */
function changeAdded(pack, line, kind, change) {
  const addId = line.change.id;
  return db.transaction("rw", db.outbox, db.meta, db.cases, async () => {
    const add = await db.outbox.where("id").equals(addId).first();
    let target = null;
    if (add) {
      const tied = await db.outbox
        .filter((c) => c.after === addId || (c.kind === "sign" && c.payload.lines.some((e) => !Array.isArray(e) && e.change === addId)))
        .count();
      if (!add.sent && !tied) {
        if (kind === "remove") await db.outbox.delete(add.seq);
        else await db.outbox.update(add.seq, { payload: { ...add.payload, fields: { ...(add.payload.fields ?? {}), ...change } } });
        return false;
      }
      target = { after: addId };
    } else {
      const saved = await db.meta.get(`added:${addId}`); // answered meanwhile: the line it became
      const stored = saved && (await db.cases.get(pack.number))?.lines.find((l) => l.id === saved.line_id);
      if (!stored) return false; // refused or discarded: nothing to change
      target = { line_id: stored.id, version: stored.version };
    }
    await queue(pack.number, kind, { ...target, payload: kind === "edit" ? { fields: change } : {} });
    return true;
  });
}

function afterChange() {
  outboxChanged();
  if (navigator.onLine && !document.documentElement.hasAttribute("data-offline")) syncNow();
}

/** Change fields of a line: a stored line gets an edit on its version (db.js merges it into the
 * last edit of that line on that version while that one never left); a line added offline, see
 * changeAdded. */
export async function editLine(pack, line, fields) {
  if (line.id == null) {
    await changeAdded(pack, line, "edit", fields);
    return afterChange();
  }
  await enqueue(pack.number, "edit", { line_id: line.id, version: line.version, payload: { fields } });
}

export const addProduct = (pack, product) => enqueue(pack.number, "add", { payload: { product_id: product.product_id, fields: {} } });

export const queueScan = (pack, raw, symbology = "keyboard") => enqueue(pack.number, "scan", { payload: { raw, symbology } });

/** Remove a line: a stored one by a change; one added offline, see changeAdded. */
export async function removeLine(pack, line) {
  if (line.id == null) {
    await changeAdded(pack, line, "remove", null);
    return afterChange();
  }
  await enqueue(pack.number, "remove", { line_id: line.id, version: line.version });
}

export const queueSignature = (pack, { signerName, title, image, lines }) =>
  enqueue(pack.number, "sign", { payload: { role: "provider_rep", signer_name: signerName, title, image, lines } });

/** Catalog entries matching a search by REF, description or GTIN (any word, any order). */
export function searchCatalog(catalog, text, limit = 8) {
  const words = String(text).toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  return catalog
    .filter((p) => {
      const hay = `${p.ref} ${p.description} ${p.gtin ?? ""} ${p.manufacturer}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .slice(0, limit);
}
