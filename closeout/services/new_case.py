"""Creating a case: what the New case form offers, and the checks that a crafted form
cannot get around (a rep creates for themself, at a facility they cover, with a surgeon
who operates there)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from ..domain import clock
from ..domain.case_details import CaseDetails, case_details, parse_id, parse_surgery_date
from ..domain.errors import InvalidInput, NotAllowed
from ..domain.lifecycle import CaseStatus
from ..domain.patient_ref import check_patient_ref
from ..domain.users import REP, coverage_applies
from ..models import Case, Facility, FacilitySurgeon, User, UserFacility
from . import audit, case_numbers
from .auth import Actor
from .db import reading, transaction
from .users import FacilityChoice, facilities_for


@dataclass(frozen=True)
class NewCaseChoices:
    """What the form offers: the facilities the actor may use and, for a manager, the reps."""

    facilities: list[FacilityChoice]
    reps: list[FacilityChoice]  # (id, name) of active sales reps; empty for a rep
    today: date


def _active_reps(session: Session) -> list[FacilityChoice]:
    rows = session.exec(select(User.id, User.name).where(User.role == REP, User.active).order_by(User.name, User.id)).all()
    return [FacilityChoice(i, n) for i, n in rows]


def choices(actor: Actor) -> NewCaseChoices:
    facilities = facilities_for(actor)
    with reading() as session:
        reps = _active_reps(session) if actor.is_manager else []
        today = local_today(session.get(Facility, facilities[0].id)) if facilities else clock.today()
    return NewCaseChoices(facilities, reps, today)


def local_today(facility: Facility) -> date:
    """Today where the surgery happens: a case made in the evening in the US is not tomorrow's."""
    try:
        return clock.now().astimezone(ZoneInfo(facility.time_zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return clock.today()


def facility_in_reach(session: Session, actor: Actor, facility_id: int) -> Facility:
    """The facility, if it is active and the actor may make cases there."""
    facility = session.get(Facility, facility_id)
    covered = not coverage_applies(actor.role) or session.get(UserFacility, (actor.id, facility_id)) is not None
    if facility is None or not facility.active or not covered:
        raise InvalidInput("facility_id", "Choose one of your facilities.")
    return facility


def _check_rep(session: Session, actor: Actor, rep_id: int, facility: Facility) -> None:
    if not actor.is_manager and rep_id != actor.id:
        raise NotAllowed("A sales rep creates cases for themself; a manager can create one for another rep.")
    rep = session.exec(select(User).where(User.id == rep_id).with_for_update()).first()  # not deactivated meanwhile
    if rep is None or rep.role != REP or not rep.active:
        raise InvalidInput("rep_id", "Choose an active sales rep.")
    if session.get(UserFacility, (rep.id, facility.id)) is None:
        raise InvalidInput("rep_id", f"{rep.name} does not cover {facility.name}: add it to their facilities in Users first.")


def check_details(session: Session, actor: Actor, form: Mapping[str, object], before: CaseDetails | None = None) -> CaseDetails:
    """The form's details, checked field by field, and against the Directory for what is new:
    everything for a new case; for an edit only what changes (a case at a facility deactivated
    since, or with a surgeon removed since, can still have its other details corrected)."""
    facility_id = parse_id(form.get("facility_id"), "facility_id", "facility")
    new = before is None or facility_id != before.facility_id
    facility = facility_in_reach(session, actor, facility_id) if new else session.get(Facility, facility_id)
    details = case_details({**form, "rep_id": form.get("rep_id") or actor.id}, None)
    changed = lambda name: new or getattr(details, name) != getattr(before, name)  # noqa: E731
    if changed("surgery_date"):
        parse_surgery_date(form.get("surgery_date"), local_today(facility))
    if changed("patient_ref"):
        check_patient_ref(details.patient_ref, facility.patient_ref_pattern)
    link = session.get(FacilitySurgeon, (facility.id, details.surgeon_id))
    if changed("surgeon_id") and (link is None or not link.active):
        raise InvalidInput("surgeon_id", f"Choose a surgeon who operates at {facility.name}, or add one.")
    if changed("rep_id"):
        _check_rep(session, actor, details.rep_id, facility)
    return details


def as_row(details: CaseDetails) -> dict[str, object]:
    """The details as audit-row values (JSON)."""
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in details.__dict__.items()
    }


def create_case(actor: Actor, form: Mapping[str, object]) -> str:
    """A new Open case; its number. Audited, with everything it was created with."""
    with transaction() as session:
        details = check_details(session, actor, form)
        number = case_numbers.allocate(session, local_today(session.get(Facility, details.facility_id)).year)
        case = Case(number=number, status=CaseStatus.OPEN.value, **details.__dict__)
        session.add(case)
        session.flush()
        audit.record(session, actor, case_id=case.id, action="case created", entity="case", entity_id=case.id,
                     summary=f"Case {number} created: {details.procedure} on {details.surgery_date:%Y-%m-%d}",
                     after=as_row(details))  # fmt: skip
        return number


def details_of(session: Session, case: Case) -> CaseDetails:
    """The case's current details, comparable with an edit's."""
    return CaseDetails(
        case.facility_id, case.surgeon_id, case.procedure, case.surgery_date, case.surgery_time,
        case.patient_ref, case.facility_case_number, case.rep_id,
    )  # fmt: skip
