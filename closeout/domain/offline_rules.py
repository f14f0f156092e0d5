"""The rules the offline screen applies before the server sees a change (assets/offline_client),
carried in the offline download so the browser types none of them: the limits and the words are
these modules' own. The client checks only to spare the rep a certain refusal; the server checks
everything again at sync."""

from .catalog import UsageStatus
from .money import PRICE_RULES
from .price_edits import MAX_REASON, MIN_REASON, PRICE_REASONS, REASON_LONG, REASON_NEEDED, REASON_SHORT
from .signing import MAX_NAME, MAX_TITLE, MIN_TEXT, NAME_LONG, NAME_NEEDED, TITLE_LONG, TITLE_NEEDED
from .sync import MAX_CHANGES
from .validation import LOT_SERIAL_TOO_LONG, MAX_LOT_SERIAL, MAX_QUANTITY, QUANTITY_MESSAGES


def client_rules() -> dict:
    """The `rules` of GET /api/v1/offline/cases (JSON: numbers, strings; money as cents)."""
    return {
        "price": PRICE_RULES,
        "quantity": {"min": 1, "max": MAX_QUANTITY, "messages": QUANTITY_MESSAGES},
        "lot_serial": {"max": MAX_LOT_SERIAL, "too_long": LOT_SERIAL_TOO_LONG},
        "price_reason": {"min": MIN_REASON, "max": MAX_REASON,
                         "messages": {"needed": REASON_NEEDED, "short": REASON_SHORT, "long": REASON_LONG},
                         "usual": list(PRICE_REASONS)},
        "signer": {"min": MIN_TEXT, "max_name": MAX_NAME, "max_title": MAX_TITLE,
                   "messages": {"name": NAME_NEEDED, "title": TITLE_NEEDED, "name_long": NAME_LONG, "title_long": TITLE_LONG}},
        "usage_statuses": [status.value for status in UsageStatus],
        "batch": MAX_CHANGES,
    }  # fmt: skip
