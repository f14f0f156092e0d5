"""Sign & Submit state: the two signers, Submit for Billing, the signing link, the PO and
Reopen. Handlers call services and then refresh the whole case page."""

import asyncio
import base64
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime

import reflex as rx
import segno

from ...db_types import utcnow
from ...domain.errors import DomainError, InvalidInput, NotFound
from ...domain.lifecycle import CaseAction, CaseStatus, allows
from ...domain.money import format_usd
from ...domain.signing import MEANINGS, ROLE_LABELS, SignerRole
from ...services import auth, billing, reminders, signatures, signing_links, views
from ...services.db import DatabaseUnavailable
from ..base import AuthState, origin, route_tail
from ..case_state import CaseState
from ..live import changes_of
from ..replenishment import ReplenishmentState

ROLES = [role.value for role in SignerRole]
LINK_WATCH_SECONDS = 30  # a link watcher that has not checked in for this long is gone


@dataclass
class SignerCard:
    role: str = ""
    label: str = ""
    meaning: str = ""
    state: str = ""  # "" (not signed) | valid | stale
    kind: str = ""  # drawn | attestation
    signer_name: str = ""
    signed_at: str = ""  # ISO UTC, shown in local time
    via: str = ""
    image: str = ""  # data URL of the stored PNG, for display


@dataclass
class ReminderShown:
    sent_at: str  # ISO UTC, shown in local time
    recipient: str
    delivery: str


@dataclass
class MakerPO:
    id: int
    name: str
    number: str


def _card(role: SignerRole, view: signatures.SignatureView | None) -> SignerCard:
    card = SignerCard(role.value, ROLE_LABELS[role], MEANINGS[role])
    if view is not None:
        card.state = "valid" if view.valid else "stale"
        card.kind, card.signer_name, card.via = view.kind.value, view.signer_name, view.via
        card.signed_at, card.meaning = view.signed_at.isoformat(), view.meaning
        if view.image:
            card.image = "data:image/png;base64," + base64.b64encode(view.image).decode()
    return card


class SignState(AuthState):
    case_number: str = ""
    status: str = ""
    role: str = "sales_rep"
    rep_name: str = ""
    cards: dict[str, SignerCard] = {}
    names: dict[str, str] = {}
    attesting: dict[str, bool] = {}
    errors: dict[str, str] = {}
    line_count: int = 0
    grand_total: str = ""
    problems: list[str] = []
    request_replenishment: bool = False
    busy: bool = False
    submitted_by: str = ""
    submitted_at: str = ""
    link_url: str = ""
    link_qr: str = ""
    link_expires: str = ""
    po_mode: str = "all"
    po_all: str = ""
    makers: list[MakerPO] = []
    po_numbers: dict[str, str] = {}
    po_error: str = ""
    reminders: list[ReminderShown] = []  # newest first
    reopen_open: bool = False
    reopen_reason: str = ""
    reopen_error: str = ""
    _link_watch_until: float = 0.0  # a link watcher of this tab runs (a timestamp, so a lost one expires)

    @rx.var
    def can_sign(self) -> bool:
        return allows(self.status, CaseAction.SIGN, self.role) if self.status else False

    @rx.var
    def can_enter_po(self) -> bool:
        return allows(self.status, CaseAction.ENTER_PO, self.role) if self.status else False

    @rx.var
    def can_reopen(self) -> bool:
        return allows(self.status, CaseAction.REOPEN, self.role) if self.status else False

    def _fetch(self):
        """The tab's one read (services.views.sign_tab), mapped to vars."""
        actor = self.actor()
        tab = views.sign_tab(actor, self.case_number)
        header = tab.header
        self.status, self.role, self.rep_name = header.status.value, actor.role, header.rep
        self.line_count, self.grand_total = tab.line_count, format_usd(tab.grand_total)
        self.cards = {role.value: _card(role, tab.signatures.get(role)) for role in SignerRole}
        self.problems = tab.problems
        self.submitted_by = header.submitted_by
        self.submitted_at = header.submitted_at.isoformat() if header.submitted_at else ""
        pos = tab.purchase_orders
        self.makers = [MakerPO(mid, name, next((p.number for p in pos if p.manufacturer_id == mid), ""))
                       for mid, name in tab.manufacturers.items()]  # fmt: skip
        self.po_all = next((p.number for p in pos if p.manufacturer_id is None), "")
        self.po_mode = "each" if pos and not self.po_all else "all"
        self.po_numbers = {str(m.id): m.number for m in self.makers}
        self.reminders = [ReminderShown(r.sent_at.isoformat(), r.recipient, r.delivery) for r in tab.reminders]

    @rx.event
    def load(self):
        self.case_number = route_tail(self)
        self.errors, self.attesting, self.po_error, self.busy = {}, {}, "", False
        self.link_url = self.link_qr = ""
        try:
            self._fetch()
        except NotFound:
            self.status = ""
            return
        self.names = {"sales_rep": self.rep_name, "provider_rep": ""}

    def _refresh_page(self):
        """After a signature, submit, PO or reopen: this tab reads itself again; when the status
        moved, so do the case header and this tab's replenishment part. Other tabs read
        themselves when they are opened."""
        before = self.status
        try:
            self._fetch()
        except NotFound:
            self.status = ""
        return [CaseState.load, ReplenishmentState.load] if self.status != before else []

    @rx.event
    def reload(self):
        try:
            self._fetch()
        except NotFound:
            self.status = ""

    @rx.event
    def set_name(self, role: str, value: str):
        self.names = {**self.names, role: value[:100]}

    @rx.event
    def toggle_attest(self, role: str):
        self.attesting = {**self.attesting, role: not self.attesting.get(role, False)}
        self.errors = {**self.errors, role: ""}

    def _signed(self, role: str, call):
        """Run a signing service call; the refusal goes under that signer's card."""
        try:
            call()
        except DomainError as refusal:
            self.errors = {**self.errors, role: refusal.message}
            return None
        self.errors = {**self.errors, role: ""}
        self.attesting = {**self.attesting, role: False}
        return self._refresh_page()

    def _drawn(self, role: str, data_url: str):
        name = self.names.get(role, "")
        return self._signed(role, lambda: signatures.sign(self.actor(), self.case_number, role, name, data_url))

    @rx.event
    def save_sales_rep(self, data_url: str):
        return self._drawn("sales_rep", data_url)

    @rx.event
    def save_provider_rep(self, data_url: str):
        return self._drawn("provider_rep", data_url)

    @rx.event
    def attest(self, role: str):
        name = self.names.get(f"closer_{role}", "")
        return self._signed(role, lambda: signatures.attest(self.actor(), self.case_number, role, name))

    @rx.event
    def set_request_replenishment(self, checked: bool):
        self.request_replenishment = bool(checked)

    @rx.event
    def submit(self):
        if self.busy or self.status != CaseStatus.OPEN.value:  # a double click: the first one submitted
            return None
        self.busy = True
        try:
            billing.submit_for_billing(self.actor(), self.case_number, self.request_replenishment)
        except DomainError as refusal:
            self.busy = False
            self._fetch()
            return rx.toast.error(refusal.message)
        self.busy = False
        events = [rx.toast.success("Submitted for billing: the case is Closed — pending PO."), *self._refresh_page()]
        if self.request_replenishment:
            events.append(ReplenishmentState.open_form)
        return events

    @rx.event
    def issue_link(self):
        try:
            link = signing_links.issue(self.actor(), self.case_number)  # the case's previous link stops working
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        except DatabaseUnavailable as outage:
            return rx.toast.error(outage.message)
        self.link_url = f"{origin(self)}/sign/{link.token}"
        self.link_qr = segno.make(self.link_url, error="m").svg_data_uri(scale=4, border=2)
        self.link_expires = link.expires_at.isoformat()
        return SignState.watch_link

    @rx.event
    def close_link(self):
        """Closing the dialog revokes its link: a link left on a screen cannot be used later."""
        token = self.link_url.rstrip("/").rsplit("/", 1)[-1] if self.link_url else ""
        self.link_url = self.link_qr = self.link_expires = ""
        if not token:
            return None
        try:
            signing_links.revoke(self.actor(), self.case_number, token)
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
            return SignState.close_link
        return None

    @staticmethod
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

    @rx.event(background=True)
    async def watch_link(self):
        """Show the provider's signature here as soon as it is given on the other screen.
        Only for a signed-in user, one watcher per tab (a second start returns at once); it
        stops when the link is closed, signed through, or expired, or the session ends (a
        newer link of this tab is watched by the same watcher, until that one expires)."""
        async with self:
            if not self.link_url or self._link_watch_until > utcnow().timestamp():
                return None
            token, number = self.session_token, self.case_number
            session_ok, _ = await asyncio.to_thread(self._provider_signature, token, number)
            if not session_ok:
                return None
            self._link_watch_until = utcnow().timestamp() + LINK_WATCH_SECONDS
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
            session_ok, signed = await asyncio.to_thread(self._provider_signature, token, number)
        async with self:
            if not self.link_url or not session_ok or self.case_number != number:
                return True, None
            before = self.cards.get("provider_rep")
            seen = before.signed_at if before else ""
            if signed and signed.via == "signing link" and seen != signed.signed_at.isoformat():
                self.link_url = self.link_qr = self.link_expires = ""
                self._fetch()
                return True, rx.toast.success(f"{signed.signer_name} signed on the other screen.")
            if not self.link_expires or utcnow() >= datetime.fromisoformat(self.link_expires):
                self.link_url = self.link_qr = self.link_expires = ""  # expired: nothing left to wait for
                return True, None
            self._link_watch_until = utcnow().timestamp() + LINK_WATCH_SECONDS  # still running
        return False, None

    @rx.event
    def set_po_mode(self, mode: str):
        self.po_mode = "each" if mode == "each" else "all"
        self.po_error = ""

    @rx.event
    def set_po_all(self, value: str):
        self.po_all = value[:60]

    @rx.event
    def set_po_for(self, maker_id: str, value: str):
        self.po_numbers = {**self.po_numbers, maker_id: value[:60]}

    @rx.event
    def save_po(self):
        if self.po_mode == "all":
            numbers = {None: self.po_all}
        else:
            numbers = {int(k): v for k, v in self.po_numbers.items() if v.strip()}
        try:
            result = billing.enter_purchase_orders(self.actor(), self.case_number, numbers)
        except DomainError as refusal:
            self.po_error = refusal.message
            return None
        self.po_error = ""
        done = "The case is Completed." if result is CaseStatus.COMPLETED else "Saved; a PO is still missing."
        return [rx.toast.success(f"Purchase Order saved. {done}"), *self._refresh_page()]

    @rx.event
    def open_reopen(self):
        self.reopen_open, self.reopen_reason, self.reopen_error = True, "", ""

    @rx.event
    def close_reopen(self):
        self.reopen_open = False

    @rx.event
    def set_reopen_reason(self, value: str):
        self.reopen_reason = value[:300]

    @rx.event
    def confirm_reopen(self):
        try:
            billing.reopen(self.actor(), self.case_number, self.reopen_reason)
        except InvalidInput as refusal:
            self.reopen_error = refusal.message
            return None
        except DomainError as refusal:
            self.reopen_open = False
            return rx.toast.error(refusal.message)
        self.reopen_open = False
        return [rx.toast.success("Case reopened; signatures set aside."), *self._refresh_page()]

    @rx.event
    async def remind(self):
        """The email (with its PDF) is built and sent off the event loop."""
        try:
            sent = await asyncio.to_thread(_remind, self.session_token, self.case_number)
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self._fetch()
        return rx.toast.success(f"PO reminder sent to {sent.recipient} ({sent.delivery}).")


def _remind(token: str, number: str):
    return reminders.send_reminder(auth.actor_for_session(token), number)
