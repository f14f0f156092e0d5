"""What edited prices add up to, through the services against the migrated database: the
console's "prices edited" filter and CSV column, the dashboard's figures per facility and
month (exact Decimals), and the migration's fill-in of existing lines."""

import csv
import importlib.util
import io
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain.console import ConsoleFilters, parse_filters, to_params
from closeout.models import Case
from closeout.services import console, device_lines, price_dashboard
from closeout.services.db import transaction
from tests.factories import demo_rep, manager, new_case, new_facility
from tests.services.test_price_controls_service import REASON, lines_of, stored

D = Decimal


def test_the_console_filters_and_exports_the_flag():
    edited, plain = new_case(lines=1), new_case(lines=1)
    device_lines.set_price(demo_rep(), edited, lines_of(edited)[0].id, "3.00", REASON)
    every = ("open", "closed", "completed", "cancelled")
    assert parse_filters({"prices_edited": "1"}).prices_edited and to_params(ConsoleFilters(prices_edited=True)) == {
        "prices_edited": "1"}  # fmt: skip
    for number, expected in ((edited, [edited]), (plain, [])):
        rows, _ = console.case_page(manager(), ConsoleFilters(statuses=every, prices_edited=True, search=number))
        assert [r.number for r in rows] == expected
    [row], _ = console.case_page(manager(), ConsoleFilters(statuses=every, search=edited))
    assert row.prices_edited is True
    text = "".join(console.export_csv(manager(), ConsoleFilters(statuses=every, search=edited)))
    header, line = list(csv.reader(io.StringIO(text)))
    assert line[header.index("Prices edited")] == "Yes"


def _submitted(number: str, status: str = "closed") -> None:
    """Setup: the case as billed (its signing and submitting have their own tests)."""
    with transaction() as session:
        session.execute(sa.update(Case).where(Case.number == number).values(status=status))


def test_the_dashboard_sums_above_and_below_per_facility_and_month_exactly():
    _, facility = new_facility()
    a, b, still_open, plain = (new_case(lines=2, facility=facility) for _ in range(4))
    a1, a2 = lines_of(a)
    device_lines.update_line(demo_rep(), a, a1.id, "quantity", "2")
    device_lines.set_price(demo_rep(), a, a1.id, str(a1.unit_price + D("10.05")), REASON)  # +20.10
    device_lines.set_price(demo_rep(), a, a2.id, str(a2.unit_price - D("3.33")), REASON)  # −3.33
    b1, b2 = lines_of(b)
    device_lines.set_price(demo_rep(), b, b1.id, str(b1.unit_price + D("0.01")), REASON)  # +0.01
    device_lines.set_price(demo_rep(), b, b2.id, "0.00", "Trade-in / credit")
    device_lines.update_line(demo_rep(), b, b2.id, "no_charge", True)  # not billed: no amount
    device_lines.set_price(demo_rep(), still_open, lines_of(still_open)[0].id, "1.00", REASON)  # not billed yet
    _submitted(a)
    _submitted(b, "completed")
    _submitted(plain)
    rows = [r for r in price_dashboard.price_edits(manager()) if r.facility == facility]
    assert [(r.month, r.cases, r.above, r.below) for r in rows] == [("2026-06", 2, D("20.11"), D("3.33"))]
    with pytest.raises(Exception, match="managers"):
        price_dashboard.price_edits(demo_rep())


def _migration():
    path = Path(__file__).resolve().parents[2] / "alembic" / "versions" / "d14_prices.py"
    spec = importlib.util.spec_from_file_location("d14_prices", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_fills_in_the_price_in_force_and_the_flag_from_existing_lines():
    number = new_case(lines=2)
    first, _ = lines_of(number)
    device_lines.set_price(demo_rep(), number, first.id, "4.56", REASON)
    expected = stored(number)
    with transaction() as session:  # as a database from before the migration holds it
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        session.execute(sa.text("UPDATE deviceline SET catalog_price = NULL WHERE case_id = :c"), {"c": case_id})
        session.execute(sa.text("UPDATE surgical_case SET prices_edited = false WHERE id = :c"), {"c": case_id})
        session.execute(sa.text(f"UPDATE deviceline SET catalog_price = {_migration()._PRICE_IN_FORCE} "
                                "WHERE price_source = 'edited' AND case_id = :c"), {"c": case_id})  # fmt: skip
        session.execute(sa.text("UPDATE surgical_case SET prices_edited = EXISTS (SELECT 1 FROM deviceline l "
                                "WHERE l.case_id = surgical_case.id AND l.price_source = 'edited') WHERE id = :c"),
                        {"c": case_id})  # fmt: skip
    assert stored(number)[:2] == expected[:2]
