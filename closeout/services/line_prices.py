"""Unit prices typed by hand, under control: the acting user's permission is read from the
database in the same transaction (a grant or revocation counts from the next save), the
reason is kept on the line, and the case's "prices edited" flag follows its lines."""

from decimal import Decimal

from sqlmodel import Session, select

from ..domain.catalog import PriceSource
from ..domain.price_edits import PriceDecision, decide_price
from ..domain.pricing import default_price
from ..models import Case, DeviceLine, Product, User
from .auth import Actor
from .catalog import contract_price


def may_edit_prices(session: Session, actor: Actor) -> bool:
    """Whether the actor's account holds a manager's grant to edit prices (as stored now)."""
    return bool(session.exec(select(User.may_edit_prices).where(User.id == actor.id)).first())


def price_line(session: Session, actor: Actor, case: Case, line: DeviceLine, typed: Decimal, reason: object) -> PriceDecision:
    """Apply a typed price to the line (not yet saved): the price in force for the case's
    facility on its surgery date is always accepted; any other needs the permission and a
    reason (domain/price_edits.py raises, and nothing changes)."""
    if typed == line.unit_price and not str(reason or "").strip():
        reason = line.price_reason  # the same price again keeps the reason it was given
    product = session.get(Product, line.product_id)
    contract = contract_price(session, case.facility_id, product.id, case.surgery_date)
    decision = decide_price(typed, product.list_price, contract, may_edit_prices(session, actor), reason)
    line.unit_price, line.price_source = decision.unit_price, decision.source.value
    line.catalog_price, line.price_reason = decision.catalog_price, decision.reason
    return decision


def prices_edited(session: Session, case_id: int) -> bool:
    """Whether any line of the case carries a price typed by hand."""
    found = select(DeviceLine.id).where(DeviceLine.case_id == case_id, DeviceLine.price_source == PriceSource.EDITED.value)
    return session.exec(found.limit(1)).first() is not None


def refresh_price_in_force(session: Session, case: Case) -> None:
    """After the case's facility or surgery date changed: the price each edited line departs
    from is the one in force now (the typed prices themselves stay)."""
    rows = session.exec(
        select(DeviceLine, Product).join(Product, Product.id == DeviceLine.product_id)
        .where(DeviceLine.case_id == case.id, DeviceLine.price_source == PriceSource.EDITED.value)
    ).all()  # fmt: skip
    for line, product in rows:
        in_force, _ = default_price(product.list_price, contract_price(session, case.facility_id, product.id, case.surgery_date))
        if line.catalog_price != in_force:
            line.catalog_price = in_force
            session.add(line)
