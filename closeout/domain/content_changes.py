"""What changed in the Devices Used between two readings, in words a signer understands:
"Line 3 (REF 7100-12): lot LOT3 → LOT9", "Line 12 added (REF 4410-08)", "Line 4 removed (REF …)".

Pure: the lines are compared by their id, field by field, over what a signature vouches for."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import format_usd


@dataclass(frozen=True)
class LineFacts:
    """What a signer is shown of one line (and vouches for by signing)."""

    position: int
    ref: str
    lot: str
    serial: str
    expiry: date | None
    quantity: int
    usage: str
    unit_price: Decimal
    extended: Decimal
    no_charge: bool


# The compared fields, in the order a change is told, with their words (the REF tells the line).
LABELS = {
    "lot": "lot",
    "serial": "serial",
    "expiry": "expiry",
    "quantity": "quantity",
    "usage": "usage",
    "unit_price": "unit price",
    "extended": "amount",
    "no_charge": "no charge",
}


def shown(value: object) -> str:
    """A value as the signer reads it."""
    if value is True:
        return "on"
    if value is False:
        return "off"
    if value in ("", None):
        return "(blank)"
    if isinstance(value, Decimal):
        return format_usd(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _ref(line: LineFacts) -> str:
    return f" (REF {line.ref})" if line.ref else ""


def _told(before: Mapping[int, LineFacts], after: Mapping[int, LineFacts]) -> list[tuple[int, int, str]]:
    """(position, 0 removed | 1 changed | 2 added, text) for each line that differs. A line's
    product never changes, so the same id with another REF (a database may reuse the id of a
    removed line) is one line removed and another added."""
    told: list[tuple[int, int, str]] = []
    for line_id, was in before.items():
        now = after.get(line_id)
        if now is None or now.ref != was.ref:
            told.append((was.position, 0, f"Line {was.position} removed{_ref(was)}"))
    for line_id, now in after.items():
        was = before.get(line_id)
        if was is None or was.ref != now.ref:
            told.append((now.position, 2, f"Line {now.position} added{_ref(now)}"))
            continue
        diffs = [f"{label} {shown(getattr(was, name))} → {shown(getattr(now, name))}"
                 for name, label in LABELS.items() if getattr(was, name) != getattr(now, name)]  # fmt: skip
        if diffs:
            told.append((now.position, 1, f"Line {now.position}{_ref(was)}: {'; '.join(diffs)}"))
    return told


def changes(before: Mapping[int, LineFacts], after: Mapping[int, LineFacts]) -> list[str]:
    """Each removed, changed or added line (keyed by line id), in line order."""
    return [text for *_, text in sorted(_told(before, after))]


@dataclass(frozen=True)
class Tally:
    """How many lines were added, removed or changed since a signature (a pre-authorization)."""

    added: int = 0
    removed: int = 0
    changed: int = 0

    def words(self) -> str:
        """In words: "1 line added since", "2 lines removed and 1 changed since"."""
        counts = [(self.added, "added"), (self.removed, "removed"), (self.changed, "changed")]
        parts = [f"{n} {what}" for n, what in counts if n]
        if not parts:
            return "No line added, removed or changed since"
        first = next(n for n, _ in counts if n)
        parts[0] = parts[0].replace(" ", " line " if first == 1 else " lines ", 1)
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        return f"{listed} since"


def tally(before: Mapping[int, LineFacts], after: Mapping[int, LineFacts]) -> Tally:
    kinds = [kind for _, kind, _ in _told(before, after)]
    return Tally(added=kinds.count(2), removed=kinds.count(0), changed=kinds.count(1))
