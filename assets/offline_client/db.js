// Closeout offline: the browser's copy of the rep's cases and the changes waiting to sync, in
// IndexedDB through Dexie. One database per tablet, for one user at a time: storing another
// user's pack first empties it, and sign-out wipes it (guard.jsx). A case pack expires a day
// after it was downloaded and is deleted on the next open. No patient identifier is ever stored
// (the pack has none).
import Dexie, { liveQuery } from "dexie";
import { useEffect, useState } from "react";

export const DB_NAME = "closeout-offline";
export const db = new Dexie(DB_NAME);
db.version(1).stores({
  cases: "number, expires_local", // the pack per case, plus downloaded_at / expires_at (the server's) and
  // stored_at / expires_local (this tablet's clock: the pack's lifetime counted from when it arrived)
  outbox: "++seq, &id, case, state", // queued changes in the order they were made
  conflicts: "id, case", // stale or refused changes waiting for the rep's choice
  meta: "key", // {key: "user", id, name, may_edit_prices}
});

const now = () => new Date().toISOString();

/** Delete expired case packs (and their conflicts; their unsynced changes are kept and counted). */
export async function dropExpired() {
  const expired = await db.cases.where("expires_local").below(now()).primaryKeys();
  if (expired.length) {
    await db.transaction("rw", db.cases, db.conflicts, async () => {
      await db.cases.bulkDelete(expired);
      await db.conflicts.where("case").anyOf(expired).delete();
    });
  }
  return expired;
}

/** The user the stored data belongs to, or null. */
export const currentUser = async () => (await db.meta.get("user")) ?? null;

/** Empty every table (sign-out, another user). */
export async function wipe() {
  await db.transaction("rw", db.cases, db.outbox, db.conflicts, db.meta, async () => {
    await Promise.all([db.cases.clear(), db.outbox.clear(), db.conflicts.clear(), db.meta.clear()]);
  });
}

/** Forget the stored data when it is someone else's (`userId` as the server says). */
export async function claimFor(userId) {
  const user = await currentUser();
  if (user && userId && user.id !== userId) await wipe();
}

/** Store a downloaded pack (GET /api/v1/offline/cases): its cases replace the stored ones. */
export async function storePack(pack) {
  await claimFor(pack.user.id);
  const lifetime = Date.parse(pack.expires_at) - Date.parse(pack.downloaded_at) || 86400000; // a day
  const storedAt = Date.now();
  const local = { stored_at: new Date(storedAt).toISOString(), expires_local: new Date(storedAt + lifetime).toISOString() };
  await db.transaction("rw", db.cases, db.meta, async () => {
    await db.meta.put({ key: "user", ...pack.user });
    for (const item of pack.cases) {
      await db.cases.put({ ...item, downloaded_at: pack.downloaded_at, expires_at: pack.expires_at, ...local });
    }
  });
}

/** How many changes have not reached the server yet (queued or on their way). */
export const pendingCount = () => db.outbox.count();

/** Queue one change (kind: edit | add | scan | remove | sign), made on `version` of its line.
 * Consecutive edits of one line not yet sent are merged into one change. */
export async function enqueue(caseNumber, kind, { line_id = null, version = null, payload = {} } = {}) {
  return db.transaction("rw", db.outbox, async () => {
    if (kind === "edit") {
      const last = await db.outbox.orderBy("seq").last();
      if (last && last.state === "queued" && last.kind === "edit" && last.line_id === line_id && last.case === caseNumber) {
        await db.outbox.update(last.seq, { payload: { fields: { ...last.payload.fields, ...payload.fields } } });
        return last.id;
      }
    }
    const change = { id: crypto.randomUUID(), case: caseNumber, kind, line_id, version, payload, created_at: now(), state: "queued" };
    await db.outbox.add(change);
    return change.id;
  });
}

/** A Dexie live query as React state: re-runs whenever the tables it read change. */
export function useLive(query, deps, initial) {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({ next: setValue, error: (e) => console.error(e) });
    return () => subscription.unsubscribe();
  }, deps);
  return value;
}
