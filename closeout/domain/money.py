"""Money is Decimal with two places: parsed strictly, never through float."""

from decimal import Decimal, InvalidOperation

from .errors import InvalidInput

CENT = Decimal("0.01")
MAX_UNIT_PRICE = Decimal("1000000")


def parse_price(raw: object, field: str = "unit_price") -> Decimal:
    """Parse a unit price typed by a rep: 0 to 1,000,000, at most 2 decimals.

    Accepts "1234.5", "$1,234.50" and Decimal/int; refuses floats, which
    cannot say exactly what was meant.
    """
    if isinstance(raw, bool | float):
        raise InvalidInput(field, "Enter the price as text, like 1234.50.")
    text = str(raw).strip().replace(",", "").removeprefix("$").strip()
    if not text:
        raise InvalidInput(field, "Enter a price.")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(field, f"“{str(raw)[:20]}” is not a price.") from None
    if not value.is_finite():
        raise InvalidInput(field, "Enter a price like 1234.50.")
    if value < 0:
        raise InvalidInput(field, "A price cannot be negative.")
    if value > MAX_UNIT_PRICE:
        raise InvalidInput(field, "That price is over $1,000,000; check it.")
    if value != value.quantize(CENT):
        raise InvalidInput(field, "Use at most 2 decimal places.")
    return value.quantize(CENT)


def format_usd(amount: Decimal) -> str:
    """ "$1,234.50" (and "-$3.00"): the one way money is shown."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount.quantize(CENT)):,.2f}"
