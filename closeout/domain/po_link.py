"""The facility buyer's PO link: what state a link is in, the one plain message a dead link
gives (never data), the buyer's email, and the PO document they may attach (a PDF, checked by
its bytes, not its name)."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .errors import InvalidInput
from .lifecycle import CaseStatus
from .sharing import parse_recipients

MAX_TOKEN = 100
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_FILENAME = 120
DEFAULT_FILENAME = "purchase-order.pdf"


class LinkStatus(StrEnum):
    LIVE = "live"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


# Revocation reasons (PoLink.revoked_reason), as the Share tab shows them.
REOPENED, POS_ENTERED, REVOKED = "case reopened", "POs entered", "revoked"

UNKNOWN = "This link does not work. Check that the whole address was copied, or ask your sales rep for a new one."
EXPIRED = "This link has expired. Ask your sales rep for a new one."
WITHDRAWN = "This link was withdrawn by the sales rep. Ask them for a new one if you still need it."
ENTERED = "The Purchase Order for this sales order has been entered. Thank you: nothing more is needed."
REPLACED = "This sales order was reopened for a correction. A corrected sales order (with its own link) will follow."
CANCELLED = "This sales order was cancelled: no Purchase Order is needed."


@dataclass(frozen=True)
class LinkFacts:
    """What decides whether a link still works, read from the link and its case."""

    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str
    revision: int
    case_revision: int
    case_status: str


def status_of(expires_at: datetime, used_at: datetime | None, revoked_at: datetime | None, now: datetime) -> LinkStatus:
    """The link's own state (the Share tab's column): used and revoked before expired."""
    if used_at is not None:
        return LinkStatus.USED
    if revoked_at is not None:
        return LinkStatus.REVOKED
    return LinkStatus.LIVE if now < expires_at else LinkStatus.EXPIRED


def dead_message(facts: LinkFacts, now: datetime) -> str:
    """Why this link shows nothing, or "" while it works: entered, withdrawn, reopened or
    replaced, cancelled, expired, each one plain sentence."""
    status = status_of(facts.expires_at, facts.used_at, facts.revoked_at, now)
    case = CaseStatus(facts.case_status)
    if status is LinkStatus.USED or facts.revoked_reason == POS_ENTERED:
        return ENTERED
    if case is CaseStatus.CANCELLED:
        return CANCELLED
    if status is LinkStatus.REVOKED:
        return REPLACED if facts.revoked_reason == REOPENED else WITHDRAWN
    if facts.revision != facts.case_revision or case is CaseStatus.OPEN:
        return REPLACED
    if case is not CaseStatus.CLOSED:
        return ENTERED  # Completed, Invoiced, Paid: the PO is in
    return EXPIRED if status is LinkStatus.EXPIRED else ""


def parse_buyer_email(raw: object) -> str:
    """One address, checked as a share recipient is."""
    if not str(raw or "").strip():
        raise InvalidInput("email", "Enter your email address, so the sales rep knows who entered the PO.")
    try:
        found = parse_recipients(raw)
    except InvalidInput as refusal:
        raise InvalidInput("email", refusal.message) from None
    if len(found) != 1:
        raise InvalidInput("email", "Enter one email address: yours.")
    return found[0]


def clean_filename(raw: object) -> str:
    """A name safe to store and to offer for download: the last path part, letters, digits and
    `._()-` and spaces only, ending in .pdf."""
    name = re.split(r"[\\/]", str(raw or ""))[-1]
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"\.pdf$", "", name.strip(), flags=re.IGNORECASE)
    stem = re.sub(r"[^A-Za-z0-9._() -]+", "_", name).strip(" ._")[: MAX_FILENAME - 4]
    return f"{stem}.pdf" if stem else DEFAULT_FILENAME


def check_pdf(data: bytes) -> None:
    """A PDF, judged by its bytes: the `%PDF-1.x`/`%PDF-2.0` header first, a cross-reference
    (`startxref`) and the `%%EOF` marker at the end, at most 5 MB. Anything else is refused."""
    if not data:
        raise InvalidInput("document", "The file is empty.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput("document", f"The PO document is over {MAX_DOCUMENT_BYTES // 1048576} MB. Attach a smaller PDF.")
    if not re.match(rb"%PDF-(1\.[0-7]|2\.0)\s", data[:16]):
        raise InvalidInput("document", "The PO document must be a PDF file.")
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise InvalidInput("document", "This PDF looks damaged or incomplete. Save it again and attach it once more.")
