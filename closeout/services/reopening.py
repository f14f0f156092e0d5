"""Reopen a submitted case, with a reason: Closed (rep or manager) → Open, or from Completed,
Invoiced or Paid (manager only) as a correction — credit and rebill (services/corrections.py):
the sales order as it stood is kept, its POs go with it, and the next one is SO-…-R1."""

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain.errors import InvalidInput
from ..domain.lifecycle import CORRECTED_ON_REOPEN, STATUS_LABELS, CaseAction, CaseStatus, check
from ..domain.po_link import REOPENED
from ..domain.sharing import sales_order_number
from ..models import Case, Manufacturer, PurchaseOrder
from . import audit, corrections, po_links
from .access import case_for
from .auth import Actor
from .billing import _move
from .db import transaction
from .inventory import consumption, replenishment_orders
from .signatures import set_aside

MAX_REASON = 200


def _reason(raw: object) -> str:
    text = " ".join(str(raw).split())
    if len(text) < 3:
        raise InvalidInput("reason", "Say why the case is reopened.")
    if len(text) > MAX_REASON or not text.isprintable():
        raise InvalidInput("reason", f"The reason is at most {MAX_REASON} printable characters.")
    return text


def reopen(actor: Actor, case_number: str, reason: object) -> CaseStatus:
    """The case row is locked first, so two managers correcting at once make one revision and
    the second is told the case changed. Signatures are set aside (kept in the history), the
    buyer's links die, and a pause of PO reminders ends with the Closed case it was about."""
    text = _reason(reason)
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)
        before = CaseStatus(case.status)
        to = check(before, CaseAction.REOPEN, actor.role)
        if before in CORRECTED_ON_REOPEN:
            kept = corrections.keep_and_credit(session, actor, case, before, text)
            _set_pos_aside(session, actor, case, kept.number)
        set_aside(session, case.id, f"case reopened: {text}", keep_pre_authorization=True)
        _move(session, case, before, to, submitted_at=None, submitted_by_id=None, completed_at=None,
              po_reminders_paused_at=None, po_reminders_pause_reason="", po_reminders_paused_by_id=None)  # fmt: skip
        po_links.revoke_for_case(session, case.id, REOPENED, actor)
        consumption.give_back(session, actor, case, f"case reopened: {text}")  # reverse movements, never deletions
        replenishment_orders.cancel_for_case(session, actor, case, "the case was reopened")
        audit.record(
            session, actor, case_id=case.id, action="reopened", entity="case", entity_id=case.id,
            summary=f"Reopened ({STATUS_LABELS[before]} → Open): {text}; signatures set aside",
            before={"status": before.value}, after={"status": to.value, "reason": text},
        )  # fmt: skip
        return to


def _set_pos_aside(session: Session, actor: Actor, case: Case, kept_number: str) -> None:
    """The POs belong to the sales order they answered (printed on its kept PDF): the rebill
    needs its own, entered again by the rep or the buyer (the same number if the hospital keeps it)."""
    rows = session.exec(
        select(PurchaseOrder, Manufacturer.name).outerjoin(Manufacturer, Manufacturer.id == PurchaseOrder.manufacturer_id)
        .where(PurchaseOrder.case_id == case.id)
    ).all()  # fmt: skip
    for po, maker in rows:
        audit.record(
            session, actor, case_id=case.id, action="PO set aside", entity="purchase_order", entity_id=po.id,
            summary=f"Purchase Order {po.number} ({maker or 'all manufacturers'}) stays with {kept_number}; "
            f"{sales_order_number(case.number, case.revision)} needs its own",
            before={"number": po.number, "manufacturer": maker or "all"}, after=None,
        )  # fmt: skip
    session.execute(sa.delete(PurchaseOrder).where(PurchaseOrder.case_id == case.id))
