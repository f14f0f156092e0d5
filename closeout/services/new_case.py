"""Creating a case: what the New case form offers, and the checks that a crafted form
cannot get around (a rep creates for themself, at a facility they cover, with a surgeon
who operates there)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from ..domain import clock
from ..domain.case_details import CaseDetails, case_details, parse_id
from ..domain.errors import InvalidInput, NotAllowed
from ..domain.lifecycle import CaseStatus
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
    rows = session.exec(select(User.id, User.name).where(User.role == REP, User.active).order_by(User.name)).all()
    return [FacilityChoice(i, n) for i, n in rows]


def choices(actor: Actor) -> NewCaseChoices:
    with reading() as session:
        reps = _active_reps(session) if actor.is_manager else []
    return NewCaseChoices(facilities_for(actor), reps, clock.today())


def facility_in_reach(session: Session, actor: Actor, facility_id: int) -> Facility:
    """The facility, if it is active and the actor may make cases there; else NotFound."""
    facility = session.get(Facility, facility_id)
    covered = not coverage_applies(actor.role) or session.get(UserFacility, (actor.id, facility_id)) is not None
    if facility is None or not facility.active or not covered:
        raise InvalidInput("facility_id", "Choose one of your facilities.")
    return facility


def check_details(session: Session, actor: Actor, form: Mapping[str, object]) -> CaseDetails:
    """The form's details, checked field by field and against the Directory."""
    facility = facility_in_reach(session, actor, parse_id(form.get("facility_id"), "facility_id", "facility"))
    details = case_details({**form, "rep_id": form.get("rep_id") or actor.id}, clock.today(), facility.patient_ref_pattern)
    link = session.get(FacilitySurgeon, (facility.id, details.surgeon_id))
    if link is None or not link.active:
        raise InvalidInput("surgeon_id", f"Choose a surgeon who operates at {facility.name}, or add one.")
    if not actor.is_manager and details.rep_id != actor.id:
        raise NotAllowed("A sales rep creates cases for themself; a manager can create one for another rep.")
    rep = session.get(User, details.rep_id)
    if rep is None or rep.role != REP or not rep.active:
        raise InvalidInput("rep_id", "Choose an active sales rep.")
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
        number = case_numbers.allocate(session, clock.today().year)
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
