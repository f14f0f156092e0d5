"""Par levels: refill a location to its max when it falls below its min."""

from ..errors import InvalidInput

MAX_PAR = 9_999


def parse_par(raw_min: object, raw_max: object) -> tuple[int, int]:
    values = []
    for raw, field in ((raw_min, "min"), (raw_max, "max")):
        text = str(raw).strip()
        if isinstance(raw, bool) or not text.isdigit() or not text.isascii() or int(text) > MAX_PAR:
            raise InvalidInput(field, f"The {field} is a whole number from 0 to {MAX_PAR:,}.")
        values.append(int(text))
    low, high = values
    if high < low or high == 0:
        raise InvalidInput("max", "The max is at least the min, and above zero.")
    return low, high


def refill(on_hand: int, low: int, high: int) -> int:
    """How many to order: up to the max once below the min, else none."""
    return high - on_hand if on_hand < low else 0
