"""The rep's email when the facility's buyer entered POs through the sales order link: which
sales order, which POs, whether the case is Completed. No patient identifier."""

from dataclasses import dataclass

from sqlmodel import Session

from .. import routes, settings
from ..domain.sharing import sales_order_number
from ..models import Case, Facility, User
from . import mail
from .billing import purchase_orders


@dataclass(frozen=True)
class Notice:
    case_number: str
    to: str
    subject: str
    body: str


def _one_line(text: str) -> str:
    """Header text: a facility name with a line break in it must not start a header of its own."""
    return " ".join(text.split())[:200]


def _case_line(number: str) -> str:
    base = settings.public_url()
    return f"Open the case: {base}{routes.case_url(number)}\n" if base else f"Open case {number} in Closeout.\n"


def notice_for(session: Session, case: Case, buyer: str, completed: bool) -> Notice:
    """The message, read in the buyer's transaction (so it says what was saved)."""
    number = sales_order_number(case.number, case.revision)
    facility = session.get(Facility, case.facility_id).name
    rep = session.get(User, case.rep_id)
    pos = "\n".join(f"  - {po.manufacturer}: {po.number}" + (f" (PO document: {po.document_name})" if po.document_name else "")
                    for po in purchase_orders(session, case.id))  # fmt: skip
    state = "The case is now Completed." if completed else "A Purchase Order is still missing for some manufacturers."
    subject = _one_line(f"PO entered by the buyer: {number} — {facility}" + (" — Completed" if completed else ""))
    body = (f"Hello {rep.name},\n\n{buyer} entered the Purchase Order for sales order {number} (case {case.number}, "
            f"{facility}, surgery {case.surgery_date:%b %-d, %Y}) through the sales order link.\n\n"
            f"Purchase Orders now on the case:\n{pos}\n\n{state}\n\n"
            + _case_line(case.number))  # fmt: skip
    return Notice(case.number, rep.email, subject, body)


def send(notice: Notice) -> str:
    """Deliver it (SMTP, or the outbox); MailError when the server refused."""
    message = mail.compose(mail.MailSettings.from_env(), [notice.to], notice.subject, notice.body, None, "")
    return mail.deliver(message)
