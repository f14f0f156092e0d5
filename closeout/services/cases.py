"""Finding cases and reading a case's header."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, func, or_, select

from ..domain.lifecycle import CaseStatus
from ..domain.text import lookup_text
from ..models import Case, Facility, Surgeon, User
from .access import case_for, visible_to
from .auth import Actor
from .db import reading


@dataclass(frozen=True)
class CaseSummary:
    number: str
    facility: str
    surgeon: str
    procedure: str
    surgery_date: date
    status: CaseStatus
    rep: str


@dataclass(frozen=True)
class CaseHeader(CaseSummary):
    patient_ref: str
    facility_id: int
    case_id: int
    submitted_by: str = ""
    submitted_at: datetime | None = None


def _summary_query(actor: Actor):
    return (
        select(Case, Facility.name, Surgeon.name, User.name)
        .join(Facility, Facility.id == Case.facility_id)
        .join(Surgeon, Surgeon.id == Case.surgeon_id)
        .join(User, User.id == Case.rep_id)
        .where(visible_to(actor))
    )


def search_cases(actor: Actor, text: str = "", limit: int = 20, offset: int = 0) -> tuple[list[CaseSummary], int]:
    """The actor's cases matching case number, facility or surgeon; newest surgery first."""
    query = _summary_query(actor)
    text = lookup_text(text, 80)
    if text:
        pattern = f"%{text}%"
        query = query.where(or_(Case.number.ilike(pattern), Facility.name.ilike(pattern), Surgeon.name.ilike(pattern)))
    with reading() as session:
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        rows = session.exec(query.order_by(Case.surgery_date.desc(), Case.id.desc()).limit(limit).offset(offset)).all()
        return [
            CaseSummary(c.number, fac, surg, c.procedure, c.surgery_date, CaseStatus(c.status), rep) for c, fac, surg, rep in rows
        ], total


def case_header(actor: Actor, number: str) -> CaseHeader:
    """The header of one case, or NotFound."""
    with reading() as session:
        return header_of(session, case_for(session, actor, number))


def header_of(session: Session, case: Case) -> CaseHeader:
    """The header of a case the caller has already found (and checked access to)."""
    facility = session.get(Facility, case.facility_id)
    surgeon, rep = session.get(Surgeon, case.surgeon_id), session.get(User, case.rep_id)
    submitter = session.get(User, case.submitted_by_id) if case.submitted_by_id else None
    return CaseHeader(
        case.number, facility.name, surgeon.name, case.procedure, case.surgery_date, CaseStatus(case.status), rep.name,
        case.patient_ref, case.facility_id, case.id, submitter.name if submitter else "", case.submitted_at,
    )  # fmt: skip


def change_stamp(case: Case) -> str:
    """A stamp that changes whenever the case or its lines change (for live screens)."""
    return f"{case.status}|{case.updated_at.isoformat()}"


def last_change(actor: Actor, number: str) -> str:
    with reading() as session:
        return change_stamp(case_for(session, actor, number))
