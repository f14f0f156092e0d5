"""Which Closed cases are due a scheduled PO reminder now, by each facility's settings: one
bounded query for a run, and the same one again for one case inside its transaction."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db_types import UTCDateTime
from ..domain.lifecycle import CaseStatus
from ..domain.reminder_text import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS
from ..models import Case, Facility, PoReminder

BATCH = 500  # due cases one run handles, oldest first; the rest on the next run


def _due(now: datetime):
    """Closed cases of facilities with reminders on, not paused, whose last reminder sent (or
    submission, whichever is later) is at least the facility's interval old: one query, the interval
    read per row (a CASE over the allowed 1–90 days, the same on SQLite and PostgreSQL)."""
    last_sent = (select(sa.func.max(PoReminder.sent_at))
                 .where(PoReminder.case_id == Case.id, PoReminder.status == "sent").scalar_subquery())  # fmt: skip
    # The later of the last reminder and the submission: a case corrected and submitted again
    # waits its interval anew, whatever was sent for the sales order it replaced.
    since = sa.case((last_sent > Case.submitted_at, last_sent), else_=Case.submitted_at)
    cutoff = sa.case({d: sa.literal(now - timedelta(days=d), UTCDateTime) for d in range(MIN_DAYS, MAX_DAYS + 1)},
                     value=Facility.po_reminder_days, else_=sa.literal(now - timedelta(days=DEFAULT_DAYS), UTCDateTime))  # fmt: skip
    return (select(Case.id).join(Facility, Facility.id == Case.facility_id)
            .where(Case.status == CaseStatus.CLOSED.value, Case.submitted_at.is_not(None),
                   Case.po_reminders_paused_at.is_(None), Facility.po_reminders_on, since <= cutoff))  # fmt: skip


def due_cases(session: Session, now: datetime) -> list[int]:
    """The ids of the cases due now, oldest wait first, at most one batch."""
    return list(session.exec(_due(now).order_by(Case.submitted_at, Case.id).limit(BATCH)).all())


def due_one(session: Session, case_id: int, now: datetime) -> Case | None:
    """The case, locked first (PostgreSQL: SKIP LOCKED, another worker has it), then only if it is
    still due: another worker may have sent it and committed meanwhile."""
    query = select(Case).where(Case.id == case_id)
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    case = session.exec(query).first()
    if case is None or session.exec(_due(now).where(Case.id == case_id)).first() is None:
        return None
    return case
