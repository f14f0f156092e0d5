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
//
// 3. Changes on their way when the connection dropped, checked 3 s after reconnecting: one
//    still marked on the screen (its event was lost in transit) is sent again; one gone from
//    the screen (the server died with it, and the page reloaded its data) is named in a
//    notice, so that it is entered again rather than lost unnoticed.
(() => {
  const hooks = window.__reflex_otel ?? {};
  const root = document.documentElement;
  let unsent = [];

  const pending = () =>
    [...document.querySelectorAll("input[data-unsaved][data-field]")].map((field) => ({
      key: field.dataset.field,
      label: field.getAttribute("aria-label") || "a field",
      value: field.value,
    }));

  const showLost = (lost) => {
    document.getElementById("lost-changes")?.remove();
    const notice = document.createElement("div");
    notice.id = "lost-changes";
    notice.setAttribute("role", "alert");
    notice.className = "lost-changes";
    notice.append("The connection dropped before these changes reached the server; they were not saved. Please enter them again:");
    const list = document.createElement("ul");
    for (const change of lost) {
      const item = document.createElement("li");
      item.textContent = `${change.label}: ${change.value}`;
      list.append(item);
    }
    const close = document.createElement("button");
    close.textContent = "OK";
    close.onclick = () => notice.remove();
    notice.append(list, close);
    document.body.append(notice);
  };

  const checkUnsent = (attempt = 0) => {
    const lost = [];
    const waiting = [];
    for (const change of unsent) {
      const field = document.querySelector(`input[data-field="${CSS.escape(change.key)}"]`);
      if (!field) {
        waiting.push(change); // the page has not shown its lines again yet (a slow reload)
        continue;
      }
      if (field === document.activeElement) continue;
      if (field.dataset.unsaved !== undefined && field.value === change.value) {
        field.dispatchEvent(new FocusEvent("focusout", { bubbles: true })); // React's onBlur: save
      } else if (field.dataset.unsaved === undefined && field.value !== change.value) {
        lost.push(change);
      }
    }
    unsent = waiting;
    if (lost.length) showLost(lost);
    if (waiting.length && attempt < 30) setTimeout(() => checkUnsent(attempt + 1), 1000);
  };

  window.__reflex_otel = {
    ...hooks,
    onSocketConnect(...args) {
      delete root.dataset.offline;
      if (unsent.length) setTimeout(() => checkUnsent(), 3000); // once the page has reloaded its data
      hooks.onSocketConnect?.(...args);
    },
    onSocketDisconnect(reason, ...args) {
      if (reason !== "io client disconnect") {
        root.dataset.offline = "true";
        unsent = pending();
      }
      hooks.onSocketDisconnect?.(reason, ...args);
    },
  };
})();
