"""The signed-in user (the HttpOnly session cookie, seen by the tab's state as its hash in the
websocket handshake's headers: security.py), the base of every signed-in page's state, and
small helpers for reading the page's URL. Services decide access; this finds the actor."""

import asyncio
import json
from urllib.parse import quote, urlencode

import reflex as rx

from ..routes import SESSION, SIGNED_OUT
from ..services import auth, signing_links
from ..services.auth import SESSION_HEADER, Actor, NotSignedIn

ROLE_LABELS = {"sales_rep": "Sales Rep", "manager": "Manager"}


class AuthState(rx.State):
    user_name: str = ""
    user_role: str = ""
    user_id: int = 0  # whose offline data this tablet may show (assets/offline_client/guard.jsx)
    is_manager: bool = False

    @property
    def session_token(self) -> auth.SessionHash:
        """This tab's session, named by its hash as the handshake carried it (never the raw
        token: the cookie is HttpOnly and the middleware hashes it). After signing in or out
        the page loads afresh, so a new handshake carries the new identity."""
        headers = self.router.headers.raw_headers
        return auth.SessionHash(str(headers.get(SESSION_HEADER, "")))

    def _actor(self) -> Actor:
        """The signed-in user; NotSignedIn (a NotFound) when the session is missing or over."""
        return auth.actor_for_session(self.session_token)

    @rx.event
    def require_login(self):
        """First on_load of every signed-in page: who is this, or off to sign in."""
        try:
            actor = self._actor()
        except NotSignedIn:
            self.user_name = self.user_role = ""
            return rx.redirect(f"/login?next={quote(str(self.router.url.path))}")
        self.user_name, self.user_role = actor.name, ROLE_LABELS.get(actor.role, actor.role)
        self.user_id = actor.id
        self.is_manager = actor.is_manager

    @rx.event
    def sign_out_checked(self, go: bool):
        """Sign out once the browser has asked about offline changes not yet synced and wiped
        its offline data (components/offline.py); `go` is false when the rep chose to stay."""
        if go is True:
            return AuthState.sign_out

    @rx.event
    async def sign_out(self):
        """End the session, revoke the signing links this user left open, empty every state of
        this tab (console rows, patient identifiers, signatures, links), and give the tab a
        new state: the page reloads with a new client token, so nothing of the last user can
        be reached from it, even by replaying the old token."""
        token = self.session_token
        await asyncio.to_thread(_end_session, token)
        await self._forget_tab()
        return rx.call_script(FRESH_TAB)

    async def _forget_tab(self) -> None:
        """Reset this state and every substate, loading the ones not in memory (Redis)."""
        pending = [AuthState]
        while pending:
            cls = pending.pop()
            await self.get_state(cls)
            pending.extend(cls.get_substates())
        (await self.get_state(AuthState)).reset()


# The tab drops its client token and loads /auth/signed-out, which clears the HttpOnly cookie
# (the session is already revoked) and leads to the sign-in page: a new page, a new handshake.
FRESH_TAB = f"window.sessionStorage.removeItem('token'); window.location.replace({json.dumps(SIGNED_OUT)});"


def signed_in_page(code: str, target: str) -> rx.event.EventSpec:
    """After a sign-in in the tab's state: the page spends the one-time code at /auth/session,
    which sets the HttpOnly cookie and leads to `target` (a full load: a new handshake)."""
    url = f"{SESSION}?{urlencode({'code': code, 'next': target})}"
    return rx.call_script(f"window.sessionStorage.removeItem('token'); window.location.replace({json.dumps(url)});")


def _end_session(token: str) -> None:
    try:
        actor = auth.actor_for_session(token)
    except NotSignedIn:
        return
    signing_links.revoke_links_of(actor)
    auth.sign_out(token)


def route_tail(state: rx.State) -> str:
    """The last path segment of the page's URL: the case number of /cases/<number>, the
    token of /sign/<token>. Read from the URL itself so every state sees the same value."""
    return str(state.router.url.path).rstrip("/").rsplit("/", 1)[-1]


def origin(state: rx.State) -> str:
    """scheme://host[:port] the browser is using, for links shown to another screen."""
    return str(state.router.url.origin)
