"""A cycle count: what the stock table expects at a location against what was found."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .ledger import StockKey


class Difference(StrEnum):
    MISSING = "missing"  # expected, not found (or fewer)
    EXTRA = "extra"  # found, not expected (or more)
    WRONG_LOT = "wrong lot"  # the product is there in the expected quantity, under another lot


@dataclass(frozen=True)
class CountLine:
    key: StockKey
    expected: int
    found: int
    difference: Difference | None

    @property
    def adjustment(self) -> int:
        """What posting moves into the location (negative: out of it)."""
        return self.found - self.expected


def compare(expected: Mapping[StockKey, int], found: Mapping[StockKey, int]) -> list[CountLine]:
    """Every key either side, with its difference; a product missing under one lot and extra
    under another by the same amount is a wrong lot (both lines say so)."""
    lines = []
    for key in sorted(set(expected) | set(found)):
        want, have = expected.get(key, 0), found.get(key, 0)
        lines.append(CountLine(key, want, have, None if want == have else Difference.MISSING if have < want
                               else Difference.EXTRA))  # fmt: skip
    by_product: dict[int, list[CountLine]] = {}
    for line in lines:
        by_product.setdefault(line.key.product_id, []).append(line)
    marked = []
    for line in lines:
        mates = by_product[line.key.product_id]
        net = sum(m.adjustment for m in mates)
        if line.difference is not None and net == 0 and any(m.difference not in (None, line.difference) for m in mates):
            line = CountLine(line.key, line.expected, line.found, Difference.WRONG_LOT)
        marked.append(line)
    return marked
