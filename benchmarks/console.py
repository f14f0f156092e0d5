"""Issue: the managers' console at scale. 100,000 cases with 1,500,000 device lines in a
benchmark database (SQLite, then PostgreSQL); a filtered, sorted console page with its count,
p50/p95 over 100 queries through the service; and in the same run the same page as one
hand-written SQL query (the floor), as a ratio."""

import random
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from benchmarks.postgres import fresh_database
from benchmarks.stats import percentile, report
from closeout.domain.console import ConsoleFilters
from closeout.services import console
from closeout.services.auth import Actor
from tests.harness import migrate_and_seed

CASES, LINES_PER_CASE, QUERIES = 100_000, 15, 100
STATUSES = ["open", "closed", "completed"]
NOW = datetime.now(UTC)


def _cases(facilities: int, surgeons: int, reps: list[int], rng: random.Random):
    for i in range(CASES):
        status = STATUSES[i % 3]
        day = date(2026, 11, 27) - timedelta(days=rng.randrange(0, 720))
        submitted = None if status == "open" else datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=20)
        shared = submitted + timedelta(hours=1) if submitted and rng.random() < 0.6 else None
        yield (
            f"CS-2025-{500000 + i:06d}",
            1 + i % facilities,
            1 + rng.randrange(surgeons),
            "Total knee arthroplasty",
            day,
            f"PT-{rng.randrange(1000, 9999)}",
            reps[i % len(reps)],
            status,
            NOW,
            NOW,
            submitted,
            rng.randrange(10**5, 10**7),
            shared,
        )


CASE_COLUMNS = ("number", "facility_id", "surgeon_id", "procedure", "surgery_date", "patient_ref", "rep_id", "status",
                "created_at", "updated_at", "submitted_at", "billable_total", "last_shared_at")  # fmt: skip
LINE_COLUMNS = ("case_id", "position", "product_id", "lot", "serial", "expiry", "quantity", "usage_status", "unit_price",
                "price_source", "no_charge", "note", "scan_warning", "hibc_link", "created_at", "updated_at")  # fmt: skip


def _lines(first_case_id: int, products: int, rng: random.Random):
    for case in range(CASES):
        for position in range(1, LINES_PER_CASE + 1):
            yield (first_case_id + case, position, 1 + rng.randrange(products), f"L{rng.randrange(10**6, 10**7)}",
                   f"S{case:06d}{position:02d}", date(2028, 1, 1), 1, "Implanted", rng.randrange(5000, 400000), "contract",
                   False, "", "", "", NOW, NOW)  # fmt: skip


def _base(conn) -> tuple[int, int, list[int], int]:
    count = lambda table: conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar()  # noqa: E731
    reps = [r for (r,) in conn.execute(sa.text("SELECT id FROM app_user WHERE role = 'sales_rep'"))]
    return count("facility"), count("surgeon"), reps, count("product")


def _sqlite_value(v):
    """How SQLAlchemy writes these types into SQLite."""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    return v.isoformat() if isinstance(v, date) else v


def fill_sqlite(path: str) -> None:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        facilities, surgeons, reps, products = _base(conn)
    engine.dispose()
    rng = random.Random(7)
    db = sqlite3.connect(path)
    first = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM surgical_case").fetchone()[0]
    db.executemany(
        f"INSERT INTO surgical_case ({','.join(CASE_COLUMNS)}, replenishment_requested) VALUES "
        f"({','.join('?' * len(CASE_COLUMNS))}, 0)",
        ([_sqlite_value(v) for v in row] for row in _cases(facilities, surgeons, reps, rng)),
    )
    db.executemany(f"INSERT INTO deviceline ({','.join(LINE_COLUMNS)}) VALUES ({','.join('?' * len(LINE_COLUMNS))})",
                   ([_sqlite_value(v) for v in row] for row in _lines(first, products, rng)))  # fmt: skip
    db.commit()
    db.execute("ANALYZE")
    db.close()


def fill_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        facilities, surgeons, reps, products = _base(conn)
        first = conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) + 1 FROM surgical_case")).scalar()
    rng = random.Random(7)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy(f"COPY surgical_case ({','.join(CASE_COLUMNS)}) FROM STDIN") as copy:
            for row in _cases(facilities, surgeons, reps, rng):
                copy.write_row(row)
        with cur.copy(f"COPY deviceline ({','.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            for row in _lines(first, products, rng):
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))  # as autovacuum leaves a database that has settled
    engine.dispose()


def _filters(i: int) -> ConsoleFilters:
    """A spread of real console views: pending PO over 14 days for one facility by total,
    the default view deep in its pages, not-yet-shared by rep, a lot search."""
    kind = i % 4
    if kind == 0:
        return ConsoleFilters(
            statuses=("closed",), pending_po_days=14, facility_id=1 + i % 50, sort="billable_total", page=1 + i % 3
        )
    if kind == 1:
        return ConsoleFilters(page=1 + i % 40)
    if kind == 2:
        return ConsoleFilters(not_shared=True, rep_id=None, sort="facility", descending=False, page=1 + i % 5)
    return ConsoleFilters(search=f"S{(i * 997) % CASES:06d}07", statuses=("open", "closed", "completed"))


_COLUMNS = (
    "SELECT c.id, c.number, f.name, s.name, u.name, c.surgery_date, c.status, c.billable_total, c.last_shared_at, "
    "c.submitted_at, (SELECT COUNT(*) FROM surgical_case c WHERE {where}) FROM surgical_case c JOIN facility f ON "
    "f.id = c.facility_id JOIN surgeon s ON s.id = c.surgeon_id JOIN app_user u ON u.id = c.rep_id WHERE {where} "
)
_SEARCH = (
    "c.id IN (SELECT id FROM surgical_case WHERE number = :q UNION SELECT case_id FROM purchaseorder WHERE number = :q "
    "UNION SELECT case_id FROM deviceline WHERE lot = :q UNION SELECT case_id FROM deviceline WHERE serial = :q)"
)
# One statement per page, count included (an uncorrelated sub-select the database runs once).
FLOOR = {
    0: _COLUMNS.format(where="c.facility_id = :fac AND c.status = 'closed' AND c.submitted_at < :cut")
    + "ORDER BY c.billable_total DESC, c.id DESC LIMIT 25 OFFSET :off",
    1: _COLUMNS.format(where="c.status IN ('closed', 'completed')")
    + "ORDER BY c.surgery_date DESC, c.id DESC LIMIT 25 OFFSET :off",
    2: _COLUMNS.format(where="c.status IN ('closed', 'completed') AND c.last_shared_at IS NULL")
    + "ORDER BY f.name ASC, c.id ASC LIMIT 25 OFFSET :off",
    3: _COLUMNS.format(where=_SEARCH) + "ORDER BY c.surgery_date DESC, c.id DESC LIMIT 25",
}


def _floor_params(i: int, f: ConsoleFilters) -> dict:
    return {"cut": (NOW - timedelta(days=14)) if "sqlite" not in FLOOR_DIALECT else (NOW - timedelta(days=14)).strftime("%Y-%m-%d %H:%M:%S.%f"),
            "fac": f.facility_id, "off": (f.page - 1) * 25, "q": f.search}  # fmt: skip


FLOOR_DIALECT = ""


def measure(url: str, label: str) -> list[tuple[str, bool]]:
    global FLOOR_DIALECT
    FLOOR_DIALECT = url
    engine = sa.create_engine(url)
    manager = Actor(0, "Bench Manager", "bench@closeout.example", "manager")
    service, floor = [], []
    with Session(engine) as session:
        for i in range(10):  # warm caches and plans
            console.case_page(manager, _filters(i), session=session)
        for i in range(QUERIES):
            f = _filters(i)
            start = time.perf_counter()
            rows, total = console.case_page(manager, f, session=session)
            service.append(time.perf_counter() - start)
            start = time.perf_counter()
            session.execute(sa.text(FLOOR[i % 4]), _floor_params(i, f)).all()
            floor.append(time.perf_counter() - start)
    engine.dispose()
    results = [report(f"console.page_{label}", service, "ms", 50, f"{QUERIES} filtered, sorted pages with count, 100k cases")]
    report(f"console.floor_{label}", floor, "ms", 50, "the same pages as one hand-written SQL each")
    ratio = percentile(service, 95) / percentile(floor, 95)
    ok = ratio <= 1.5
    print(f"{'console.ratio_' + label:34s} {ratio:.2f}x  (service p95 / floor p95; target <= 1.5x: {'met' if ok else 'MISSED'})")
    return [*results, (f"console.ratio_{label}", ok)]


def run(work, also=(), measure_console: bool = True) -> list[tuple[str, bool]]:
    """Build the 100k-case database on SQLite, then PostgreSQL, and measure the console on
    each; `also`: more measurements, `(url, label) -> results`, on the same databases (they
    take minutes to build)."""
    path = f"{work}/console-bench.db"
    start = time.perf_counter()
    migrate_and_seed(f"sqlite:///{path}")
    fill_sqlite(path)
    print(
        f"{'console.seed_sqlite':34s} {time.perf_counter() - start:.0f} s for {CASES:,} cases, {CASES * LINES_PER_CASE:,} lines"
    )
    results = measure(f"sqlite:///{path}", "sqlite") if measure_console else []
    for more in also:
        results += more(f"sqlite:///{path}", "sqlite")
    try:
        with fresh_database("closeout_bench") as url:
            start = time.perf_counter()
            migrate_and_seed(url)
            fill_postgres(url)
            print(
                f"{'console.seed_postgres':34s} {time.perf_counter() - start:.0f} s for {CASES:,} cases, {CASES * LINES_PER_CASE:,} lines"
            )
            results += measure(url, "postgres") if measure_console else []
            for more in also:
                results += more(url, "postgres")
    except sa.exc.OperationalError as error:
        print(f"console on PostgreSQL skipped: {error}")
    return results


if __name__ == "__main__":
    import tempfile

    run(tempfile.mkdtemp())
