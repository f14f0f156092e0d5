"""The signed-in user, shown in the top bar. Services decide access; this is display."""

import reflex as rx

from ..services.auth import current_user

ROLE_LABELS = {"sales_rep": "Sales Rep", "manager": "Manager"}


class UserState(rx.State):
    user_name: str = ""
    user_role: str = ""

    @rx.event
    def load_user(self):
        actor = current_user()
        self.user_name = actor.name
        self.user_role = ROLE_LABELS.get(actor.role, actor.role)


def route_tail(state: rx.State) -> str:
    """The last path segment of the page's URL: the case number of /cases/<number>, the
    token of /sign/<token>. Read from the URL itself so every state sees the same value."""
    return str(state.router.url.path).rstrip("/").rsplit("/", 1)[-1]


def origin(state: rx.State) -> str:
    """scheme://host[:port] the browser is using, for links shown to another screen."""
    return str(state.router.url.origin)
