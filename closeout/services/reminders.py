"""PO reminders: ask the facility's first billing contact for a missing Purchase Order, by
hand (a Closed case, or many at once from the console) or every 7 days by the scheduled job."""

import logging
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db_types import utcnow
from ..domain.errors import DomainError, NotAllowed
from ..domain.lifecycle import CaseStatus
from ..domain.sharing import sales_order_number
from ..models import Case, Facility, PoReminder
from . import audit, mail, sales_order
from .access import case_for
from .auth import Actor
from .db import DatabaseUnavailable, reading, transaction
from .sharing import directory, first_billing_contact

INTERVAL = timedelta(days=7)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderSent:
    case_number: str
    recipient: str
    delivery: str


@dataclass(frozen=True)
class ReminderFailed:
    case_number: str
    reason: str  # for the user or the operator; no personal values


@dataclass(frozen=True)
class DueReminders:
    """What one run of the job did. Iterating it (or len) gives the reminders sent."""

    sent: list[ReminderSent] = field(default_factory=list)
    failed: list[ReminderFailed] = field(default_factory=list)

    def __iter__(self):
        return iter(self.sent)

    def __len__(self) -> int:
        return len(self.sent)


class _NotBuilt(Exception):
    """The sales order to attach could not be built (before anything was sent)."""


BUILD_FAILED = "the sales order could not be built; nothing was sent"
UNEXPECTED = "the reminder failed on an unexpected error; it was not recorded as sent"


def _log_failure(case_number: str, error: BaseException) -> str:
    """Log an unexpected failure by case number, error class and where it was raised, never
    the error's text (it may hold a name or an address); returns the reason to report."""
    cause = error.__cause__ if isinstance(error, _NotBuilt) and error.__cause__ else error
    frames = traceback.extract_tb(cause.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    log.error("PO reminder for %s not sent: %s%s", case_number, type(cause).__name__, where)
    return BUILD_FAILED if isinstance(error, _NotBuilt) else UNEXPECTED


def _compose(session: Session, case: Case, recipient: str, sender_name: str):
    facility = session.get(Facility, case.facility_id)
    try:
        order, pdf = sales_order.build(session, case)
    except Exception as error:
        raise _NotBuilt() from error
    number = sales_order_number(case.number)
    body = (f"Hello,\n\nWe have not yet received the Purchase Order for sales order {number} "
            f"(case {case.number}, {facility.name}, surgery {case.surgery_date:%b %-d, %Y}, billable total "
            f"${case.billable_total:,.2f}). The sales order is attached.\n\nPlease reply with the PO number.\n\n"
            f"Thank you,\n{sender_name}")  # fmt: skip
    settings = mail.MailSettings.from_env()
    return mail.compose(settings, [recipient], f"PO needed: sales order {number} — case {case.number}", body, pdf,
                        sales_order.filename(order))  # fmt: skip


def _send(session: Session, actor: Actor | None, case: Case) -> ReminderSent:
    if case.status != CaseStatus.CLOSED.value:
        raise NotAllowed(f"Case {case.number} is not waiting for a PO.")
    recipient = first_billing_contact(directory(session, case, None))
    if not recipient:
        raise NotAllowed(f"{case.number}: the facility has no billing contact in the Directory.")
    delivery = mail.deliver(_compose(session, case, recipient, actor.name if actor else "Closeout"))
    session.add(PoReminder(case_id=case.id, sent_by_id=actor.id if actor else None, recipient=recipient, delivery=delivery))
    audit.record(session, actor, case_id=case.id, action="PO reminder sent", entity="case", entity_id=case.id,
                 summary=f"PO reminder emailed to {recipient} ({delivery})" + ("" if actor else " by the weekly job"),
                 after={"recipient": recipient, "delivery": delivery})  # fmt: skip
    return ReminderSent(case.number, recipient, delivery)


def send_reminder(actor: Actor, case_number: str) -> ReminderSent:
    """By hand, from a Closed case: its rep or a manager."""
    with transaction() as session:
        return _send(session, actor, case_for(session, actor, case_number))


def send_reminders(actor: Actor, case_numbers: list[str]) -> tuple[list[ReminderSent], list[str]]:
    """In bulk from the console: one transaction per case, so one failure (a refusal, or a
    sales order that cannot be built) stops nothing else and is reported as not sent."""
    sent, failed = [], []
    for number in case_numbers[:500]:
        try:
            sent.append(send_reminder(actor, number))
        except (DomainError, DatabaseUnavailable) as refusal:
            failed.append(f"{number}: {refusal.message}")
        except Exception as error:
            failed.append(f"{number}: {_log_failure(number, error)}")
    return sent, failed


@dataclass(frozen=True)
class ReminderRow:
    sent_at: datetime
    recipient: str
    delivery: str  # sent | saved (no mail server: written to the outbox)


def reminder_rows(session: Session, case_id: int) -> list[ReminderRow]:
    """A case's PO reminders, newest first (the caller has checked access to the case)."""
    rows = session.exec(select(PoReminder).where(PoReminder.case_id == case_id).order_by(PoReminder.sent_at.desc())).all()
    return [ReminderRow(r.sent_at, r.recipient, r.delivery) for r in rows]


def reminders_of(actor: Actor, case_number: str) -> list[ReminderRow]:
    with reading() as session:
        return reminder_rows(session, case_for(session, actor, case_number).id)


def due_cases(session: Session, now: datetime) -> list[int]:
    """Closed cases whose last reminder (or submission, if none yet) is at least 7 days old."""
    last = select(sa.func.max(PoReminder.sent_at)).where(PoReminder.case_id == Case.id).scalar_subquery()
    since = sa.func.coalesce(last, Case.submitted_at)
    return list(session.exec(
        select(Case.id).where(Case.status == CaseStatus.CLOSED.value, Case.submitted_at.is_not(None), since <= now - INTERVAL)
        .order_by(Case.id)
    ).all())  # fmt: skip


def send_due_reminders(now: datetime | None = None) -> DueReminders:
    """The scheduled job. Each case is locked while it is handled (PostgreSQL: SKIP LOCKED), and
    due-ness is checked again inside, so several workers never send the same reminder twice.
    A case that fails is logged and reported in `failed`, and the job goes on to the next."""
    now = now or utcnow()
    with reading() as session:
        candidates = due_cases(session, now)
    result = DueReminders()
    for case_id in candidates:
        number = f"case id {case_id}"
        try:
            with transaction() as session:
                query = select(Case).where(Case.id == case_id)
                if session.bind.dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                case = session.exec(query).first()
                if case is None or case_id not in due_cases(session, now):
                    continue
                number = case.number
                reminder = _send(session, None, case)
            result.sent.append(reminder)  # only once committed
        except (DomainError, DatabaseUnavailable) as refusal:
            log.warning("PO reminder for %s not sent: %s", number, refusal.message)
            result.failed.append(ReminderFailed(number, refusal.message))
        except Exception as error:
            result.failed.append(ReminderFailed(number, _log_failure(number, error)))
    return result
