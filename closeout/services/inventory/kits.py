"""Loaner kits: a kit's contents are stock at its own location; its status follows the table
in domain/inventory/kits.py. Requested for a case, shipped to the facility, used, returned and
checked in by scanning what came back: what is missing becomes the case's usage (the rep
confirms it: a device line from the kit, consumed at once) or a recorded loss. A kit not
back by its due date is listed (`overdue`) and its rep reminded (`remind_overdue`, a job)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ...domain import clock
from ...domain.errors import InvalidInput, NotAllowed, NotFound
from ...domain.inventory.kits import OUT, KitAction, KitStatus, check
from ...domain.inventory.ledger import Move, Reason, StockKey
from ...domain.inventory.locations import LocationKind, parse_name
from ...domain.validation import parse_lot_or_serial, parse_quantity
from ...models import Case, Facility, KitContent, LoanerKit, Product, StockLocation, StockUnit, User
from .. import audit
from ..access import case_for
from ..auth import Actor
from ..db import reading, transaction
from ..device_lines import create_line, editable_case, finish
from . import ledger
from .access import covered_facilities, require_manager


@dataclass(frozen=True)
class KitView:
    id: int
    number: str
    name: str
    status: KitStatus
    location_id: int  # the kit's contents
    facility: str  # where it is out ("" at the warehouse)
    case_number: str
    due_back: date | None
    overdue: bool
    contents: list[tuple[str, int, str]]  # (ref, quantity, serial) of a full kit
    on_hand: int  # units in the kit now


@dataclass(frozen=True)
class KitDifference:
    product_id: int
    ref: str
    lot: str
    serial: str
    expected: int  # in the kit's stock
    returned: int  # scanned back
    missing: int


def _kit(session: Session, actor: Actor, kit_id: object, lock: bool = False) -> LoanerKit:
    """A kit the actor may see: every kit for a manager; for a rep, kits at the facilities
    they cover or out for their cases."""
    query = select(LoanerKit).where(LoanerKit.id == kit_id) if isinstance(kit_id, int) else None
    if query is not None and not actor.is_manager:
        query = query.where(sa.or_(LoanerKit.facility_id.in_(covered_facilities(session, actor)),
                                   LoanerKit.case_id.in_(select(Case.id).where(Case.rep_id == actor.id))))  # fmt: skip
    kit = session.exec(query.with_for_update() if lock else query).first() if query is not None else None
    if kit is None:
        raise NotFound("That loaner kit was not found.")
    return kit


def _contents(raw: Iterable[object]) -> list[tuple[int, int, str]]:
    parsed = []
    for item in raw:
        if isinstance(item, Mapping):
            item = (item.get("product_id"), item.get("quantity", 1), item.get("serial", ""))
        product_id, quantity, serial = item
        if isinstance(product_id, bool) or not isinstance(product_id, int):
            raise InvalidInput("contents", "A product in the contents is not in the catalog.")
        serial = parse_lot_or_serial(serial, "serial")
        quantity = parse_quantity(quantity)
        if serial and quantity != 1:
            raise InvalidInput("contents", "A serialised item is one unit.")
        parsed.append((product_id, quantity, serial))
    if not parsed:
        raise InvalidInput("contents", "List what the kit holds.")
    return parsed


def create_kit(actor: Actor, number: object, name: object, home_location_id: object,
               contents: Iterable[object]) -> int:  # fmt: skip
    """A manager adds a kit (its number, name, home warehouse and contents list); its stock
    arrives by receipt or transfer into the kit's location."""
    require_manager(actor, "add loaner kits")
    number, name, contents = parse_name(number)[:40], parse_name(name), _contents(contents)
    with transaction() as session:
        home = session.get(StockLocation, home_location_id) if isinstance(home_location_id, int) else None
        if home is None or home.kind != LocationKind.WAREHOUSE.value:
            raise InvalidInput("home_location_id", "Choose the warehouse the kit belongs to.")
        if session.exec(select(LoanerKit.id).where(LoanerKit.number == number)).first():
            raise InvalidInput("number", "Another kit has this number.")
        known = set(session.exec(select(Product.id).where(Product.id.in_([c[0] for c in contents]))).all())
        if any(c[0] not in known for c in contents):
            raise InvalidInput("contents", "A product in the contents is not in the catalog.")
        location = StockLocation(kind=LocationKind.KIT.value, name=f"Kit {number} {name}"[:120])
        session.add(location)
        session.flush()
        kit = LoanerKit(number=number, name=name, location_id=location.id, home_location_id=home.id)
        session.add(kit)
        session.flush()
        session.add_all(KitContent(kit_id=kit.id, product_id=p, quantity=q, serial=s) for p, q, s in contents)
        audit.record(session, actor, case_id=None, action="kit added", entity="loaner_kit", entity_id=kit.id,
                     summary=f"Loaner kit {number} ({name}) added", after={"contents": [list(c) for c in contents]})  # fmt: skip
        return kit.id


def _step(session: Session, actor: Actor, kit: LoanerKit, action: KitAction, summary: str, **values) -> KitStatus:
    """Move the kit's status by its table, once (a conditional UPDATE), audited."""
    before = KitStatus(kit.status)
    to = check(before, action)
    done = session.execute(sa.update(LoanerKit).where(LoanerKit.id == kit.id, LoanerKit.status == before.value)
                           .values(status=to.value, updated_at=clock.now(), **values))  # fmt: skip
    if done.rowcount != 1:
        raise NotAllowed("This kit was changed on another screen; it has been refreshed.")
    session.refresh(kit)
    audit.record(session, actor, case_id=kit.case_id, action=f"kit {action.value}", entity="loaner_kit",
                 entity_id=kit.id, summary=f"Kit {kit.number}: {summary}",
                 before={"status": before.value}, after={"status": to.value, **{k: str(v) for k, v in values.items()}})  # fmt: skip
    return to


def request_for_case(actor: Actor, kit_id: object, case_number: str, due_back: object = None) -> KitStatus:
    """Assign an available kit to a case (its rep or a manager); due back 3 days after surgery
    unless a date is given."""
    with transaction() as session:
        case = case_for(session, actor, case_number)
        kit = session.exec(select(LoanerKit).where(LoanerKit.id == kit_id).with_for_update()).first() if isinstance(
            kit_id, int) else None  # fmt: skip
        if kit is None:
            raise NotFound("That loaner kit was not found.")
        if kit.case_id is not None:
            raise NotAllowed("This kit is already requested for another case.")
        due = _due(due_back, case.surgery_date)
        facility = session.get(Facility, case.facility_id)
        return _step(session, actor, kit, KitAction.REQUEST, f"requested for {case.number} at {facility.name}",
                     case_id=case.id, due_back=due, reminded_at=None)  # fmt: skip


def _due(raw: object, surgery: date) -> date:
    if raw in (None, ""):
        return surgery + timedelta(days=3)
    try:
        due = raw if isinstance(raw, date) else date.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidInput("due_back", "Enter the date the kit is due back.") from None
    if due < surgery:
        raise InvalidInput("due_back", "The kit is due back on or after the surgery date.")
    return due


def ship(actor: Actor, kit_id: object) -> KitStatus:
    """A manager ships the kit to its case's facility."""
    require_manager(actor, "ship loaner kits")
    with transaction() as session:
        kit = _kit(session, actor, kit_id, lock=True)
        if kit.case_id is None:
            raise NotAllowed("Request the kit for a case before shipping it.")
        case = session.get(Case, kit.case_id)
        return _step(session, actor, kit, KitAction.SHIP, "shipped", facility_id=case.facility_id)


def advance(actor: Actor, kit_id: object, action: object) -> KitStatus:
    """Delivered, in use, returned: the rep covering the facility or a manager."""
    try:
        action = KitAction(str(action))
    except ValueError:
        raise InvalidInput("action", "Choose what happened to the kit.") from None
    if action not in (KitAction.DELIVER, KitAction.USE, KitAction.RETURN):
        raise InvalidInput("action", "Use the kit's own button for that.")
    with transaction() as session:
        kit = _kit(session, actor, kit_id, lock=True)
        return _step(session, actor, kit, action, action.value)


def _returned(session: Session, raw: Iterable[object]) -> dict[StockKey, int]:
    found: dict[StockKey, int] = {}
    for item in raw:
        if isinstance(item, Mapping):
            item = (item.get("product_id"), item.get("lot", ""), item.get("serial", ""), item.get("quantity", 1))
        product_id, lot, serial, quantity = item
        if isinstance(product_id, bool) or not isinstance(product_id, int):
            raise InvalidInput("returned", "A scanned item is not in the catalog.")
        key = StockKey(product_id, parse_lot_or_serial(lot, "lot"), parse_lot_or_serial(serial, "serial"))
        found[key] = found.get(key, 0) + parse_quantity(quantity)
    return found


def _differences(session: Session, kit: LoanerKit, returned: dict[StockKey, int]) -> list[KitDifference]:
    held = {StockKey(u.product_id, u.lot, u.serial): (u.quantity, ref) for u, ref in session.exec(
        select(StockUnit, Product.ref).join(Product, Product.id == StockUnit.product_id)
        .where(StockUnit.location_id == kit.location_id)).all()}  # fmt: skip
    extra = [k for k, q in returned.items() if q > held.get(k, (0, ""))[0]]
    if extra:
        raise InvalidInput("returned", "Something scanned back was not in this kit (or more of it than it held): "
                           "check the scan, or receive it separately.")  # fmt: skip
    return [KitDifference(k.product_id, ref, k.lot, k.serial, q, returned.get(k, 0), q - returned.get(k, 0))
            for k, (q, ref) in sorted(held.items()) if q > returned.get(k, 0)]  # fmt: skip


def check_in_preview(actor: Actor, kit_id: object, returned: Iterable[object]) -> list[KitDifference]:
    """What is missing from the kit, given what was scanned back: [(product, lot, serial) × missing]."""
    with reading() as session:
        kit = _kit(session, actor, kit_id)
        return _differences(session, kit, _returned(session, returned))


def check_in(actor: Actor, kit_id: object, returned: Iterable[object],
             used: Mapping[tuple[int, str, str], object] | None = None) -> list[KitDifference]:  # fmt: skip
    """Check a returned kit in. Of what is missing, `used` ((product, lot, serial) → quantity,
    confirmed by the case's rep while the case is open) becomes device lines of the case, taken
    from the kit; the rest is a recorded loss. The kit is then ready at its warehouse."""
    used = {StockKey(*k): parse_quantity(v) for k, v in (used or {}).items()}
    with transaction() as session:
        kit = _kit(session, actor, kit_id, lock=True)
        missing = _differences(session, kit, _returned(session, returned))
        short = {StockKey(d.product_id, d.lot, d.serial): d for d in missing}
        if any(k not in short or q > short[k].missing for k, q in used.items()):
            raise InvalidInput("used", "Only what is missing from the kit can be the case's usage.")
        case = session.get(Case, kit.case_id) if kit.case_id else None
        if used:
            if case is None:
                raise InvalidInput("used", "This kit is not out for a case.")
            case = editable_case(session, actor, case.number)  # the case's rep, while it is open
            _to_case(session, actor, case, kit, used)
        loss = ledger.virtual(session, LocationKind.LOSS)
        for key, diff in short.items():
            lost = diff.missing - used.get(key, 0)
            if lost:
                ledger.move(session, actor, Move(key, lost, kit.location_id, loss), Reason.KIT_LOSS,
                            case_id=kit.case_id, note=f"not back in kit {kit.number}")  # fmt: skip
                audit.record(session, actor, case_id=kit.case_id, action="kit loss recorded", entity="loaner_kit",
                             entity_id=kit.id, summary=f"Kit {kit.number}: {lost} × {diff.ref} not returned, recorded as a loss",
                             after={"product_id": key.product_id, "lot": key.lot, "serial": key.serial, "quantity": lost})  # fmt: skip
        _step(session, actor, kit, KitAction.CHECK_IN, "checked in", case_id=None, facility_id=None, due_back=None)
        return missing


def _to_case(session: Session, actor: Actor, case: Case, kit: LoanerKit, used: dict[StockKey, int]) -> None:
    patient = ledger.virtual(session, LocationKind.PATIENT)
    for key, quantity in used.items():
        product = session.get(Product, key.product_id)
        expiry = session.exec(select(StockUnit.expiry).where(StockUnit.location_id == kit.location_id,
                              StockUnit.product_id == key.product_id, StockUnit.lot == key.lot,
                              StockUnit.serial == key.serial)).first()  # fmt: skip
        line = create_line(session, actor, case, product, " from the kit check-in", lot=key.lot, serial=key.serial,
                           expiry=expiry, quantity=quantity, stock_location_id=kit.location_id)  # fmt: skip
        ledger.move(session, actor, Move(key, quantity, kit.location_id, patient), Reason.CONSUME, case_id=case.id,
                    device_line_id=line.id)  # fmt: skip
    finish(session, case, None)


def kits(actor: Actor, status: object = None) -> list[KitView]:
    """Every kit for a manager; for a rep, those at the facilities they cover, out for their
    cases, or at the warehouse (to request)."""
    with reading() as session:
        query = (select(LoanerKit, Facility.name, Case.number).outerjoin(Facility, Facility.id == LoanerKit.facility_id)
                 .outerjoin(Case, Case.id == LoanerKit.case_id).order_by(LoanerKit.number))  # fmt: skip
        if not actor.is_manager:
            query = query.where(sa.or_(LoanerKit.facility_id.in_(covered_facilities(session, actor)),
                                       Case.rep_id == actor.id, LoanerKit.case_id.is_(None)))  # fmt: skip
        if status:
            query = query.where(LoanerKit.status == str(status))
        return [_view(session, kit, facility, number) for kit, facility, number in session.exec(query).all()]


def _view(session: Session, kit: LoanerKit, facility: str | None, number: str | None) -> KitView:
    contents = session.exec(select(Product.ref, KitContent.quantity, KitContent.serial)
                            .join(Product, Product.id == KitContent.product_id)
                            .where(KitContent.kit_id == kit.id).order_by(Product.ref)).all()  # fmt: skip
    units = session.exec(select(sa.func.coalesce(sa.func.sum(StockUnit.quantity), 0))
                         .where(StockUnit.location_id == kit.location_id)).one()  # fmt: skip
    overdue = kit.due_back is not None and kit.due_back < clock.today() and KitStatus(kit.status) in OUT
    return KitView(kit.id, kit.number, kit.name, KitStatus(kit.status), kit.location_id, facility or "", number or "",
                   kit.due_back, overdue, [tuple(c) for c in contents], int(units))  # fmt: skip


def overdue(actor: Actor) -> list[KitView]:
    """Kits still out past their due date (shipped, at the facility or in use)."""
    return [kit for kit in kits(actor) if kit.overdue]


@dataclass(frozen=True)
class Reminded:
    kit_number: str
    rep_email: str
    delivery: str


def remind_overdue(now: datetime | None = None) -> list[Reminded]:
    """The job: remind the rep of each overdue kit once a day (mail, or the outbox without
    SMTP), audited as Closeout itself."""
    from ... import settings
    from ..mail import MailError, compose, deliver

    now = now or clock.now()
    sent = []
    with transaction() as session:
        rows = session.exec(
            select(LoanerKit, Case.number, User.email, User.name).join(Case, Case.id == LoanerKit.case_id)
            .join(User, User.id == Case.rep_id)
            .where(LoanerKit.status.in_([s.value for s in OUT]), LoanerKit.due_back < now.date(),
                   sa.or_(LoanerKit.reminded_at.is_(None), LoanerKit.reminded_at < now - timedelta(days=1)))
            .with_for_update(of=LoanerKit)
        ).all()  # fmt: skip
        for kit, number, email, name in rows:
            body = (f"Hello {name},\n\nLoaner kit {kit.number} ({kit.name}) for case {number} was due back on "
                    f"{kit.due_back:%B %-d, %Y}. Please return it, or tell the warehouse where it is.\n")  # fmt: skip
            mail_settings = settings.MailSettings.from_env()
            try:
                delivery = deliver(compose(mail_settings, [email], f"Loaner kit {kit.number} is overdue", body, None, ""),
                                   mail_settings)  # fmt: skip
            except MailError as failure:
                delivery = f"failed: {failure.message}"[:40]
            kit.reminded_at = now
            session.add(kit)
            audit.record(session, None, case_id=kit.case_id, action="kit reminder sent", entity="loaner_kit",
                         entity_id=kit.id, summary=f"Kit {kit.number} overdue since {kit.due_back}: {name} reminded ({delivery})",
                         after={"to": email, "delivery": delivery})  # fmt: skip
            sent.append(Reminded(kit.number, email, delivery))
    return sent
