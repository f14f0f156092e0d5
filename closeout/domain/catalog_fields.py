"""The cells of a catalog or price list row, each checked strictly: a row that is refused
is better than a price or a date read wrongly. Each parser returns the clean value or raises
Bad with a message written for the person fixing the spreadsheet."""

import re
import unicodedata
from datetime import date
from decimal import Decimal

from .catalog import is_valid_gtin
from .money import MAX_UNIT_PRICE

_PLAIN = re.compile(r"^\$?(\d+)(\.\d{1,2})?$", re.ASCII)  # ASCII: \d alone also takes ١٢٣
_GROUPED = re.compile(r"^\$?(\d{1,3}(,\d{3})+)(\.\d{1,2})?$", re.ASCII)  # 1,234.50
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
_LIC = re.compile(r"^[A-Z][A-Z0-9]{3}$")
YES, NO = ("yes", "y", "true", "1", "x"), ("no", "n", "false", "0")


class Bad(ValueError):
    """One cell cannot be imported; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(raw: str, label: str, limit: int, required: bool = True) -> str:
    """Printable text (inner runs of spaces kept), at most `limit` characters."""
    if not raw:
        if required:
            raise Bad(f"{label} is empty.")
        return ""
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise Bad(f"{label} contains control characters (a line break or tab inside the cell).")
    if len(raw) > limit:
        raise Bad(f"{label} is {len(raw):,} characters long; at most {limit} fit.")
    return raw


def money(raw: str, label: str) -> Decimal:
    """Dollars with at most 2 decimals ("1234.5", "$1,234.50"); never negative."""
    if not raw:
        raise Bad(f"{label} is empty.")
    if raw.startswith(("-", "(", "$-")):
        raise Bad(f"{label} {raw[:20]} is negative.")
    plain, grouped = _PLAIN.match(raw), _GROUPED.match(raw)
    if not (plain or grouped):
        hint = " (use a point for cents, not a comma)" if re.fullmatch(r"\$?\d+,\d{1,2}", raw, re.ASCII) else ""
        raise Bad(f"{label} “{raw[:20]}” is not an amount like 1234.50{hint}.")
    value = Decimal(raw.removeprefix("$").replace(",", ""))
    if value > MAX_UNIT_PRICE:
        raise Bad(f"{label} {raw[:20]} is over $1,000,000.")
    return value.quantize(Decimal("0.01"))


def day(raw: str, label: str, required: bool = True) -> date | None:
    """A date as 2026-01-31 (or the US 1/31/2026)."""
    if not raw:
        if required:
            raise Bad(f"{label} is empty.")
        return None
    us = _US_DATE.match(raw)
    try:
        value = date(int(us[3]), int(us[1]), int(us[2])) if us else date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise Bad(f"{label} “{raw[:20]}” is not a date like 2026-01-31.")
    if not 1990 <= value.year <= 2100:
        raise Bad(f"{label} {raw} is not a likely year.")
    return value


def flag(raw: str, label: str) -> bool:
    value = raw.casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    raise Bad(f"{label} “{raw[:20]}” must be yes or no.")


def gtin(raw: str) -> str | None:
    """A GTIN-8/12/13/14 with a right check digit, stored as GTIN-14; blank: none."""
    value = raw.replace(" ", "")
    if not value:
        return None
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise Bad(f"GTIN “{raw[:20]}” must be 8, 12, 13 or 14 digits.")
    if not is_valid_gtin(value):
        raise Bad(f"GTIN {value} has a wrong check digit.")
    return value.zfill(14)


def labeler_code(raw: str) -> str:
    """An HIBC labeler identification code: a letter and three letters or digits; blank: none."""
    value = raw.upper()
    if value and not _LIC.match(value):
        raise Bad(f"HIBC labeler code “{raw[:20]}” must be a letter and 3 letters or digits, like M614.")
    return value
