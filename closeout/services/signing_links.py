"""Sign on another screen: a one-time link (15 minutes, one signature) for the Provider
Representative, who needs no account. A bad link reveals nothing of any case.

At most one live link exists per case and signer: issuing a new one revokes the old one,
closing the link dialog revokes it, and signing out revokes every link the user issued. A
link dies with its case's Open status. The signer is shown every line with the content
fingerprint, and a signature counts only for the lines it was given for: the fingerprint
the page showed is checked against the case's, under the case's lock, as it is stored."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain import clock
from ..domain.catalog import UsageStatus
from ..domain.errors import NotFound
from ..domain.fingerprint import SignedLine, content_fingerprint
from ..domain.lifecycle import CaseAction, CaseStatus, check
from ..domain.pricing import PricedLine, case_totals, extended_price, is_billable
from ..domain.signature_record import screen_summary
from ..domain.signing import (
    MEANINGS,
    ROLE_LABELS,
    SignatureKind,
    SignerRole,
    parse_role,
    parse_signature_png,
    parse_signer_name,
    parse_title,
)  # fmt: skip
from ..domain.signing_link import GONE, LIFETIME, CaseNoLongerOpen, ContentChanged, matches, new_token, token_hash, usable
from ..models import AuditEvent, Case, DeviceLine, Facility, Manufacturer, Product, SigningLink
from . import audit
from .access import case_for
from .auth import Actor, actor_for_id
from .db import reading, transaction
from .signatures import VIA_LINK, Given, fingerprint_of, store

MAX_TOKEN = 100


@dataclass(frozen=True)
class IssuedLink:
    token: str  # shown once, never stored
    expires_at: datetime


def _live(now: datetime):
    """The WHERE clause of the links that still work."""
    return sa.and_(SigningLink.used_at.is_(None), SigningLink.revoked_at.is_(None), SigningLink.expires_at > now)


def _role_label(link: SigningLink) -> str:
    return ROLE_LABELS[SignerRole(link.role)]


def _revoke(session: Session, actor: Actor, where: list, why: str) -> int:
    """Revoke the live links matching `where`, each with its audit row. A link spent or
    revoked meanwhile on another screen is left as it is."""
    now = clock.now()
    count = 0
    for link in session.exec(select(SigningLink).where(_live(now), *where).order_by(SigningLink.id)).all():
        revoked = session.execute(
            sa.update(SigningLink)
            .where(SigningLink.id == link.id, SigningLink.used_at.is_(None), SigningLink.revoked_at.is_(None))
            .values(revoked_at=now)
        )  # fmt: skip
        if revoked.rowcount != 1:
            continue
        count += 1
        audit.record(
            session, actor, case_id=link.case_id, action="signing link revoked", entity="signing_link", entity_id=link.id,
            summary=f"One-time signing link for the {_role_label(link)} revoked: {why}",
        )  # fmt: skip
    return count


def revoke_for_case(session: Session, actor: Actor, case_id: int, why: str) -> int:
    """Revoke the case's live links in the caller's transaction (the case was cancelled)."""
    return _revoke(session, actor, [SigningLink.case_id == case_id], why)


def issue(actor: Actor, case_number: str, role: object = SignerRole.PROVIDER) -> IssuedLink:
    """A new link for `role`; the case's live link for that role, if any, stops working."""
    role = parse_role(role)
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)  # two tabs issuing: one after the other
        check(case.status, CaseAction.SIGN, actor.role)
        _revoke(session, actor, [SigningLink.case_id == case.id, SigningLink.role == role.value], "replaced by a new link")
        token, expires = new_token(), clock.now() + LIFETIME
        link = SigningLink(case_id=case.id, token_hash=token_hash(token), created_by_id=actor.id, expires_at=expires,
                           role=role.value)  # fmt: skip
        session.add(link)
        session.flush()
        audit.record(
            session,
            actor,
            case_id=case.id,
            action="signing link issued",
            entity="signing_link",
            entity_id=link.id,
            summary=f"One-time signing link issued for the {ROLE_LABELS[role]}",
        )
        return IssuedLink(token, expires)


def revoke(actor: Actor, case_number: str, token: object = None) -> None:
    """The link dialog was closed: its link (`token`; without it, every live link of the
    case) stops working."""
    with transaction() as session:
        case = case_for(session, actor, case_number)
        where = [SigningLink.case_id == case.id]
        if token is not None:
            where.append(SigningLink.token_hash == token_hash(str(token)[:MAX_TOKEN]))
        _revoke(session, actor, where, "the link was closed on the rep's screen")


def revoke_links_of(actor: Actor) -> int:
    """At sign-out: every live link this user issued stops working. Returns how many."""
    with transaction() as session:
        return _revoke(session, actor, [SigningLink.created_by_id == actor.id], f"{actor.name} signed out")


def _link(session: Session, token: object) -> SigningLink:
    token = str(token)[:MAX_TOKEN]
    link = session.exec(select(SigningLink).where(SigningLink.token_hash == token_hash(token))).first()
    if link is None or not matches(link.token_hash, token) or not usable(link.expires_at, link.used_at, clock.now(), link.revoked_at):
        raise NotFound(GONE)
    return link


def _case_of(session: Session, link: SigningLink, lock: bool = False) -> tuple[Case, Actor]:
    """The link's case, seen (and with `lock`, locked) as its issuer sees it, and the issuer.
    A case no longer Open, or submitted for billing since the link was made, ends the link."""
    try:
        issuer = actor_for_id(link.created_by_id)
        number = session.exec(select(Case.number).where(Case.id == link.case_id)).one()
        case = case_for(session, issuer, number, lock=lock)
    except (NotFound, sa.exc.NoResultFound):
        raise NotFound(GONE) from None
    if case.status != CaseStatus.OPEN:
        raise CaseNoLongerOpen()
    submitted_since = session.exec(
        select(AuditEvent.id).where(AuditEvent.case_id == case.id, AuditEvent.action == "submitted for billing",
                                    AuditEvent.at >= link.created_at).limit(1)
    ).first()  # fmt: skip
    if submitted_since is not None:  # and reopened since: this link was for the content before
        raise NotFound(GONE)
    return case, issuer


@dataclass(frozen=True)
class SummaryLine:
    id: int
    position: int
    ref: str
    description: str
    manufacturer: str
    lot: str
    serial: str
    expiry: date | None
    quantity: int
    usage_status: str
    unit_price: Decimal
    no_charge: bool
    extended: Decimal
    billable: bool


@dataclass(frozen=True)
class LinkSummary:
    case_number: str
    facility: str
    surgery_date: date
    role_label: str
    meaning: str  # what the signature means
    lines: list[SummaryLine]  # every line, in the order added
    line_count: int
    grand_total: Decimal
    fingerprint: str  # of exactly these lines: what a signature given on this page vouches for
    expires_at: datetime


def open_link(token: object) -> LinkSummary:
    """What the signer reviews before signing: every line of the Devices Used, the billable
    total, and the fingerprint of those lines (all from one read, so they agree)."""
    with reading() as session:
        link = _link(session, token)
        case, _ = _case_of(session, link)
        facility = session.get(Facility, case.facility_id)
        rows = session.exec(
            select(DeviceLine, Product.ref, Product.description, Manufacturer.name)
            .join(Product, Product.id == DeviceLine.product_id)
            .join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
            .where(DeviceLine.case_id == case.id)
            .order_by(DeviceLine.position, DeviceLine.id)
        ).all()  # fmt: skip
        lines, signed, priced = [], [], []
        for line, ref, description, maker in rows:
            usage = UsageStatus(line.usage_status)
            price = PricedLine(maker, line.quantity, line.unit_price, usage, line.no_charge)
            priced.append(price)
            signed.append(SignedLine(line.id, ref, line.lot, line.serial, line.expiry, line.quantity, usage.value,
                                     line.unit_price, line.no_charge))  # fmt: skip
            lines.append(SummaryLine(line.id, line.position, ref, description, maker, line.lot, line.serial, line.expiry,
                                     line.quantity, usage.value, line.unit_price, line.no_charge, extended_price(price),
                                     is_billable(price)))  # fmt: skip
        role = SignerRole(link.role)
        return LinkSummary(case.number, facility.name, case.surgery_date, ROLE_LABELS[role], MEANINGS[role], lines, len(lines),
                           case_totals(priced).grand_total, content_fingerprint(signed), link.expires_at)  # fmt: skip


def sign_through_link(
    token: object, signer_name: object, png_data_url: object, fingerprint: object, *, title: object = "",
    user_agent: object = "", client: object = "",
) -> str:  # fmt: skip
    """The signer's drawn signature, printed name and title for the lines they were shown
    (`fingerprint`, as open_link gave it), kept with the link and the screen it was given on
    (`user_agent`, `client`). Lines changed since: ContentChanged, nothing stored and the link
    still usable. Otherwise the link is spent by it. Returns the case number."""
    name, title, image = parse_signer_name(signer_name), parse_title(title), parse_signature_png(png_data_url)
    given = Given(via=VIA_LINK, screen=screen_summary(user_agent, client))
    with transaction() as session:
        link = _link(session, token)
        case, issuer = _case_of(session, link, lock=True)  # no line changes until this commits
        if str(fingerprint or "") != fingerprint_of(session, case.id):
            raise ContentChanged()
        spent = session.execute(
            sa.update(SigningLink)
            .where(SigningLink.id == link.id, SigningLink.used_at.is_(None), SigningLink.revoked_at.is_(None))
            .values(used_at=clock.now())
        )  # fmt: skip
        if spent.rowcount != 1:
            raise NotFound(GONE)
        given = replace(given, link_id=link.id)
        store(session, issuer, case, SignerRole(link.role), SignatureKind.DRAWN, name, image, given, title)
        return case.number
