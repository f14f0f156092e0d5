"""Inventory test data: locations, stock and a case line sourced from stock (setup, made
through the services where they exist)."""

from sqlmodel import select

from closeout.models import Facility, Product
from closeout.services.db import reading
from closeout.services.inventory import locations, stock
from tests.factories import demo_rep, manager, unique_suffix


def facility_id(name: str = "St. Brigid Medical Center") -> int:
    with reading() as session:
        return session.exec(select(Facility.id).where(Facility.name == name)).one()


def product_ids(count: int = 3) -> list[int]:
    with reading() as session:
        return list(session.exec(select(Product.id).order_by(Product.id).limit(count)).all())


def warehouse() -> int:
    return locations.create_location(manager(), "warehouse", f"Warehouse {unique_suffix()}")


def consignment(facility: str = "St. Brigid Medical Center") -> int:
    return locations.create_location(manager(), "consignment", f"OR core {unique_suffix()}", facility_id(facility))


def trunk(rep=None) -> int:
    rep = rep or demo_rep()
    return locations.create_location(manager(), "trunk", f"{rep.name}'s trunk {unique_suffix()}", rep_id=rep.id)


def stocked(location_id: int, product_id: int, quantity: int = 1, lot: str = "", serial: str = "", expiry=None):
    return stock.receive(manager(), location_id, product_id, quantity, lot, serial, expiry)
