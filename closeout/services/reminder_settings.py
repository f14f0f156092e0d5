"""PO reminder settings per facility (the Directory, managers) and the pause of one case's
reminders (its rep or a manager, with a reason). Every change is audited with before/after.
The job and the manual send read them: services/reminders.py."""

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel import Session

from ..domain import clock
from ..domain.errors import NotAllowed
from ..domain.lifecycle import CaseStatus
from ..domain.reminder_text import ReminderSettings, parse_pause_reason, parse_reminder_settings
from ..models import Case, User
from . import audit
from .access import case_for
from .auth import Actor
from .contacts import billing_order
from .db import reading, transaction
from .directory_access import facility_for, require_manager
from .reminder_history import ReminderRow, facility_page
from .reminder_mail import purchasing_contacts

SETTING_NAMES = tuple(asdict(ReminderSettings()))  # the Facility columns of the same names
LABELS = {"po_reminders_on": "on/off", "po_reminder_days": "interval", "po_reminder_recipients": "recipients",
          "po_reminder_text": "text"}  # fmt: skip


@dataclass(frozen=True)
class FacilityReminders:
    """The facility page's PO reminders card: its settings, who each choice reaches today, its history."""

    settings: ReminderSettings
    billing: str  # the first active billing contact's address, or ""
    purchasing: list[str]  # every active purchasing contact's address
    history: list[ReminderRow]
    total: int


def _settings(facility) -> ReminderSettings:
    return ReminderSettings(**{name: getattr(facility, name) for name in SETTING_NAMES})


def facility_settings(actor: Actor, facility_id: object, page: int = 1) -> FacilityReminders:
    """Everything the card shows, in one read."""
    require_manager(actor)
    with reading() as session:
        facility = facility_for(session, facility_id)
        history, total = facility_page(session, facility.id, page)
        first = billing_order(session, facility.id)[:1]
        purchasing = purchasing_contacts(session, facility.id)
        return FacilityReminders(_settings(facility), first[0].email if first else "", purchasing, history, total)


def update_settings(actor: Actor, facility_id: object, form: dict) -> ReminderSettings:
    """Save the facility's reminder settings; the audit row holds those that changed."""
    require_manager(actor)
    new = parse_reminder_settings(form)
    with transaction() as session:
        facility = facility_for(session, facility_id, lock=True)
        before, after = asdict(_settings(facility)), asdict(new)
        changed = [k for k in after if after[k] != before[k]]
        for key in changed:
            setattr(facility, key, after[key])
        if changed:
            session.add(facility)
            audit.record(session, actor, case_id=None, action="facility PO reminders changed", entity="facility",
                         entity_id=facility.id, summary=f"Facility {facility.name}: PO reminder "
                         + ", ".join(LABELS[k] for k in changed) + " changed",
                         before={k: before[k] for k in changed}, after={k: after[k] for k in changed})  # fmt: skip
    return new


@dataclass(frozen=True)
class Pause:
    paused_at: datetime
    reason: str
    paused_by: str


def pause_of(session: Session, case: Case) -> Pause | None:
    if case.po_reminders_paused_at is None:
        return None
    who = session.get(User, case.po_reminders_paused_by_id) if case.po_reminders_paused_by_id else None
    return Pause(case.po_reminders_paused_at, case.po_reminders_pause_reason, who.name if who else "")


def pause(actor: Actor, case_number: str, reason: object) -> Pause:
    """No more reminders for this case, scheduled or by hand, until resumed: the rep knows the
    PO is coming (or why it is late). Its rep or a manager; while it waits for a PO."""
    text = parse_pause_reason(reason)
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)
        if case.status != CaseStatus.CLOSED.value:
            raise NotAllowed(f"Case {case.number} is not waiting for a PO: there are no reminders to pause.")
        if case.po_reminders_paused_at is not None:
            raise NotAllowed(f"PO reminders for {case.number} are already paused.")
        case.po_reminders_paused_at, case.po_reminders_pause_reason, case.po_reminders_paused_by_id = clock.now(), text, actor.id
        session.add(case)
        audit.record(session, actor, case_id=case.id, action="PO reminders paused", entity="case", entity_id=case.id,
                     summary=f"PO reminders paused: {text}", before={"paused": False},
                     after={"paused": True, "reason": text})  # fmt: skip
        return Pause(case.po_reminders_paused_at, text, actor.name)


def resume(actor: Actor, case_number: str) -> None:
    """Reminders again, by the facility's settings (the next one once its interval has passed)."""
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)
        if case.po_reminders_paused_at is None:
            raise NotAllowed(f"PO reminders for {case.number} are not paused.")
        reason = case.po_reminders_pause_reason
        case.po_reminders_paused_at, case.po_reminders_pause_reason, case.po_reminders_paused_by_id = None, "", None
        session.add(case)
        audit.record(session, actor, case_id=case.id, action="PO reminders resumed", entity="case", entity_id=case.id,
                     summary="PO reminders resumed", before={"paused": True, "reason": reason}, after={"paused": False})  # fmt: skip
