"""Applying a checked import plan inside the caller's one transaction: rows go in batches of
executemany statements (tens of thousands of rows in seconds), reporting progress between
batches. Nothing is deleted; a failure anywhere rolls the whole import back."""

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from ..domain.catalog_import import ProductPlan
from ..domain.price_import import PricePlan
from ..models import Facility, PriceList, PriceListItem, Product
from . import audit
from .auth import Actor

BATCH = 2_000
T = TypeVar("T")
Progress = Callable[[int], None]


def _batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def apply_products(session: Session, plan: ProductPlan, progress: Progress) -> None:
    table, done = Product.__table__, 0
    for batch in _batches(plan.new):
        session.execute(sa.insert(table), [{"manufacturer_id": v.maker_id, "ref": v.ref, "description": v.description,
                                            "gtin": v.gtin, "list_price": v.list_price, "single_use": v.single_use}
                                           for v in batch])  # fmt: skip
        done += len(batch)
        progress(done)
    change = sa.update(table).where(table.c.id == sa.bindparam("pid"))
    change = change.values(description=sa.bindparam("d"), gtin=sa.bindparam("g"), list_price=sa.bindparam("p"),
                           single_use=sa.bindparam("s"))  # fmt: skip
    for batch in _batches(plan.updated):
        session.execute(change, [{"pid": pid, "d": v.description, "g": v.gtin, "p": v.list_price, "s": v.single_use}
                                 for pid, v in batch])  # fmt: skip
        done += len(batch)
        progress(done)


def _make_lists(session: Session, actor: Actor, plan: PricePlan) -> dict[str, int]:
    """The price lists the file names for the first time, and the facilities' own lists."""
    made = {}
    for key, new in plan.new_lists.items():
        price_list = PriceList(name=new.name)
        session.add(price_list)
        session.flush()
        made[key] = price_list.id
        summary = f"Price list {new.name} created by a contract price import"
        if new.facility_id is not None:
            session.execute(sa.update(Facility).where(Facility.id == new.facility_id).values(price_list_id=price_list.id))
            summary += " for its facility"
        audit.record(session, actor, case_id=None, action="price list created", entity="price_list", entity_id=price_list.id,
                     summary=summary, after={"name": new.name, "facility_id": new.facility_id})  # fmt: skip
    return made


def apply_prices(session: Session, actor: Actor, plan: PricePlan, progress: Progress) -> None:
    made = _make_lists(session, actor, plan)
    table, done = PriceListItem.__table__, 0
    for batch in _batches(plan.new):
        session.execute(sa.insert(table), [{"price_list_id": made.get(v.target, v.target), "product_id": v.product_id,
                                            "price": v.price, "effective_from": v.start, "effective_to": v.end}
                                           for v in batch])  # fmt: skip
        done += len(batch)
        progress(done)
    change = (
        sa.update(table).where(table.c.id == sa.bindparam("pid")).values(price=sa.bindparam("p"), effective_to=sa.bindparam("e"))
    )
    for batch in _batches(plan.updated):
        session.execute(change, [{"pid": pid, "p": price, "e": end} for pid, price, end in batch])
        done += len(batch)
        progress(done)
