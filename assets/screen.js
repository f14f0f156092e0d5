// Closeout: what this screen tells the rep about saving, drawn without waiting on the server.
//
// 1. A field that saves when it loses focus is marked "not saved yet" from the first keystroke
//    until the server's answer re-renders it (such fields are keyed by what the server saved,
//    so its answer replaces the element and the mark with it). Offline, or with the database
//    down, the mark stays: the screen never pretends a change was saved.
document.addEventListener(
  "input",
  (event) => {
    const field = event.target;
    if (field instanceof HTMLInputElement && field.dataset.savesOnBlur !== undefined) {
      field.dataset.unsaved = "true";
    }
  },
  true,
);

// 2. <html data-offline> from the moment the connection to the server drops until it is back,
//    which shows the offline banner (closeout.css). Reflex reports failed reconnection attempts
//    itself, but not the drop: its instrumentation hooks (the ones reflex-otel installs) do.
(() => {
  const hooks = window.__reflex_otel ?? {};
  const root = document.documentElement;
  window.__reflex_otel = {
    ...hooks,
    onSocketConnect(...args) {
      delete root.dataset.offline;
      hooks.onSocketConnect?.(...args);
    },
    onSocketDisconnect(reason, ...args) {
      if (reason !== "io client disconnect") root.dataset.offline = "true";
      hooks.onSocketDisconnect?.(reason, ...args);
    },
  };
})();
