"""The audit trail: every mutation writes one row in the same transaction."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..models import AuditEvent, User
from . import changes
from .access import case_for
from .auth import Actor
from .db import reading


def record(
    session: Session,
    actor: Actor | None,
    *,
    case_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
    actor_name: str = "",
) -> None:
    """Add the audit row to the caller's transaction (committed with the change). With
    `actor_name` the one who acted has no account (a provider signing through a link):
    the row names them, not a user. The case is signalled as changed once the transaction
    commits (services/changes.py)."""
    changes.note(session, case_id, entity)
    session.add(
        AuditEvent(
            case_id=case_id,
            user_id=None if actor_name or actor is None else actor.id,
            actor_name=actor_name[:160],
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:300],
            before=before,
            after=after,
        )
    )


@dataclass(frozen=True)
class ActivityItem:
    at: datetime
    who: str
    action: str
    summary: str
    before: dict | None
    after: dict | None


def activity(actor: Actor, case_number: str, limit: int = 200) -> list[ActivityItem]:
    """The case's audit rows, newest first."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        rows = session.exec(
            select(AuditEvent, User.name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.case_id == case.id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        ).all()
        # Someone without an account (a provider signing through a one-time link) is named on the row.
        return [ActivityItem(e.at, e.actor_name or who or "Closeout (scheduled)", e.action, e.summary, e.before, e.after)
                for e, who in rows]  # fmt: skip
