"""A replenishment order is received when the transfer that carries it is accepted (called in
the transfer's decision, services/inventory/transfers.py); once every order of a case is
received, the case's replenishment requests (services/replenishment.py) are fulfilled."""

from enum import StrEnum

from sqlmodel import Session, select

from ...domain import clock
from ...domain.replenishment import ReplenishmentStatus
from ...models import ReplenishmentOrder, ReplenishmentRequest, StockTransfer
from .. import audit
from ..auth import Actor


class OrderStatus(StrEnum):
    DRAFT = "draft"
    PICKING = "picking"
    SHIPPED = "shipped"
    RECEIVED = "received"
    CANCELLED = "cancelled"


def received_in(session: Session, actor: Actor, transfer: StockTransfer) -> None:
    """In the transfer's decision: its order is received; the case's requests are fulfilled
    once every order of the case is."""
    order = session.exec(select(ReplenishmentOrder).where(ReplenishmentOrder.transfer_id == transfer.id)).first()
    if order is None:
        return
    order.status, order.updated_at = OrderStatus.RECEIVED.value, clock.now()
    session.add(order)
    session.flush()
    audit.record(session, actor, case_id=order.case_id, action="replenishment order received",
                 entity="replenishment_order", entity_id=order.id, summary=f"Replenishment order #{order.id} received",
                 before={"status": "shipped"}, after={"status": "received"})  # fmt: skip
    if order.case_id is None:
        return
    waiting = session.exec(select(ReplenishmentOrder.id).where(
        ReplenishmentOrder.case_id == order.case_id,
        ReplenishmentOrder.status.in_([OrderStatus.DRAFT.value, OrderStatus.PICKING.value, OrderStatus.SHIPPED.value]))).first()  # fmt: skip
    if waiting is not None:
        return
    for request in session.exec(select(ReplenishmentRequest).where(
            ReplenishmentRequest.case_id == order.case_id,
            ReplenishmentRequest.status == ReplenishmentStatus.REQUESTED.value)).all():  # fmt: skip
        request.status, request.fulfilled_at, request.fulfilled_by_id = ReplenishmentStatus.FULFILLED.value, clock.now(), actor.id
        session.add(request)
        audit.record(session, actor, case_id=order.case_id, action="replenishment fulfilled", entity="replenishment",
                     entity_id=request.id, summary=f"Replenishment request #{request.id} fulfilled: its stock was received",
                     before={"status": "requested"}, after={"status": "fulfilled"})  # fmt: skip
