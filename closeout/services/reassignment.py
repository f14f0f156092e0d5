"""A rep's open cases handed to another active rep (a rep who left, or is away): each case
gets its own audit row, so the handover shows in that case's Activity."""

from sqlmodel import select

from ..db_types import utcnow
from ..domain.errors import NotFound
from ..domain.lifecycle import CaseStatus
from ..domain.users import check_reassign
from ..models import Case
from . import audit
from .auth import Actor
from .db import transaction
from .users import require_manager, user_by_id


def reassign_open_cases(actor: Actor, from_user_id: object, to_user_id: object) -> list[str]:
    """Every Open case of one rep goes to another active sales rep. Returns the case numbers."""
    require_manager(actor)
    with transaction() as session:
        source = user_by_id(session, from_user_id)
        try:
            target = user_by_id(session, to_user_id, lock=True)
        except NotFound:  # nothing chosen, or a user that does not exist
            target = None
        check_reassign(source.id, target.id if target else None, target.role if target else None,
                       bool(target and target.active))  # fmt: skip
        cases = session.exec(
            select(Case).where(Case.rep_id == source.id, Case.status == CaseStatus.OPEN.value).order_by(Case.number)
            .with_for_update()
        ).all()  # fmt: skip
        now = utcnow()
        for case in cases:
            case.rep_id, case.updated_at = target.id, now
            session.add(case)
            audit.record(session, actor, case_id=case.id, action="case reassigned", entity="case", entity_id=case.id,
                         summary=f"Case {case.number} reassigned from {source.name} to {target.name}",
                         before={"rep": source.name}, after={"rep": target.name})  # fmt: skip
        return [case.number for case in cases]
