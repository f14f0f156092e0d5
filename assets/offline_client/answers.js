// Closeout offline: one sync answer applied to the browser's database (sync.js sends). Saved:
// the change leaves the outbox, the stored line (or case) takes the server's, later changes of
// that line move to its new version; stale or refused: the change becomes a conflict.
import { db } from "./db.js";

/** Move a change to the conflicts (inside the caller's transaction on outbox + conflicts). */
export async function toConflict(change, result) {
  await db.outbox.delete(change.seq);
  await db.conflicts.put({ id: change.id, user: change.user, case: change.case, kind: change.kind, line_id: change.line_id, version: change.version,
    payload: change.payload, created_at: change.created_at, result: result.result, message: result.message || "", theirs: result.line ?? null });
}

/** Put the server's line (or whole case) in the stored pack. */
async function storeAnswer(change, result) {
  const stored = await db.cases.get(change.case);
  if (!stored) return;
  if (result.case) {
    const { downloaded_at, expires_at, stored_at, expires_local } = stored;
    await db.cases.put({ ...stored, ...result.case, downloaded_at, expires_at, stored_at, expires_local });
  } else if (result.line) {
    const lines = stored.lines.some((l) => l.id === result.line.id)
      ? stored.lines.map((l) => (l.id === result.line.id ? result.line : l))
      : [...stored.lines, result.line];
    await db.cases.put({ ...stored, lines });
  } else if (change.kind === "remove" && result.result === "saved") {
    await db.cases.put({ ...stored, lines: stored.lines.filter((l) => l.id !== change.line_id) });
  }
}

/** After a saved change: the user's later changes of its line made on the version it was applied
 * on (`result.on`) move to the version it produced; without `on` ("already holds these values")
 * nothing moves, so a later change made on an older version is answered stale. A saved add names
 * its new line for the changes and signatures that pointed at it. */
async function rebase(change, result) {
  const line = result.line;
  if (!line) return;
  const on = Array.isArray(result.on) ? result.on : null;
  const added = change.kind === "add" || change.kind === "scan"; // a new line
  if (added) await db.meta.put({ key: `added:${change.id}`, line_id: line.id });
  const movesOn = (lineId, version) => on != null && lineId === change.line_id && lineId === on[0] && version === on[1];
  const later = (await db.outbox.orderBy("seq").toArray()).filter((c) => c.user === change.user);
  for (const other of later) {
    if (added && other.after === change.id) {
      await db.outbox.update(other.seq, { line_id: line.id, version: line.version, after: null });
    } else if (other.kind === "sign") {
      const lines = other.payload.lines.map((entry) => {
        if (!Array.isArray(entry)) return added && entry.change === change.id ? [line.id, line.version] : entry;
        return movesOn(entry[0], entry[1]) ? [line.id, line.version] : entry;
      });
      await db.outbox.update(other.seq, { payload: { ...other.payload, lines } });
    } else if (change.line_id != null && movesOn(other.line_id, other.version)) {
      await db.outbox.update(other.seq, { version: line.version });
    }
  }
}

/** One answer, in one transaction; nothing is written back for a change no longer in the outbox
 * (the tablet was wiped meanwhile). */
export function settle(change, result) {
  return db.transaction("rw", db.outbox, db.conflicts, db.cases, db.meta, async () => {
    if (!(await db.outbox.get(change.seq))) return;
    if (result.result === "saved") {
      await db.outbox.delete(change.seq);
      await rebase(change, result);
    } else {
      await toConflict(change, result);
    }
    await storeAnswer(change, result);
  });
}

