// Closeout offline: on every signed-in page (closeout/components/offline.py), installs
// window.closeoutOffline (sign-out asks it first) and syncs waiting changes on reconnect. With the
// signed-in user's id, a tablet holding another user's offline data forgets it at once.
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
