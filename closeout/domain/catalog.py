"""Usage statuses, price sources and the GTIN rule shared by catalog and scans."""

from enum import StrEnum

from biip import ParseError
from biip.gtin import Gtin


class UsageStatus(StrEnum):
    """What happened to a device in the case (the trade's words)."""

    IMPLANTED = "Implanted"
    USED = "Used"
    WASTED = "Wasted"
    EXPLANTED = "Explanted"
    UNUSED = "Unused"


class PriceSource(StrEnum):
    """Where a line's unit price came from; EDITED means a person typed it."""

    CONTRACT = "contract"
    LIST = "list"
    EDITED = "edited"


def is_valid_gtin(value: str) -> bool:
    """True for an 8/12/13/14-digit GTIN whose GS1 check digit is right."""
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        return False
    try:
        Gtin.parse(value)
    except ParseError:
        return False
    return True
