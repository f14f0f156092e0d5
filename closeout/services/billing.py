"""Submit for Billing (Open → Closed), Purchase Orders (Closed → Completed), Reopen."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain import clock
from ..domain.catalog import UsageStatus
from ..domain.errors import InvalidInput, NotAllowed
from ..domain.lifecycle import REP, CaseAction, CaseStatus, check
from ..domain.po_link import POS_ENTERED
from ..domain.purchase_order import parse_po_number, uncovered
from ..domain.readiness import NO_LINES, CaseFacts, LineFacts, Missing, NotReady, billing_gaps, requirements_of
from ..domain.signing import REQUIRED_SIGNERS, ROLE_LABELS, SignerRole
from ..models import Case, DeviceLine, Facility, Manufacturer, PoDocument, PoLink, Product, PurchaseOrder, User
from . import audit, po_links
from .access import case_for
from .auth import Actor
from .db import reading, transaction
from .inventory import consumption, replenishment_orders
from .signatures import SignatureView, views


def _billing_gaps(session: Session, case: Case) -> list[Missing]:
    """What the case's facility requires that the case or its lines lack (domain/readiness.py)."""
    rows = session.exec(
        select(DeviceLine.position, Product.ref, DeviceLine.usage_status, DeviceLine.lot, DeviceLine.serial,
               DeviceLine.expiry)
        .join(Product, Product.id == DeviceLine.product_id)
        .where(DeviceLine.case_id == case.id).order_by(DeviceLine.position)
    ).all()  # fmt: skip
    lines = [LineFacts(position, ref, UsageStatus(usage), lot, serial, expiry) for position, ref, usage, lot, serial, expiry in rows]
    facts = CaseFacts(case.facility_case_number, case.patient_ref, case.procedure, case.surgery_time)
    return billing_gaps(requirements_of(session.get(Facility, case.facility_id)), facts, lines)


def submission_problems(
    session: Session, case: Case, signed: dict[SignerRole, SignatureView] | None = None
) -> list[Missing]:
    """Everything standing between this case and Submit for Billing, in words for the rep,
    each with where it is fixed (`signed`: the case's signature views, when the caller has
    read them already)."""
    problems = _billing_gaps(session, case)
    if NO_LINES in problems:
        return problems  # signatures come once there is something to sign for
    signed = views(session, case) if signed is None else signed
    for role in REQUIRED_SIGNERS:  # a pre-authorization is not needed to submit
        signature = signed.get(role)
        if signature is None:
            problems.append(Missing(f"The {ROLE_LABELS[role]} signature is missing (or attest instead)."))
        elif not signature.valid:
            problems.append(Missing(f"The {ROLE_LABELS[role]} signature is no longer valid: the devices changed. Sign again."))
    return problems


def problems_of(actor: Actor, case_number: str) -> list[str]:
    with reading() as session:
        return [m.text for m in submission_problems(session, case_for(session, actor, case_number))]


def _move(session: Session, case: Case, expected: CaseStatus, to: CaseStatus, **values) -> None:
    """Change status only if nobody else did first (one conditional UPDATE), so a double
    click or two screens submitting at once change the case exactly once."""
    done = session.execute(
        sa.update(Case).where(Case.id == case.id, Case.status == expected.value)
        .values(status=to.value, updated_at=clock.now(), **values)
    )  # fmt: skip
    if done.rowcount != 1:
        raise NotAllowed("This case was changed on another screen; it has been refreshed.")
    session.refresh(case)


def submit_for_billing(actor: Actor, case_number: str, request_replenishment: object = False) -> CaseStatus:
    """Open → Closed: needs lines, no invalid line and both signatures (or attestations)
    matching the current content. Devices Used is locked from then on."""
    if not isinstance(request_replenishment, bool):
        raise InvalidInput("request_replenishment", "Request Replenishment must be ticked or not.")
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)  # edits wait, then find the case Closed
        to = check(case.status, CaseAction.SUBMIT, actor.role)
        problems = submission_problems(session, case)
        if problems:
            raise NotReady(problems)  # every gap, each with where it is fixed
        _move(session, case, CaseStatus.OPEN, to, submitted_at=clock.now(), submitted_by_id=actor.id,
              replenishment_requested=request_replenishment)  # fmt: skip
        audit.record(
            session, actor, case_id=case.id, action="submitted for billing", entity="case", entity_id=case.id,
            summary="Submitted for billing: the case is Closed — pending PO"
            + (" (replenishment requested)" if request_replenishment else ""),
            before={"status": CaseStatus.OPEN.value},
            after={"status": to.value, "replenishment_requested": request_replenishment},
        )  # fmt: skip
        if consumption.consume(session, actor, case) and request_replenishment:  # a short source refuses the submit
            replenishment_orders.draft_for_case(session, actor, case)  # what it took from consignment or trunk
        return to


@dataclass(frozen=True)
class POView:
    manufacturer_id: int | None
    manufacturer: str  # "All manufacturers" for a case-wide PO
    number: str
    entered_at: datetime
    entered_by: str  # the user's name, or "buyer@hospital via link"
    document_id: int | None = None  # the buyer's PO document (a PDF), when attached
    document_name: str = ""


@dataclass(frozen=True)
class EnteredBy:
    """Who enters POs: a signed-in user, or the facility's buyer through a sales order link
    (no account: their email, the link, and the PO document they attached, if any)."""

    actor: Actor | None
    email: str = ""
    link_id: int | None = None
    document_id: int | None = None

    @property
    def role(self) -> str:
        return self.actor.role if self.actor else REP  # the buyer answers the rep's sales order

    @property
    def buyer_name(self) -> str:
        """The Activity tab's name for a buyer ("" for a user)."""
        return "" if self.actor else f"{self.email} via the sales order link"


def case_manufacturers(session: Session, case_id: int) -> dict[int, str]:
    rows = session.exec(
        select(Manufacturer.id, Manufacturer.name).join(Product, Product.manufacturer_id == Manufacturer.id)
        .join(DeviceLine, DeviceLine.product_id == Product.id).where(DeviceLine.case_id == case_id).distinct()
    ).all()  # fmt: skip
    return dict(sorted(rows, key=lambda row: row[1]))


def purchase_orders(session: Session, case_id: int) -> list[POView]:
    """The case's POs with who entered each: a user, or a buyer through a link (no user row)."""
    rows = session.exec(
        select(PurchaseOrder, Manufacturer.name, User.name, PoDocument.filename)
        .outerjoin(Manufacturer, Manufacturer.id == PurchaseOrder.manufacturer_id)
        .outerjoin(User, User.id == PurchaseOrder.entered_by_id)
        .outerjoin(PoDocument, PoDocument.id == PurchaseOrder.document_id)
        .where(PurchaseOrder.case_id == case_id).order_by(PurchaseOrder.id)
    ).all()  # fmt: skip
    return [POView(po.manufacturer_id, maker or "All manufacturers", po.number, po.entered_at,
                   who or (f"{po.entered_by_email} via link" if po.entered_by_email else "—"), po.document_id,
                   document or "")
            for po, maker, who, document in rows]  # fmt: skip


def enter_purchase_orders(actor: Actor, case_number: str, numbers: dict[int | None, object]) -> CaseStatus:
    """Record PO numbers: {None: "PO"} for one PO covering all manufacturers, or
    {manufacturer_id: "PO", ...}. When every manufacturer is covered the case is Completed."""
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)  # one after the other with a buyer's link
        return record_purchase_orders(session, case, numbers, EnteredBy(actor))


def record_purchase_orders(session: Session, case: Case, numbers: dict[int | None, object], who: EnteredBy) -> CaseStatus:
    """The one way POs are saved (the rep's screen, the buyer's link), in the caller's
    transaction on the locked case: checked, each audited, and when every manufacturer is
    covered the case is Completed and its buyer links stop working."""
    if not numbers:
        raise InvalidInput("po_number", "Enter the Purchase Order number.")
    check(case.status, CaseAction.ENTER_PO, who.role)
    makers = case_manufacturers(session, case.id)
    parsed = {}
    for maker_id, raw in numbers.items():
        if maker_id is not None and maker_id not in makers:
            raise InvalidInput("po_number", "That manufacturer has no devices in this case.")
        parsed[maker_id] = parse_po_number(raw, field=f"po_{maker_id or 'all'}")
    existing = {po.manufacturer_id: po for po in session.exec(
        select(PurchaseOrder).where(PurchaseOrder.case_id == case.id)).all()}  # fmt: skip
    if None in parsed:  # one PO for everything replaces per-manufacturer ones, each audited
        for po in existing.values():
            if po.manufacturer_id is not None:
                _replaced(session, who, case, po, makers.get(po.manufacturer_id, "a manufacturer"))
        existing = {k: v for k, v in existing.items() if k is None}
    for maker_id, number in parsed.items():
        _save_po(session, who, case, existing.get(maker_id), maker_id, makers.get(maker_id), number)
    session.flush()
    covered = {po.manufacturer_id for po in session.exec(
        select(PurchaseOrder).where(PurchaseOrder.case_id == case.id)).all()}  # fmt: skip
    if uncovered(set(makers), covered):
        return CaseStatus(case.status)
    to = check(case.status, CaseAction.COMPLETE, who.role)
    _move(session, case, CaseStatus.CLOSED, to, completed_at=clock.now())
    audit.record(session, who.actor, case_id=case.id, action="completed", entity="case", entity_id=case.id,
                 summary="Completed: the Purchase Order covers every manufacturer", actor_name=who.buyer_name,
                 before={"status": CaseStatus.CLOSED.value}, after={"status": to.value})  # fmt: skip
    if who.link_id is not None:  # the buyer's own link is spent by it, the others revoked
        session.execute(sa.update(PoLink).where(PoLink.id == who.link_id, PoLink.used_at.is_(None))
                        .values(used_at=clock.now()))  # fmt: skip
        audit.record(session, None, case_id=case.id, action="buyer PO link used", entity="po_link", entity_id=who.link_id,
                     summary="Buyer PO link used: every manufacturer's PO is in", actor_name=who.buyer_name,
                     before={"status": "live"}, after={"status": "used"})  # fmt: skip
    po_links.revoke_for_case(session, case.id, POS_ENTERED, who.actor, who.buyer_name)
    return to


def _replaced(session: Session, who: EnteredBy, case: Case, po: PurchaseOrder, maker: str) -> None:
    audit.record(session, who.actor, case_id=case.id, action="PO replaced", entity="purchase_order", entity_id=po.id,
                 summary=f"Purchase Order {po.number} for {maker} replaced by one PO for all manufacturers",
                 before={"number": po.number, "manufacturer": maker}, after=None, actor_name=who.buyer_name)  # fmt: skip
    session.delete(po)


def _save_po(session: Session, who: EnteredBy, case: Case, po: PurchaseOrder | None, maker_id: int | None,
             maker_name: str | None, number: str) -> None:  # fmt: skip
    before = {"number": po.number} if po else None
    if po is None:
        po = PurchaseOrder(case_id=case.id, manufacturer_id=maker_id, number=number)
    elif po.number == number and who.document_id is None:
        return
    po.number, po.entered_at = number, clock.now()
    po.entered_by_id, po.entered_by_email = (who.actor.id if who.actor else None), who.email
    po.link_id, po.document_id = who.link_id, who.document_id
    session.add(po)
    session.flush()
    what = f"Purchase Order {number} for {maker_name or 'all manufacturers'}"
    after = {"number": number, "manufacturer": maker_name or "all"}
    if who.actor is None:
        what, after = f"{what} entered by {who.buyer_name}", {**after, "document": who.document_id is not None}
    audit.record(session, who.actor, case_id=case.id, action="PO entered", entity="purchase_order", entity_id=po.id,
                 summary=what, before=before, after=after, actor_name=who.buyer_name)  # fmt: skip
