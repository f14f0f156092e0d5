"""Finding cases and reading a case's header."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm
from sqlmodel import Session, func, or_, select

from ..domain.lifecycle import CaseStatus
from ..domain.text import lookup_text
from ..models import Case, Facility, Surgeon, User
from .access import case_for, visible_to
from .auth import Actor
from .changes import stamp_of
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
    prices_edited: bool = field(default=False, kw_only=True)  # some line's price was typed by hand


@dataclass(frozen=True)
class CaseHeader(CaseSummary):
    patient_ref: str
    facility_id: int
    case_id: int
    submitted_by: str = ""
    submitted_at: datetime | None = None
    surgery_time: time | None = None
    facility_case_number: str = ""
    cancelled_by: str = ""
    cancelled_at: datetime | None = None
    cancel_reason: str = ""


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
            CaseSummary(c.number, fac, surg, c.procedure, c.surgery_date, CaseStatus(c.status), rep, prices_edited=c.prices_edited)
            for c, fac, surg, rep in rows
        ], total


def case_header(actor: Actor, number: str) -> CaseHeader:
    """The header of one case, or NotFound."""
    with reading() as session:
        return header_of(session, case_for(session, actor, number))


SUBMITTER = sa.orm.aliased(User, name="submitter")
CANCELLER = sa.orm.aliased(User, name="canceller")


def header_of(session: Session, case: Case) -> CaseHeader:
    """The header of a case the caller has already found (and checked access to)."""
    facility, surgeon, rep, submitted_by, cancelled_by = session.exec(
        select(Facility.name, Surgeon.name, User.name, SUBMITTER.name, CANCELLER.name).select_from(Case)
        .join(Facility, Facility.id == Case.facility_id).join(Surgeon, Surgeon.id == Case.surgeon_id)
        .join(User, User.id == Case.rep_id).outerjoin(SUBMITTER, SUBMITTER.id == Case.submitted_by_id)
        .outerjoin(CANCELLER, CANCELLER.id == Case.cancelled_by_id).where(Case.id == case.id)
    ).one()  # fmt: skip
    return CaseHeader(
        case.number, facility, surgeon, case.procedure, case.surgery_date, CaseStatus(case.status), rep,
        case.patient_ref, case.facility_id, case.id, submitted_by or "", case.submitted_at, case.surgery_time,
        case.facility_case_number, cancelled_by or "", case.cancelled_at, case.cancel_reason,
    )  # fmt: skip


def change_stamp(case: Case) -> str:
    """A stamp that changes whenever the case or its lines change (for live screens): the
    stamp its change signal carries."""
    return stamp_of(case)
