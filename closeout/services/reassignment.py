"""A rep's unfinished cases handed to another active rep (a rep who left, or is away): Open
ones, and Closed ones still waiting for their PO (whoever follows up the PO). Completed and
Cancelled cases stay with who did them. Each case gets its own audit row, so the handover
shows in that case's Activity."""

from sqlmodel import select

from ..domain import clock
from ..domain.errors import NotFound
from ..domain.users import check_reassign
from ..models import Case
from . import audit
from .auth import Actor
from .db import transaction
from .users import HANDED_OVER, require_manager, user_by_id


def reassign_cases(actor: Actor, from_user_id: object, to_user_id: object) -> list[str]:
    """Every Open or Closed case of one rep goes to another active sales rep. Returns the case numbers."""
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
            select(Case).where(Case.rep_id == source.id, Case.status.in_(HANDED_OVER)).order_by(Case.number)
            .with_for_update()
        ).all()  # fmt: skip
        now = clock.now()
        for case in cases:
            case.rep_id, case.updated_at = target.id, now
            session.add(case)
            audit.record(session, actor, case_id=case.id, action="case reassigned", entity="case", entity_id=case.id,
                         summary=f"Case {case.number} reassigned from {source.name} to {target.name}",
                         before={"rep": source.name, "status": case.status}, after={"rep": target.name})  # fmt: skip
        return [case.number for case in cases]
