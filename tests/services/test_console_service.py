"""The console's query: each filter, search, sort and paging, the count, CSV export, the
dashboard and PO reminders (by hand and the weekly job) — on SQLite and PostgreSQL."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from closeout.domain import clock
from closeout.domain.console import ConsoleFilters
from closeout.domain.errors import NotFound
from closeout.models import Case
from closeout.services import billing, console, device_lines, reminders
from closeout.services.db import transaction
from tests.factories import closed_case, demo_rep, manager, new_case
from tests.smtp import smtp_server


def numbers(filters: ConsoleFilters) -> list[str]:
    return [r.number for r in console.case_page(manager(), filters.with_(page_size=100))[0]]


def test_the_console_is_for_managers_only():
    with pytest.raises(NotFound):
        console.case_page(demo_rep(), ConsoleFilters())
    with pytest.raises(NotFound):
        next(console.export_csv(demo_rep(), ConsoleFilters()))


def test_pending_po_over_n_days_and_the_default_view():
    old, fresh, still_open = closed_case(days_ago=20), closed_case(days_ago=3), new_case(lines=1)
    pending = numbers(ConsoleFilters(pending_po_days=14))
    assert old in pending and fresh not in pending and still_open not in pending
    default = numbers(ConsoleFilters(search=""))
    assert old in default and still_open not in default


def test_search_by_case_number_po_lot_and_serial():
    number = closed_case()
    billing.enter_purchase_orders(demo_rep(), number, {None: f"PO-{number[-6:]}"})
    line = device_lines.list_lines(demo_rep(), number).lines[0]
    assert numbers(ConsoleFilters(search=number)) == [number]
    assert numbers(ConsoleFilters(search=f"PO-{number[-6:]}")) == [number]
    with transaction() as session:
        session.execute(sa.text("UPDATE deviceline SET serial = :s WHERE id = :i"), {"s": f"SER{number[-6:]}", "i": line.id})
    assert numbers(ConsoleFilters(search=f"SER{number[-6:]}")) == [number]


def test_sorting_paging_and_the_total():
    a, b = closed_case(lines=1), closed_case(lines=3)
    rows, total = console.case_page(manager(), ConsoleFilters(sort="billable_total", descending=False, page_size=25))
    values = [r.billable_total for r in rows]
    assert values == sorted(values) and total >= 2
    second, _ = console.case_page(manager(), ConsoleFilters(page=2, page_size=25))
    first, _ = console.case_page(manager(), ConsoleFilters(page=1, page_size=25))
    assert not {r.number for r in first} & {r.number for r in second}
    assert {a, b} <= set(numbers(ConsoleFilters()))


def test_the_kept_billable_total_matches_the_lines():
    number = closed_case(lines=3)
    [row] = console.case_page(manager(), ConsoleFilters(search=number))[0]
    assert row.billable_total == device_lines.list_lines(demo_rep(), number).totals.grand_total


def test_a_po_number_reaches_the_csv_as_text_not_a_formula():
    number = closed_case()
    billing.enter_purchase_orders(demo_rep(), number, {None: '=HYPERLINK("http://x","y")'})
    text = "".join(console.export_csv(manager(), ConsoleFilters(search=number)))
    header, row = list(csv.reader(io.StringIO(text)))
    assert row[0] == number and row[header.index("PO")] == '\'=HYPERLINK("http://x","y")'


def test_csv_export_has_every_matching_row_across_pages():
    for _ in range(3):
        closed_case(days_ago=40)
    filters = ConsoleFilters(pending_po_days=30, page_size=25)
    text = "".join(console.export_csv(manager(), filters))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == console.CSV_HEADER
    assert len(rows) - 1 == console.case_page(manager(), filters)[1] >= 3
    assert all(r[5] == "Closed — pending PO" for r in rows[1:])


def test_dashboard_counts_and_aging():
    closed_case(days_ago=10)
    board = console.dashboard(manager())
    assert [label for label, _ in board.by_status] == ["Open", "Closed — pending PO", "Completed", "Invoiced", "Paid", "Cancelled"]
    assert dict(board.aging)["8–14 days"] >= 1 and board.monthly


@pytest.fixture
def smtp(monkeypatch):
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(port))
        yield inbox


def test_a_reminder_goes_to_the_first_billing_contact_and_is_recorded(smtp):
    number = closed_case()
    sent = reminders.send_reminder(manager(), number)
    assert sent.recipient == "ap.ortho@stbrigid.example" and sent.delivery == "sent"
    [(rcpts, message)] = smtp.messages
    assert rcpts == ["ap.ortho@stbrigid.example"] and number in message["Subject"]
    assert reminders.reminders_of(demo_rep(), number)[0].recipient == "ap.ortho@stbrigid.example"


def test_the_weekly_job_sends_once_per_7_days_while_the_po_is_missing(smtp):
    with transaction() as session:  # only this test's cases are due, now and in the 16 days it looks ahead
        session.execute(sa.update(Case).where(Case.status == "closed").values(submitted_at=clock.now() + timedelta(days=30)))
    due, recent = closed_case(days_ago=8), closed_case(days_ago=2)
    sent = {s.case_number for s in reminders.send_due_reminders()}
    assert due in sent and recent not in sent
    assert due not in {s.case_number for s in reminders.send_due_reminders()}  # not again within 7 days
    later = clock.now() + timedelta(days=8)
    assert due in {s.case_number for s in reminders.send_due_reminders(now=later)}
    billing.enter_purchase_orders(demo_rep(), due, {None: "PO-DONE"})
    assert due not in {s.case_number for s in reminders.send_due_reminders(now=later + timedelta(days=8))}


@pytest.mark.postgres
def test_the_console_query_on_postgresql(postgres_url):
    """The same filters, search and sort run on PostgreSQL (migrated, demo data)."""
    from tests.harness import migrate_and_seed

    migrate_and_seed(postgres_url)
    engine = sa.create_engine(postgres_url)
    from closeout.services import auth as auth_service

    with Session(engine) as session:
        manager_id = session.exec(
            select(sa.text("id")).select_from(sa.text("app_user")).where(sa.text("role = 'manager'"))
        ).first()
        for filters in (ConsoleFilters(), ConsoleFilters(pending_po_days=14, sort="billable_total"),
                        ConsoleFilters(search="CS-2026-0001", statuses=("open", "closed", "completed")),
                        ConsoleFilters(not_shared=True, sort="facility", descending=False)):  # fmt: skip
            rows, total = console.case_page(auth_service.Actor(manager_id, "M", "m@x", "manager"), filters, session=session)
            assert total >= len(rows)
    engine.dispose()


@pytest.mark.parametrize("column", ["facility", "surgeon", "rep"])
def test_sorting_by_a_name_orders_by_that_name(column):
    closed_case(facility="Lakeside Regional Hospital")
    closed_case(facility="Cascade Surgery Center")
    for descending in (False, True):
        rows, _ = console.case_page(manager(), ConsoleFilters(sort=column, descending=descending, page_size=100))
        names = [getattr(r, column) for r in rows]
        assert names == sorted(names, reverse=descending)
