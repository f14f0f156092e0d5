"""The signed-in user (a session cookie), the base of every signed-in page's state, and
small helpers for reading the page's URL. Services decide access; this finds the actor."""

from urllib.parse import quote

import reflex as rx

from ..services import auth
from ..services.auth import Actor, NotSignedIn

ROLE_LABELS = {"sales_rep": "Sales Rep", "manager": "Manager"}


class AuthState(rx.State):
    session_token: str = rx.Cookie("", name=auth.COOKIE, max_age=int(auth.SESSION_LIFETIME.total_seconds()),
                                   same_site="strict")  # fmt: skip
    user_name: str = ""
    user_role: str = ""
    is_manager: bool = False

    def actor(self) -> Actor:
        """The signed-in user; NotSignedIn (a NotFound) when the session is missing or over."""
        return auth.actor_for_session(self.session_token)

    @rx.event
    def require_login(self):
        """First on_load of every signed-in page: who is this, or off to sign in."""
        try:
            actor = self.actor()
        except NotSignedIn:
            self.user_name = self.user_role = ""
            return rx.redirect(f"/login?next={quote(str(self.router.url.path))}")
        self.user_name, self.user_role = actor.name, ROLE_LABELS.get(actor.role, actor.role)
        self.is_manager = actor.is_manager

    @rx.event
    def sign_out(self):
        auth.sign_out(self.session_token)
        self.session_token = ""
        self.user_name = self.user_role = ""
        return rx.redirect("/login")


def route_tail(state: rx.State) -> str:
    """The last path segment of the page's URL: the case number of /cases/<number>, the
    token of /sign/<token>. Read from the URL itself so every state sees the same value."""
    return str(state.router.url.path).rstrip("/").rsplit("/", 1)[-1]


def origin(state: rx.State) -> str:
    """scheme://host[:port] the browser is using, for links shown to another screen."""
    return str(state.router.url.origin)
