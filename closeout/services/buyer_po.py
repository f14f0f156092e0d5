"""The facility's buyer, without an account, opens a sales order link and enters the PO (one for
all manufacturers or one each), optionally with their PO document. The link reveals that sales
order's summary only: no patient identifier, nothing else of the case or of any other case.

Guessing: an unknown token counts against the client under the sign-in throttle's machinery
(domain/throttle.py), and every submission through a link counts against that link, so a
client that guesses slows down and a link takes a bounded number of submissions."""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, select

from .. import settings
from ..domain import clock, throttle
from ..domain.catalog import UsageStatus
from ..domain.errors import DomainError, NotAllowed, NotFound
from ..domain.lifecycle import STATUS_LABELS, CaseStatus
from ..domain.po_link import MAX_TOKEN, UNKNOWN, LinkFacts, check_pdf, clean_filename, dead_message, parse_buyer_email
from ..domain.pricing import PricedLine, extended_price
from ..domain.sharing import sales_order_number
from ..domain.signing_link import matches, token_hash
from ..domain.text import lookup_text
from ..models import Case, DeviceLine, Facility, PoDocument, PoLink, Product, Surgeon
from . import auth, buyer_mail, po_drafts
from .access import visible_to
from .billing import EnteredBy, POView, case_manufacturers, purchase_orders, record_purchase_orders
from .db import reading, transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuyerLine:
    ref: str
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    no_charge: bool


@dataclass(frozen=True)
class BuyerMaker:
    id: int
    name: str
    lines: list[BuyerLine]
    subtotal: Decimal
    po_number: str  # "" while this manufacturer has no PO of its own


@dataclass(frozen=True)
class BuyerView:
    """What the link shows: that sales order's summary, and the POs entered so far."""

    seller: str
    sales_order: str
    facility: str
    surgery_date: date
    surgeon: str
    status: str
    makers: list[BuyerMaker]
    total: Decimal
    po_all: str  # the PO covering every manufacturer, if one was entered
    purchase_orders: list[POView]
    expires_at: datetime


class LinkDead(NotFound):
    """The link works no more (or never did): one plain message, never data."""


def _client_keys(client: object) -> dict:
    return throttle.link_client_key(lookup_text(client, throttle.CLIENT_LIMIT))


def _wait_if_held(keys: dict, what: str) -> None:
    wait = auth.held_for(keys)
    if wait is not None:
        raise NotAllowed(throttle.wait_message(wait, what))


def _find(token: object, client: object) -> int:
    """The id of the link with this token. Only unknown tokens count against the client, and
    only they wait out its hold: a buyer behind the same hospital address as someone who
    mistyped a link still opens theirs (a 256-bit token cannot be guessed within any hold)."""
    keys = _client_keys(client)
    token = lookup_text(token, MAX_TOKEN)
    with reading() as session:
        link = session.exec(select(PoLink).where(PoLink.token_hash == token_hash(token))).first() if token else None
        found = link.id if link is not None and matches(link.token_hash, token) else None
    if found is None:
        _wait_if_held(keys, "attempts with a link")
        auth.count_failure(keys)
        raise LinkDead(UNKNOWN)
    return found


def _live_case(session: Session, link_id: int, lock: bool = False) -> tuple[PoLink, Case]:
    """The link and its case (with `lock`, the case row held until the transaction ends: the
    buyer has no Actor for access.case_for), or LinkDead with why it no longer works."""
    link = session.get(PoLink, link_id)
    query = select(Case).where(Case.id == link.case_id)
    case = session.exec(query.with_for_update() if lock else query).one()
    if lock:
        session.refresh(link)
    facts = LinkFacts(link.expires_at, link.used_at, link.revoked_at, link.revoked_reason, link.revision, case.revision,
                      case.status)  # fmt: skip
    message = dead_message(facts, clock.now())
    if message:
        raise LinkDead(message)
    return link, case


def _makers(session: Session, case: Case, pos: list[POView]) -> tuple[list[BuyerMaker], Decimal]:
    rows = session.exec(
        select(Product.manufacturer_id, Product.ref, Product.description, DeviceLine)
        .join(Product, Product.id == DeviceLine.product_id)
        .where(DeviceLine.case_id == case.id, DeviceLine.usage_status != UsageStatus.UNUSED.value)
        .order_by(DeviceLine.position, DeviceLine.id)
    ).all()  # fmt: skip
    lines: dict[int, list[BuyerLine]] = {}
    for maker_id, ref, description, line in rows:
        amount = extended_price(PricedLine("", line.quantity, line.unit_price, UsageStatus(line.usage_status), line.no_charge))
        lines.setdefault(maker_id, []).append(BuyerLine(ref, description, line.quantity, line.unit_price, amount,
                                                        line.no_charge))  # fmt: skip
    own = {po.manufacturer_id: po.number for po in pos}
    makers = [BuyerMaker(mid, name, lines.get(mid, []), sum((x.amount for x in lines.get(mid, [])), Decimal("0.00")),
                         own.get(mid, "")) for mid, name in case_manufacturers(session, case.id).items()]  # fmt: skip
    return makers, sum((m.subtotal for m in makers), Decimal("0.00"))


def _view(session: Session, link: PoLink, case: Case) -> BuyerView:
    pos = purchase_orders(session, case.id)
    makers, total = _makers(session, case, pos)
    return BuyerView(
        settings.seller_name(), sales_order_number(case.number, case.revision), session.get(Facility, case.facility_id).name,
        case.surgery_date, session.get(Surgeon, case.surgeon_id).name, STATUS_LABELS[CaseStatus(case.status)], makers, total,
        next((p.number for p in pos if p.manufacturer_id is None), ""), pos, link.expires_at,
    )  # fmt: skip


def open_link(token: object, client: object = "") -> BuyerView:
    """The sales order summary behind a live link; LinkDead (one message) otherwise."""
    link_id = _find(token, client)
    with reading() as session:
        link, case = _live_case(session, link_id)
        return _view(session, link, case)


@dataclass(frozen=True)
class Entered:
    completed: bool
    view: BuyerView | None  # the summary after the entry, while the link still works


def live_link(token: object, client: object = "") -> int:
    """The id of a link that still works (a document may be attached through it); LinkDead."""
    link_id = _find(token, client)
    with reading() as session:
        _live_case(session, link_id)
    return link_id


def attach(token: object, client: object, filename: object, content: bytes) -> po_drafts.Draft:
    """The buyer's PO document, kept as the link's waiting draft until they submit."""
    return po_drafts.keep(live_link(token, client), client, filename, content)


def enter(token: object, email: object, numbers: dict[int | None, object], *, document: bytes | None = None,
          filename: object = "", client: object = "", draft: object = "") -> Entered:  # fmt: skip
    """The buyer's POs ({None: "PO"} or {manufacturer id: "PO", ...}) and optional PO document
    (a PDF given here, or the link's waiting draft by its key: taken from the drafts), saved
    through the one PO path (billing.record_purchase_orders) on the locked case, the link
    checked again inside the transaction. Completed: the rep is emailed."""
    email = parse_buyer_email(email)
    if document is not None:
        check_pdf(document)
    link_id = _find(token, client)
    submissions = throttle.link_submission_key(link_id)
    _wait_if_held(submissions, "submissions through this link")
    auth.count_failure(submissions)  # every submission counts, accepted or not
    with transaction() as session:
        link, case = _live_case(session, link_id, lock=True)
        doc_id = None
        if draft and document is None:
            waiting = po_drafts.take(session, link.id, draft)
            document, filename = waiting.content, waiting.filename
        if document is not None:
            doc = PoDocument(case_id=case.id, filename=clean_filename(filename), content=document, size=len(document),
                             uploaded_by=email, link_id=link.id)  # fmt: skip
            session.add(doc)
            session.flush()
            doc_id = doc.id
        status = record_purchase_orders(session, case, numbers, EnteredBy(None, email, link.id, doc_id))
        completed = status is CaseStatus.COMPLETED
        notice = buyer_mail.notice_for(session, case, email, completed)
        view = None if completed else _view(session, link, case)
    try:
        buyer_mail.send(notice)
    except DomainError:  # the POs are saved; the rep sees them on the case all the same
        log.warning("the rep's PO-entered email for %s was not sent", notice.case_number)
    return Entered(completed, view)


def document_for(actor: auth.Actor, document_id: int) -> tuple[str, bytes]:
    """A buyer's PO document, for a signed-in user who may see its case."""
    with reading() as session:
        doc = session.exec(
            select(PoDocument).join(Case, Case.id == PoDocument.case_id).where(PoDocument.id == document_id, visible_to(actor))
        ).first()  # fmt: skip
        if doc is None:
            raise NotFound("That PO document was not found.")
        return doc.filename, doc.content
