"""A browser tab speaking Reflex's real Socket.IO protocol (python-socketio), for tests that
send events a browser could craft and for the load benchmark. Reflex sends no
acknowledgement: an event's answer is the update (or updates) carrying its result."""

import asyncio
import json
import time
import uuid

import socketio

TIMEOUT = 15


def state_names() -> dict[str, str]:
    """Full names of the app's states, as the frontend addresses them."""
    from reflex.state import State

    import closeout.closeout  # noqa: F401  (registers the app's states)
    from closeout.pages.base import AuthState
    from closeout.pages.console import ConsoleState
    from closeout.pages.devices_used.state import DevicesState
    from closeout.pages.share import ShareState
    from closeout.pages.sign_submit.state import SignState

    return {
        "root": State.get_full_name(),
        "hydrate": f"{State.get_full_name()}.hydrate_and_load",
        "noop": f"{State.get_full_name()}.set_is_hydrated",
        "auth": AuthState.get_full_name(),
        "devices": DevicesState.get_full_name(),
        "save": f"{DevicesState.get_full_name()}.save",
        "console": ConsoleState.get_full_name(),
        "share": ShareState.get_full_name(),
        "sign": SignState.get_full_name(),
    }


class Screen:
    """One tab: a client token, a page path, and the updates the server pushes to it."""

    def __init__(self, url: str, path: str, names: dict[str, str], client_token: str = ""):
        self.url, self.path, self.names = url, path, names
        self.client_token = client_token or str(uuid.uuid4())
        self.updates: asyncio.Queue = asyncio.Queue()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self.updates.put_nowait, namespace="/_event")
        self.opened = 0.0

    def event(self, name: str, payload: dict) -> dict:
        query = {"case_ref": self.path.rsplit("/", 1)[-1]} if self.path.startswith("/cases/") else {}
        router = {"pathname": self.path, "asPath": self.path, "query": query}
        return {"name": name, "payload": payload, "router_data": router}

    async def answer(self, sent: float, done, refuse_toasts: bool = False) -> tuple[float, dict]:
        """Merge updates until `done(merged deltas, events)` holds; (seconds taken, merged)."""
        merged: dict = {"__events__": []}
        while True:
            update = await asyncio.wait_for(self.updates.get(), TIMEOUT)
            events = update.get("events") or []
            if refuse_toasts and "toast" in json.dumps(events):
                raise RuntimeError(f"the server answered with a message: {json.dumps(events)[:300]}")
            merged["__events__"].extend(events)
            for state, delta in (update.get("delta") or {}).items():
                merged.setdefault(state, {}).update(delta)
            if done(merged):
                return time.perf_counter() - sent, merged

    def has(self, state: str, var: str, value=None):
        """A `done` test: the state's var arrived (with `value`, if given)."""
        key = self.names[state]
        return lambda merged: f"{var}_rx_state_" in merged.get(key, {}) and (
            value is None or merged[key][f"{var}_rx_state_"] == value
        )

    def filled(self, state: str, var: str):
        """A `done` test: the state's var arrived non-empty (not the hydrate's default)."""
        key = self.names[state]
        return lambda merged: bool(merged.get(key, {}).get(f"{var}_rx_state_"))

    async def open(self, session_token: str = "", done=None) -> dict:
        """Connect as the browser does (hydrate and the page's on_load in the first packet), the
        session cookie (HttpOnly: only the handshake carries it) in the handshake's headers."""
        from closeout.services.auth import COOKIE

        hydrate = self.event(self.names["hydrate"], {"vars": {}})
        headers = {"Cookie": f"{COOKIE}={session_token}"} if session_token else {}
        sent = time.perf_counter()
        await self.sio.connect(
            f"{self.url}?token={self.client_token}", socketio_path="/_event", transports=["websocket"],
            namespaces=["/_event"], auth={"event": hydrate}, wait_timeout=TIMEOUT, headers=headers,
        )  # fmt: skip
        done = done or self.has("root", "is_hydrated", True)
        self.opened, merged = await self.answer(sent, done)
        return merged

    async def send(self, name: str, payload: dict, done, refuse_toasts: bool = False) -> tuple[float, dict]:
        while not self.updates.empty():  # nothing from before counts as this event's answer
            self.updates.get_nowait()
        sent = time.perf_counter()
        await self.sio.emit("event", self.event(name, payload), namespace="/_event")
        return await self.answer(sent, done, refuse_toasts)

    async def close(self) -> None:
        await self.sio.disconnect()


def run(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API keeps an event loop running in
    the main thread for the whole test session."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
