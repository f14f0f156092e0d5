"""The money panel's state (invoice.py draws it): one read of services/invoicing.money_panel,
and the two forms' handlers. Kept apart from the panel so SignState can reload it when the
case's status moves (a correction on this tab)."""

import uuid
from dataclasses import dataclass

import reflex as rx

from ...domain.errors import DomainError, InvalidInput, NotFound
from ...domain.lifecycle import STATUS_LABELS
from ...domain.money import format_usd
from ...services import invoicing
from ..base import AuthState, route_tail
from ..case_state import LIVE_TABS, CaseState

SHOWN_FROM = ("completed", "invoiced", "paid")


@dataclass
class PaymentRow:
    paid_on: str
    amount: str
    reference: str
    recorded_by: str


@dataclass
class CreditedRow:
    text: str


class InvoiceState(AuthState):
    case_number: str = ""
    shown: bool = False
    status: str = ""
    status_label: str = ""
    sales_order: str = ""
    invoice_number: str = ""
    invoice_date: str = ""
    invoice_amount: str = ""
    credited: list[CreditedRow] = []
    payments: list[PaymentRow] = []
    received: str = "$0.00"
    balance: str = ""  # "Short by $X", "Overpaid by $X", "Paid in full"; "" before an invoice
    balance_kind: str = ""  # short | over | even
    can_invoice: bool = False
    can_pay: bool = False
    earliest: str = ""  # the surgery date: no form takes an earlier one
    today: str = ""  # at the facility: no form takes a later one
    errors: dict[str, str] = {}
    form_key: int = 0  # bumped after a save: the forms start empty again
    payment_entry: str = ""  # the payment form's one-time id: a second submit of it records nothing

    def _fetch(self) -> None:
        self.payment_entry = self.payment_entry or uuid.uuid4().hex
        panel = invoicing.money_panel(self._actor(), self.case_number)
        current = panel.invoice
        self.shown = panel.status.value in SHOWN_FROM or bool(panel.payments or panel.credited)
        self.status, self.status_label, self.sales_order = panel.status.value, STATUS_LABELS[panel.status], panel.sales_order
        self.invoice_number = current.number if current else ""
        self.invoice_date = f"{current.invoice_date:%b %-d, %Y}" if current else ""
        self.invoice_amount = format_usd(current.amount) if current else ""
        self.credited = [CreditedRow(f"Invoice {i.number} ({i.sales_order}, {format_usd(i.amount)}) credited "
                                     f"{i.credited_at:%b %-d, %Y}: {i.credit_reason}") for i in panel.credited]  # fmt: skip
        self.payments = [PaymentRow(f"{p.paid_on:%b %-d, %Y}", format_usd(p.amount), p.reference, p.recorded_by)
                         for p in panel.payments]  # fmt: skip
        self.received = format_usd(panel.received)
        difference = panel.balance.difference if panel.balance else None
        self.balance = panel.balance.words() if panel.balance else ""
        self.balance_kind = "" if difference is None else "short" if difference > 0 else "over" if difference < 0 else "even"
        self.can_invoice, self.can_pay = panel.can_invoice, panel.can_record_payment
        self.earliest, self.today = panel.surgery_date.isoformat(), panel.today.isoformat()

    @rx.event
    def load(self):
        self.case_number, self.errors = route_tail(self), {}
        try:
            self._fetch()
        except NotFound:
            self.shown = False

    def _case_changed(self, number: str) -> None:
        """Another screen recorded a payment or an invoice (or a buyer completed the case)."""
        if number == self.case_number:
            try:
                self._fetch()
            except NotFound:
                self.shown = False

    def _saved(self, message: str):
        self.errors, self.form_key, self.payment_entry = {}, self.form_key + 1, uuid.uuid4().hex
        self._fetch()
        return [rx.toast.success(message), CaseState.load]  # the panel's forms also reload SignState

    def _refused(self, refusal: DomainError, form: str) -> None:
        self.errors = {getattr(refusal, "field", form) if isinstance(refusal, InvalidInput) else form: refusal.message}
        try:
            self._fetch()
        except NotFound:
            self.shown = False

    @rx.event
    def record_invoice(self, form: dict):
        form = form if isinstance(form, dict) else {}
        try:
            to = invoicing.record_invoice(self._actor(), self.case_number, form.get("invoice_number", ""),
                                          form.get("invoice_date", ""), form.get("invoice_amount", ""))  # fmt: skip
        except DomainError as refusal:
            return self._refused(refusal, "invoice")
        return self._saved(f"Invoice recorded: the case is {STATUS_LABELS[to]}.")

    @rx.event
    def record_payment(self, form: dict):
        form = form if isinstance(form, dict) else {}
        try:
            to = invoicing.record_payment(self._actor(), self.case_number, form.get("paid_on", ""), form.get("amount", ""),
                                          form.get("reference", ""), form.get("entry_id") or None)  # fmt: skip
        except DomainError as refusal:
            return self._refused(refusal, "payment")
        return self._saved(f"Payment recorded: the case is {STATUS_LABELS[to]}.")


LIVE_TABS.setdefault("sign", []).append(InvoiceState)
