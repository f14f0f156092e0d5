"""Signatures and attestations on a case, each bound to the content fingerprint it signed."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..db_types import utcnow
from ..domain.catalog import UsageStatus
from ..domain.fingerprint import SignedLine, content_fingerprint
from ..domain.lifecycle import CaseAction, check
from ..domain.signing import (
    MEANINGS,
    ROLE_LABELS,
    SignatureKind,
    SignerRole,
    attestation_meaning,
    parse_role,
    parse_signature_png,
    parse_signer_name,
)  # fmt: skip
from ..models import Case, DeviceLine, Product, Signature
from . import audit
from .access import case_for
from .auth import Actor
from .db import reading, transaction

VIA_DEVICE = "this device"
VIA_LINK = "signing link"  # a one-time link, on the signer's own screen


@dataclass(frozen=True)
class SignatureView:
    id: int
    role: SignerRole
    kind: SignatureKind
    signer_name: str
    meaning: str
    signed_at: datetime
    via: str
    valid: bool  # still matches the case's content
    image: bytes | None


def signed_lines(session: Session, case_id: int) -> list[SignedLine]:
    rows = session.exec(
        select(DeviceLine, Product.ref).join(Product, Product.id == DeviceLine.product_id)
        .where(DeviceLine.case_id == case_id)
    ).all()  # fmt: skip
    return [
        SignedLine(
            line.id, ref, line.lot, line.serial, line.expiry, line.quantity,
            UsageStatus(line.usage_status).value, line.unit_price, line.no_charge,
        )
        for line, ref in rows
    ]  # fmt: skip


def fingerprint_of(session: Session, case_id: int) -> str:
    return content_fingerprint(signed_lines(session, case_id))


def active_signatures(session: Session, case_id: int) -> list[Signature]:
    return session.exec(
        select(Signature).where(Signature.case_id == case_id, Signature.set_aside_at.is_(None))
        .order_by(Signature.signed_at)
    ).all()  # fmt: skip


def views(session: Session, case: Case) -> dict[SignerRole, SignatureView]:
    """The signature standing for each role, and whether it still matches the content."""
    current = fingerprint_of(session, case.id)
    return {
        SignerRole(s.role): SignatureView(
            s.id, SignerRole(s.role), SignatureKind(s.kind), s.signer_name, s.meaning, s.signed_at, s.via,
            s.fingerprint == current, s.image,
        )
        for s in active_signatures(session, case.id)
    }  # fmt: skip


def signatures_of(actor: Actor, case_number: str) -> dict[SignerRole, SignatureView]:
    with reading() as session:
        return views(session, case_for(session, actor, case_number))


def set_aside(session: Session, case_id: int, reason: str, role: SignerRole | None = None) -> int:
    """Retire standing signatures (kept in the history, never deleted)."""
    count = 0
    for signature in active_signatures(session, case_id):
        if role is None or signature.role == role:
            signature.set_aside_at, signature.set_aside_reason = utcnow(), reason[:200]
            session.add(signature)
            count += 1
    return count


def store(
    session: Session, actor: Actor, case: Case, role: SignerRole, kind: SignatureKind,
    name: str, image: bytes | None, via: str = VIA_DEVICE,
) -> SignatureView:  # fmt: skip
    """Record a signature for `role`, setting aside the one it replaces, with its audit row.
    Through a one-time link (`via` VIA_LINK) `actor` is the user who issued the link: the
    signature is the signer's own, so the audit row names the signer as the actor."""
    check(case.status, CaseAction.SIGN, actor.role)
    set_aside(session, case.id, "replaced by a new signature", role)
    meaning = MEANINGS[role] if kind == SignatureKind.DRAWN else attestation_meaning(role)
    signature = Signature(
        case_id=case.id, role=role.value, kind=kind.value, signer_name=name, meaning=meaning, image=image,
        fingerprint=fingerprint_of(session, case.id), via=via, captured_by_id=actor.id,
    )  # fmt: skip
    session.add(signature)
    session.flush()
    action = "signed" if kind == SignatureKind.DRAWN else "attested"
    after = {"role": role.value, "kind": kind.value, "signer_name": name, "fingerprint": signature.fingerprint}
    if via == VIA_LINK:
        audit.record(
            session, None, actor_name=f"{name} ({ROLE_LABELS[role]})", case_id=case.id, action=action,
            entity="signature", entity_id=signature.id,
            summary=f"{name} signed as {ROLE_LABELS[role]} through the one-time link issued by {actor.name}",
            after={**after, "link_issued_by": actor.name},
        )  # fmt: skip
    else:
        what = "signed" if kind == SignatureKind.DRAWN else "typed their name (attestation)"
        audit.record(
            session, actor, case_id=case.id, action=action, entity="signature", entity_id=signature.id,
            summary=f"{name} {what} as {ROLE_LABELS[role]}", after=after,
        )  # fmt: skip
    return views(session, case)[role]


def sign(actor: Actor, case_number: str, role: object, signer_name: object, png_data_url: object) -> SignatureView:
    """A signature drawn on this device."""
    role, name, image = parse_role(role), parse_signer_name(signer_name), parse_signature_png(png_data_url)
    with transaction() as session:
        return store(session, actor, case_for(session, actor, case_number), role, SignatureKind.DRAWN, name, image)


def attest(actor: Actor, case_number: str, role: object, closer_name: object) -> SignatureView:
    """The signer is not available: the person closing the case types their own name."""
    role = parse_role(role)
    name = parse_signer_name(closer_name, field="closer_name")
    with transaction() as session:
        case = case_for(session, actor, case_number)
        return store(session, actor, case, role, SignatureKind.ATTESTATION, name, None)
