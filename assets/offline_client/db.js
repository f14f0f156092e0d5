// Closeout offline: the browser's copy of the rep's cases and the changes waiting to sync, in
// IndexedDB through Dexie. One database per tablet, shared by whoever signs in on it: every
// outbox and conflict row names the user who made it and is shown, counted and sent for that user
// only. When another user signs in, the previous user's case packs are deleted but their unsynced
// changes stay (hidden) until they sign in again; sign-out deletes the user's own data (global.js).
// A case pack expires a day after it was downloaded. No patient identifier is ever stored.
import Dexie, { liveQuery } from "dexie";
import { useEffect, useState } from "react";

export const DB_NAME = "closeout-offline";
export const db = new Dexie(DB_NAME);
db.version(1).stores({
  cases: "number, expires_local", // the pack per case, plus downloaded_at / expires_at (the server's) and
  // stored_at / expires_local (this tablet's clock: the pack's lifetime counted from when it arrived)
  outbox: "++seq, &id, case, state", // queued changes in the order they were made
  conflicts: "id, case", // stale or refused changes waiting for the rep's choice
  meta: "key", // {key: "user", id, name, may_edit_prices}, {key: "sync", …}, {key: "added:<change id>", line_id}, {key: "rules", …}
});

const now = () => new Date().toISOString();

/** The user the stored cases belong to (the last one verified on this tablet), or null. */
export const currentUser = async () => (await db.meta.get("user")) ?? null;

/** The signed-in user's id as the server told this page (null until known): only their rows are sent. */
export const sessionUserId = () => window.__closeoutSessionUser ?? null;

/** Rows of one user (outbox or conflicts). */
export const mine = (rows, userId) => rows.filter((row) => userId != null && row.user === userId);

/** Delete expired case packs. A case with changes or conflicts still waiting keeps a stub (number,
 * facility, surgeon…, no lines or catalog) so they stay visible and can be settled. */
export async function dropExpired() {
  return db.transaction("rw", db.cases, db.outbox, db.conflicts, async () => {
    const expired = await db.cases.where("expires_local").below(now()).toArray();
    const gone = [];
    for (const pack of expired) {
      const waiting = (await db.outbox.where("case").equals(pack.number).count()) + (await db.conflicts.where("case").equals(pack.number).count());
      if (!waiting) {
        await db.cases.delete(pack.number);
        gone.push(pack.number);
      } else if (!pack.stub) {
        const { number, facility, surgeon, procedure, surgery_date, signatures, downloaded_at, stored_at, expires_local } = pack;
        await db.cases.put({ number, facility, surgeon, procedure, surgery_date, signatures, downloaded_at, stored_at, expires_local,
          status: "open", editable: false, stub: true, lines: [], catalog: [] });
        gone.push(pack.number);
      }
    }
    return gone;
  });
}

/** Empty every table (the contract's wipe()). */
export async function wipe() {
  await db.transaction("rw", db.cases, db.outbox, db.conflicts, db.meta, async () => {
    await Promise.all([db.cases.clear(), db.outbox.clear(), db.conflicts.clear(), db.meta.clear()]);
  });
}

/** Sign-out of `userId`: their cases, changes and conflicts go; another user's waiting rows stay. */
export async function wipeUser(userId) {
  await db.transaction("rw", db.cases, db.outbox, db.conflicts, db.meta, async () => {
    await db.outbox.filter((row) => row.user === userId || row.user == null).delete();
    await db.conflicts.filter((row) => row.user === userId || row.user == null).delete();
    await db.cases.clear();
    await db.meta.clear();
  });
}

/** The signed-in user (`userId` as the server says): the stored cases of someone else are deleted,
 * their waiting changes kept for them. Unblocks rendering and syncing (useOwner, sync.js). */
export async function claimFor(userId) {
  if (!userId) return;
  await db.transaction("rw", db.cases, db.outbox, db.conflicts, db.meta, async () => {
    const user = await db.meta.get("user");
    if (user?.id) { // rows queued before they were tagged are the stored user's
      await db.outbox.filter((row) => row.user == null).modify({ user: user.id });
      await db.conflicts.filter((row) => row.user == null).modify({ user: user.id });
    }
    if (user?.id === userId) return;
    await db.cases.clear();
    await db.meta.put({ key: "user", id: userId, name: "", may_edit_prices: false });
  });
  window.__closeoutSessionUser = userId;
  window.dispatchEvent(new Event("closeout-user-known"));
}

/** Store a downloaded pack (GET /api/v1/offline/cases): its cases replace the stored ones. */
export async function storePack(pack) {
  await claimFor(pack.user.id);
  const lifetime = Date.parse(pack.expires_at) - Date.parse(pack.downloaded_at) || 86400000; // a day
  const storedAt = Date.now();
  const local = { stored_at: new Date(storedAt).toISOString(), expires_local: new Date(storedAt + lifetime).toISOString() };
  await db.transaction("rw", db.cases, db.meta, async () => {
    await db.meta.put({ key: "user", ...pack.user });
    if (pack.rules) await db.meta.put({ key: "rules", ...pack.rules }); // the batch limit (sync.js)
    for (const item of pack.cases) { // each case keeps the rules it was checked by (rules.js)
      await db.cases.put({ ...item, rules: pack.rules ?? null, downloaded_at: pack.downloaded_at, expires_at: pack.expires_at, ...local });
    }
  });
}

/** How many changes have not reached the server yet (queued or on their way), every user's: a
 * new build must not take over while any of them waits. */
export const pendingCount = () => db.outbox.count();

/** Queue one change (kind: edit | add | scan | remove | sign) for the stored user, made on `version`
 * of its line, or on a line added offline (`after`: the add's change id; sync.js names the line
 * once the add is saved). An edit merges into the last change only when that one is an edit of
 * the same line on the same version that never left the tablet (a sent change is the server's). */
export async function enqueue(caseNumber, kind, { line_id = null, version = null, after = null, payload = {} } = {}) {
  return db.transaction("rw", db.outbox, db.meta, async () => {
    const user = (await db.meta.get("user"))?.id ?? null;
    if (kind === "edit") {
      const last = await db.outbox.orderBy("seq").last();
      if (last && !last.sent && last.state === "queued" && last.kind === "edit" && last.user === user && last.case === caseNumber &&
          last.line_id === line_id && last.version === version && (last.after ?? null) === after) {
        await db.outbox.update(last.seq, { payload: { fields: { ...last.payload.fields, ...payload.fields } } });
        return last.id;
      }
    }
    const change = { id: crypto.randomUUID(), user, case: caseNumber, kind, line_id, version, after, payload, created_at: now(), state: "queued", sent: false };
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

const looksOffline = () => !navigator.onLine || document.documentElement.hasAttribute("data-offline") || !!document.querySelector(".offline-banner.failing");

/** True once the stored data may be shown: the server said who is signed in (claimFor), or the
 * tablet is offline (then the last verified user's data is shown). */
export function useOwner() {
  const [verified, setVerified] = useState(() => sessionUserId() != null || looksOffline());
  useEffect(() => {
    const check = () => (sessionUserId() != null || looksOffline()) && setVerified(true);
    window.addEventListener("closeout-user-known", check);
    const timer = setInterval(check, 1000);
    check();
    return () => { window.removeEventListener("closeout-user-known", check); clearInterval(timer); };
  }, []);
  return verified;
}
