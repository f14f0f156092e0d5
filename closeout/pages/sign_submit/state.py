"""Sign & Submit state: the two signers and Submit for Billing. One state, composed of mixins
that each do one job (the UI and the socket see one state, one name, one delta):
  SigningLinkMixin (signing_link.py)      the Provider Representative signs on another screen
  PurchaseOrderMixin (purchase_order.py)  the PO numbers, and the reminders while one is missing
  ReminderPauseMixin (reminder_pause.py)  pausing those reminders with a reason, and resuming
  ReopenMixin (reopen.py)                 reopening a closed case
  SignersMixin (signers.py)               signatures and attestations given on this screen
The tab reads itself in one call (services.views.sign_tab); after a change it reads itself
again, and the case header and replenishment part only when the status moved."""

import reflex as rx

from ...components.focus import show_field
from ...domain.errors import DomainError, NotFound
from ...domain.lifecycle import CaseAction, CaseStatus, allows
from ...domain.money import format_usd
from ...domain.readiness import CASE_FIELDS, listed
from ...domain.signing import SignerRole
from ...services import billing, views
from ..base import AuthState, route_tail
from ..case_state import LIVE_TABS, CaseState
from ..devices_used import DevicesState
from ..replenishment import ReplenishmentState
from .cards import ProblemRow, SignerCard, signer_card
from .invoice_state import InvoiceState
from .purchase_order import PurchaseOrderMixin
from .reminder_pause import ReminderPauseMixin
from .reopen import ReopenMixin
from .signers import SignersMixin
from .signing_link import SigningLinkMixin


class SignState(SignersMixin, SigningLinkMixin, PurchaseOrderMixin, ReminderPauseMixin, ReopenMixin, AuthState):
    case_number: str = ""
    status: str = ""
    role: str = "sales_rep"
    rep_name: str = ""
    cards: dict[str, SignerCard] = {}
    line_count: int = 0
    grand_total: str = ""
    problems: list[ProblemRow] = []
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
        actor = self._actor()
        tab = views.sign_tab(actor, self.case_number)
        header = tab.header
        self.status, self.role, self.rep_name = header.status.value, actor.role, header.rep
        self.line_count, self.grand_total = tab.line_count, format_usd(tab.grand_total)
        self.cards = {role.value: signer_card(role, tab.signatures.get(role)) for role in SignerRole}
        self.has_pin = tab.has_signing_pin
        self.problems = [ProblemRow(m.text, m.field, m.line) for m in listed(tab.problems)]
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
        self.names, self.titles = {"provider_rep": "", "pre_authorization": ""}, {"provider_rep": "", "pre_authorization": ""}
        self.use_password = self.pre_auth_open = False

    def _refresh_page(self):
        """After a signature, submit, PO or reopen: this tab reads itself again; when the status
        moved, so do the case header and this tab's replenishment part. Other tabs read
        themselves when they are opened."""
        before = self.status
        try:
            self._fetch()
        except NotFound:
            self.status = ""
        return [CaseState.load, ReplenishmentState.load, InvoiceState.load] if self.status != before else []

    @rx.event
    def reload(self):
        try:
            self._fetch()
        except NotFound:
            self.status = ""

    def _case_changed(self, number: str) -> None:
        """Another screen (or the buyer's link) changed the case while this tab is open."""
        if number == self.case_number and self.status:
            try:
                self._fetch()
            except NotFound:
                self.status = ""

    @rx.event
    def details_saved(self, number: str):
        """The case's details were edited (the header's dialog): what Submit for Billing waits for may have changed."""
        if number and number == self.case_number and self.status:
            try:
                self._fetch()
            except NotFound:
                self.status = ""

    @rx.event
    def fix(self, field: str, line: int):
        """Take the rep to where a gap is fixed: a line in Devices Used, or the case detail's
        field in the Edit details dialog (which the same click opens)."""
        if isinstance(line, int) and line > 0:
            return DevicesState.go_to_line(line, str(field))
        if field in CASE_FIELDS:
            return rx.call_script(show_field(f"case-{field}"))
        return None

    @rx.event
    def set_request_replenishment(self, checked: bool):
        self.request_replenishment = bool(checked)

    @rx.event
    def submit(self):
        if self.busy or self.status != CaseStatus.OPEN.value:  # a double click: the first one submitted
            return None
        self.busy = True
        try:
            billing.submit_for_billing(self._actor(), self.case_number, self.request_replenishment)
        except DomainError as refusal:
            self.busy = False
            self._fetch()
            return rx.toast.error(refusal.message)
        self.busy = False
        events = [rx.toast.success("Submitted for billing: the case is Closed — pending PO."), *self._refresh_page()]
        if self.request_replenishment:
            events.append(ReplenishmentState.open_form)
        return events


LIVE_TABS.setdefault("sign", []).append(SignState)
