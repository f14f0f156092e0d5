"""Every change of stock goes through `move`: one movement row (never edited) and the stock
table's cached sum updated in the same transaction — a conditional decrement that never goes
below zero (the loser of two screens taking the last unit gets a plain refusal), and an
upsert on the receiving side. A row at zero is deleted, so a serial is in one place at most."""

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from ...domain.errors import InvalidInput
from ...domain.inventory.ledger import Move, Reason, StockKey, check_move
from ...domain.inventory.locations import KEEPS_STOCK, LocationKind
from ...models import Product, StockLocation, StockMovement, StockUnit
from ..auth import Actor

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def virtual(session: Session, kind: LocationKind) -> int:
    """The id of a virtual location (one row per kind, made by the migration)."""
    return session.exec(select(StockLocation.id).where(StockLocation.kind == kind.value).order_by(StockLocation.id)).first()


def _describe(session: Session, key: StockKey) -> str:
    ref = session.exec(select(Product.ref).where(Product.id == key.product_id)).first() or "that product"
    return f"{ref}" + (f" serial {key.serial}" if key.serial else f" lot {key.lot}" if key.lot else "")


def _take(session: Session, location: StockLocation, key: StockKey, quantity: int) -> date | None:
    """Decrement where enough is held (one conditional UPDATE: a second screen waits for the
    first on PostgreSQL, then finds too little); returns the unit's expiry."""
    where = (StockUnit.location_id == location.id, StockUnit.product_id == key.product_id, StockUnit.lot == key.lot,
             StockUnit.serial == key.serial)  # fmt: skip
    done = session.execute(sa.update(StockUnit).where(*where, StockUnit.quantity >= quantity)
                           .values(quantity=StockUnit.quantity - quantity).returning(StockUnit.expiry))  # fmt: skip
    taken = done.all()
    if len(taken) != 1:
        have = session.exec(select(StockUnit.quantity).where(*where)).first() or 0
        what = _describe(session, key)
        raise InvalidInput("quantity", f"{what}: only {have} at {location.name}, not {quantity}. "
                           "Someone may have just used or moved it; refresh and choose again.")  # fmt: skip
    session.execute(sa.delete(StockUnit).where(*where, StockUnit.quantity == 0))
    return taken[0][0]


def _put(session: Session, location: StockLocation, key: StockKey, quantity: int, expiry: date | None) -> None:
    if key.serial:
        elsewhere = session.exec(select(StockLocation.name).join(StockUnit, StockUnit.location_id == StockLocation.id)
                                 .where(StockUnit.product_id == key.product_id, StockUnit.serial == key.serial)).first()  # fmt: skip
        if elsewhere is not None:
            raise InvalidInput("serial", f"{_describe(session, key)} is already in stock at {elsewhere}: "
                               "a serial exists once.")  # fmt: skip
    insert = _INSERTS[session.get_bind().dialect.name](StockUnit)
    session.execute(
        insert.values(location_id=location.id, product_id=key.product_id, lot=key.lot, serial=key.serial,
                      expiry=expiry, quantity=quantity)
        .on_conflict_do_update(index_elements=["location_id", "product_id", "lot", "serial"],
                               set_={"quantity": insert.excluded.quantity + StockUnit.__table__.c.quantity})
    )  # fmt: skip


def move(
    session: Session, actor: Actor | None, move: Move, reason: Reason, *, case_id: int | None = None,
    device_line_id: int | None = None, transfer_id: int | None = None, reverses_id: int | None = None, note: str = "",
) -> StockMovement:  # fmt: skip
    """Post one movement in the caller's transaction (the caller writes the audit row for the
    operation it belongs to). Raises InvalidInput when the source does not hold enough."""
    check_move(move)
    source, target = session.get(StockLocation, move.from_location), session.get(StockLocation, move.to_location)
    if source is None or target is None:
        raise InvalidInput("location", "That stock location was not found.")
    expiry = move.expiry
    if LocationKind(source.kind) in KEEPS_STOCK:
        expiry = _take(session, source, move.key, move.quantity) or expiry  # the expiry travels with the unit
    if LocationKind(target.kind) in KEEPS_STOCK:
        _put(session, target, move.key, move.quantity, expiry)
    row = StockMovement(product_id=move.key.product_id, lot=move.key.lot, serial=move.key.serial, expiry=expiry,
                        quantity=move.quantity, from_location_id=source.id, to_location_id=target.id,
                        reason=reason.value, user_id=actor.id if actor else None, case_id=case_id,
                        device_line_id=device_line_id, transfer_id=transfer_id, reverses_id=reverses_id,
                        note=note[:200])  # fmt: skip
    session.add(row)
    session.flush()
    return row


def on_hand(session: Session, location_id: int, key: StockKey) -> int:
    return session.exec(select(StockUnit.quantity).where(
        StockUnit.location_id == location_id, StockUnit.product_id == key.product_id, StockUnit.lot == key.lot,
        StockUnit.serial == key.serial)).first() or 0  # fmt: skip


def ledger_mismatches(session: Session, location_ids: Iterable[int] | None = None) -> list[tuple]:
    """(location, product, lot, serial, ledger sum, stock table) wherever the cached stock
    differs from the sum of the movements: empty when the books are right."""
    keeps = [k.value for k in KEEPS_STOCK]
    m = StockMovement.__table__.c
    flows = sa.union_all(
        sa.select(m.to_location_id.label("loc"), m.product_id, m.lot, m.serial, m.quantity.label("q")),
        sa.select(m.from_location_id.label("loc"), m.product_id, m.lot, m.serial, (-m.quantity).label("q")),
    ).subquery()
    ledger = {(r.loc, r.product_id, r.lot, r.serial): int(r.total) for r in session.execute(
        sa.select(flows.c.loc, flows.c.product_id, flows.c.lot, flows.c.serial, sa.func.sum(flows.c.q).label("total"))
        .join(StockLocation, StockLocation.id == flows.c.loc).where(StockLocation.kind.in_(keeps))
        .group_by(flows.c.loc, flows.c.product_id, flows.c.lot, flows.c.serial))}  # fmt: skip
    table = {(u.location_id, u.product_id, u.lot, u.serial): u.quantity for u in session.exec(select(StockUnit)).all()}
    wanted = set(location_ids) if location_ids is not None else None
    keys = {k for k in set(ledger) | set(table) if wanted is None or k[0] in wanted}
    return sorted((*k, ledger.get(k, 0), table.get(k, 0)) for k in keys if ledger.get(k, 0) != table.get(k, 0))
