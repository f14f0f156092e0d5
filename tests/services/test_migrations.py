"""The committed migrations build the schema the models describe, on SQLite and PostgreSQL."""

import os
import sys
from decimal import Decimal

import pytest
import sqlalchemy as sa
from reflex.model import alembic_autogenerate, get_engine

from closeout.domain.catalog import UsageStatus
from closeout.domain.pricing import PricedLine, case_totals
from closeout.seed import BIG_CASE_LINES, BIG_CASE_NUMBER
from tests.harness import migrate_and_seed, run_cli

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_models_have_no_change_missing_from_the_migrations():
    with get_engine().connect() as connection:
        assert not alembic_autogenerate(connection, write_migration_scripts=False)


def big_case_totals(url: str):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT m.name, l.quantity, l.unit_price, l.usage_status, l.no_charge FROM deviceline l "
                "JOIN product p ON p.id = l.product_id JOIN manufacturer m ON m.id = p.manufacturer_id "
                "JOIN surgical_case c ON c.id = l.case_id WHERE c.number = :n"
            ),
            {"n": BIG_CASE_NUMBER},
        ).all()
        cents = conn.execute(
            sa.text(
                "SELECT SUM(l.quantity * l.unit_price) FROM deviceline l JOIN surgical_case c ON c.id = l.case_id "
                "WHERE c.number = :n AND NOT l.no_charge AND l.usage_status <> 'Unused'"
            ),
            {"n": BIG_CASE_NUMBER},
        ).scalar()
    engine.dispose()
    lines = [PricedLine(m, q, Decimal(p) / 100, UsageStatus(u), bool(nc)) for m, q, p, u, nc in rows]
    return len(lines), case_totals(lines).grand_total, Decimal(cents) / 100


@pytest.mark.postgres
def test_migrations_and_demo_data_on_postgresql_keep_money_exact(postgres_url):
    migrate_and_seed(postgres_url)
    count, pg_total, pg_sql_sum = big_case_totals(postgres_url)
    assert count == BIG_CASE_LINES
    assert pg_total == pg_sql_sum  # Python Decimal and SQL integer-cents sums agree exactly
    _, sqlite_total, _ = big_case_totals(os.environ["REFLEX_DB_URL"])
    assert pg_total == sqlite_total  # same seed, same money on both databases
    again = run_cli(sys.executable, "-m", "closeout.seed", env={"REFLEX_DB_URL": postgres_url})
    assert "already has data" in again  # never seeds over existing data
