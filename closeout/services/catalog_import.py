"""Catalog and contract price imports, in two steps. The preview checks every row of the
uploaded file against the stored catalog and lists what is wrong (row numbers) or what would
change; it writes nothing but the job's progress. The commit checks again, against the
catalog as it is then, and writes everything in one transaction with one audit row: all or
nothing. Importing the same file again changes nothing. Both run in a worker thread (the
page's background task); their progress goes into the job row (services/import_jobs.py)."""

import logging

import sqlalchemy as sa
from sqlmodel import Session

from ..domain.catalog_csv import FileRefused, Table, decode, read_table, summary_line
from ..domain.catalog_import import PRODUCT_COLUMNS, plan_products
from ..domain.errors import DomainError
from ..domain.price_import import PRICE_COLUMNS, plan_prices
from ..models import PriceListItem, Product
from . import audit, catalog_lookups, catalog_writes, import_jobs
from .auth import Actor
from .catalog_admin import require_manager
from .db import DatabaseUnavailable, reading, transaction
from .import_jobs import JobView

log = logging.getLogger(__name__)
COLUMNS = {"products": PRODUCT_COLUMNS, "prices": PRICE_COLUMNS}
NOUN = {"products": "Products", "prices": "Contract prices"}
UNEXPECTED = "The import failed because of an unexpected error; nothing was imported. Try again, or tell your administrator."
RACED = "Another change to the catalog was saved at the same moment; nothing was imported. Preview the file again."
# PostgreSQL advisory lock keys, one per import kind: two managers' commits of one kind run
# one after the other, the second planned against what the first wrote (overlapping price
# ranges are caught). SQLite needs none: its one writer at a time already serialises them.
LOCK_KEYS = {"products": 0x434C_0001, "prices": 0x434C_0002}


class CatalogChanged(DomainError):
    """Rows that passed the preview are refused at the commit: the catalog changed meanwhile."""

    def __init__(self, problems):
        super().__init__(f"The catalog changed since the preview: {problems.count:,} rows are now refused "
                         "(listed below). Nothing was imported.")  # fmt: skip
        self.problems = problems


def _table(kind: str, data: bytes) -> Table:
    return read_table(decode(data), COLUMNS[kind])


def _plan(session: Session, kind: str, table: Table, progress=None):
    if kind == "products":
        return plan_products(table, catalog_lookups.product_catalog(session), progress)
    return plan_prices(table, catalog_lookups.price_book(session), progress)


def preview(actor: Actor, job_id: int) -> JobView:
    """Check the job's file row by row; the job ends previewed (with its row errors, if any)
    or failed (a file that cannot be read at all)."""
    require_manager(actor)
    kind, _, data = import_jobs.claim(job_id, "previewing", "previewing")
    with import_jobs.running(job_id):
        try:
            table = _table(kind, data)
            import_jobs.report(job_id, 0, total=len(table.rows))
            with reading() as session:
                plan = _plan(session, kind, table, progress=lambda done: import_jobs.report(job_id, done))
            summary = {**plan.summary(), "ignored_columns": table.ignored, "ignored_count": table.ignored_count}
            import_jobs.finish(
                job_id, "previewed", summary=summary, errors=plan.problems.sorted(), error_count=plan.problems.count
            )
        except (FileRefused, DatabaseUnavailable) as refusal:
            import_jobs.finish(job_id, "failed", message=refusal.message)
        except Exception:
            log.exception("previewing import job %s failed", job_id)
            import_jobs.finish(job_id, "failed", message=UNEXPECTED)
    return import_jobs.view(actor, job_id)


def commit(actor: Actor, job_id: int) -> JobView:
    """Write a previewed, error-free file: everything or, on any failure, nothing."""
    require_manager(actor)
    kind, filename, data = import_jobs.claim(job_id, "previewed", "committing", error_count=0)
    with import_jobs.running(job_id):
        try:
            _commit(actor, job_id, kind, filename, _table(kind, data))
        except CatalogChanged as changed:
            import_jobs.finish(job_id, "failed", message=changed.message, errors=changed.problems.sorted(),
                               error_count=changed.problems.count)  # fmt: skip
        except (DomainError, DatabaseUnavailable) as refusal:
            import_jobs.finish(job_id, "failed", message=refusal.message)
        except sa.exc.IntegrityError:
            import_jobs.finish(job_id, "failed", message=RACED)
        except Exception:
            log.exception("committing import job %s failed", job_id)
            import_jobs.finish(job_id, "failed", message=UNEXPECTED)
    return import_jobs.view(actor, job_id)


def _commit(actor: Actor, job_id: int, kind: str, filename: str, table: Table) -> None:
    durable = import_jobs.durable_progress()  # SQLite: one writer, the commit itself
    with transaction() as session:
        _one_commit_at_a_time(session, kind)
        plan = _plan(session, kind, table)
        if plan.problems.count:
            raise CatalogChanged(plan.problems)
        import_jobs.report(job_id, 0, total=len(plan.new) + len(plan.updated), durable=durable)
        progress = lambda done: import_jobs.report(job_id, done, durable=durable)  # noqa: E731
        before = _count(session, kind)
        if kind == "products":
            catalog_writes.apply_products(session, plan, progress)
        else:
            catalog_writes.apply_prices(session, actor, plan, progress)
        summary = plan.summary()
        audit.record(
            session, actor, case_id=None, action=f"{kind} imported", entity="catalog" if kind == "products" else "price_list",
            entity_id=job_id, summary=f"{NOUN[kind]} imported from {filename}: {summary_line(summary)}",
            before={"stored": before}, after={"stored": _count(session, kind), **summary},
        )  # fmt: skip
        import_jobs.outcome(session, job_id, "done", summary=summary)


def _one_commit_at_a_time(session: Session, kind: str) -> None:
    """Wait for another commit of this kind to end (released with the transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEYS[kind]})


def _count(session: Session, kind: str) -> int:
    table = Product if kind == "products" else PriceListItem
    return session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
