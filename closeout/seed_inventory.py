"""Demo inventory (issue 24), added after the rest of the demo data and drawing nothing from
its random sequence, so every demo case stays as it was: a warehouse, an "OR core"
consignment at each demo facility, Dana's trunk, one loaner kit, and opening stock of some
demo products — each unit received from the supplier (a movement), so the books balance."""

from datetime import timedelta

from sqlmodel import Session, select

from .domain import clock
from .domain.inventory.ledger import Reason
from .domain.inventory.locations import LocationKind
from .models import Facility, KitContent, LoanerKit, Product, StockLocation, StockMovement, StockUnit, User
from .services.auth import DEMO_REP_EMAIL

DEMO_WAREHOUSE = "Portland warehouse"
DEMO_KIT_NUMBER = "K-100"


def _receive(session: Session, supplier: int, location: int, product: int, quantity: int, lot: str = "",
             serial: str = "", days: int = 400) -> None:  # fmt: skip
    expiry = clock.today() + timedelta(days=days)
    session.add(StockUnit(location_id=location, product_id=product, lot=lot, serial=serial, expiry=expiry, quantity=quantity))
    session.add(StockMovement(product_id=product, lot=lot, serial=serial, expiry=expiry, quantity=quantity,
                              from_location_id=supplier, to_location_id=location, reason=Reason.OPENING.value,
                              note="demo opening stock"))  # fmt: skip


def load_demo_inventory(session: Session) -> None:
    supplier = session.exec(select(StockLocation.id).where(StockLocation.kind == LocationKind.SUPPLIER.value)).first()
    if supplier is None:  # a database migrated without the inventory tables' virtual locations
        return
    dana = session.exec(select(User).where(User.email == DEMO_REP_EMAIL)).one()
    warehouse = StockLocation(kind=LocationKind.WAREHOUSE.value, name=DEMO_WAREHOUSE)
    trunk = StockLocation(kind=LocationKind.TRUNK.value, name=f"{dana.name}'s trunk", rep_id=dana.id)
    shelves = [StockLocation(kind=LocationKind.CONSIGNMENT.value, name=f"{f.name} — OR core", facility_id=f.id)
               for f in session.exec(select(Facility).order_by(Facility.id)).all()]  # fmt: skip
    kit_place = StockLocation(kind=LocationKind.KIT.value, name=f"Kit {DEMO_KIT_NUMBER} Knee revision instruments")
    session.add_all([warehouse, trunk, *shelves, kit_place])
    session.flush()
    products = session.exec(select(Product).order_by(Product.id).limit(8)).all()
    for i, product in enumerate(products):
        lot = f"24A{101 + i}"
        _receive(session, supplier, warehouse.id, product.id, 20, lot, days=300 + 40 * i)
        _receive(session, supplier, trunk.id, product.id, 2, lot, days=300 + 40 * i)
        for shelf in shelves:
            _receive(session, supplier, shelf.id, product.id, 4, lot, days=300 + 40 * i)
    _receive(session, supplier, warehouse.id, products[0].id, 3, "24X001", days=20)  # something expiring soon
    kit = LoanerKit(number=DEMO_KIT_NUMBER, name="Knee revision instruments", location_id=kit_place.id,
                    home_location_id=warehouse.id)  # fmt: skip
    session.add(kit)
    session.flush()
    for i, product in enumerate(products[:3]):
        session.add(KitContent(kit_id=kit.id, product_id=product.id, quantity=2))
        _receive(session, supplier, kit_place.id, product.id, 2, f"KIT{301 + i}")
    session.flush()
