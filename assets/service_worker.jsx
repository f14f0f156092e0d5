// Closeout: registers the service worker (/sw.js, made by Workbox after the production build, see
// closeout/offline_shell.py) so the app opens with no network. Wrapped by
// closeout/components/service_worker.py and mounted in every signed-in page and the offline screen.
//
// A new build never replaces the running one while changes wait to sync: the worker does not skip
// waiting by itself; a waiting one is activated here (messageSkipWaiting) only when the offline
// outbox is empty, checked again every 30 s, when the network comes back and whenever the offline
// screen says the outbox changed (a "closeout-outbox-changed" event on window). Once the new build
// controls the page, the page reloads, so its code and the server's are of one build.
import { useEffect } from "react";
import { Workbox } from "workbox-window";

const DB = "closeout-offline"; // the offline screen's database (Dexie), table "outbox"
const OUTBOX = "outbox";
const RECHECK_MS = 30_000;
const UPDATE_CHECK_MS = 60 * 60_000; // a tab left open for days still learns of a new build

// Where a new build may take over: nothing waits to sync. Unknown (unreadable) is not empty.
export const mayActivate = (pending) => pending === 0;

// The outbox's size: the offline screen's own count if it is loaded, else a plain IndexedDB
// read that never creates the database (an upgrade means it did not exist: aborted, so 0).
export async function pendingChanges() {
  const shared = window.closeoutOffline?.pendingCount;
  if (typeof shared === "function") return await shared();
  if (indexedDB.databases && !(await indexedDB.databases()).some((db) => db.name === DB)) return 0;
  return await new Promise((resolve, reject) => {
    let absent = false;
    const request = indexedDB.open(DB);
    request.onupgradeneeded = () => {
      absent = true;
      request.transaction.abort();
    };
    request.onerror = () => (absent ? resolve(0) : reject(request.error));
    request.onsuccess = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(OUTBOX)) {
        db.close();
        resolve(0);
        return;
      }
      const counting = db.transaction(OUTBOX, "readonly").objectStore(OUTBOX).count();
      counting.onsuccess = () => resolve(counting.result);
      counting.onerror = () => reject(counting.error);
      db.close();
    };
  });
}

const shell = { status: "unregistered", pending: null, mayActivate, pendingChanges };
let workbox = null;
let recheck = null;

async function activateIfSynced() {
  if (shell.status !== "waiting" && shell.status !== "waiting-for-sync") return;
  let pending;
  try {
    pending = await pendingChanges();
  } catch (error) {
    pending = null; // cannot tell: keep the running build
  }
  shell.pending = pending;
  clearTimeout(recheck);
  if (mayActivate(pending)) {
    shell.status = "activating";
    workbox.messageSkipWaiting();
  } else {
    shell.status = "waiting-for-sync";
    recheck = setTimeout(activateIfSynced, RECHECK_MS);
  }
}

function register() {
  if (workbox || !import.meta.env.PROD || !window.isSecureContext || !("serviceWorker" in navigator)) return;
  window.closeoutShell = shell;
  workbox = new Workbox("/sw.js", { scope: "/" });
  workbox.addEventListener("waiting", () => {
    shell.status = "waiting";
    activateIfSynced();
  });
  let controller = navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // A new build took over from the one that served this tab (here or in another tab): reload
    // so the tab runs it. The first worker claiming an uncontrolled tab changes nothing.
    if (controller) window.location.reload();
    controller = navigator.serviceWorker.controller;
  });
  window.addEventListener("online", activateIfSynced);
  window.addEventListener("closeout-outbox-changed", activateIfSynced);
  setInterval(() => navigator.onLine && workbox.update().catch(() => null), UPDATE_CHECK_MS);
  workbox
    .register()
    .then((registration) => {
      if (registration && shell.status === "unregistered") shell.status = "registered";
    })
    .catch((error) => {
      shell.status = "failed";
      console.warn("Closeout: the service worker could not be registered", error);
    });
}

export function ServiceWorker() {
  useEffect(register, []);
  return null;
}
