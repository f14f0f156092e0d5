"""What one PO reminder says and to whom, by the facility's settings (services/reminders.py
sends it): the recipients (first billing contact, every purchasing contact, or both), the
facility's text with the buyer's PO link in it, and the sales order attached."""

import re
from email.message import EmailMessage

from sqlmodel import Session, select

from .. import settings
from ..domain.errors import NotAllowed
from ..domain.money import format_usd
from ..domain.reminder_text import render
from ..domain.sharing import sales_order_number
from ..models import Case, Facility, FacilityContact
from . import mail, po_links, sales_order
from .auth import Actor
from .contacts import billing_order

_WHO = {"billing": "billing", "purchasing": "purchasing", "both": "billing or purchasing"}
_ADDRESS = re.compile(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']*[^\s<>(),;:\"'.]")


class NotBuilt(Exception):
    """The sales order to attach could not be built (before anything was sent)."""


def purchasing_contacts(session: Session, facility_id: int) -> list[str]:
    """Every active purchasing contact's address, by name: who "purchasing" reaches."""
    c = FacilityContact
    return list(session.exec(select(c.email).where(c.facility_id == facility_id, c.is_purchasing, c.active)
                             .order_by(c.name, c.id)).all())  # fmt: skip


def recipients(session: Session, case: Case, facility: Facility) -> list[str]:
    """The addresses the facility's setting names (Directory order, no address twice); NotAllowed
    when it names nobody, so the manager is told which contact to add."""
    found: list[str] = []
    if facility.po_reminder_recipients in ("billing", "both"):
        found += [c.email for c in billing_order(session, facility.id)[:1]]
    if facility.po_reminder_recipients in ("purchasing", "both"):
        found += purchasing_contacts(session, facility.id)
    unique = list({address.casefold(): address for address in reversed(found)}.values())[::-1]
    if not unique:
        who = _WHO.get(facility.po_reminder_recipients, "billing")
        raise NotAllowed(f"{case.number}: {facility.name} has no active {who} contact in the Directory.")
    return unique


def compose(session: Session, case: Case, facility: Facility, to: list[str], actor: Actor | None,
            origin: str) -> EmailMessage:  # fmt: skip
    """The message with a new PO link for the buyer, in the text and on the attached PDF (issued
    in the caller's transaction: it is kept only if the reminder is sent)."""
    link = po_links.issue(session, case, actor=actor, purpose=f"PO reminder to {', '.join(to)}"[:300], origin=origin)
    try:
        order, pdf = sales_order.build(session, case, buyer_url=link)
    except Exception as error:
        raise NotBuilt() from error
    number = sales_order_number(case.number, case.revision)
    body = render(facility.po_reminder_text, {
        "sales_order": number, "case_number": case.number, "facility": facility.name,
        "surgery_date": f"{case.surgery_date:%b %-d, %Y}", "total": format_usd(case.billable_total), "link": link,
        "sender": actor.name if actor else settings.seller_name(),
    })  # fmt: skip
    return mail.compose(mail.MailSettings.from_env(), to, f"PO needed: sales order {number} — case {case.number}", body,
                        pdf, sales_order.filename(order))  # fmt: skip


def error_for_people(message: str) -> str:
    """A mail failure as the reminder history shows it: the server's words without any address."""
    return _ADDRESS.sub("a recipient", message)[:300]
