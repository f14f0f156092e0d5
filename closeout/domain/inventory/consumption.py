"""What a case takes from stock at Submit for Billing.

Implanted, Used and Wasted devices left the company's stock (a wasted device was opened and is
gone); Unused ones are still on the shelf and Explanted ones came out of the patient (they were
never our stock). Those two consume nothing. A line with no stock source is "not from
inventory" (bill-only: the hospital's own stock), and so is every line while inventory is off."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..catalog import UsageStatus
from .locations import LocationKind

CONSUMES = frozenset({UsageStatus.IMPLANTED, UsageStatus.USED, UsageStatus.WASTED})
NOT_FROM_INVENTORY = "Not from inventory"
# Where a scanned device is looked for first: the facility's consignment, the kits assigned to
# the case, then the rep's trunk. The rep can choose another source on the line.
SOURCE_PREFERENCE: Sequence[LocationKind] = (LocationKind.CONSIGNMENT, LocationKind.KIT, LocationKind.TRUNK)


def consumes(usage: UsageStatus | str) -> bool:
    return UsageStatus(usage) in CONSUMES


@dataclass(frozen=True)
class Candidate:
    """A stock unit a device line could come from."""

    location_id: int
    kind: LocationKind
    quantity: int


def preferred(candidates: Iterable[Candidate], needed: int = 1) -> Candidate | None:
    """The first location by preference (then by id, for a stable answer) holding enough."""
    rank = {kind: i for i, kind in enumerate(SOURCE_PREFERENCE)}
    usable = [c for c in candidates if c.quantity >= needed and c.kind in rank]
    return min(usable, key=lambda c: (rank[c.kind], c.location_id), default=None)
