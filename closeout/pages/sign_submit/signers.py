"""Giving the signatures on the rep's screen: the Sales Rep's (the signed-in account, confirmed
with its password or signing PIN), a provider's (printed name and title), a pre-authorization,
and an attestation when a signer is not available (the account again, with its secret).

The secret is read from its field in the browser together with the pad, when Save is
pressed: it never lives in the state. A mixin of SignState (state.py), which provides
`_actor()`, `case_number`, `cards` and `_refresh_page()`."""

import asyncio
import json

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from ...domain.signing_pin import MAX_PIN_FAILURES, wrong_pin_message
from ...services import signatures
from ...services.db import DatabaseUnavailable
from ...services.signer_secrets import NO_PIN

MAX_SECRET = 200
PIN_GONE = (NO_PIN, wrong_pin_message(MAX_PIN_FAILURES))


def clear_secret(role: str) -> rx.event.EventSpec:
    """Empty the secret field of `role` (a value from the event: quoted, never spliced in as code)."""
    return rx.call_script(
        f"(() => {{ const e = document.getElementById({json.dumps('secret-' + str(role))}); if (e) e.value = ''; }})()"
    )


def _given(data: object) -> dict:
    return data if isinstance(data, dict) else {}


class SignersMixin(rx.State, mixin=True):
    names: dict[str, str] = {}
    titles: dict[str, str] = {}
    attesting: dict[str, bool] = {}
    errors: dict[str, str] = {}
    has_pin: bool = False  # the signed-in user has a signing PIN: it is asked first
    use_password: bool = False  # …unless they chose their password
    pre_auth_open: bool = False  # the pre-authorization form, shown when asked for

    @rx.event
    def toggle_pre_auth(self):
        self.pre_auth_open = not self.pre_auth_open

    @rx.var
    def pin_asked(self) -> bool:
        return self.has_pin and not self.use_password

    @rx.event
    def set_name(self, role: str, value: str):
        self.names = {**self.names, role: str(value)[:100]}

    @rx.event
    def set_title(self, role: str, value: str):
        self.titles = {**self.titles, role: str(value)[:100]}

    @rx.event
    def toggle_attest(self, role: str):
        self.attesting = {**self.attesting, role: not self.attesting.get(role, False)}
        self.errors = {**self.errors, role: ""}

    @rx.event
    def toggle_secret(self):
        self.use_password = not self.use_password

    def _given_already(self, role: str) -> bool:
        """A second tap on Save while the first was signing: it is signed, nothing to do."""
        card = self.cards.get(role)
        return card is not None and card.state == "valid"

    def _signed_ok(self, role: str):
        self.errors = {**self.errors, role: ""}
        self.attesting = {**self.attesting, role: False}
        return self._refresh_page()

    def _refused(self, role: str, refusal: DomainError | DatabaseUnavailable):
        self.errors = {**self.errors, role: refusal.message}
        if refusal.message in PIN_GONE:  # turned off after too many wrong PINs: the password is asked
            self.has_pin = False
        return clear_secret(role) if isinstance(refusal, InvalidInput) and refusal.field == "secret" else None

    async def _with_secret(self, role: str, call):
        """A signing service call confirmed with the secret typed (argon2: off the event loop)."""
        method = "pin" if self.has_pin and not self.use_password else "password"
        try:
            actor, number, client = self._actor(), self.case_number, self.router.session.client_ip
            await asyncio.to_thread(call, actor, number, method, client)
        except (DomainError, DatabaseUnavailable) as refusal:
            return self._refused(role, refusal)
        return self._signed_ok(role)

    def _by_provider(self, role: str, png: object):
        """A provider signs on this screen: printed name and title as typed, no account."""
        if self._given_already(role):
            return None
        name, title = self.names.get(role, ""), self.titles.get(role, "")
        try:
            signatures.sign(self._actor(), self.case_number, role, name, png, title=title)
        except (DomainError, DatabaseUnavailable) as refusal:
            return self._refused(role, refusal)
        return self._signed_ok(role)

    @rx.event
    async def save_sales_rep(self, data: dict):
        """`data`: {png, secret} as the browser read them. The printed name is the account's."""
        if self._given_already("sales_rep"):
            return None
        png, secret = _given(data).get("png", ""), str(_given(data).get("secret", ""))[:MAX_SECRET]
        return await self._with_secret(
            "sales_rep",
            lambda actor, number, method, client: signatures.sign(
                actor, number, "sales_rep", "", png, secret=secret, method=method, client=client
            ),
        )

    @rx.event
    def save_provider_rep(self, data_url: str):
        return self._by_provider("provider_rep", data_url)

    @rx.event
    def save_pre_authorization(self, data_url: str):
        return self._by_provider("pre_authorization", data_url)

    @rx.event
    async def attest(self, data: dict):
        """`data`: {role, secret}: the signed-in user attests that the signer is not available."""
        role, secret = str(_given(data).get("role", ""))[:40], str(_given(data).get("secret", ""))[:MAX_SECRET]
        if role not in ("sales_rep", "provider_rep") or self._given_already(role):
            return None
        return await self._with_secret(
            role,
            lambda actor, number, method, client: signatures.attest(
                actor, number, role, secret=secret, method=method, client=client
            ),
        )
