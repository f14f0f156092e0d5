// Closeout offline: window.closeoutOffline, the interface other parts of the app use (the service
// worker's page decides when a new build may take over with pendingCount; sign-out asks
// beforeSignOut). Documented in README ("Offline in the OR").
import { currentUser, db, dropExpired, mine, pendingCount, wipe, wipeUser } from "./db.js";
import { totalsAsApi } from "./money.js";
import { startAutoSync, stopSync, syncNow } from "./sync.js";

/** Ask before signing out while the user's changes wait; then stop a running sync (so no answer
 * is written back afterwards) and delete this user's offline data (another user's waiting
 * changes stay for them). Resolves true when sign-out should go on. */
async function beforeSignOut() {
  const uid = (await currentUser())?.id ?? null;
  const [outbox, conflicts] = await Promise.all([db.outbox.toArray(), db.conflicts.toArray()]);
  const waiting = mine(outbox, uid).length + mine(conflicts, uid).length; // a conflict is a change not yet saved too
  if (waiting && !window.confirm(`${waiting} ${waiting === 1 ? "change" : "changes"} not yet synced — sign out anyway?`)) return false;
  window.__closeoutSessionUser = null; // nothing is sent from here on
  await stopSync();
  await wipeUser(uid);
  return true;
}

/** Empty the whole database, after any running sync has stopped. */
async function wipeAll() {
  await stopSync();
  await wipe();
}

export function installGlobal() {
  if (!window.closeoutOffline) {
    window.closeoutOffline = { pendingCount, wipe: wipeAll, beforeSignOut, syncNow, dropExpired, totals: totalsAsApi, db };
    startAutoSync();
    dropExpired();
  }
  return window.closeoutOffline;
}
