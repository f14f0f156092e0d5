// Closeout offline: the signed-in user's outbox goes to POST /api/v1/sync, oldest first. Saved
// changes leave the outbox and update the stored line (its new version); stale and refused ones
// become conflicts (the server's value shown until the rep chooses). A change is marked `sent` the
// moment it leaves and is never changed again: after a failed request the server may have applied
// it, so the same id is sent again as it was (the server answers a known id with its stored
// result), and later edits of its line are new changes (db.js enqueue, actions.js).
import { settle, toConflict } from "./answers.js";
import { nextBatch } from "./batching.js";
import { db, sessionUserId } from "./db.js";

let running = null;
let stopping = null; // an AbortController while a run is being stopped (sign-out, wipe)

const setStatus = (status) => db.meta.put({ key: "sync", ...status });

/** The change as the API takes it. */
function wire(change) {
  const body = { id: change.id, case: change.case, kind: change.kind, made_at: change.created_at, ...change.payload };
  if (change.line_id != null) Object.assign(body, { line_id: change.line_id, version: change.version });
  return body;
}

const ORPHANED = {
  sign: "A line this signature vouched for was not saved, so the signature cannot be kept. Ask the provider to sign again.",
  line: "The device added offline was not saved, so this change to it could not be made.",
};

/** Take the user's next batch and mark it sent, in one transaction with every outbox edit (no
 * change can be merged into between being read here and leaving). A change whose added line was
 * never saved (its add refused or discarded) becomes a conflict. */
async function takeBatch(userId) {
  const limit = (await db.meta.get("rules"))?.batch; // the server's, from the last download
  return db.transaction("rw", db.outbox, db.conflicts, async () => {
    for (;;) {
      const outbox = (await db.outbox.orderBy("seq").toArray()).filter((c) => c.user === userId);
      const first = outbox[0];
      if (!first) return [];
      if (first.after) {
        await toConflict(first, { result: "refused", message: ORPHANED.line });
        continue;
      }
      if (first.kind === "sign" && !first.payload.lines.every(Array.isArray)) {
        await toConflict(first, { result: "refused", message: ORPHANED.sign });
        continue;
      }
      const batch = nextBatch(outbox, limit);
      await db.outbox.bulkUpdate(batch.map((c) => ({ key: c.seq, changes: { state: "sending", sent: true } })));
      return batch;
    }
  });
}

async function sendBatch(batch, userId, signal) {
  let response;
  try { // `user`: the server refuses the batch if the session is someone else's (another tab signed in)
    response = await fetch("/api/v1/sync", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: userId, changes: batch.map(wire) }), signal });
  } catch {
    response = null;
  }
  if (!response?.ok) {
    await db.outbox.bulkUpdate(batch.map((c) => ({ key: c.seq, changes: { state: "queued" } }))); // still `sent`
    if (response?.status === 401) throw new Error("Sign in again to sync: your changes are kept on this tablet.");
    if (response?.status === 403) throw new Error((await response.json().catch(() => ({}))).error || "The server refused the changes; they are kept.");
    throw new Error(response ? `The server could not take the changes (${response.status}); they are kept and sent again.` : "No connection: the changes are kept and sent when it is back.");
  }
  const { results } = await response.json();
  for (const [index, change] of batch.entries()) {
    if (signal.aborted) return;
    const result = results.find((r) => r.id === change.id) ?? results[index];
    await settle(change, result);
  }
}

async function run(userId) {
  const control = new AbortController();
  stopping = control;
  await setStatus({ running: true, error: "", at: null });
  try {
    while (!control.signal.aborted) {
      const batch = await takeBatch(userId);
      if (!batch.length) break;
      await sendBatch(batch, userId, control.signal);
    }
    if (!control.signal.aborted) await setStatus({ running: false, error: "", at: new Date().toISOString() });
  } catch (error) {
    await setStatus({ running: false, error: control.signal.aborted ? "" : error.message, at: null });
  }
  outboxChanged();
}

/** Tell the service worker's page (assets/service_worker.jsx) to count the outbox again: a new
 * build waiting to take over may do so once it is empty. */
export const outboxChanged = () => window.dispatchEvent(new Event("closeout-outbox-changed"));

/** Send the signed-in user's outbox now (nothing before the server said who is signed in). One
 * run at a time in this tab (a call during a run joins it) and across tabs (a Web Lock). */
export function syncNow() {
  const userId = sessionUserId();
  if (userId == null) return Promise.resolve();
  const locked = (work) => (navigator.locks ? navigator.locks.request("closeout-sync", work) : work());
  running = running ?? locked(() => run(userId)).finally(() => (running = null));
  return running;
}

/** Stop a running sync and wait for it (sign-out, wipe): an answer arriving later writes nothing. */
export async function stopSync() {
  stopping?.abort();
  await running?.catch(() => {});
}

/** "Keep mine": the same change again, as a new change made on the server's current version
 * (`extra` adds to what it says: an expired device's scan confirmed, "add it anyway"). */
export async function keepMine(conflictId, extra = {}) {
  await db.transaction("rw", db.outbox, db.conflicts, async () => {
    const conflict = await db.conflicts.get(conflictId);
    if (!conflict) return;
    await db.conflicts.delete(conflictId);
    await db.outbox.add({ id: crypto.randomUUID(), user: conflict.user, case: conflict.case, kind: conflict.kind, line_id: conflict.line_id,
      version: conflict.theirs?.version ?? conflict.version, after: null, payload: { ...conflict.payload, ...extra },
      created_at: new Date().toISOString(), state: "queued", sent: false });
  });
  return syncNow();
}

/** "Take theirs" (or Discard): drop my change; the server's value stays. */
export const takeTheirs = (conflictId) => db.conflicts.delete(conflictId);

/** Sync on reconnect: the browser's online event, the app's websocket coming back (assets/screen.js
 * marks <html data-offline> while it is down), the signed-in user becoming known, and every 30 s
 * while the user's changes wait. */
export function startAutoSync() {
  if (window.__closeoutAutoSync) return;
  window.__closeoutAutoSync = true;
  const tryNow = async () => {
    const userId = sessionUserId();
    if (userId != null && navigator.onLine && (await db.outbox.filter((c) => c.user === userId).count())) syncNow();
  };
  window.addEventListener("online", tryNow);
  window.addEventListener("closeout-user-known", tryNow);
  new MutationObserver(() => {
    if (!document.documentElement.hasAttribute("data-offline")) tryNow();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-offline"] });
  setInterval(tryNow, 30000);
  tryNow();
}
