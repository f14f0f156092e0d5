"""Sign & Submit state: the two signers and Submit for Billing. One state, composed of mixins
that each do one job (the UI and the socket see one state, one name, one delta):
  SigningLinkMixin (signing_link.py)      the Provider Representative signs on another screen
  PurchaseOrderMixin (purchase_order.py)  the PO numbers, and the reminders while one is missing
  ReopenMixin (reopen.py)                 reopening a closed case
The tab reads itself in one call (services.views.sign_tab); after a change it reads itself
again, and the case header and replenishment part only when the status moved."""

import reflex as rx

from ...domain.errors import DomainError, NotFound
from ...domain.lifecycle import CaseAction, CaseStatus, allows
from ...domain.money import format_usd
from ...domain.signing import SignerRole
from ...services import billing, signatures, views
from ..base import AuthState, route_tail
from ..case_state import CaseState
from ..replenishment import ReplenishmentState
from .cards import SignerCard, signer_card
from .purchase_order import PurchaseOrderMixin
from .reopen import ReopenMixin
from .signing_link import SigningLinkMixin


class SignState(SigningLinkMixin, PurchaseOrderMixin, ReopenMixin, AuthState):
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
        self.cards = {role.value: signer_card(role, tab.signatures.get(role)) for role in SignerRole}
        self.problems = tab.problems
        self.submitted_by = header.submitted_by
        self.submitted_at = header.submitted_at.isoformat() if header.submitted_at else ""
        self._show_purchase_orders(tab)

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
