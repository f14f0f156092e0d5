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
// 3. Changes on their way when the connection dropped, checked 3 s after reconnecting. Reflex
//    rehydrates a reconnected page in full and runs its loads again, and a reload may draw a
//    line's fields anew from the server (a state rebuilt after a worker died starts empty), so
//    the "not saved yet" mark on the field cannot be relied on to survive. What decides is
//    what the server holds now, compared with what the edit replaced (`base`, the value the
//    field was drawn with when the rep typed):
//    - still marked with the typed value: its event was lost in transit: sent again (and
//      again every 5 s while it stays unanswered: a drop can take the resent one too);
//    - drawn anew with the value the edit replaced: the server never got it: typed in again
//      and sent (the save carries the line's version, so a change made elsewhere meanwhile is
//      refused as stale, never overwritten);
//    - drawn with the typed value: it arrived after all;
//    - drawn with a third value (another screen changed it), or not shown again within a
//      minute: named in a notice, so that it is entered again rather than lost unnoticed.
(() => {
  const hooks = window.__reflex_otel ?? {};
  const root = document.documentElement;
  // Field key -> {label, value, base, sentAt}: kept from the drop until the server shows the
  // value saved, or it is named lost. A later drop adds to it (a field redrawn meanwhile has
  // lost its mark, not its change).
  const unsent = new Map();
  let checking;

  const remember = () => {
    for (const field of document.querySelectorAll("input[data-unsaved][data-field]")) {
      const known = unsent.get(field.dataset.field);
      unsent.set(field.dataset.field, {
        label: field.getAttribute("aria-label") || "a field",
        value: field.value,
        base: known ? known.base : field.defaultValue,
        sentAt: 0,
      });
    }
  };

  const send = (field, change) => {
    if (field.value !== change.value) {
      field.value = change.value;
      field.dataset.unsaved = "true";
    }
    change.sentAt = Date.now();
    field.dispatchEvent(new FocusEvent("focusout", { bubbles: true })); // React's onBlur: save
  };

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
    for (const [key, change] of unsent) {
      const field = document.querySelector(`input[data-field="${CSS.escape(key)}"]`);
      if (!field && attempt >= 59) {
        unsent.delete(key); // its line is not shown any more (removed, or another page)
        lost.push(change);
      }
      if (!field || field === document.activeElement) continue; // not shown again yet, or being typed in
      const marked = field.dataset.unsaved !== undefined;
      if (!marked && field.value === change.value) unsent.delete(key); // saved
      else if (marked && field.value !== change.value) unsent.delete(key); // typed over: a new edit
      else if (!marked && field.value !== change.base) {
        unsent.delete(key); // another screen's value is there now
        lost.push(change);
      } else if (Date.now() - change.sentAt > 5000) send(field, change); // not (or no longer) on its way
    }
    if (lost.length) showLost(lost);
    window.clearTimeout(checking);
    if (unsent.size && attempt < 60) checking = window.setTimeout(() => checkUnsent(attempt + 1), 1000);
  };

  window.__reflex_otel = {
    ...hooks,
    onSocketConnect(...args) {
      delete root.dataset.offline;
      window.clearTimeout(checking);
      if (unsent.size) checking = window.setTimeout(() => checkUnsent(), 3000); // once the page has reloaded its data
      hooks.onSocketConnect?.(...args);
    },
    onSocketDisconnect(reason, ...args) {
      if (reason !== "io client disconnect") {
        root.dataset.offline = "true";
        window.clearTimeout(checking);
        remember();
      }
      hooks.onSocketDisconnect?.(reason, ...args);
    },
  };
})();
