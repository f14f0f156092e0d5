"""Sign on another screen: a one-time link (15 minutes, one signature) for the Provider
Representative, who needs no account. A bad link reveals nothing of any case."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, select

from ..db_types import utcnow
from ..domain.errors import NotFound
from ..domain.lifecycle import CaseAction, check
from ..domain.signing import SignatureKind, SignerRole, parse_signature_png, parse_signer_name
from ..domain.signing_link import GONE, LIFETIME, matches, new_token, token_hash, usable
from ..models import Case, Facility, SigningLink
from . import audit
from .access import case_for
from .auth import Actor, actor_for_id
from .db import reading, transaction
from .device_lines import list_lines
from .signatures import store


@dataclass(frozen=True)
class IssuedLink:
    token: str  # shown once, never stored
    expires_at: datetime


def issue(actor: Actor, case_number: str) -> IssuedLink:
    with transaction() as session:
        case = case_for(session, actor, case_number)
        check(case.status, CaseAction.SIGN, actor.role)
        token, expires = new_token(), utcnow() + LIFETIME
        session.add(SigningLink(case_id=case.id, token_hash=token_hash(token), created_by_id=actor.id,
                                expires_at=expires))  # fmt: skip
        audit.record(
            session,
            actor,
            case_id=case.id,
            action="signing link issued",
            entity="case",
            entity_id=case.id,
            summary="One-time signing link issued for the Provider Representative",
        )
        return IssuedLink(token, expires)


def _link(session: Session, token: object) -> SigningLink:
    link = session.exec(select(SigningLink).where(SigningLink.token_hash == token_hash(str(token)[:100]))).first()
    if link is None or not matches(link.token_hash, str(token)[:100]) or not usable(link.expires_at, link.used_at, utcnow()):
        raise NotFound(GONE)
    return link


@dataclass(frozen=True)
class SummaryLine:
    ref: str
    description: str
    manufacturer: str
    quantity: int
    usage_status: str
    extended: Decimal
    billable: bool


@dataclass(frozen=True)
class LinkSummary:
    case_number: str
    facility: str
    surgery_date: date
    lines: list[SummaryLine]
    grand_total: Decimal
    expires_at: datetime


def open_link(token: object) -> LinkSummary:
    """What the provider reviews before signing: the Devices Used summary."""
    with reading() as session:
        link = _link(session, token)
        case = session.get(Case, link.case_id)
        check(case.status, CaseAction.SIGN)
        facility = session.get(Facility, case.facility_id)
        issuer = actor_for_id(link.created_by_id)
    page = list_lines(issuer, case.number, page_size=2000)
    lines = [SummaryLine(v.ref, v.description, v.manufacturer, v.quantity, v.usage_status.value, v.extended,
                         v.billable) for v in page.lines]  # fmt: skip
    return LinkSummary(case.number, facility.name, case.surgery_date, lines, page.totals.grand_total, link.expires_at)


def sign_through_link(token: object, signer_name: object, png_data_url: object) -> str:
    """The provider's drawn signature; the link is spent by it. Returns the case number."""
    name, image = parse_signer_name(signer_name), parse_signature_png(png_data_url)
    with transaction() as session:
        link = _link(session, token)
        spent = session.execute(
            sa.update(SigningLink).where(SigningLink.id == link.id, SigningLink.used_at.is_(None))
            .values(used_at=utcnow())
        )  # fmt: skip
        if spent.rowcount != 1:
            raise NotFound(GONE)
        case = session.get(Case, link.case_id)
        issuer = actor_for_id(link.created_by_id)
        store(session, issuer, case, SignerRole.PROVIDER, SignatureKind.DRAWN, name, image, via="signing link")
        return case.number
