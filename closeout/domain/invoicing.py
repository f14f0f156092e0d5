"""Invoiced and Paid: what a manager types for an invoice or a payment, checked before anything
is saved, and what the payments add up to against the invoice.

Pure: the caller gives the surgery date and today's date at the facility (domain/clock.py)."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import InvalidInput
from .lifecycle import CaseStatus
from .money import CENT, format_usd

MAX_AMOUNT = Decimal("10000000")  # $10M: more than any case bills; a slip of the finger, not an invoice
AMOUNT = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?|-?\.\d+", re.ASCII)  # digits 0-9 only
MAX_INVOICE_NUMBER = 40
MAX_REFERENCE = 60


def parse_amount(raw: object, field: str = "amount") -> Decimal:
    """A positive amount with at most 2 decimals, up to $10M. "1,234.50" and "$1234.5" are
    read; a float is refused (it cannot say exactly which cents were meant)."""
    if isinstance(raw, bool | float):
        raise InvalidInput(field, "Enter the amount as text, like 1234.50.")
    text = str(raw if raw is not None else "").strip().removeprefix("$").strip()
    if not text:
        raise InvalidInput(field, "Enter the amount.")
    if not AMOUNT.fullmatch(text):  # no "1e3", no "1,2,3": digits, thousands commas, a decimal point
        raise InvalidInput(field, f"“{str(raw)[:20]}” is not an amount.")
    value = Decimal(text.replace(",", ""))
    if value <= 0:
        raise InvalidInput(field, "The amount must be more than $0.00.")
    if value > MAX_AMOUNT:
        raise InvalidInput(field, f"That amount is over {format_usd(MAX_AMOUNT)}; check it.")
    if len(text.partition(".")[2]) > 2:  # 0.10000 too, as a typed price (domain/money.py)
        raise InvalidInput(field, "Use at most 2 decimal places.")
    return value.quantize(CENT)


def parse_day(raw: object, surgery_date: date, today: date, field: str = "date", what: str = "date") -> date:
    """A date (YYYY-MM-DD) from the surgery date to today at the facility: money is not
    invoiced or received before the surgery, nor in the future."""
    if isinstance(raw, date):
        day = raw
    else:
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise InvalidInput(field, f"Enter the {what}.")
        try:
            day = date.fromisoformat(text[:10]) if len(text) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise InvalidInput(field, f"“{text[:20]}” is not a date (YYYY-MM-DD).")
    if day < surgery_date:
        raise InvalidInput(field, f"The {what} cannot be before the surgery ({surgery_date:%b %-d, %Y}).")
    if day > today:
        raise InvalidInput(field, f"The {what} cannot be in the future.")
    return day


def _line(raw: object, field: str, limit: int, what: str, required: bool) -> str:
    text = " ".join(str(raw if raw is not None else "").split()) if str(raw or "").isprintable() else None
    if text is None:
        raise InvalidInput(field, f"The {what} has printable characters only (one line).")
    if required and not text:
        raise InvalidInput(field, f"Enter the {what}.")
    if len(text) > limit:
        raise InvalidInput(field, f"The {what} is at most {limit} characters.")
    return text


def parse_invoice_number(raw: object) -> str:
    """The invoice number as the billing system gave it: one printable line of up to 40."""
    return _line(raw, "invoice_number", MAX_INVOICE_NUMBER, "invoice number", required=True)


def parse_reference(raw: object) -> str:
    """A payment's check or remittance number: optional, one printable line of up to 60."""
    return _line(raw, "reference", MAX_REFERENCE, "reference", required=False)


def settled_status(invoice_amount: Decimal, received: Decimal) -> CaseStatus:
    """Paid once the payments reach the current invoice's amount; Invoiced while short."""
    return CaseStatus.PAID if received >= invoice_amount else CaseStatus.INVOICED


@dataclass(frozen=True)
class Balance:
    """The current invoice against every payment received (payments made before a correction
    count toward the corrected invoice)."""

    invoiced: Decimal
    received: Decimal

    @property
    def difference(self) -> Decimal:
        """Positive: still owed; negative: overpaid."""
        return self.invoiced - self.received

    def words(self) -> str:
        if self.difference > 0:
            return f"Short by {format_usd(self.difference)}"
        if self.difference < 0:
            return f"Overpaid by {format_usd(-self.difference)}"
        return "Paid in full"
