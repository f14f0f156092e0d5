"""Issue 24: where is it, at scale. 1,000,000 stock units in 2,000 locations on PostgreSQL;
p95 of "where is lot X" (target < 50 ms) and of one location's stock page with its count
(target < 100 ms), through the services, 100 queries each after a warm-up.

`python -m benchmarks.inventory` (its own database: closeout_bench_inventory, dropped after)."""

import os
import random
import time
from datetime import date, timedelta

os.environ["REFLEX_DB_URL"] = DB_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/closeout_bench_inventory"
os.environ["REFLEX_TELEMETRY_ENABLED"] = "false"

import sqlalchemy as sa  # noqa: E402

from benchmarks.postgres import fresh_database  # noqa: E402
from benchmarks.stats import report  # noqa: E402

UNITS, LOCATIONS, QUERIES, LOTS = 1_000_000, 2_000, 100, 200_000
KINDS = ("warehouse", "consignment", "trunk")


def fill(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        facilities = [f for (f,) in conn.execute(sa.text("SELECT id FROM facility"))]
        reps = [r for (r,) in conn.execute(sa.text("SELECT id FROM app_user WHERE role = 'sales_rep'"))]
        products = [p for (p,) in conn.execute(sa.text("SELECT id FROM product"))]
        first = conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) + 1 FROM stock_location")).scalar()
    rng = random.Random(24)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy("COPY stock_location (kind, name, facility_id, rep_id, active, created_at) FROM STDIN") as copy:
            for i in range(LOCATIONS):
                kind = KINDS[i % 3]
                copy.write_row((kind, f"Bench {kind} {i:04d}", rng.choice(facilities) if kind == "consignment" else None,
                                rng.choice(reps) if kind == "trunk" else None, True, "2026-06-01T00:00:00+00:00"))  # fmt: skip
        with cur.copy("COPY stock_unit (location_id, product_id, lot, serial, expiry, quantity) FROM STDIN") as copy:
            seen = set()
            for i in range(UNITS):
                location, product = first + i % LOCATIONS, rng.choice(products)
                serial = f"SN{i:08d}" if i % 3 == 0 else ""
                lot = "" if serial and i % 2 else f"LOT{rng.randrange(LOTS):06d}"
                if (location, product, lot, serial) in seen:
                    continue
                seen.add((location, product, lot, serial))
                copy.write_row((location, product, lot, serial, date(2026, 7, 1) + timedelta(days=rng.randrange(900)),
                                1 if serial else rng.randrange(1, 20)))  # fmt: skip
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
        units = conn.execute(sa.text("SELECT COUNT(*) FROM stock_unit")).scalar()
    engine.dispose()
    print(f"{'inventory.units':34s} {units:,} stock units in {LOCATIONS:,} locations")


def measure() -> list[tuple[str, bool]]:
    from closeout.services.auth import Actor
    from closeout.services.inventory import queries

    manager = Actor(0, "Bench Manager", "bench@closeout.example", "manager")
    engine = sa.create_engine(DB_URL)
    with engine.connect() as conn:
        locations = [i for (i,) in conn.execute(sa.text("SELECT id FROM stock_location WHERE name LIKE 'Bench %'"))]
    engine.dispose()
    rng = random.Random(7)
    for _ in range(10):
        queries.where_is_lot(manager, f"LOT{rng.randrange(LOTS):06d}")
        queries.stock(manager, rng.choice(locations))
    lot, page = [], []
    for i in range(QUERIES):
        start = time.perf_counter()
        found = queries.where_is_lot(manager, f"LOT{rng.randrange(LOTS):06d}")
        lot.append(time.perf_counter() - start)
        assert found.in_stock is not None
        start = time.perf_counter()
        queries.stock(manager, rng.choice(locations), page=1 + i % 3, page_size=50)
        page.append(time.perf_counter() - start)
    return [report("inventory.where_is_lot", lot, "ms", 50, f"{QUERIES} lots, {UNITS:,} units"),
            report("inventory.location_page", page, "ms", 100, f"{QUERIES} pages of 50 with count")]  # fmt: skip


def run() -> list[tuple[str, bool]]:
    from tests.harness import migrate_and_seed

    with fresh_database("closeout_bench_inventory") as url:
        start = time.perf_counter()
        migrate_and_seed(url)
        fill(url)
        print(f"{'inventory.seed_postgres':34s} {time.perf_counter() - start:.0f} s")
        return measure()


if __name__ == "__main__":
    results = run()
    failed = [name for name, ok in results if not ok]
    print("all targets met" if not failed else f"targets missed: {', '.join(failed)}")
