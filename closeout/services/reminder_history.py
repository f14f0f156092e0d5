"""The PO reminders sent and failed, per case (its Purchase Order part) and per facility (its
Directory page, newest first, a page at a time)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import Case, PoReminder, User
from .access import case_for
from .auth import Actor
from .db import reading
from .directory_access import facility_for, require_manager

CASE_ROWS = 50  # a case's newest reminders shown (one a week for a year is fewer)
PAGE_SIZE = 20


@dataclass(frozen=True)
class ReminderRow:
    sent_at: datetime  # a failed one: when it was (last) tried
    recipient: str  # one or more addresses, comma-separated; "" when there was nobody to send to
    delivery: str  # sent | saved to outbox | not sent
    status: str = "sent"  # sent | failed
    error: str = ""  # why it failed, for people
    sent_by: str = ""  # the user's name; "" for the scheduled job
    case_number: str = ""


def _rows(query) -> list:
    return (query.add_columns(User.name).outerjoin(User, User.id == PoReminder.sent_by_id)
            .order_by(PoReminder.sent_at.desc(), PoReminder.id.desc()))  # fmt: skip


def _row(r: PoReminder, number: str, who: str | None) -> ReminderRow:
    return ReminderRow(r.sent_at, r.recipient, r.delivery, r.status, r.error, who or "", number)


def reminder_rows(session: Session, case_id: int) -> list[ReminderRow]:
    """A case's PO reminders, newest first (the caller has checked access to the case)."""
    found = session.exec(_rows(select(PoReminder, Case.number).join(Case, Case.id == PoReminder.case_id))
                         .where(PoReminder.case_id == case_id).limit(CASE_ROWS)).all()  # fmt: skip
    return [_row(r, number, who) for r, number, who in found]


def reminders_of(actor: Actor, case_number: str) -> list[ReminderRow]:
    with reading() as session:
        return reminder_rows(session, case_for(session, actor, case_number).id)


def facility_page(session: Session, facility_id: int, page: int = 1) -> tuple[list[ReminderRow], int]:
    """One page of the facility's reminders (every case), newest first, and how many there are."""
    page = max(1, min(int(page), 10_000))
    query = select(PoReminder, Case.number).join(Case, Case.id == PoReminder.case_id).where(Case.facility_id == facility_id)
    total = session.exec(select(sa.func.count()).select_from(query.subquery())).one()
    found = session.exec(_rows(query).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return [_row(r, number, who) for r, number, who in found], total


def facility_reminders(actor: Actor, facility_id: object, page: int = 1) -> tuple[list[ReminderRow], int]:
    """The Directory's history of one facility (managers)."""
    require_manager(actor)
    with reading() as session:
        return facility_page(session, facility_for(session, facility_id).id, page)
