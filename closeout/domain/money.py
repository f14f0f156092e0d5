"""Money is Decimal with two places: parsed strictly, never through float. The offline screen
(assets/offline_client/money.js) reads a typed price by the same grammar and with the same
words: it takes them from PRICE_RULES, carried in the offline download."""

import re
from decimal import Decimal

from .errors import InvalidInput

CENT = Decimal("0.01")
MAX_UNIT_PRICE = Decimal("1000000")

# One message per kind of refusal; "{typed}" is the first 20 characters typed.
PRICE_MESSAGES = {
    "empty": "Enter a price.",
    "negative": "A price cannot be negative.",
    "commas": "Put commas only between thousands, like 1,234.50.",
    "decimals": "Use at most 2 decimal places.",
    "over": "That price is over $1,000,000; check it.",
    "malformed": "“{typed}” is not a price.",
}
FLOAT_PRICE = "Enter the price as text, like 1234.50."

# ASCII only, spelled out ([0-9], not \d, which in Python also takes ١٢٣ and １２３). Blanks
# around are ASCII whitespace; a sign may stand before or after the "$".
_BLANKS = " \t\n\r\f\v"
_SHAPE = re.compile(r"(?P<minus>-?)\$?(?P<minus2>-?)(?P<whole>[0-9,]*)(?:\.(?P<cents>[0-9]*))?")
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")
_TYPED_SHOWN = 20


def price_refusal(text: str) -> tuple[str, int]:
    """(kind of refusal or "", cents): the grammar both sides share. Digits 0-9, an optional
    leading "$", commas only between thousands, at most 2 decimals, no sign, exponent,
    underscore, space inside or other digits."""
    text = text.strip(_BLANKS)
    if text in ("", "$"):
        return "empty", 0
    shape = _SHAPE.fullmatch(text)
    if not shape or shape["minus"] and shape["minus2"] or not re.search("[0-9]", text):
        return "malformed", 0
    whole, cents = shape["whole"], shape["cents"] or ""
    if shape["minus"] or shape["minus2"]:
        return "negative", 0
    if "," in whole and not _THOUSANDS.fullmatch(whole):
        return "commas", 0
    if len(cents) > 2:
        return "decimals", 0
    if len(whole.replace(",", "").lstrip("0")) > 9:  # far over the cap: no need to read it all
        return "over", 0
    amount = int(whole.replace(",", "") or "0") * 100 + int(cents.ljust(2, "0"))
    if amount > int(MAX_UNIT_PRICE * 100):
        return "over", 0
    return "", amount


def price_message(kind: str, raw: object) -> str:
    return PRICE_MESSAGES[kind].replace("{typed}", str(raw)[:_TYPED_SHOWN])


def parse_price(raw: object, field: str = "unit_price") -> Decimal:
    """Parse a unit price typed by a rep: 0 to 1,000,000, at most 2 decimals.

    Accepts "1234.5", "$1,234.50", Decimal and int; refuses floats, which cannot say
    exactly what was meant. A Decimal is read by its plain digits (so 0.10000 is refused as
    it is when typed)."""
    if isinstance(raw, bool | float):
        raise InvalidInput(field, FLOAT_PRICE)
    text = format(raw, "f") if isinstance(raw, Decimal) and raw.is_finite() else str(raw if raw is not None else "")
    kind, cents = price_refusal(text)
    if kind:
        raise InvalidInput(field, price_message(kind, raw if raw is not None else ""))
    return (Decimal(cents) / 100).quantize(CENT)


# What the offline screen needs to read a price as parse_price does (services/offline.py).
PRICE_RULES = {"max_cents": int(MAX_UNIT_PRICE * 100), "typed_shown": _TYPED_SHOWN, "messages": PRICE_MESSAGES}


def format_usd(amount: Decimal) -> str:
    """ "$1,234.50" (and "-$3.00"): the one way money is shown."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount.quantize(CENT)):,.2f}"
