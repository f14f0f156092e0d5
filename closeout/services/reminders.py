"""PO reminders: ask the facility for a Closed case's missing Purchase Order, by each facility's
settings (the Directory: on or off, every how many days, to whom, the text), each email
carrying the buyer's PO link. Sent by the scheduled job, or by hand (a case, or many at once
from the console). A reminder that fails (the mail server refuses, the sales order cannot be
built, nobody to send to) is kept as a "failed" row with a reason for people, is never counted
as sent, and is tried again on the job's next run. Histories: services/reminder_history.py;
settings and pauses: services/reminder_settings.py."""

import logging
import traceback
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from ..domain import clock
from ..domain.errors import DomainError, NotAllowed
from ..domain.lifecycle import CaseStatus
from ..models import Case, Facility, PoReminder
from . import audit, mail, reminder_mail
from .access import case_for
from .auth import Actor
from .db import DatabaseUnavailable, reading, transaction
from .reminder_due import due_cases, due_one
from .reminder_history import ReminderRow, reminder_rows, reminders_of

__all__ = ["ReminderRow", "due_cases", "reminder_rows", "reminders_of"]  # where they always were
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderSent:
    case_number: str
    recipient: str  # one or more addresses, comma-separated
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


BUILD_FAILED = "the sales order could not be built; nothing was sent"
UNEXPECTED = "the reminder failed on an unexpected error; it was not recorded as sent"


class NotSent(DomainError):
    """A reminder tried and not sent: `message` for the one who sent it, `error` for the history."""

    def __init__(self, message: str, case_id: int, recipient: str, error: str):
        super().__init__(message)
        self.case_id, self.recipient, self.error = case_id, recipient, error


def _log_failure(case_number: str, error: BaseException) -> str:
    """Log an unexpected failure by case number, error class and where it was raised, never
    the error's text (it may hold a name or an address); returns the reason to report."""
    cause = error.__cause__ if isinstance(error, reminder_mail.NotBuilt) and error.__cause__ else error
    frames = traceback.extract_tb(cause.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    log.error("PO reminder for %s not sent: %s%s", case_number, type(cause).__name__, where)
    return BUILD_FAILED if isinstance(error, reminder_mail.NotBuilt) else UNEXPECTED


def _send(session: Session, actor: Actor | None, case: Case, origin: str, now: datetime) -> ReminderSent:
    facility = session.get(Facility, case.facility_id)
    try:
        to = reminder_mail.recipients(session, case, facility)
    except NotAllowed as refusal:
        raise NotSent(refusal.message, case.id, "", refusal.message.removeprefix(f"{case.number}: ")) from None
    recipient = ", ".join(to)
    try:
        delivery = mail.deliver(reminder_mail.compose(session, case, facility, to, actor, origin))
    except reminder_mail.NotBuilt as error:
        raise NotSent(f"{case.number}: {_log_failure(case.number, error)}", case.id, recipient, BUILD_FAILED) from None
    except mail.MailError as error:
        raise NotSent(error.message, case.id, recipient, reminder_mail.error_for_people(error.message)) from None
    except NotAllowed as refusal:  # no public address for the buyer's link: a failure to fix, shown
        raise NotSent(refusal.message, case.id, recipient, refusal.message) from None
    session.add(PoReminder(case_id=case.id, sent_at=now, sent_by_id=actor.id if actor else None, recipient=recipient,
                           delivery=delivery))  # fmt: skip
    audit.record(session, actor, case_id=case.id, action="PO reminder sent", entity="case", entity_id=case.id,
                 summary=f"PO reminder emailed to {recipient} ({delivery})" + ("" if actor else " by the scheduled job"),
                 after={"recipient": recipient, "delivery": delivery})  # fmt: skip
    return ReminderSent(case.number, recipient, delivery)


def _record_failure(actor: Actor | None, failed: NotSent, now: datetime) -> None:
    """The failed attempt in the histories. The same failure again (the job's next runs) moves
    that row's time rather than adding one per hour."""
    try:
        with transaction() as session:
            last = session.exec(select(PoReminder).where(PoReminder.case_id == failed.case_id)
                                .order_by(PoReminder.sent_at.desc(), PoReminder.id.desc())).first()  # fmt: skip
            if last and last.status == "failed" and (last.error, last.recipient) == (failed.error, failed.recipient):
                last.sent_at = now
                session.add(last)
                return
            session.add(PoReminder(case_id=failed.case_id, sent_at=now, sent_by_id=actor.id if actor else None,
                                   recipient=failed.recipient, delivery="not sent", status="failed", error=failed.error))  # fmt: skip
            audit.record(session, actor, case_id=failed.case_id, action="PO reminder failed", entity="case",
                         entity_id=failed.case_id, summary=f"PO reminder not sent: {failed.error}"[:300],
                         after={"recipient": failed.recipient, "error": failed.error})  # fmt: skip
    except Exception as error:  # the database itself is failing: the log says so, the caller goes on
        log.error("PO reminder failure for case id %s not recorded: %s", failed.case_id, type(error).__name__)


def _refusal_by_hand(case: Case) -> str:
    if case.status != CaseStatus.CLOSED.value:
        return f"Case {case.number} is not waiting for a PO."
    if case.po_reminders_paused_at is not None:
        return f"PO reminders for {case.number} are paused (“{case.po_reminders_pause_reason}”). Resume them to send one."
    return ""


def send_reminder(actor: Actor, case_number: str, origin: str = "") -> ReminderSent:
    """By hand, from a Closed case: its rep or a manager. To the facility's recipients, with its
    text. Sent even when the facility's reminders are off: the switch stops the scheduled ones,
    not a person who decides to ask. A paused case is refused, with the pause's reason: whoever
    paused it knew something; resume first. A failure is recorded (and raised to the sender)."""
    now = clock.now()
    try:
        with transaction() as session:
            case = case_for(session, actor, case_number, lock=True)
            if refusal := _refusal_by_hand(case):
                raise NotAllowed(refusal)
            return _send(session, actor, case, origin, now)
    except NotSent as failed:
        _record_failure(actor, failed, now)
        raise


def send_reminders(actor: Actor, case_numbers: list[str], origin: str = "") -> tuple[list[ReminderSent], list[str]]:
    """In bulk from the console, as `send_reminder` decides for each: one transaction per case,
    so one failure (a refusal, a pause, a sales order that cannot be built, a refused address)
    stops nothing else and is reported as not sent."""
    sent, failed = [], []
    for number in case_numbers[:500]:
        try:
            sent.append(send_reminder(actor, number, origin))
        except (DomainError, DatabaseUnavailable) as refusal:
            message = refusal.message
            failed.append(message if message.startswith(f"{number}:") else f"{number}: {message}")
        except Exception as error:
            failed.append(f"{number}: {_log_failure(number, error)}")
    return sent, failed


def send_due_reminders(now: datetime | None = None) -> DueReminders:
    """The scheduled job. Each case is locked while it is handled and due-ness is checked again
    inside, so several workers never send the same reminder twice. A case that fails is
    recorded, logged and reported in `failed`, and the job goes on to the next."""
    now = now or clock.now()
    with reading() as session:
        candidates = due_cases(session, now)
    result = DueReminders()
    for case_id in candidates:
        number = f"case id {case_id}"
        try:
            with transaction() as session:
                case = due_one(session, case_id, now)
                if case is None:
                    continue
                number = case.number
                reminder = _send(session, None, case, "", now)
            result.sent.append(reminder)  # only once committed
        except NotSent as failed:
            _record_failure(None, failed, now)
            log.warning("PO reminder for %s not sent: %s", number, failed.error)
            result.failed.append(ReminderFailed(number, failed.error))
        except (DomainError, DatabaseUnavailable) as refusal:
            log.warning("PO reminder for %s not sent: %s", number, refusal.message)
            result.failed.append(ReminderFailed(number, refusal.message))
        except Exception as error:
            reason = _log_failure(number, error)
            _record_failure(None, NotSent(reason, case_id, "", reason), now)
            result.failed.append(ReminderFailed(number, reason))
    return result
