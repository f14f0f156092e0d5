"""Share the sales order: email it (over SMTP, or to the outbox), download it, print it.
Every share is recorded with the PDF as it was and the fingerprint of what it showed."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from ..domain.contacts import role_labels
from ..domain.errors import NotAllowed, NotFound
from ..domain.lifecycle import CaseAction, allows, check
from ..domain.sharing import ShareKind, parse_message, parse_recipients, parse_subject, sales_order_number
from ..models import Case, Facility, FacilityContact, Share, User
from . import audit, mail, po_links, sales_order
from .access import case_for, visible_to
from .auth import Actor
from .contacts import billing_order
from .db import reading, transaction

DELIVERIES = {ShareKind.DOWNLOAD: "downloaded", ShareKind.PRINT: "opened to print"}


@dataclass(frozen=True)
class Contact:
    name: str
    role: str  # its roles' labels: "Billing", "Billing, Purchasing"
    email: str
    billing: bool = False


@dataclass(frozen=True)
class ShareRecord:
    id: int
    kind: ShareKind
    delivery: str
    recipients: str
    subject: str
    shared_at: datetime
    shared_by: str
    filename: str
    current: bool  # shows what the case shows now


@dataclass(frozen=True)
class ShareContext:
    can_share: bool
    default_recipient: str
    contacts: list[Contact]
    subject: str
    message: str
    history: list[ShareRecord]
    mail_configured: bool

    @property
    def last(self) -> ShareRecord | None:
        return self.history[0] if self.history else None


def directory(session: Session, case: Case, actor: Actor | None) -> list[Contact]:
    """The facility's active contacts (billing ones first, in the Directory's order, the very
    function the Directory uses; then purchasing, then OR) and the rep's own address."""
    c = FacilityContact
    rows = billing_order(session, case.facility_id) + list(session.exec(
        select(c).where(c.facility_id == case.facility_id, c.active, c.is_billing.is_(False))
        .order_by(c.is_purchasing.desc(), c.name, c.id)
    ).all())  # fmt: skip
    contacts = [Contact(r.name, ", ".join(role_labels(r.is_billing, r.is_purchasing, r.is_or)), r.email, r.is_billing)
                for r in rows]  # fmt: skip
    return contacts + ([Contact(f"{actor.name} (you)", "Sales Rep", actor.email)] if actor else [])


def first_billing_contact(contacts: list[Contact]) -> str:
    """Where Share and PO reminders go first: the first active billing contact."""
    return next((c.email for c in contacts if c.billing), "")


def _history(session: Session, case: Case, current: str) -> list[ShareRecord]:
    rows = session.exec(
        select(Share, User.name).join(User, User.id == Share.shared_by_id)
        .where(Share.case_id == case.id).order_by(Share.shared_at.desc(), Share.id.desc())
    ).all()  # fmt: skip
    return [ShareRecord(s.id, ShareKind(s.kind), s.delivery, s.recipients, s.subject, s.shared_at, who, s.filename,
                        s.document_fingerprint == current) for s, who in rows]  # fmt: skip


def share_context(actor: Actor, case_number: str) -> ShareContext:
    with reading() as session:
        case = case_for(session, actor, case_number)
        contacts = directory(session, case, actor)
        facility = session.get(Facility, case.facility_id)
        number = sales_order_number(case.number, case.revision)
        has_history = session.exec(select(Share.id).where(Share.case_id == case.id)).first() is not None
        current = sales_order.document_fingerprint(sales_order.assemble(session, case)) if has_history else ""
        return ShareContext(
            can_share=allows(case.status, CaseAction.SHARE, actor.role),
            default_recipient=first_billing_contact(contacts),
            contacts=contacts,
            subject=f"Sales Order {number} — {facility.name} — case {case.number}",
            message=(f"Hello,\n\nAttached is sales order {number} for case {case.number} "
                     f"(surgery {case.surgery_date:%b %-d, %Y}). Please reply with the Purchase Order number.\n\n"
                     f"Thank you,\n{actor.name}"),
            history=_history(session, case, current),
            mail_configured=mail.MailSettings.from_env().configured,
        )  # fmt: skip


def _record(session: Session, actor: Actor, case: Case, kind: ShareKind, delivery: str, pdf: bytes, order,
            recipients: str = "", subject: str = "", draft_id: str | None = None) -> ShareRecord:  # fmt: skip
    share = Share(case_id=case.id, kind=kind.value, recipients=recipients, subject=subject, delivery=delivery,
                  shared_by_id=actor.id, document_fingerprint=sales_order.document_fingerprint(order),
                  draft_id=draft_id, filename=sales_order.filename(order), pdf=pdf)  # fmt: skip
    session.add(share)
    session.flush()
    case.last_shared_at = share.shared_at
    session.add(case)
    what = f"emailed to {recipients} ({delivery})" if kind == ShareKind.EMAIL else delivery
    audit.record(session, actor, case_id=case.id, action="sales order shared", entity="share", entity_id=share.id,
                 summary=f"Sales order {order.number} {what}",
                 after={"kind": kind.value, "recipients": recipients, "delivery": delivery})  # fmt: skip
    return ShareRecord(share.id, kind, delivery, recipients, subject, share.shared_at, actor.name, share.filename, True)


def send(actor: Actor, case_number: str, recipients: object, subject: object, message: object,
         draft_id: str, origin: str = "") -> ShareRecord:  # fmt: skip
    """Email the sales order. Nothing is recorded unless the mail server took it (or, with
    no SMTP configured, the .eml was saved); one draft sends at most once. The PDF and the
    message carry a new buyer's PO link (`origin`: the browser's, unless CLOSEOUT_PUBLIC_URL),
    stored only once the message left."""
    to, subject, body = parse_recipients(recipients), parse_subject(subject), parse_message(message)
    with reading() as session:
        case = case_for(session, actor, case_number)
        check(case.status, CaseAction.SHARE, actor.role)
        if session.exec(select(Share.id).where(Share.draft_id == str(draft_id)[:40])).first():
            raise NotAllowed("This message was already sent.")
        link, revision = po_links.mint_for(case, origin), case.revision
        order, pdf = sales_order.build(session, case, buyer_url=link.url if link else "")
    email = mail.compose(mail.MailSettings.from_env(), to, subject, body + (buyer_link_text(link.url) if link else ""),
                         pdf, sales_order.filename(order), reply_to=actor.email)  # fmt: skip
    delivery = mail.deliver(email)
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)  # a reopen meanwhile: the link is not stored
        if link:
            po_links.store(session, case, link.token, actor=actor, purpose=f"emailed to {', '.join(to)}", revision=revision)
        return _record(session, actor, case, ShareKind.EMAIL, delivery, pdf, order, ", ".join(to), subject,
                       str(draft_id)[:40])  # fmt: skip


def buyer_link_text(url: str) -> str:
    """What the email adds under the rep's message: the buyer's PO link."""
    return (f"\n\n—\nEnter the Purchase Order online (no account needed; one PO for all manufacturers or one "
            f"each, with your PO document if you like):\n{url}\n")  # fmt: skip


def export(actor: Actor, case_number: str, kind: object, origin: str = "") -> tuple[str, bytes]:
    """Download or print: build the PDF now (with a new buyer's PO link on it), record the
    share, return (filename, bytes)."""
    try:
        kind = ShareKind(str(kind))
    except ValueError:
        raise NotFound("Unknown way to share.") from None
    if kind == ShareKind.EMAIL:
        raise NotFound("Unknown way to share.")
    with transaction() as session:
        case = case_for(session, actor, case_number)
        check(case.status, CaseAction.SHARE, actor.role)
        link = po_links.mint_for(case, origin)
        order, pdf = sales_order.build(session, case, buyer_url=link.url if link else "")
        if link:
            po_links.store(session, case, link.token, actor=actor, purpose=DELIVERIES[kind])
        record = _record(session, actor, case, kind, DELIVERIES[kind], pdf, order)
        return record.filename, pdf


def shared_copy(actor: Actor, share_id: int) -> tuple[str, bytes]:
    """A copy exactly as it was shared, for someone who may see its case."""
    with reading() as session:
        share = session.exec(
            select(Share).join(Case, Case.id == Share.case_id).where(Share.id == share_id, visible_to(actor))
        ).first()  # fmt: skip
        if share is None:
            raise NotFound("That shared copy was not found.")
        return share.filename, share.pdf
