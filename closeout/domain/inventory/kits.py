"""A loaner kit's life as one table (like domain/lifecycle.py): status × action → next status,
or a refusal. Requested for a case, shipped to the facility, used, returned, checked in."""

from enum import StrEnum

from ..errors import NotAllowed


class KitStatus(StrEnum):
    AT_WAREHOUSE = "at warehouse"
    SHIPPED = "shipped"
    AT_FACILITY = "at facility"
    IN_USE = "in use"
    RETURNED = "returned"  # on its way back or arrived, not yet checked
    CHECKED_IN = "checked in"  # scanned back in; ready again (at the warehouse)


class KitAction(StrEnum):
    REQUEST = "request for a case"
    SHIP = "ship"
    DELIVER = "deliver"
    USE = "use in the case"
    RETURN = "return"
    CHECK_IN = "check in"


_BUSY = "This kit is out for a case; it is checked in before it goes out again."
TRANSITIONS: dict[tuple[KitStatus, KitAction], KitStatus | str] = {
    (KitStatus.AT_WAREHOUSE, KitAction.REQUEST): KitStatus.AT_WAREHOUSE,
    (KitStatus.CHECKED_IN, KitAction.REQUEST): KitStatus.AT_WAREHOUSE,
    (KitStatus.AT_WAREHOUSE, KitAction.SHIP): KitStatus.SHIPPED,
    (KitStatus.CHECKED_IN, KitAction.SHIP): KitStatus.SHIPPED,
    (KitStatus.SHIPPED, KitAction.DELIVER): KitStatus.AT_FACILITY,
    (KitStatus.AT_FACILITY, KitAction.USE): KitStatus.IN_USE,
    (KitStatus.SHIPPED, KitAction.RETURN): KitStatus.RETURNED,
    (KitStatus.AT_FACILITY, KitAction.RETURN): KitStatus.RETURNED,
    (KitStatus.IN_USE, KitAction.RETURN): KitStatus.RETURNED,
    (KitStatus.RETURNED, KitAction.CHECK_IN): KitStatus.CHECKED_IN,
}
_REFUSALS = {
    KitAction.REQUEST: _BUSY,
    KitAction.SHIP: _BUSY,
    KitAction.DELIVER: "Only a shipped kit is delivered.",
    KitAction.USE: "The kit is at the facility before it is used.",
    KitAction.RETURN: "This kit is not out.",
    KitAction.CHECK_IN: "A kit is checked in once it has come back.",
}
OUT = frozenset({KitStatus.SHIPPED, KitStatus.AT_FACILITY, KitStatus.IN_USE})


def check(status: KitStatus | str, action: KitAction) -> KitStatus:
    rule = TRANSITIONS.get((KitStatus(status), action))
    if rule is None:
        raise NotAllowed(_REFUSALS[action])
    return rule


def allows(status: KitStatus | str, action: KitAction) -> bool:
    return (KitStatus(status), action) in TRANSITIONS
