"""Opening balances by CSV: preview with row errors, all or nothing, the same file again changes nothing."""

from sqlmodel import select

from closeout.domain.inventory.ledger import StockKey
from closeout.models import Product
from closeout.services import import_jobs
from closeout.services.db import reading
from closeout.services.inventory import ledger, locations, stock_import
from tests.factories import manager, unique_suffix


def _setup():
    name = f"Import WH {unique_suffix()}"
    where = locations.create_location(manager(), "warehouse", name)
    with reading() as session:
        a, b = session.exec(select(Product).order_by(Product.id).limit(2)).all()
        return name, where, (a.id, a.ref), (b.id, b.ref)


def _run(data: bytes):
    job = import_jobs.start(manager(), "stock", "stock.csv", data)
    view = stock_import.preview(manager(), job)
    if view.status == "previewed" and not view.error_count:
        view = stock_import.commit(manager(), job)
    return view


def on_hand(where, key):
    with reading() as session:
        return ledger.on_hand(session, where, key)


def test_opening_balances_import_and_a_reimport_is_a_no_op():
    name, where, (a, ref_a), (b, ref_b) = _setup()
    serial = f"IMP-{unique_suffix()}"
    csv = (f"Location,REF,Lot,Serial,Expiry,Quantity\n{name},{ref_a},L1,,2027-01-31,4\n"
           f"{name},{ref_b},,{serial},,1\n").encode()  # fmt: skip
    first = _run(csv)
    assert (first.status, first.summary["new"]) == ("done", 2)
    assert on_hand(where, StockKey(a, "L1")) == 4 and on_hand(where, StockKey(b, "", serial)) == 1
    again = _run(csv)
    assert (again.status, again.summary["new"], again.summary["unchanged"]) == ("done", 0, 2)
    lower = _run(f"Location,REF,Lot,Quantity\n{name},{ref_a},L1,1\n".encode())
    assert lower.summary["updated"] == 1 and on_hand(where, StockKey(a, "L1")) == 1
    with reading() as session:
        assert ledger.ledger_mismatches(session, [where]) == []


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_row():
    name, where, (a, ref_a), _ = _setup()
    view = _run(f"Location,REF,Lot,Quantity\n{name},{ref_a},L2,3\nNowhere,{ref_a},L2,1\n{name},{ref_a},L3,x\n".encode())
    assert view.status == "previewed" and view.error_count == 2
    assert [row for row, _ in view.errors] == [3, 4] and "Nowhere" in view.errors[0][1]
    assert on_hand(where, StockKey(a, "L2")) == 0
