"""Signing on another screen: the link (and its QR code) for the Provider Representative, and
the watcher that shows their signature here as soon as it is given.

A mixin of SignState (state.py), which provides `_actor()`, `session_token`, `case_number`,
`cards` and `_fetch()`."""

import asyncio
from contextlib import aclosing
from datetime import datetime

import reflex as rx
import segno

from ...domain import clock
from ...domain.errors import DomainError
from ...domain.signing import SignerRole
from ...services import auth, signatures, signing_links
from ...services.db import DatabaseUnavailable
from ..base import origin
from ..live import changes_of

LINK_WATCH_SECONDS = 30  # a link watcher that has not checked in for this long is gone


class SigningLinkMixin(rx.State, mixin=True):
    link_url: str = ""
    link_qr: str = ""
    link_expires: str = ""
    _link_watch_until: float = 0.0  # a link watcher of this tab runs (a timestamp, so a lost one expires)

    @rx.event
    def issue_link(self):
        try:
            link = signing_links.issue(self._actor(), self.case_number)  # the case's previous link stops working
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        except DatabaseUnavailable as outage:
            return rx.toast.error(outage.message)
        self.link_url = f"{origin(self)}/sign/{link.token}"
        self.link_qr = segno.make(self.link_url, error="m").svg_data_uri(scale=4, border=2)
        self.link_expires = link.expires_at.isoformat()
        return type(self).watch_link

    @rx.event
    def close_link(self):
        """Closing the dialog revokes its link: a link left on a screen cannot be used later."""
        token = self.link_url.rstrip("/").rsplit("/", 1)[-1] if self.link_url else ""
        self.link_url = self.link_qr = self.link_expires = ""
        if not token:
            return None
        try:
            signing_links.revoke(self._actor(), self.case_number, token)
        except DomainError:
            return None  # signed out or the case gone: nothing to revoke for this user
        except DatabaseUnavailable:
            return rx.toast.error("The signing link could not be revoked right now; it stops working 15 minutes "
                                  "after it was made.")  # fmt: skip
        return None

    @rx.event
    def link_dialog_changed(self, is_open: bool):
        """Escape or a tap outside closes the dialog like its Close button: the link is revoked."""
        if not is_open and self.link_url:
            return type(self).close_link
        return None

    @rx.event(background=True)
    async def watch_link(self):
        """Show the provider's signature here as soon as it is given on the other screen.
        Only for a signed-in user, one watcher per tab (a second start returns at once); it
        stops when the link is closed, signed through, or expired, or the session ends (a
        newer link of this tab is watched by the same watcher, until that one expires)."""
        async with self:
            if not self.link_url or self._link_watch_until > clock.now().timestamp():
                return None
            token, number = self.session_token, self.case_number
            session_ok, _ = await asyncio.to_thread(_provider_signature, token, number)
            if not session_ok:
                return None
            self._link_watch_until = clock.now().timestamp() + LINK_WATCH_SECONDS
        try:
            # Woken by the case's change signal when a signature is stored or a link revoked (no
            # database polling), and every 3 s to notice a link closed on this screen or expired.
            async with aclosing(changes_of(number, kinds={"signature", "signing_link"}, heartbeat=3)) as stamps:
                async for stamp in stamps:
                    done, told = await self._link_watch_round(stamp, token, number)
                    if done:
                        return told
        finally:
            async with self:
                self._link_watch_until = 0.0
        return None

    async def _link_watch_round(self, stamp: str | None, token: str, number: str):
        """One wake-up of the link watcher: (nothing left to wait for, what to tell the rep)."""
        session_ok, signed = True, None
        if stamp is not None:  # a signature or a link changed: read the provider's signature
            session_ok, signed = await asyncio.to_thread(_provider_signature, token, number)
        async with self:
            if not self.link_url or not session_ok or self.case_number != number:
                return True, None
            before = self.cards.get("provider_rep")
            seen = before.signed_at if before else ""
            if signed and signed.via == "signing link" and seen != signed.signed_at.isoformat():
                self.link_url = self.link_qr = self.link_expires = ""
                self._fetch()
                return True, rx.toast.success(f"{signed.signer_name} signed on the other screen.")
            if not self.link_expires or clock.now() >= datetime.fromisoformat(self.link_expires):
                self.link_url = self.link_qr = self.link_expires = ""  # expired: nothing left to wait for
                return True, None
            self._link_watch_until = clock.now().timestamp() + LINK_WATCH_SECONDS  # still running
        return False, None


def _provider_signature(token: str, number: str) -> tuple[bool, signatures.SignatureView | None]:
    """(whether the session is still valid, the Provider Representative's signature)."""
    try:
        actor = auth.actor_for_session(token)
    except DomainError:
        return False, None
    except DatabaseUnavailable:
        return True, None  # ask again on the next round
    try:
        return True, signatures.signatures_of(actor, number).get(SignerRole.PROVIDER)
    except (DomainError, DatabaseUnavailable):
        return True, None
