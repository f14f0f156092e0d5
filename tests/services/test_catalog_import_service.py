"""Catalog and contract price imports through the services: preview, commit (all or nothing,
again and again), products used in cases kept, the price in force on the surgery date, the
export read back unchanged, and managers only."""

import asyncio
import itertools
import os
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from biip.checksums import gs1_standard_check_digit
from reflex_base.config import get_config
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.errors import DomainError, InvalidInput, NotFound
from closeout.models import AuditEvent, Case, Facility, ImportJob, Manufacturer, PriceListItem, Product
from closeout.services import catalog, catalog_admin, catalog_export, catalog_import, catalog_writes, device_lines, import_jobs
from closeout.services.db import reading, transaction
from closeout.services.scanning import scan
from tests.factories import demo_rep, manager, new_case, new_session

HEADER = "REF,Description,Manufacturer,GTIN,HIBC labeler code,Single use,List price\n"
PRICES = "Price list,Facility account,REF,Manufacturer,Contract price,Effective from,Effective to\n"
_codes = itertools.count(random.randrange(36**3 // 2))  # HIBC labeler codes of this run's makers: never the same twice


def gtin(seed: int) -> str:
    body = f"0{seed:012d}"[-13:]
    return body + str(gs1_standard_check_digit(body))


@pytest.fixture
def maker():
    """A manufacturer of this test's own (name, HIBC labeler code, REF prefix)."""
    tag, n = uuid.uuid4().hex[:6].upper(), next(_codes)
    lic = "Q" + "".join("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n // 36**k % 36] for k in (2, 1, 0))
    catalog_admin.add_manufacturer(manager(), f"Maker {tag}", lic)
    return f"Maker {tag}", lic, f"T{tag}", int(tag, 16)


def rows(maker, count: int = 2, price: str = "100.00") -> str:
    name, lic, prefix, seed = maker
    return "".join(f"{prefix}-{i},Implant {i},{name},{gtin(seed * 100 + i)},{lic},yes,{price}\n" for i in range(count))


def preview(kind: str, text: str):
    return catalog_import.preview(manager(), import_jobs.start(manager(), kind, f"{kind}.csv", text.encode()))


def imported(kind: str, text: str):
    job = preview(kind, text)
    assert job.status == "previewed" and not job.errors, job
    return catalog_import.commit(manager(), job.id)


def refs(prefix: str) -> list[str]:
    return [p.ref for p in catalog_admin.product_page(manager(), prefix, page_size=100)[0]]


def test_a_rep_cannot_use_the_catalog():
    rep = demo_rep()
    for call in (lambda: import_jobs.start(rep, "products", "x.csv", b"x"), lambda: catalog_admin.manufacturers(rep),
                 lambda: catalog_admin.product_page(rep), lambda: catalog_export.products_csv(rep),
                 lambda: catalog_export.prices_csv(rep), lambda: catalog_admin.add_manufacturer(rep, "X", ""),
                 lambda: catalog_import.commit(rep, 1), lambda: import_jobs.latest(rep, "products")):  # fmt: skip
        with pytest.raises(NotFound, match="The catalog is for managers."):
            call()


def test_manufacturers_are_added_once_each_with_their_own_code(maker):
    name, lic, _, _ = maker
    assert (name, lic) in [(m.name, m.lic) for m in catalog_admin.manufacturers(manager())]
    with pytest.raises(DomainError, match="already in the list"):
        catalog_admin.add_manufacturer(manager(), name.upper(), "")
    with pytest.raises(DomainError, match=f"HIBC labeler code {lic} is already {name}'s"):
        catalog_admin.add_manufacturer(manager(), name + " II", lic.lower())
    with reading() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "manufacturer added", AuditEvent.entity == "manufacturer",
                                                     AuditEvent.summary.contains(name))).first()  # fmt: skip


def test_a_bad_row_is_reported_and_nothing_imported_until_the_file_is_fixed(maker):
    name, lic, prefix, seed = maker
    bad = rows(maker) + f"{prefix}-9,Bad,{name},00000000000001,{lic},yes,5.00\n"
    job = preview("products", HEADER + bad)
    assert (job.status, job.errors) == ("previewed", [(4, "GTIN 00000000000001 has a wrong check digit.")])
    with pytest.raises(DomainError, match="not ready"):
        catalog_import.commit(manager(), job.id)
    assert refs(prefix) == []
    done = imported("products", HEADER + rows(maker))
    assert done.status == "done" and (done.summary["new"], done.summary["updated"]) == (2, 0)
    assert import_jobs.view(manager(), job.id).message == import_jobs.REPLACED  # the bad file's preview is let go
    assert refs(prefix) == [f"{prefix}-0", f"{prefix}-1"]
    with reading() as session:
        row = session.exec(select(AuditEvent).where(AuditEvent.action == "products imported", AuditEvent.entity_id == done.id)).one()
        assert "2 new, 0 updated" in row.summary and row.after["stored"] == row.before["stored"] + 2
        assert session.get(ImportJob, done.id).content == b""  # the file is let go once imported
    with pytest.raises(DomainError, match="not ready"):
        catalog_import.commit(manager(), done.id)  # a second click commits nothing twice


def test_importing_the_same_files_again_changes_nothing(maker):
    imported("products", HEADER + rows(maker))
    prices = PRICES + f"Repeat {maker[2]},,{maker[2]}-0,,90.00,2026-01-01,\n"
    imported("prices", prices)
    again = imported("products", HEADER + rows(maker))
    assert (again.summary["new"], again.summary["updated"], again.summary["unchanged"]) == (0, 0, 2)
    assert imported("prices", prices).summary["unchanged"] == 1
    changed = imported("products", HEADER + rows(maker, price="101.00"))
    assert changed.summary["updated"] == 2


def test_products_used_in_cases_are_kept_when_the_file_leaves_them_out(maker):
    imported("products", HEADER + rows(maker, 3))
    with reading() as session:
        product = session.exec(select(Product).where(Product.ref == f"{maker[2]}-2")).one()
    number = new_case(lines=0)
    device_lines.add_line(demo_rep(), number, product.id)
    job = imported("products", HEADER + rows(maker, 2))
    assert job.summary["kept"] >= 1 and refs(maker[2]) == [f"{maker[2]}-0", f"{maker[2]}-1", f"{maker[2]}-2"]
    assert device_lines.list_lines(demo_rep(), number).lines[0].ref == f"{maker[2]}-2"


def test_a_failure_in_the_middle_of_a_commit_changes_nothing(maker, monkeypatch):
    imported("products", HEADER + rows(maker, 2))
    job = preview("products", HEADER + rows(maker, 6, price="55.00"))
    monkeypatch.setattr(catalog_writes, "BATCH", 1)
    real = import_jobs.report

    def fail_on_the_third_row(job_id, done, total=None, durable=True):
        if done == 3:
            raise RuntimeError("disk full")
        real(job_id, done, total, durable)

    monkeypatch.setattr(import_jobs, "report", fail_on_the_third_row)
    failed = catalog_import.commit(manager(), job.id)
    assert failed.status == "failed" and "nothing was imported" in failed.message
    page = catalog_admin.product_page(manager(), maker[2], page_size=100)[0]
    assert [(p.ref, p.list_price) for p in page] == [(f"{maker[2]}-0", Decimal("100.00")), (f"{maker[2]}-1", Decimal("100.00"))]


def _case_on(facility: str, day: date) -> str:
    number = new_case(lines=0, facility=facility)
    with transaction() as session:
        session.execute(sa.update(Case).where(Case.number == number).values(surgery_date=day))
    return number


def test_the_contract_price_in_force_on_the_surgery_date_prices_a_new_line(maker):
    name, _, prefix, seed = maker
    imported("products", HEADER + rows(maker, 1, price="150.00"))
    account, facility = f"ACC-{prefix}", f"Clinic {prefix}"
    with transaction() as session:  # a facility without a price list: the import makes it one
        session.add(Facility(name=facility, address="1 Main St\nSalem, OR", account_number=account))
    job = imported("prices", PRICES + f",{account},{prefix}-0,{name},100.00,2026-01-01,2026-06-30\n"
                                      f",{account},{prefix}-0,{name},90.00,2026-07-01,\n")  # fmt: skip
    assert job.summary["new_price_lists"] == [f"{facility} ({account})"]
    with reading() as session:
        product = session.exec(select(Product).where(Product.ref == f"{prefix}-0")).one()
    for day, price, source in ((date(2026, 6, 30), "100.00", "contract"), (date(2026, 7, 1), "90.00", "contract"),
                               (date(2025, 12, 31), "150.00", "list")):  # fmt: skip
        number = _case_on(facility, day)
        [hit] = catalog.search_products(demo_rep(), number, f"{prefix}-0")
        assert (str(hit.price), hit.price_source.value) == (price, source)
        line = device_lines.add_line(demo_rep(), number, product.id).line
        assert (str(line.unit_price), line.price_source.value) == (price, source)
    number = _case_on(facility, date(2026, 8, 1))
    assert scan(demo_rep(), number, f"01{gtin(seed * 100)}").change.line.unit_price == Decimal("90.00")


def test_the_export_reads_back_unchanged(maker):
    name, lic, prefix, seed = maker
    imported("products", HEADER + f'+{prefix},"=SUM(1,2) -2 mm",{name},,{lic},no,0.50\n')
    imported("prices", PRICES + f"Export {prefix},,+{prefix},{name},0.40,2026-01-01,2026-12-31\n")
    products = "".join(catalog_export.products_csv(manager()))
    assert f"'+{prefix},'=SUM(1,2) -2 mm,{name},,{lic},no,0.50" in products.replace('"', "")
    prices = "".join(catalog_export.prices_csv(manager()))
    with reading() as session:
        stored = session.exec(select(sa.func.count()).select_from(Product)).one()
        stored_prices = session.exec(select(sa.func.count()).select_from(PriceListItem)).one()
    again = imported("products", products)
    assert again.summary == {**again.summary, "new": 0, "updated": 0, "unchanged": stored, "errors": 0}
    again = imported("prices", prices)
    assert again.summary == {**again.summary, "new": 0, "updated": 0, "unchanged": stored_prices, "errors": 0}


def test_a_file_that_cannot_be_read_fails_and_says_why():
    job = preview("products", "REF,Description\nX,Y\n")
    assert job.status == "failed" and "lacks the columns" in job.message


def stored_bytes(job_id: int) -> int:
    """What the job keeps to show every manager who opens the catalog page."""
    import json

    with reading() as session:
        job = session.get(ImportJob, job_id)
        return len(json.dumps([job.summary, job.errors, job.message]).encode())


def test_a_header_wider_than_the_bound_is_refused_and_stores_a_few_bytes(maker):
    """Issue 23: a 7.5 MB file whose header has a million extra columns stored a 10.9 MB summary."""
    wide = HEADER.rstrip("\n") + "".join(f",x{i}" for i in range(1_000_000)) + "\n" + rows(maker, 1)
    assert len(wide) > 7_000_000
    job = preview("products", wide)
    assert job.status == "failed" and "1,000,007 columns" in job.message and "at most 200" in job.message
    assert stored_bytes(job.id) < 1_000


def test_unknown_columns_are_kept_as_the_first_few_names_and_a_count(maker):
    extra = "".join(f",Note {i} " + "n" * 60 for i in range(150))
    job = preview("products", HEADER.rstrip("\n") + extra + "\n" + rows(maker, 1))
    assert job.status == "previewed"
    assert len(job.summary["ignored_columns"]) == 10 and job.summary["ignored_count"] == 150
    assert all(len(name) <= 40 for name in job.summary["ignored_columns"])
    assert stored_bytes(job.id) < 2_000


def test_new_price_lists_and_row_errors_are_stored_bounded(maker):
    name, _, prefix, _ = maker
    lists = "".join(f"List {prefix} {i},,{prefix}-0,{name},90.00,2026-01-01,\n" for i in range(300))
    bad = "".join(f"List {prefix} {i},,NO-SUCH-{'X' * 30}-{i},,90.00,2026-01-01,\n" for i in range(300))
    imported("products", HEADER + rows(maker, 1))
    job = preview("prices", PRICES + lists + bad)
    assert job.summary["new_price_lists"][:1] == [f"List {prefix} 0"] and job.summary["new_price_list_count"] == 300
    assert len(job.summary["new_price_lists"]) == 10 and len(job.errors) == 100 and job.error_count == 300
    assert stored_bytes(job.id) < 20_000


def test_a_job_whose_worker_stopped_shows_as_interrupted():
    job_id = import_jobs.start(manager(), "products", "stuck.csv", b"REF\n")
    with transaction() as session:
        session.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(updated_at=clock.now() - timedelta(minutes=10)))
    shown = import_jobs.view(manager(), job_id)
    assert shown.status == "failed" and shown.message == import_jobs.INTERRUPTED


class _FakeImportScreen:
    """Just enough of ImportState for its upload handler: the session, the refusals shown."""

    def __init__(self, token: str):
        self.session_token, self.refusal = token, {}
        self.router = SimpleNamespace(session=SimpleNamespace(client_token=f"tab-{uuid.uuid4().hex}"))

    async def __aenter__(self):
        return self

    async def __aexit__(self, *_):
        return False


class _Untouched:
    """An upload whose chunks must not be read."""

    read = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        self.read = True
        raise StopAsyncIteration


def test_an_upload_by_anyone_but_a_signed_in_manager_is_refused_before_a_byte_is_read():
    from closeout.pages.catalog.import_state import ImportState

    for token, message in ((new_session(demo_rep()), "The catalog is for managers."), ("", "Please sign in.")):
        screen, chunks = _FakeImportScreen(token), _Untouched()
        asyncio.run(ImportState._receive(screen, "products", chunks))
        assert not chunks.read and screen.refusal == {"products": message}


def test_a_contract_price_lookup_gives_one_price_even_where_two_ranges_overlap(maker):
    name, _, prefix, _ = maker
    imported("products", HEADER + rows(maker, 1, price="150.00"))
    account, facility = f"ACC-{prefix}", f"Clinic {prefix}"
    with transaction() as session:
        session.add(Facility(name=facility, address="1 Main St\nSalem, OR", account_number=account))
    imported("prices", PRICES + f",{account},{prefix}-0,{name},100.00,2026-01-01,2026-06-30\n"
                                f",{account},{prefix}-0,{name},90.00,2026-07-01,\n")  # fmt: skip
    with transaction() as session:  # an overlap the import would refuse (left by a race, or by hand)
        fac = session.exec(select(Facility).where(Facility.name == facility)).one()
        product = session.exec(select(Product).where(Product.ref == f"{prefix}-0")).one()
        session.add(PriceListItem(price_list_id=fac.price_list_id, product_id=product.id, price=Decimal("80.00"),
                                  effective_from=date(2026, 3, 1)))  # fmt: skip
        fac_id, product_id = fac.id, product.id
    for day, price in ((date(2026, 6, 30), "80.00"), (date(2026, 7, 1), "90.00"), (date(2026, 2, 1), "100.00")):
        with reading() as session:
            assert str(catalog.contract_price(session, fac_id, product_id, day)) == price  # the latest start wins
        [hit] = catalog.search_products(demo_rep(), _case_on(facility, day), f"{prefix}-0")  # one hit, the same price
        assert str(hit.price) == price


def test_a_manufacturer_twin_is_refused_with_the_same_message_when_the_database_catches_it(maker, monkeypatch):
    name, lic, _, _ = maker
    with pytest.raises(InvalidInput, match=f"{name.upper()} is already in the list"):
        catalog_admin.add_manufacturer(manager(), name.upper(), "")
    check = catalog_admin._refuse_taken
    calls = iter([lambda *_: None])  # the first check misses the twin, as if it were added at the same moment
    monkeypatch.setattr(catalog_admin, "_refuse_taken", lambda *args: next(calls, check)(*args))
    with pytest.raises(InvalidInput, match=f"{name.lower()} is already in the list"):
        catalog_admin.add_manufacturer(manager(), name.lower(), "")
    calls = iter([lambda *_: None])
    with pytest.raises(InvalidInput, match=f"HIBC labeler code {lic} is already {name}'s"):
        catalog_admin.add_manufacturer(manager(), f"Other {name}", lic)
    calls = iter([lambda *_: None])
    catalog_admin.add_manufacturer(manager(), f"No code {name}", "")  # many makers have no code: no clash
    with reading() as session:
        assert session.exec(select(sa.func.count()).where(sa.func.lower(Manufacturer.name) == name.lower())).one() == 1


@pytest.mark.skipif(os.environ.get("CLOSEOUT_TEST_BACKEND") != "postgres", reason="SQLite's one writer already serialises")
def test_a_price_commit_waits_for_another_price_commit_on_postgresql(maker):
    name, _, prefix, _ = maker
    imported("products", HEADER + rows(maker, 1))
    account = f"ACC-{prefix}"
    with transaction() as session:
        session.add(Facility(name=f"Clinic {prefix}", address="1 Main St\nSalem, OR", account_number=account))
    job = preview("prices", PRICES + f",{account},{prefix}-0,{name},100.00,2026-01-01,\n")
    engine = sa.create_engine(get_config().db_url)
    try:
        with engine.connect() as other, ThreadPoolExecutor(1) as pool:  # "another commit" holds the lock
            other.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": catalog_import.LOCK_KEYS["prices"]})
            committing = pool.submit(catalog_import.commit, manager(), job.id)
            for _ in range(200):  # until the commit waits on the lock
                waiting = other.execute(sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                                "AND NOT granted")).scalar()  # fmt: skip
                if waiting or committing.done():
                    break
                other.commit()
                time.sleep(0.05)
            assert waiting == 1 and not committing.done()
            assert import_jobs.view(manager(), job.id).status == "committing"
            other.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": catalog_import.LOCK_KEYS["prices"]})
            assert committing.result(timeout=60).status == "done"
    finally:
        engine.dispose()
