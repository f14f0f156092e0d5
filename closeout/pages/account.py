"""/account: the signed-in user changes their own password (the current one required; their
other sessions end, this one stays) and sets their signing PIN (the password required)."""

import asyncio

import reflex as rx

from .. import routes
from ..components.layout import TOUCH
from ..domain.accounts import MIN_PASSWORD
from ..domain.errors import DomainError
from ..domain.signing_pin import MAX_PIN, MAX_PIN_FAILURES, MIN_PIN
from ..services import own_account
from ..services.auth import NotSignedIn
from ..services.db import DatabaseUnavailable
from .base import AuthState
from .template import signed_in_page


class AccountState(AuthState):
    error: str = ""
    done: str = ""
    form_key: int = 0  # bumped after a change: the password fields empty themselves
    has_pin: bool = False
    pin_error: str = ""
    pin_done: str = ""

    @rx.event
    def clear(self):
        self.error, self.done, self.pin_error, self.pin_done = "", "", "", ""
        try:
            self.has_pin = own_account.has_signing_pin(self._actor())
        except (DomainError, DatabaseUnavailable):
            self.has_pin = False

    @rx.event
    async def set_pin(self, form: dict):
        """Two argon2 hashes (~200 ms): off the event loop. A refusal keeps what was typed."""
        pin, again = str(form.get("signing_pin", "")), str(form.get("signing_pin_again", ""))
        if pin != again:
            self.pin_error, self.pin_done = "The two PINs differ.", ""
            return None
        try:
            replaced = await asyncio.to_thread(own_account.set_signing_pin, self._actor(), form.get("pin_password", ""),
                                               pin, self.router.session.client_ip)  # fmt: skip
        except NotSignedIn:
            return AuthState.require_login
        except (DomainError, DatabaseUnavailable) as refusal:
            self.pin_error, self.pin_done = refusal.message, ""
            return None
        self.has_pin, self.pin_error, self.form_key = True, "", self.form_key + 1
        self.pin_done = "Signing PIN changed." if replaced else "Signing PIN set: sign with it on the Sign & Submit tab."
        return None

    @rx.event
    async def change_password(self, form: dict):
        """Two argon2 checks (~200 ms): off the event loop. A refusal keeps what was typed."""
        new, again = form.get("new_password", ""), form.get("new_password_again", "")
        if new != again:
            self.error, self.done = "The two new passwords differ.", ""
            return None
        try:
            ended = await asyncio.to_thread(own_account.change_password, self._actor(), self.session_token,
                                            form.get("current_password", ""), new, self.router.session.client_ip)  # fmt: skip
        except NotSignedIn:
            return AuthState.require_login
        except (DomainError, DatabaseUnavailable) as refusal:
            self.error, self.done = refusal.message, ""
            return None
        others = f" {ended} other session(s) signed out." if ended else ""
        self.error, self.done, self.form_key = "", f"Password changed.{others}", self.form_key + 1
        return None


def _password(label: str, name: str, complete: str, **numeric) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(name=name, type="password", auto_complete=complete, size="3", width="100%", min_height=TOUCH, aria_label=label,
                 id=name.replace("_", "-"), key=f"{name}-{AccountState.form_key}", **numeric),
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
        signing_pin_card(),
        spacing="4", width="100%",
    )  # fmt: skip


def signing_pin_card() -> rx.Component:
    """A short PIN to sign with (gloves, a tablet): digits on the numeric keypad."""
    digits = {"input_mode": "numeric", "max_length": MAX_PIN}
    return rx.card(rx.form(
        rx.vstack(
            rx.heading("Signing PIN", size="4"),
            rx.text(rx.cond(AccountState.has_pin, "You have a signing PIN. Set a new one here.",
                            "Sign on the Sign & Submit tab with a short PIN instead of your password."),
                    size="2", id="pin-status"),
            _password("New signing PIN", "signing_pin", "off", **digits),
            _password("New signing PIN again", "signing_pin_again", "off", **digits),
            _password("Your password", "pin_password", "current-password"),
            rx.text(f"{MIN_PIN} to {MAX_PIN} digits, not a repeated digit or a run like 1234. After "
                    f"{MAX_PIN_FAILURES} wrong PINs in a row it stops working until you set a new one.",
                    size="1", color_scheme="gray"),
            rx.cond(AccountState.pin_error != "", rx.text(AccountState.pin_error, color_scheme="red", size="2",
                                                          role="alert", id="pin-error")),
            rx.cond(AccountState.pin_done != "", rx.callout(AccountState.pin_done, icon="check", color_scheme="green",
                                                            id="pin-done")),
            rx.button("Set signing PIN", type="submit", min_height=TOUCH, id="set-signing-pin", align_self="end"),
            spacing="3", width="100%",
        ),
        on_submit=AccountState.set_pin, width="100%", reset_on_submit=False,
    ), width="100%", max_width="520px")  # fmt: skip
