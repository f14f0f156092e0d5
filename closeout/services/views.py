"""Read models: one function per screen part, returning exactly what it shows, read in one
session with one access check (cosmic python's views.py). States map them to vars."""

from dataclasses import dataclass
from decimal import Decimal

from ..domain.lifecycle import CaseStatus
from ..domain.readiness import Missing
from ..domain.signing import SignerRole
from .access import case_for
from .auth import Actor
from .billing import POView, case_manufacturers, purchase_orders, submission_problems
from .cases import CaseHeader, header_of
from .db import reading
from .device_lines import LinePage, page_of, totals_of
from .reminder_history import ReminderRow, reminder_rows
from .reminder_settings import Pause, pause_of
from .signatures import SignatureView, views
from .signer_secrets import has_pin


@dataclass(frozen=True)
class SignTab:
    """The Sign & Submit tab: signers, readiness, POs per manufacturer, PO reminders."""

    header: CaseHeader
    line_count: int
    grand_total: Decimal
    signatures: dict[SignerRole, SignatureView]
    problems: list[Missing]  # why Submit for Billing is refused now, each with where it is fixed (an Open case only)
    manufacturers: dict[int, str]
    purchase_orders: list[POView]
    reminders: list[ReminderRow]
    has_signing_pin: bool = False  # the signed-in user's: they may sign with it instead of the password
    reminder_pause: Pause | None = None  # the case's PO reminders are paused (why, by whom)


def sign_tab(actor: Actor, case_number: str) -> SignTab:
    with reading() as session:
        case = case_for(session, actor, case_number)
        totals, line_count = totals_of(session, case.id)
        header = header_of(session, case)
        signed = views(session, case)
        problems = submission_problems(session, case, signed) if header.status is CaseStatus.OPEN else []
        return SignTab(
            header, line_count, totals.grand_total, signed, problems,
            case_manufacturers(session, case.id), purchase_orders(session, case.id), reminder_rows(session, case.id),
            has_signing_pin=has_pin(session, actor.id), reminder_pause=pause_of(session, case),
        )  # fmt: skip


@dataclass(frozen=True)
class CaseOpened:
    """A case page as it opens: the header and the first page of Device Used lines."""

    header: CaseHeader
    lines: LinePage


def open_case(actor: Actor, case_number: str, page_size: int) -> CaseOpened:
    """Everything the case page shows when it opens, in one read."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        return CaseOpened(header_of(session, case), page_of(session, actor, case, 1, page_size))
