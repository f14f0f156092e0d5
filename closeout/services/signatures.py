"""Signatures and attestations on a case, each bound to the content fingerprint it signed and
to the person who gave it (21 CFR Part 11 §11.50, §11.70, §11.100, §11.200 as the model):

- the Sales Rep's signature and an attestation are the signed-in account's: its name is the
  printed name, and each is confirmed with the account's password or signing PIN, never the
  session alone (services/signer_secrets.py);
- a provider (the Provider Representative, or a pre-authorization given early) signs with a
  printed name and title; through a one-time link the link and the screen are kept too.

A pre-authorization survives Reopen and tells how many lines changed since it was given."""

from dataclasses import dataclass

from sqlmodel import Session, select

from ..domain import clock
from ..domain.errors import InvalidInput
from ..domain.lifecycle import CaseAction, check
from ..domain.signature_record import VIA_DEVICE, VIA_LINK, SecretMethod
from ..domain.signing import (
    PROVIDER_SIGNERS,
    SignatureKind,
    SignerRole,
    parse_role,
    parse_signature_png,
    parse_signer_name,
    parse_title,
)  # fmt: skip
from ..models import Case, Signature
from . import signer_secrets
from .access import case_for
from .auth import Actor
from .db import reading, transaction
from .signature_views import SignatureView, record_audit, signature_row, views
from .signed_content import fingerprint_of, signed_lines

__all__ = ["VIA_DEVICE", "VIA_LINK", "Given", "SignatureView", "fingerprint_of", "signed_lines", "views"]


@dataclass(frozen=True)
class Given:
    """How a signature was given: by an account with a secret, or on a screen (a link's)."""

    signed_by_id: int | None = None
    method: str = ""  # password | pin, for an account
    via: str = VIA_DEVICE
    link_id: int | None = None
    screen: str = ""


def active_signatures(session: Session, case_id: int) -> list[Signature]:
    return session.exec(
        select(Signature).where(Signature.case_id == case_id, Signature.set_aside_at.is_(None))
        .order_by(Signature.signed_at)
    ).all()  # fmt: skip


def signatures_of(actor: Actor, case_number: str) -> dict[SignerRole, SignatureView]:
    with reading() as session:
        return views(session, case_for(session, actor, case_number))


def set_aside(session: Session, case_id: int, reason: str, role: SignerRole | None = None,
              keep_pre_authorization: bool = False) -> int:  # fmt: skip
    """Retire standing signatures (kept in the history, never deleted): `role`'s, or every
    one; a reopened case keeps its pre-authorization (`keep_pre_authorization`)."""
    count = 0
    for signature in active_signatures(session, case_id):
        if role is not None and signature.role != role:
            continue
        if keep_pre_authorization and signature.role == SignerRole.PRE_AUTHORIZATION:
            continue
        signature.set_aside_at, signature.set_aside_reason = clock.now(), reason[:200]
        session.add(signature)
        count += 1
    return count


def store(
    session: Session, actor: Actor, case: Case, role: SignerRole, kind: SignatureKind, name: str,
    image: bytes | None, given: Given = Given(), title: str = "",
) -> SignatureView:  # fmt: skip
    """Record a signature for `role`, setting aside the one it replaces, with its audit row.
    Through a one-time link (`given.via` VIA_LINK) `actor` is the user who issued the link:
    the signature is the signer's own, so the audit row names the signer as the actor."""
    check(case.status, CaseAction.SIGN, actor.role)
    set_aside(session, case.id, "replaced by a new signature", role)
    signature = signature_row(session, case, role, kind, name, title, image)
    signature.captured_by_id, signature.signed_by_id, signature.secret_method = actor.id, given.signed_by_id, given.method
    signature.via, signature.link_id, signature.screen = given.via, given.link_id, given.screen
    session.add(signature)
    session.flush()
    view = views(session, case)[role]
    record_audit(session, actor, case, view, signature)
    return view


def _confirmed(actor: Actor, case_number: str, method: object, secret: object, client: object) -> Given:
    """The signed-in account, confirmed with its secret. The case is looked up first, so a
    case one cannot see or sign stays NotFound or NotAllowed, asking for no secret."""
    with reading() as session:
        check(case_for(session, actor, case_number).status, CaseAction.SIGN, actor.role)
    confirmed = signer_secrets.confirm(actor, method, secret, client)  # argon2: outside any transaction
    return Given(signed_by_id=actor.id, method=confirmed.value)


def sign(
    actor: Actor, case_number: str, role: object, signer_name: object = "", png_data_url: object = "", *,
    title: object = "", secret: object = "", method: object = SecretMethod.PASSWORD, client: object = "",
) -> SignatureView:  # fmt: skip
    """A signature drawn on the rep's screen. A provider's: the printed name and title as
    given. The Sales Rep's: the signed-in account's, its name printed whatever `signer_name`
    says, confirmed with `secret` (the password, or the signing PIN with `method` "pin")."""
    role, image = parse_role(role), parse_signature_png(png_data_url)
    if role in PROVIDER_SIGNERS:
        name, title, given = parse_signer_name(signer_name), parse_title(title), Given()
    else:
        name, title, given = actor.name, "", _confirmed(actor, case_number, method, secret, client)
    with transaction() as session:
        return store(session, actor, case_for(session, actor, case_number), role, SignatureKind.DRAWN, name, image,
                     given, title)  # fmt: skip


def attest(
    actor: Actor, case_number: str, role: object, *, secret: object, method: object = SecretMethod.PASSWORD,
    client: object = "",
) -> SignatureView:  # fmt: skip
    """The signer is not available: the person closing the case attests in their place, as
    their own account, confirmed with its password or signing PIN."""
    role = parse_role(role)
    if role is SignerRole.PRE_AUTHORIZATION:
        raise InvalidInput("role", "A pre-authorization is the provider's own signature; nobody attests for it.")
    given = _confirmed(actor, case_number, method, secret, client)
    with transaction() as session:
        case = case_for(session, actor, case_number)
        return store(session, actor, case, role, SignatureKind.ATTESTATION, actor.name, None, given)
