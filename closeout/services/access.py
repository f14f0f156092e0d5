"""Who may see which case. A case the actor may not see is 'not found', so
nothing about it leaks."""

from sqlalchemy import true
from sqlmodel import Session, select

from ..domain.errors import NotFound
from ..domain.text import lookup_text
from ..models import Case
from .auth import Actor


def visible_to(actor: Actor):
    """The WHERE clause of the cases the actor may see."""
    return true() if actor.is_manager else Case.rep_id == actor.id


def case_for(session: Session, actor: Actor, number: str, lock: bool = False) -> Case:
    """The case with this number if the actor may see it; else NotFound. With `lock`, the row
    is held until the transaction ends (PostgreSQL), so an edit and Submit for Billing on
    two screens happen one after the other, never interleaved."""
    query = select(Case).where(visible_to(actor), Case.number == lookup_text(number, 40))
    case = session.exec(query.with_for_update() if lock else query).first()
    if case is None:
        raise NotFound(f"Case {lookup_text(number, 40)} was not found.")
    return case
