// Closeout offline: window.closeoutOffline, the interface other parts of the app use (the service
// worker's page decides when a new build may take over with pendingCount; sign-out asks
// beforeSignOut). Documented in README ("Offline in the OR").
import { db, dropExpired, pendingCount, wipe } from "./db.js";
import { totalsAsApi } from "./money.js";
import { startAutoSync, syncNow } from "./sync.js";

/** Ask before signing out while changes wait; wipe this tablet's offline data when going ahead.
 * Resolves true when sign-out should go on. */
async function beforeSignOut() {
  const waiting = (await pendingCount()) + (await db.conflicts.count()); // a conflict is a change not yet saved too
  if (waiting && !window.confirm(`${waiting} ${waiting === 1 ? "change" : "changes"} not yet synced — sign out anyway?`)) return false;
  await wipe();
  return true;
}

export function installGlobal() {
  if (!window.closeoutOffline) {
    window.closeoutOffline = { pendingCount, wipe, beforeSignOut, syncNow, dropExpired, totals: totalsAsApi, db };
    startAutoSync();
    dropExpired();
  }
  return window.closeoutOffline;
}
