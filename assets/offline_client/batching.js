// Closeout offline: which waiting changes go out together in one POST /api/v1/sync. Pure.

// Before a download has told this tablet the server's batch limit: small enough for any server.
const SMALL_BATCH = 50;

/** The next batch: oldest first, cut before a change that depends on an answer in it (a second
 * change of the same line, whose version moves with the first; a change of a line added offline,
 * named by its add's answer; a signature, whose line versions move). Changes left "sending" by an
 * interrupted run are sent again as they are. At most `limit` changes: the server's MAX_CHANGES,
 * carried in the download's rules (db.js keeps them); fewer while none are known. */
export function nextBatch(outbox, limit = SMALL_BATCH) {
  const batch = [];
  const touched = new Set();
  for (const change of outbox) {
    if (batch.length >= limit || change.after) break;
    if (change.kind === "sign" && batch.length) break;
    if (change.line_id != null && touched.has(change.line_id)) break;
    batch.push(change);
    if (change.line_id != null) touched.add(change.line_id);
    if (change.kind === "sign") break;
  }
  return batch;
}
