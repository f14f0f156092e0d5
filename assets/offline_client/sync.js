// Closeout offline: the outbox goes to POST /api/v1/sync, oldest first. Saved changes leave the
// outbox and update the stored line (its new version); stale and refused ones become conflicts
// (the server's value shown until the rep chooses). A failed request leaves everything queued:
// the same ids are sent again, and the server answers a known id with its stored result.
import { db } from "./db.js";

const MAX_BATCH = 500;
let running = null;

const setStatus = (status) => db.meta.put({ key: "sync", ...status });

/** The next batch: oldest first, cut before a change that depends on an answer in it (a second
 * change of the same line, whose version moves with the first; a signature, whose line versions
 * do). Changes left "sending" by an interrupted run are sent again as they are. */
function nextBatch(outbox) {
  const batch = [];
  const touched = new Set();
  for (const change of outbox) {
    if (batch.length >= MAX_BATCH) break;
    if (change.kind === "sign" && batch.length) break;
    if (change.line_id != null && touched.has(change.line_id)) break;
    batch.push(change);
    if (change.line_id != null) touched.add(change.line_id);
    if (change.kind === "sign") break;
  }
  return batch;
}

/** The change as the API takes it. */
function wire(change) {
  const body = { id: change.id, case: change.case, kind: change.kind, made_at: change.created_at, ...change.payload };
  if (change.line_id != null) Object.assign(body, { line_id: change.line_id, version: change.version });
  return body;
}

/** A signature vouches for lines that may have been added offline: name them by id now. */
async function resolveSignature(change) {
  const lines = change.payload.lines.map((entry) => (Array.isArray(entry) ? entry : null));
  if (lines.every(Boolean)) return true;
  await toConflict(change, { result: "refused", message: "A line this signature vouched for was not saved, so the signature cannot be kept. Ask the provider to sign again.", line: null, case: null });
  return false;
}

async function toConflict(change, result) {
  await db.transaction("rw", db.outbox, db.conflicts, async () => {
    await db.outbox.delete(change.seq);
    await db.conflicts.put({ id: change.id, case: change.case, kind: change.kind, line_id: change.line_id, version: change.version,
      payload: change.payload, created_at: change.created_at, result: result.result, message: result.message || "", theirs: result.line ?? null });
  });
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

/** After a saved change, the later ones made on the version it started from are rebased on the
 * version it produced (they were made on top of it); a saved add names its new line. */
async function rebase(change, line) {
  if (!line) return;
  const later = await db.outbox.orderBy("seq").toArray();
  for (const other of later) {
    if (other.line_id === change.line_id && change.line_id != null && other.version === change.version) {
      await db.outbox.update(other.seq, { version: line.version });
    } else if (other.kind === "sign") {
      const lines = other.payload.lines.map((entry) => {
        if (!Array.isArray(entry)) return entry.change === change.id ? [line.id, line.version] : entry;
        return entry[0] === change.line_id && entry[1] === change.version ? [line.id, line.version] : entry;
      });
      await db.outbox.update(other.seq, { payload: { ...other.payload, lines } });
    }
  }
}

async function settle(change, result) {
  if (result.result === "saved") {
    await db.outbox.delete(change.seq);
    await rebase(change, result.line);
  } else {
    await toConflict(change, result);
  }
  await storeAnswer(change, result);
}

async function sendBatch(batch) {
  await db.outbox.bulkUpdate(batch.map((c) => ({ key: c.seq, changes: { state: "sending" } })));
  let response;
  try {
    response = await fetch("/api/v1/sync", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ changes: batch.map(wire) }) });
  } catch {
    response = null;
  }
  if (!response?.ok) {
    await db.outbox.bulkUpdate(batch.map((c) => ({ key: c.seq, changes: { state: "queued" } })));
    if (response?.status === 401) throw new Error("Sign in again to sync: your changes are kept on this tablet.");
    throw new Error(response ? `The server could not take the changes (${response.status}); they are kept and sent again.` : "No connection: the changes are kept and sent when it is back.");
  }
  const { results } = await response.json();
  for (const [index, change] of batch.entries()) {
    const result = results.find((r) => r.id === change.id) ?? results[index];
    await settle(change, result);
  }
}

async function run() {
  await setStatus({ running: true, error: "", at: null });
  try {
    for (;;) {
      const outbox = await db.outbox.orderBy("seq").toArray();
      const batch = nextBatch(outbox);
      if (!batch.length) break;
      if (batch[0].kind === "sign" && !(await resolveSignature(batch[0]))) continue;
      await sendBatch(batch);
    }
    await setStatus({ running: false, error: "", at: new Date().toISOString() });
  } catch (error) {
    await setStatus({ running: false, error: error.message, at: null });
  }
  outboxChanged();
}

/** Tell the service worker's page (assets/service_worker.jsx) to count the outbox again: a new
 * build waiting to take over may do so once it is empty. */
export const outboxChanged = () => window.dispatchEvent(new Event("closeout-outbox-changed"));

/** Send the outbox now (one run at a time; a call during a run waits for it). */
export function syncNow() {
  running = running ?? run().finally(() => (running = null));
  return running;
}

/** "Keep mine": the same change again, as a new change made on the server's current version
 * (`extra` adds to what it says: an expired device's scan confirmed, "add it anyway"). */
export async function keepMine(conflictId, extra = {}) {
  const conflict = await db.conflicts.get(conflictId);
  if (!conflict) return;
  await db.transaction("rw", db.outbox, db.conflicts, async () => {
    await db.conflicts.delete(conflictId);
    await db.outbox.add({ id: crypto.randomUUID(), case: conflict.case, kind: conflict.kind, line_id: conflict.line_id,
      version: conflict.theirs?.version ?? conflict.version, payload: { ...conflict.payload, ...extra }, created_at: new Date().toISOString(), state: "queued" });
  });
  return syncNow();
}

/** "Take theirs" (or Discard): drop my change; the server's value stays. */
export const takeTheirs = (conflictId) => db.conflicts.delete(conflictId);

/** Sync on reconnect: the browser's online event, or the app's websocket coming back (assets/screen.js
 * marks <html data-offline> while it is down), and every 30 s while changes wait. */
export function startAutoSync() {
  if (window.__closeoutAutoSync) return;
  window.__closeoutAutoSync = true;
  const tryNow = async () => {
    if (navigator.onLine && (await db.outbox.count())) syncNow();
  };
  window.addEventListener("online", tryNow);
  new MutationObserver(() => {
    if (!document.documentElement.hasAttribute("data-offline")) tryNow();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-offline"] });
  setInterval(tryNow, 30000);
  tryNow();
}
