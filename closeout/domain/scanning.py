"""Rules for turning a scan into a device line, and how HIBC product codes meet REFs."""

import re
from datetime import date

GUESSED = "Scanned without separators: check the lot, serial and expiry."
EXPIRED_CONFIRMED = "Expired before the surgery date — added after the rep confirmed."


def catalog_code(ref: str) -> str:
    """A REF as HIBC writes it: letters and digits only, upper case ("MO-0101-85" → "MO010185")."""
    return re.sub(r"[^A-Z0-9]", "", ref.upper())


def expired_at_surgery(expiry: date | None, surgery_date: date) -> bool:
    return expiry is not None and expiry < surgery_date
