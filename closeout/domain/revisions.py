"""Sales order revisions (credit and rebill): the lines of a sales order kept as JSON when a
correction supersedes it, and what changed between that and the corrected one, in the words
of domain/content_changes.py ("Line 3 (REF 7100-12): quantity 1 → 2", "Line 4 removed …")."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .content_changes import LineFacts, changes


def snapshot_line(line_id: int, facts: LineFacts, description: str = "", manufacturer: str = "") -> dict:
    """One printed line as JSON-safe values (money as text: exact, never a float)."""
    return {
        "id": line_id, "position": facts.position, "ref": facts.ref, "description": description,
        "manufacturer": manufacturer, "lot": facts.lot, "serial": facts.serial,
        "expiry": facts.expiry.isoformat() if facts.expiry else None, "quantity": facts.quantity,
        "usage": facts.usage, "unit_price": str(facts.unit_price), "amount": str(facts.extended),
        "no_charge": facts.no_charge,
    }  # fmt: skip


def facts_of(lines: list[dict] | None) -> dict[int, LineFacts]:
    """A kept snapshot read back, keyed by line id (for content_changes.changes)."""
    return {
        int(row["id"]): LineFacts(
            int(row["position"]), str(row["ref"]), str(row.get("lot") or ""), str(row.get("serial") or ""),
            date.fromisoformat(row["expiry"]) if row.get("expiry") else None, int(row["quantity"]),
            str(row["usage"]), Decimal(str(row["unit_price"])), Decimal(str(row["amount"])), bool(row["no_charge"]),
        )
        for row in lines or []
    }  # fmt: skip


def what_changed(before: list[dict] | None, after: list[dict] | None) -> list[str]:
    """Each line added, removed or changed from the superseded sales order to this one."""
    told = changes(facts_of(before), facts_of(after))
    return told or ["No device line changed (the correction is in the case's other facts)."]


@dataclass(frozen=True)
class Correction:
    """What a corrected sales order says about the one it replaces: the credit (the previous
    total) and the rebill (this one's)."""

    corrects: str  # SO-2026-000123 (or -R1 …)
    reason: str
    credit: Decimal
    rebill: Decimal
    changes: list[str] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.rebill - self.credit
