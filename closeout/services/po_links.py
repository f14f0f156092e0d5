"""The facility buyer's PO links: minted wherever the sales order goes (email, download,
print, PO reminders), listed and revoked on the Share tab. Only the token's SHA-256 is
stored; the token itself is in the link and never in an audit row. A link is bound to one
revision of one case's sales order (services/buyer_po.py opens and uses it)."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from .. import routes, settings
from ..domain import clock
from ..domain.errors import NotAllowed
from ..domain.lifecycle import CaseStatus
from ..domain.po_link import REVOKED, LinkStatus, status_of
from ..domain.sharing import sales_order_number
from ..domain.signing_link import token_hash
from ..models import Case, PoLink, User
from . import audit
from .access import case_for
from .auth import Actor
from .db import reading, transaction

MAX_PURPOSE = 300


@dataclass(frozen=True)
class Minted:
    """A new link's token (shown once, in the link) and its full address."""

    token: str
    url: str


NO_PUBLIC_ADDRESS = ("The buyer's PO link needs the app's public address: set CLOSEOUT_PUBLIC_URL "
                     "(for example https://closeout.example.com). Nothing was sent.")


def mint(origin: str = "") -> Minted:
    """A fresh token and its URL at the public address (CLOSEOUT_PUBLIC_URL, else `origin`).
    Nothing is stored until `store`: a sales order that never left creates no link."""
    base = settings.public_url(origin)
    if not base:
        raise NotAllowed(NO_PUBLIC_ADDRESS)
    token = secrets.token_urlsafe(32)
    return Minted(token, routes.po_link_url(base, token))


def mint_for(case: Case, origin: str = "") -> Minted | None:
    """A link for a sales order that still waits on its PO (Closed); None once it has it."""
    if case.status != CaseStatus.CLOSED.value or not settings.public_url(origin):
        return None  # no address to print (only a call from outside a browser, unconfigured)
    return mint(origin)


def store(session: Session, case: Case, token: str, *, actor: Actor | None, purpose: str,
          revision: int | None = None) -> PoLink | None:  # fmt: skip
    """The link row for `token`, bound to the case's current revision, in the caller's transaction.
    With `revision` (the one the sales order showed when the link was minted, before a slow
    send), nothing is stored when the case has moved on meanwhile (reopened, corrected, its PO
    in): the link in that message then opens to "not valid", never to other content."""
    if revision is not None and (case.revision != revision or case.status != CaseStatus.CLOSED.value):
        return None
    now = clock.now()
    link = PoLink(case_id=case.id, revision=case.revision, token_hash=token_hash(token), purpose=purpose[:MAX_PURPOSE],
                  created_by_id=actor.id if actor else None, created_at=now,
                  expires_at=now + timedelta(days=settings.po_link_days()))  # fmt: skip
    session.add(link)
    session.flush()
    audit.record(session, actor, case_id=case.id, action="buyer PO link issued", entity="po_link", entity_id=link.id,
                 summary=f"Buyer PO link issued for sales order {sales_order_number(case.number, case.revision)} "
                 f"({purpose[:120]}), valid until {link.expires_at:%b %-d, %Y}")  # fmt: skip
    return link


def issue(session: Session, case: Case, *, actor: Actor | None, purpose: str, origin: str = "") -> str:
    """A new link for the case's current sales order revision, audited; returns its URL. The
    PO reminder job calls this with actor=None."""
    minted = mint(origin)
    store(session, case, minted.token, actor=actor, purpose=purpose)
    return minted.url


def _live(now: datetime):
    return sa.and_(PoLink.used_at.is_(None), PoLink.revoked_at.is_(None), PoLink.expires_at > now)


def _revoke(session: Session, where: list, reason: str, actor: Actor | None, actor_name: str = "") -> int:
    """Revoke the live links matching `where`, each audited; one spent meanwhile is left as it is."""
    now = clock.now()
    count = 0
    for link in session.exec(select(PoLink).where(_live(now), *where).order_by(PoLink.id)).all():
        done = session.execute(
            sa.update(PoLink).where(PoLink.id == link.id, PoLink.used_at.is_(None), PoLink.revoked_at.is_(None))
            .values(revoked_at=now, revoked_by_id=actor.id if actor else None, revoked_reason=reason[:100])
        )  # fmt: skip
        if done.rowcount != 1:
            continue
        count += 1
        audit.record(session, actor, case_id=link.case_id, action="buyer PO link revoked", entity="po_link",
                     entity_id=link.id, summary=f"Buyer PO link ({link.purpose[:120]}) revoked: {reason}",
                     before={"status": "live"}, after={"status": "revoked", "reason": reason},
                     actor_name=actor_name)  # fmt: skip
    return count


def revoke_for_case(session: Session, case_id: int, reason: str, actor: Actor | None = None, actor_name: str = "") -> int:
    """Every live link of the case stops working ("case reopened", "POs entered", "revoked"),
    in the caller's transaction (`actor_name`: the buyer whose POs ended them). Returns how many."""
    return _revoke(session, [PoLink.case_id == case_id], reason, actor, actor_name)


def revoke(actor: Actor, case_number: str, link_id: object = None) -> int:
    """The rep or a manager withdraws one link of the case (`link_id`) or, without it, all."""
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)
        where = [PoLink.case_id == case.id]
        if link_id is not None:
            try:
                where.append(PoLink.id == int(str(link_id)))
            except ValueError:
                return 0
        return _revoke(session, where, REVOKED, actor)


@dataclass(frozen=True)
class LinkRow:
    id: int
    purpose: str
    sales_order: str  # the revision it was issued for
    issued_at: datetime
    issued_by: str
    expires_at: datetime
    status: LinkStatus
    reason: str  # why revoked ("" otherwise)


def links_of(actor: Actor, case_number: str) -> list[LinkRow]:
    """The case's buyer links, newest first, each with its state (the Share tab)."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        rows = session.exec(
            select(PoLink, User.name).outerjoin(User, User.id == PoLink.created_by_id)
            .where(PoLink.case_id == case.id).order_by(PoLink.created_at.desc(), PoLink.id.desc())
        ).all()  # fmt: skip
        now = clock.now()
        return [LinkRow(link.id, link.purpose, sales_order_number(case.number, link.revision), link.created_at,
                        who or "Closeout (scheduled)", link.expires_at,
                        status_of(link.expires_at, link.used_at, link.revoked_at, now), link.revoked_reason)
                for link, who in rows]  # fmt: skip
