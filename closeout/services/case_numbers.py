"""Case numbers (CS-2026-000123), allocated in the creating transaction from a counter row
per year, so two screens creating a case at the same moment never get the same number."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from ..models import Case, CaseNumberCounter

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
DIGITS = 6


def prefix(year: int) -> str:
    return f"CS-{year}-"


def _highest_in_use(session: Session, year: int) -> int:
    """The highest number of `year` already on a case (seeded or imported ones), so the
    counter starts after it."""
    start = prefix(year)
    # LIKE, not a range: a range on text depends on the column's collation (ICU ones sort '~' first).
    highest = session.exec(select(sa.func.max(Case.number)).where(Case.number.like(f"{start}%"))).one()
    suffix = (highest or "")[len(start) :]
    return int(suffix) if suffix.isdigit() else 0


def _bump(session: Session, year: int) -> int | None:
    """The counter after adding one (the row stays locked until commit on PostgreSQL)."""
    return session.execute(
        sa.update(CaseNumberCounter).where(CaseNumberCounter.year == year)
        .values(last=CaseNumberCounter.last + 1).returning(CaseNumberCounter.last)
    ).scalar_one_or_none()  # fmt: skip


def allocate(session: Session, year: int) -> str:
    """The next free case number of `year`, inside the caller's transaction."""
    value = _bump(session, year)
    if value is None:  # the year's first case: start the counter (another screen may at once)
        insert = _INSERTS[session.get_bind().dialect.name](CaseNumberCounter)
        session.execute(insert.values(year=year, last=_highest_in_use(session, year)).on_conflict_do_nothing())
        value = _bump(session, year)
    while True:
        number = f"{prefix(year)}{value:0{DIGITS}d}"
        if session.exec(select(Case.id).where(Case.number == number)).first() is None:
            return number
        value = _bump(session, year)  # taken by a case made another way (an import): skip it
