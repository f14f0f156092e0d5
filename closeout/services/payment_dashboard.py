"""The dashboard's getting-paid figures: per facility, days from surgery to the PO (the day the
case was Completed), to the invoice and to Paid — median and 90th percentile over the last
12 months of surgeries — and the amount still outstanding on Invoiced cases (exact cents).

Bounded on 100,000 cases: the database counts cases per facility per number of days (rows:
facilities × distinct day counts, never one per case), from the case table alone through its
status index; the percentiles are read from those counts (domain/payment_times.py)."""

from contextlib import nullcontext
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db_types import Money
from ..domain import clock
from ..domain.errors import NotFound
from ..domain.lifecycle import CaseStatus
from ..domain.payment_times import FacilityTimes, by_facility
from ..models import Case, Facility
from .auth import Actor
from .db import reading

WINDOW_DAYS = 365
DONE = (CaseStatus.COMPLETED.value, CaseStatus.INVOICED.value, CaseStatus.PAID.value)
SETTLED = (CaseStatus.INVOICED.value, CaseStatus.PAID.value)


def _days(session: Session, later, earlier, moment: bool = False):
    """Whole days from `earlier` (a date) to `later` (a date, or a UTC moment taken as its date)."""
    if session.get_bind().dialect.name == "sqlite":
        day = sa.func.date(later) if moment else later
        return sa.cast(sa.func.julianday(day) - sa.func.julianday(earlier), sa.Integer)
    day = sa.cast(sa.func.timezone("UTC", later), sa.Date) if moment else later
    return day - earlier


def _histogram(session: Session, statuses: tuple[str, ...], column, since: date, moment: bool = False):
    days = _days(session, column, Case.surgery_date, moment).label("days")
    return session.exec(
        select(Case.facility_id, days, sa.func.count())
        .where(Case.status.in_(statuses), Case.surgery_date >= since, column.is_not(None))
        .group_by(Case.facility_id, days)
    ).all()  # fmt: skip


def payment_times(actor: Actor, session: Session | None = None, today: date | None = None) -> list[FacilityTimes]:
    """One row per facility with any case past its PO or still owing; by facility name.
    `session`, `today`: a benchmark's own."""
    if not actor.is_manager:
        raise NotFound("The dashboard is for managers.")
    since = (today or clock.today()) - timedelta(days=WINDOW_DAYS)
    with reading() if session is None else nullcontext(session) as db:
        po = _histogram(db, DONE, Case.completed_at, since, moment=True)
        invoice = _histogram(db, SETTLED, Case.invoiced_on, since)
        paid = _histogram(db, (CaseStatus.PAID.value,), Case.paid_on, since)
        owed = db.exec(
            select(Case.facility_id, sa.func.sum(Case.invoice_amount - Case.paid_amount, type_=Money))
            .where(Case.status == CaseStatus.INVOICED.value).group_by(Case.facility_id)
        ).all()  # fmt: skip
        ids = {row[0] for rows in (po, invoice, paid, owed) for row in rows}
        names = dict(db.exec(select(Facility.id, Facility.name).where(Facility.id.in_(ids))).all()) if ids else {}
    return by_facility(names, po, invoice, paid, {i: amount or Decimal("0.00") for i, amount in owed})
