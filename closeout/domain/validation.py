"""Validation of what a rep types on a device line. Each function returns the
clean value or raises InvalidInput naming the field, so the UI can put the
message next to it."""

import re
import unicodedata
from datetime import date

from .catalog import UsageStatus
from .errors import InvalidInput
from .money import parse_price

MAX_QUANTITY = 9999
MAX_LOT_SERIAL = 40
MAX_NOTE = 500
QUANTITY_MESSAGES = {
    "whole": "Quantity must be a whole number, like 1 or 2.",
    "min": "Quantity must be at least 1.",
    "max": f"Quantity must be at most {MAX_QUANTITY:,}.",
}
LOT_SERIAL_TOO_LONG = f"{{label}} is at most {MAX_LOT_SERIAL} characters."  # {label}: Lot or Serial
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _has_control_chars(text: str, allow_newline: bool = False) -> bool:
    allowed = {"\n"} if allow_newline else set()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def parse_quantity(raw: object) -> int:
    """A whole number of units, 1 to 9,999."""
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or not text.isascii():
        raise InvalidInput("quantity", QUANTITY_MESSAGES["whole"])
    value = int(text)
    if value < 1:
        raise InvalidInput("quantity", QUANTITY_MESSAGES["min"])
    if value > MAX_QUANTITY:
        raise InvalidInput("quantity", QUANTITY_MESSAGES["max"])
    return value


def parse_lot_or_serial(raw: object, field: str) -> str:
    """Up to 40 printable characters; blank is allowed (not yet known)."""
    text = str(raw).strip()
    label = "Lot" if field == "lot" else "Serial"
    if len(text) > MAX_LOT_SERIAL:
        raise InvalidInput(field, LOT_SERIAL_TOO_LONG.replace("{label}", label))
    if _has_control_chars(text):
        raise InvalidInput(field, f"{label} contains characters a label cannot have.")
    return text


def parse_expiry(raw: object) -> date | None:
    """An ISO date (YYYY-MM-DD), as a date input sends it; blank clears it."""
    text = str(raw).strip()
    if not text:
        return None
    if not _DATE.match(text):
        raise InvalidInput("expiry", "Enter the expiry as a date, like 2027-03-31.")
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("expiry", f"{text} is not a real date.") from None
    if not 1990 <= value.year <= 2100:
        raise InvalidInput("expiry", "That expiry year looks wrong; check the label.")
    return value


def parse_usage_status(raw: object) -> UsageStatus:
    """One of Implanted, Used, Wasted, Explanted, Unused."""
    try:
        return UsageStatus(str(raw))
    except ValueError:
        options = ", ".join(s.value for s in UsageStatus)
        raise InvalidInput("usage_status", f"Usage status must be one of {options}.") from None


def parse_no_charge(raw: object) -> bool:
    """A real boolean; anything else is a crafted event."""
    if not isinstance(raw, bool):
        raise InvalidInput("no_charge", "No charge must be on or off.")
    return raw


def parse_note(raw: object) -> str:
    """Free text for the billing office, at most 500 characters."""
    text = str(raw).strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput("note", f"A note is at most {MAX_NOTE} characters.")
    if _has_control_chars(text, allow_newline=True):
        raise InvalidInput("note", "The note contains characters that cannot be saved.")
    return text


def is_expired_for(expiry: date | None, surgery_date: date) -> bool:
    """An expiry before the surgery date deserves a warning (not a refusal)."""
    return expiry is not None and expiry < surgery_date


# A device line's editable fields and how a person calls them: the one list (services and
# screens take theirs from here).
FIELD_LABELS = {
    "lot": "lot", "serial": "serial", "expiry": "expiry", "quantity": "quantity", "usage_status": "usage status",
    "unit_price": "unit price", "no_charge": "no charge", "note": "note",
}  # fmt: skip
EDITABLE_FIELDS = {
    "lot": lambda raw: parse_lot_or_serial(raw, "lot"),
    "serial": lambda raw: parse_lot_or_serial(raw, "serial"),
    "expiry": parse_expiry,
    "quantity": parse_quantity,
    "usage_status": parse_usage_status,
    "unit_price": parse_price,
    "no_charge": parse_no_charge,
    "note": parse_note,
}


def parse_field(field: str, raw: object) -> object:
    """Validate one inline edit; an unknown field is refused like bad input."""
    parser = EDITABLE_FIELDS.get(field)
    if parser is None:
        raise InvalidInput(field, f"“{field[:30]}” cannot be edited.")
    return parser(raw)
