// Closeout offline: on every signed-in page (closeout/components/offline.py), installs
// window.closeoutOffline (sign-out asks it first) and syncs waiting changes on reconnect. The
// signed-in user's id, once the server gives it, lets the page show and send that user's data
// (db.js claimFor: another user's cases are deleted, their unsynced changes kept for them).
import { useEffect } from "react";
import { claimFor } from "./db.js";
import { installGlobal } from "./global.js";

export function OfflineGuard({ userId = 0 }) {
  useEffect(() => {
    installGlobal();
  }, []);
  useEffect(() => {
    if (userId) claimFor(userId);
  }, [userId]);
  return null;
}
