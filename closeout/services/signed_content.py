"""What a signature vouches for, read from the database: the case's lines as its content
fingerprint, and (for a pre-authorization, which outlives changes to the lines) as a
snapshot to tell later how many lines were added, removed or changed since."""

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from ..domain.catalog import UsageStatus
from ..domain.content_changes import LineFacts, Tally, tally
from ..domain.fingerprint import SignedLine, content_fingerprint
from ..domain.pricing import PricedLine, extended_price
from ..models import DeviceLine, Product


def _rows(session: Session, case_id: int) -> list[tuple[DeviceLine, str]]:
    return session.exec(
        select(DeviceLine, Product.ref).join(Product, Product.id == DeviceLine.product_id)
        .where(DeviceLine.case_id == case_id)
    ).all()  # fmt: skip


def _signed(line: DeviceLine, ref: str) -> SignedLine:
    return SignedLine(line.id, ref, line.lot, line.serial, line.expiry, line.quantity,
                      UsageStatus(line.usage_status).value, line.unit_price, line.no_charge)  # fmt: skip


def signed_lines(session: Session, case_id: int) -> list[SignedLine]:
    return [_signed(line, ref) for line, ref in _rows(session, case_id)]


def fingerprint_of(session: Session, case_id: int) -> str:
    return content_fingerprint(signed_lines(session, case_id))


def _facts(line: DeviceLine, ref: str) -> LineFacts:
    usage = UsageStatus(line.usage_status)
    extended = extended_price(PricedLine("", line.quantity, line.unit_price, usage, line.no_charge))
    return LineFacts(line.position, ref, line.lot, line.serial, line.expiry, line.quantity, usage.value,
                     line.unit_price, extended, line.no_charge)  # fmt: skip


def facts_of(session: Session, case_id: int) -> dict[int, LineFacts]:
    """The case's lines now, by line id."""
    return {line.id: _facts(line, ref) for line, ref in _rows(session, case_id)}


def snapshot(facts: dict[int, LineFacts]) -> list[list]:
    """The lines as JSON, to keep with a pre-authorization."""
    return [[line_id, f.position, f.ref, f.lot, f.serial, f.expiry.isoformat() if f.expiry else "", f.quantity,
             f.usage, str(f.unit_price), str(f.extended), f.no_charge] for line_id, f in sorted(facts.items())]  # fmt: skip


def from_snapshot(rows: list | None) -> dict[int, LineFacts]:
    facts = {}
    for line_id, position, ref, lot, serial, expiry, quantity, usage, price, extended, no_charge in rows or []:
        facts[int(line_id)] = LineFacts(int(position), str(ref), str(lot), str(serial),
                                        date.fromisoformat(expiry) if expiry else None, int(quantity), str(usage),
                                        Decimal(price), Decimal(extended), bool(no_charge))  # fmt: skip
    return facts


def changes_since(kept: list | None, now: dict[int, LineFacts]) -> Tally:
    """How many lines were added, removed or changed between a snapshot and now."""
    return tally(from_snapshot(kept), now)
