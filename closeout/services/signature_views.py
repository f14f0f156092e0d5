"""A signature as every screen and the sales order tell it: printed name, title or role, the
meaning, the date and time in the facility's time zone, and how it was given; for a
pre-authorization, how many lines changed since. Also the row and audit record of a new one."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..domain.signature_record import CONFIRMED_WITH, VIA_LINK, how_given, local_time, statement
from ..domain.signing import MEANINGS, ROLE_LABELS, SignatureKind, SignerRole, attestation_meaning
from ..models import Case, Facility, Signature
from . import audit
from .auth import Actor
from .signed_content import changes_since, facts_of, fingerprint_of, snapshot


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
    title: str = ""  # a provider's
    signed_at_text: str = ""  # in the facility's time zone, with the zone named
    how_given: str = ""  # "on the rep's screen, signed with the account password", "attestation, …"
    since: str = ""  # a pre-authorization: "1 line added since"

    @property
    def title_or_role(self) -> str:
        return self.title or ROLE_LABELS[self.role]

    @property
    def statement(self) -> str:
        return statement(self.signer_name, self.title_or_role, self.meaning, self.signed_at_text, self.how_given)


def _zone_of(session: Session, case: Case) -> str:
    return session.exec(select(Facility.time_zone).where(Facility.id == case.facility_id)).one()


def views(session: Session, case: Case) -> dict[SignerRole, SignatureView]:
    """The signature standing for each role, and whether it still matches the content."""
    rows = session.exec(
        select(Signature).where(Signature.case_id == case.id, Signature.set_aside_at.is_(None))
        .order_by(Signature.signed_at)
    ).all()  # fmt: skip
    if not rows:
        return {}
    current, zone = fingerprint_of(session, case.id), _zone_of(session, case)
    now = facts_of(session, case.id) if any(s.role == SignerRole.PRE_AUTHORIZATION for s in rows) else {}
    return {SignerRole(s.role): _view(s, current, zone, now) for s in rows}


def _view(s: Signature, current: str, zone: str, now: dict) -> SignatureView:
    role = SignerRole(s.role)
    since = changes_since(s.lines, now).words() if role is SignerRole.PRE_AUTHORIZATION else ""
    return SignatureView(
        s.id, role, SignatureKind(s.kind), s.signer_name, s.meaning, s.signed_at, s.via, s.fingerprint == current,
        s.image, s.title, local_time(s.signed_at, s.time_zone or zone), how_given(s.kind, s.via, s.secret_method), since,
    )  # fmt: skip


def signature_row(session: Session, case: Case, role: SignerRole, kind: SignatureKind, name: str, title: str,
                  image: bytes | None) -> Signature:  # fmt: skip
    """A new signature for the case's content now, in the facility's time zone; a
    pre-authorization keeps the lines it vouched for."""
    lines = snapshot(facts_of(session, case.id)) if role is SignerRole.PRE_AUTHORIZATION else None
    meaning = MEANINGS[role] if kind == SignatureKind.DRAWN else attestation_meaning(role)
    return Signature(case_id=case.id, role=role.value, kind=kind.value, signer_name=name, title=title, meaning=meaning,
                     image=image, fingerprint=fingerprint_of(session, case.id), time_zone=_zone_of(session, case),
                     lines=lines)  # fmt: skip


def record_audit(session: Session, actor: Actor, case: Case, view: SignatureView, row: Signature) -> None:
    """The audit row of a new signature, its whole record in `after` (the Activity tab shows
    its statement). Through a link the signer, not the issuer, is the actor."""
    label, name = ROLE_LABELS[view.role], view.signer_name
    after = {"role": view.role.value, "kind": view.kind.value, "signer_name": name, "title": view.title,
             "fingerprint": row.fingerprint, "signed_at": view.signed_at_text, "how_given": view.how_given,
             "signed_by_id": row.signed_by_id, "secret_method": row.secret_method, "link_id": row.link_id,
             "screen": row.screen, "statement": view.statement}  # fmt: skip
    action = "signed" if view.kind == SignatureKind.DRAWN else "attested"
    common = dict(case_id=case.id, action=action, entity="signature", entity_id=row.id)
    if view.via == VIA_LINK:
        audit.record(session, None, actor_name=f"{name} ({label})", **common,
                     summary=f"{name} signed as {label} through the one-time link issued by {actor.name}",
                     after={**after, "link_issued_by": actor.name})  # fmt: skip
        return
    confirmed = CONFIRMED_WITH.get(row.secret_method, "")
    if view.kind == SignatureKind.ATTESTATION:
        summary = f"{name} attested for the {label} (not available), confirmed {confirmed}"
    elif view.role is SignerRole.SALES_REP:
        summary = f"{name} signed as {label} {confirmed}"
    else:
        summary = f"{name} ({view.title}) signed as {label} on the rep's screen"
    audit.record(session, actor, **common, summary=summary, after=after)
