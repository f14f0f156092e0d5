"""Opening balances by CSV, as the catalog import does it (services/catalog_import.py): upload
(`import_jobs.start(actor, "stock", filename, data)`), `preview` (row errors by row number, or
what would change; writes nothing but the job's progress), `commit` (checked again, then
everything in one transaction with one audit row, or nothing). The same file again: unchanged."""

import logging

import sqlalchemy as sa
from sqlmodel import Session, select

from ...domain.catalog_csv import FileRefused, Table, decode, read_table, summary_line
from ...domain.errors import DomainError, NotFound
from ...domain.inventory.ledger import Move, Reason, StockKey
from ...domain.inventory.locations import PHYSICAL, LocationKind
from ...domain.inventory.stock_csv import STOCK_COLUMNS, Known, StockPlan, plan_stock
from ...models import Manufacturer, Product, StockLocation, StockUnit
from .. import audit, import_jobs
from ..auth import Actor
from ..db import DatabaseUnavailable, reading, transaction
from ..import_jobs import STOCK, JobView
from . import ledger
from .access import require_manager

log = logging.getLogger(__name__)
UNEXPECTED = "The import failed because of an unexpected error; nothing was imported. Try again, or tell your administrator."
LOCK_KEY = 0x434C_0003  # PostgreSQL advisory lock: one stock import commit at a time


class StockChanged(DomainError):
    def __init__(self, problems):
        super().__init__(f"Stock changed since the preview: {problems.count:,} rows are now refused (listed below). "
                         "Nothing was imported.")  # fmt: skip
        self.problems = problems


def _known(session: Session, table: Table) -> Known:
    locations: dict[str, list[int]] = {}
    for loc_id, name in session.exec(select(StockLocation.id, StockLocation.name).where(
            StockLocation.kind.in_([k.value for k in PHYSICAL]), StockLocation.active)).all():  # fmt: skip
        locations.setdefault(name.casefold(), []).append(loc_id)
    refs = {cells.get("ref", "").strip().casefold() for _, cells in table.rows}
    products: dict[str, list[tuple[int, str]]] = {}
    for pid, ref, maker in session.exec(select(Product.id, Product.ref, Manufacturer.name)
                                        .join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
                                        .where(sa.func.lower(Product.ref).in_(refs))).all():  # fmt: skip
        products.setdefault(ref.casefold(), []).append((pid, maker.casefold()))
    named = {i for _, cells in table.rows for i in locations.get(cells.get("location", "").strip().casefold(), [])}
    on_hand = {(u.location_id, StockKey(u.product_id, u.lot, u.serial)): u.quantity for u in session.exec(
        select(StockUnit).where(StockUnit.location_id.in_(named))).all()}  # fmt: skip
    serials = {cells.get("serial", "").strip() for _, cells in table.rows} - {""}
    serial_at = {(p, s): loc for p, s, loc in session.exec(select(StockUnit.product_id, StockUnit.serial,
                 StockUnit.location_id).where(StockUnit.serial.in_(serials))).all()} if serials else {}  # fmt: skip
    return Known(locations, products, on_hand, serial_at)


def _table(data: bytes) -> Table:
    return read_table(decode(data), STOCK_COLUMNS)


def _claim(actor: Actor, job_id: int, before: str, after: str, **where):
    require_manager(actor, "import stock")
    job = import_jobs.view(actor, job_id)
    if job.kind != STOCK:
        raise NotFound("That import no longer exists.")
    return import_jobs.claim(job_id, before, after, **where)


def preview(actor: Actor, job_id: int) -> JobView:
    _, _, data = _claim(actor, job_id, "previewing", "previewing")
    with import_jobs.running(job_id):
        try:
            table = _table(data)
            import_jobs.report(job_id, 0, total=len(table.rows))
            with reading() as session:
                plan = plan_stock(table, _known(session, table), progress=lambda d: import_jobs.report(job_id, d))
            import_jobs.finish(job_id, "previewed", summary={**plan.summary(), "ignored_columns": table.ignored},
                               errors=plan.problems.sorted(), error_count=plan.problems.count)  # fmt: skip
        except (FileRefused, DatabaseUnavailable) as refusal:
            import_jobs.finish(job_id, "failed", message=refusal.message)
        except Exception:
            log.exception("previewing stock import job %s failed", job_id)
            import_jobs.finish(job_id, "failed", message=UNEXPECTED)
    return import_jobs.view(actor, job_id)


def commit(actor: Actor, job_id: int) -> JobView:
    _, filename, data = _claim(actor, job_id, "previewed", "committing", error_count=0)
    with import_jobs.running(job_id):
        try:
            _commit(actor, job_id, filename, _table(data))
        except StockChanged as changed:
            import_jobs.finish(job_id, "failed", message=changed.message, errors=changed.problems.sorted(),
                               error_count=changed.problems.count)  # fmt: skip
        except (DomainError, DatabaseUnavailable) as refusal:
            import_jobs.finish(job_id, "failed", message=refusal.message)
        except Exception:
            log.exception("committing stock import job %s failed", job_id)
            import_jobs.finish(job_id, "failed", message=UNEXPECTED)
    return import_jobs.view(actor, job_id)


def _commit(actor: Actor, job_id: int, filename: str, table: Table) -> None:
    with transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        plan: StockPlan = plan_stock(table, _known(session, table))
        if plan.problems.count:
            raise StockChanged(plan.problems)
        supplier = ledger.virtual(session, LocationKind.SUPPLIER)
        adjustment = ledger.virtual(session, LocationKind.COUNT_ADJUSTMENT)
        for location, key, delta, expiry in plan.changes:
            source, target = (supplier, location) if delta > 0 else (location, adjustment)
            ledger.move(session, actor, Move(key, abs(delta), source, target, expiry), Reason.OPENING,
                        note=f"opening balance: {filename}")  # fmt: skip
        summary = plan.summary()
        audit.record(session, actor, case_id=None, action="stock imported", entity="stock_import", entity_id=job_id,
                     summary=f"Opening stock imported from {filename}: {summary_line(summary)}",
                     after={**summary, "movements": len(plan.changes)})  # fmt: skip
        import_jobs.outcome(session, job_id, "done", summary=summary)
