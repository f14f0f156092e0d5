"""Import jobs: a catalog or price list file stored with its progress and outcome, so a long
import runs in the background and any screen (this worker's or another's) can follow it.

Progress is written in its own short transactions, never in the import's. A commit on SQLite
holds the only write lock until it is done, so there its progress is kept in this process
(the one worker SQLite runs with) and read from here. A job that stops reporting for
STALE_AFTER (its worker stopped) is shown as interrupted."""

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from reflex_base.config import get_config
from sqlmodel import select

from ..domain import clock
from ..domain.catalog_csv import MAX_FILE_BYTES, MAX_MESSAGE, MAX_SHOWN, FileRefused, bounded_summary
from ..domain.errors import DomainError, NotFound
from ..domain.text import lookup_text
from ..models import ImportJob, User
from .auth import Actor
from .catalog_admin import require_manager
from .db import reading, transaction

KINDS = ("products", "prices")  # the catalog page's
STOCK = "stock"  # opening balances (services/inventory/stock_import.py), on the inventory pages
RUNNING = ("previewing", "committing")
STALE_AFTER = timedelta(minutes=5)
REPLACED = "A newer file was uploaded in its place; this one was not imported."
INTERRUPTED = "The import stopped unfinished (the server restarted?). Nothing was changed: upload the file again."
_live: dict[int, tuple[int, int | None]] = {}  # job id -> (rows done, rows in all), for the jobs running here
_lock = threading.Lock()
_COLUMNS = [c for c in ImportJob.__table__.c if c.name != "content"]  # never read 20 MB to show progress


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    status: str
    filename: str
    total_rows: int
    done_rows: int
    summary: dict
    errors: list[tuple[int, str]]
    error_count: int
    message: str
    created_by: str
    created_at: datetime
    finished_at: datetime | None

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def can_commit(self) -> bool:
        return self.status == "previewed" and self.error_count == 0


def start(actor: Actor, kind: str, filename: object, data: bytes) -> int:
    """A new job holding the file, waiting for its preview."""
    require_manager(actor)
    if kind not in (*KINDS, STOCK):
        raise NotFound("There is no such import.")
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(f"The file is over {MAX_FILE_BYTES // 1048576} MB. Split it into smaller files.")
    with transaction() as session:  # the page shows the newest job: an older preview is let go
        session.execute(sa.update(ImportJob).where(ImportJob.kind == kind, ImportJob.status == "previewed")
                        .values(status="failed", message=REPLACED, content=b"", finished_at=clock.now()))  # fmt: skip
        job = ImportJob(kind=kind, filename=lookup_text(filename, 200) or "upload.csv", content=data, size=len(data),
                        created_by_id=actor.id)  # fmt: skip
        session.add(job)
        session.flush()
        return job.id


def _view(row, who: str) -> JobView:
    status, message, done, total = row.status, row.message, row.done_rows, row.total_rows
    with _lock:
        live = _live.get(row.id)
    if live is not None:
        done, total = live[0], total if live[1] is None else live[1]
    elif status in RUNNING and row.updated_at < clock.now() - STALE_AFTER:
        status, message = "failed", INTERRUPTED
    return JobView(row.id, row.kind, status, row.filename, total, done, row.summary or {},
                   [(r, m) for r, m in row.errors or []], row.error_count, message, who, row.created_at, row.finished_at)  # fmt: skip


def _query():
    return select(*_COLUMNS, User.name).join(User, User.id == ImportJob.created_by_id)


def view(actor: Actor, job_id: int) -> JobView:
    require_manager(actor)
    with reading() as session:
        row = session.exec(_query().where(ImportJob.id == job_id)).first()
    if row is None:
        raise NotFound("That import no longer exists.")
    return _view(row, row.name)


def latest(actor: Actor, kind: str) -> JobView | None:
    """The newest job of this kind, by any manager: what the page shows when opened."""
    require_manager(actor)
    with reading() as session:
        row = session.exec(_query().where(ImportJob.kind == kind).order_by(ImportJob.id.desc()).limit(1)).first()
    return _view(row, row.name) if row else None


def claim(job_id: int, before: str, after: str, **where) -> tuple[str, str, bytes]:
    """Move the job from `before` to `after` (one screen wins a double click) and hand over its
    kind, file name and file; DomainError when it is not in `before` (or not as `where` says)."""
    table = ImportJob.__table__
    now = clock.now()
    with transaction() as session:
        query = sa.update(table).where(table.c.id == job_id, table.c.status == before)
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        if session.execute(query.values(status=after, updated_at=now, done_rows=0)).rowcount != 1:
            raise DomainError("This import is not ready for that any more; the page shows where it stands.")
        return session.execute(select(table.c.kind, table.c.filename, table.c.content).where(table.c.id == job_id)).one()


def durable_progress() -> bool:
    """Whether progress can be written while an import's transaction is open (not on SQLite)."""
    return not get_config().db_url.startswith("sqlite")


def report(job_id: int, done: int, total: int | None = None, durable: bool = True) -> None:
    """Rows done so far (of `total`): in this process at once, and in the job row when `durable`."""
    with _lock:
        _live[job_id] = (done, total if total is not None else _live.get(job_id, (0, None))[1])
    if durable:
        values = {"done_rows": done, "updated_at": clock.now(), **({"total_rows": total} if total is not None else {})}
        with transaction() as session:
            session.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(**values))


@contextlib.contextmanager
def running(job_id: int) -> Iterator[None]:
    """While the job's work runs in this process, readers here see it alive."""
    with _lock:
        _live[job_id] = (0, None)
    try:
        yield
    finally:
        with _lock:
            _live.pop(job_id, None)


def outcome(session, job_id: int, status: str, summary: dict | None = None, errors: list | None = None,
            error_count: int = 0, message: str = "") -> None:  # fmt: skip
    """Write how the job ended into `session` (the commit's own transaction, so the catalog
    and the job's 'done' are saved together). A finished job lets go of its file (a failed one is
    uploaded again, fixed)."""
    errors = [(int(row), str(text)[:MAX_MESSAGE]) for row, text in (errors or [])[:MAX_SHOWN]]
    summary = bounded_summary(summary) if summary is not None else None
    values = {"status": status, "summary": summary, "errors": errors, "error_count": error_count,
              "message": message[:500], "updated_at": clock.now(), "finished_at": clock.now() if status in ("done", "failed") else None}  # fmt: skip
    if status in ("done", "failed"):
        values["content"] = b""
    session.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(**values))


def finish(job_id: int, status: str, **result) -> None:
    with transaction() as session:
        outcome(session, job_id, status, **result)
