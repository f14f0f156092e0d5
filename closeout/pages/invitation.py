"""/invitation/<token>: a new user (or one whose password was reset) sets their own
password through the one-time link a manager gave them, and is signed in. No sign-in
needed; a bad, used or expired link shows one message and nothing else."""

import asyncio

import reflex as rx

from .. import routes
from ..components.layout import TOUCH
from ..domain.accounts import MIN_PASSWORD
from ..domain.errors import DomainError, InvalidInput
from ..services import auth, invitations
from ..services.db import DatabaseUnavailable
from .base import AuthState, _end_session, route_tail, signed_in_page


class InvitationState(AuthState):
    gone: str = ""
    name: str = ""
    email: str = ""
    kind: str = ""
    error: str = ""

    @rx.event
    def load(self):
        self.error = ""
        try:
            link = invitations.open_link(route_tail(self))
        except (DomainError, DatabaseUnavailable) as problem:
            self.gone, self.name, self.email = problem.message, "", ""
            return
        self.gone, self.name, self.email, self.kind = "", link.name, link.email, link.kind

    @rx.event
    async def set_password(self, form: dict):
        """argon2 (~100 ms) off the event loop; then this tab starts afresh as the new user.
        Whoever was signed in on this tablet before is signed out on the server, as Sign out
        does, so their old cookie opens nothing any more."""
        password = form.get("password", "")
        if password != form.get("password_again", ""):
            self.error = "The two passwords differ."
            return None
        previous = self.session_token
        try:
            token = await asyncio.to_thread(hand_over, route_tail(self), password, previous)
        except InvalidInput as refusal:
            self.error = refusal.message  # the link still works: try another password
            return None
        except (DomainError, DatabaseUnavailable) as problem:
            self.gone = problem.message
            return None
        await self._forget_tab()  # nothing of whoever used this tab before stays in its state
        return signed_in_page(token, routes.HOME)


def hand_over(link_token: str, password: str, previous_session: str) -> str:
    """Set the password through the link; then end the session this browser had (another
    user's, on a shared tablet) and the signing links they left open. The new session as a
    one-time code for /auth/session (the raw token never reaches the page)."""
    token, _ = invitations.set_password(link_token, password)
    _end_session(previous_session)
    return auth.to_handover(token)


def _password(label: str, name: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(name=name, type="password", auto_complete="new-password", size="3", width="100%", min_height=TOUCH,
                 aria_label=label, id=name.replace("_", "-")),
        spacing="1", width="100%",
    )  # fmt: skip


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Welcome, ", rx.text.strong(InvitationState.name), ". Choose the password you will sign in with as ",
                    rx.text.strong(InvitationState.email), ".", size="3"),
            rx.input(type="email", value=InvitationState.email, auto_complete="username", read_only=True, display="none"),
            _password("Password", "password"),
            _password("Password again", "password_again"),
            rx.text(f"At least {MIN_PASSWORD} characters, not your email address.", size="1", color_scheme="gray"),
            rx.cond(InvitationState.error != "", rx.text(InvitationState.error, color_scheme="red", size="2", role="alert",
                                                         id="invitation-error")),
            rx.button("Set password and sign in", type="submit", size="3", width="100%", min_height=TOUCH, id="set-password"),
            spacing="3", width="100%",
        ),
        on_submit=InvitationState.set_password, width="100%", reset_on_submit=False,
    )  # fmt: skip


@rx.page(route=routes.INVITATION, title="Set your password · Closeout", on_load=InvitationState.load)
def invitation_page() -> rx.Component:
    return rx.el.main(rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(rx.icon("clipboard-check", size=28, color="var(--indigo-10)"), rx.heading("Closeout", size="7"),
                          align="center"),
                rx.cond(
                    InvitationState.gone != "",
                    rx.callout(InvitationState.gone, icon="link-2-off", color_scheme="amber", id="invitation-gone"),
                    rx.cond(InvitationState.email != "", _form()),
                ),
                spacing="4", width="100%",
            ),
            width="100%", max_width="440px", padding="24px",
        ),
        min_height="100vh", background="var(--gray-2)", padding="16px",
    ))  # fmt: skip
