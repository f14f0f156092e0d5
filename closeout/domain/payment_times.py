"""How long getting paid takes: days from surgery to the PO, to the invoice and to the payment,
per facility, as the median and the 90th percentile.

The database hands over counts per number of days (a histogram, as long as the days are
distinct, whatever the number of cases); the percentiles are read from it here."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


def percentile(counts: Mapping[int, int], pct: float) -> int | None:
    """The nearest-rank percentile of a histogram {days: cases}: the smallest number of days
    within which at least `pct`% of the cases got there. None without cases."""
    total = sum(counts.values())
    if total <= 0:
        return None
    rank = max(1, -(-total * pct // 100))  # ceil(total × pct / 100), at least the first case
    seen = 0
    for days in sorted(counts):
        seen += counts[days]
        if seen >= rank:
            return days
    return max(counts)


@dataclass(frozen=True)
class Spread:
    cases: int
    median: int | None
    p90: int | None

    def words(self) -> str:
        """ "12 d · 90% 30 d", or "—" without a case."""
        return "—" if self.median is None else f"{self.median} d · 90% {self.p90} d"


def spread(counts: Mapping[int, int]) -> Spread:
    return Spread(sum(counts.values()), percentile(counts, 50), percentile(counts, 90))


@dataclass(frozen=True)
class FacilityTimes:
    facility: str
    to_po: Spread
    to_invoice: Spread
    to_paid: Spread
    outstanding: Decimal  # invoiced and not yet received, over the facility's Invoiced cases


def by_facility(names: Mapping[int, str], po: Iterable[tuple[int, int, int]], invoice: Iterable[tuple[int, int, int]],
                paid: Iterable[tuple[int, int, int]], outstanding: Mapping[int, Decimal]) -> list[FacilityTimes]:  # fmt: skip
    """Rows (facility id, days, cases) of each step → one line per facility with any, by name."""
    steps = []
    for rows in (po, invoice, paid):
        found: dict[int, dict[int, int]] = {}
        for facility_id, days, cases in rows:
            counts = found.setdefault(facility_id, {})
            counts[int(days)] = counts.get(int(days), 0) + int(cases)
        steps.append(found)
    ids = set(outstanding).union(*steps)
    return sorted(
        (FacilityTimes(names.get(i, "?"), *(spread(step.get(i, {})) for step in steps), outstanding.get(i, Decimal("0.00")))
         for i in ids),
        key=lambda row: row.facility,
    )  # fmt: skip
