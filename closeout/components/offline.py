"""The offline work's browser side (assets/offline_client/) as Reflex components. Everything they show
comes from the browser's own database (IndexedDB through Dexie), so they render on a page
reloaded with no network, where Reflex's own parts stay empty until the server is back.

Dexie is pinned here (and so in reflex.lock): bundled by the app's build, nothing fetched from
elsewhere at run time. NoSSRComponents: loaded in the browser only."""

import reflex as rx

DEXIE = "dexie@4.4.7"


class OfflineGuard(rx.NoSSRComponent):
    """On every signed-in page: installs `window.closeoutOffline` (sign-out asks it first), syncs
    waiting changes on reconnect, and forgets another user's offline data."""

    library = "$/public/offline_client/guard.jsx"
    tag = "OfflineGuard"
    lib_dependencies: list[str] = [DEXIE]

    user_id: rx.Var[int]


class OfflineCard(rx.NoSSRComponent):
    """Home: make today's cases available offline, pick more, list what this tablet holds."""

    library = "$/public/offline_client/home_card.jsx"
    tag = "OfflineCard"
    lib_dependencies: list[str] = [DEXIE]

    user_id: rx.Var[int]


class OfflineScreen(rx.NoSSRComponent):
    """Devices Used of a stored case, edited offline: /offline#<case number>."""

    library = "$/public/offline_client/screen.jsx"
    tag = "OfflineScreen"
    lib_dependencies: list[str] = [DEXIE, "react-signature-canvas@1.0.7"]


# Sign-out asks first while offline changes wait, and wipes the offline data when going ahead;
# the result (go on or not) is handed to the sign-out event.
# (Should the page's offline module not be loaded yet, the database is deleted all the same.)
BEFORE_SIGN_OUT = (
    "window.closeoutOffline ? window.closeoutOffline.beforeSignOut() : new Promise((done) => {"
    " const wipe = indexedDB.deleteDatabase('closeout-offline');"
    " wipe.onsuccess = wipe.onerror = wipe.onblocked = () => done(true); })"
)


def sign_out_after_check(handler) -> rx.event.EventSpec:
    """The Sign out button's click: the browser's check first, then `handler(go: bool)`."""
    return rx.call_script(BEFORE_SIGN_OUT, callback=handler)
