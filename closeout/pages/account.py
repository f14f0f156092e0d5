"""/account: the signed-in user changes their own password (the current one required).
Their other sessions end; this one stays."""

import asyncio

import reflex as rx

from .. import routes
from ..components.layout import TOUCH
from ..domain.accounts import MIN_PASSWORD
from ..domain.errors import DomainError
from ..services import own_account
from ..services.auth import NotSignedIn
from ..services.db import DatabaseUnavailable
from .base import AuthState
from .template import signed_in_page


class AccountState(AuthState):
    error: str = ""
    done: str = ""
    form_key: int = 0  # bumped after a change: the password fields empty themselves

    @rx.event
    def clear(self):
        self.error, self.done = "", ""

    @rx.event
    async def change_password(self, form: dict):
        """Two argon2 checks (~200 ms): off the event loop. A refusal keeps what was typed."""
        new, again = form.get("new_password", ""), form.get("new_password_again", "")
        if new != again:
            self.error, self.done = "The two new passwords differ.", ""
            return None
        try:
            ended = await asyncio.to_thread(own_account.change_password, self.actor(), self.session_token,
                                            form.get("current_password", ""), new, self.router.session.client_ip)  # fmt: skip
        except NotSignedIn:
            return AuthState.require_login
        except (DomainError, DatabaseUnavailable) as refusal:
            self.error, self.done = refusal.message, ""
            return None
        others = f" {ended} other session(s) signed out." if ended else ""
        self.error, self.done, self.form_key = "", f"Password changed.{others}", self.form_key + 1
        return None


def _password(label: str, name: str, complete: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(name=name, type="password", auto_complete=complete, size="3", width="100%", min_height=TOUCH, aria_label=label,
                 id=name.replace("_", "-"), key=f"{name}-{AccountState.form_key}"),
        spacing="1", width="100%",
    )  # fmt: skip


@signed_in_page(routes.ACCOUNT, "Account", on_load=[AccountState.clear])
def account_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Account", size="7"),
        rx.text(AuthState.user_name, " · ", AuthState.user_role, color_scheme="gray"),
        rx.card(rx.form(
            rx.vstack(
                rx.heading("Change password", size="4"),
                _password("Current password", "current_password", "current-password"),
                _password("New password", "new_password", "new-password"),
                _password("New password again", "new_password_again", "new-password"),
                rx.text(f"At least {MIN_PASSWORD} characters, not your email address. Your other devices are signed out.",
                        size="1", color_scheme="gray"),
                rx.cond(AccountState.error != "", rx.text(AccountState.error, color_scheme="red", size="2", role="alert",
                                                          id="account-error")),
                rx.cond(AccountState.done != "", rx.callout(AccountState.done, icon="check", color_scheme="green",
                                                            id="account-done")),
                rx.button("Change password", type="submit", min_height=TOUCH, id="change-password", align_self="end"),
                spacing="3", width="100%",
            ),
            on_submit=AccountState.change_password, width="100%", reset_on_submit=False,
        ), width="100%", max_width="520px"),
        spacing="4", width="100%",
    )  # fmt: skip
