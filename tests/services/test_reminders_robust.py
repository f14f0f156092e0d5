"""The PO reminder job and the console's bulk send go on past a case that fails (here: its
sales order cannot be built), report it, and never record it as sent (it is kept as a failed
attempt, shown in the histories)."""

import asyncio
import logging

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain import clock
from closeout.jobs import __main__ as job_cli
from closeout.jobs import schedule
from closeout.models import Case, PoReminder
from closeout.services import audit, reminders, sales_order
from closeout.services.db import reading, transaction
from tests.factories import closed_case, manager
from tests.socket_client import run

SECRET = "Pat &#9999999; of 12 Elm St"  # stands for a personal value an error may carry


def case_id(number: str) -> int:
    with reading() as session:
        return session.exec(select(Case.id).where(Case.number == number)).one()


def reminder_rows(number: str, status: str = "sent") -> int:
    wanted = case_id(number)
    with reading() as session:
        return len(session.exec(select(PoReminder).where(PoReminder.case_id == wanted, PoReminder.status == status)).all())


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    monkeypatch.delenv("CLOSEOUT_SMTP_HOST", raising=False)
    monkeypatch.setenv("CLOSEOUT_OUTBOX", str(tmp_path))
    return tmp_path


@pytest.fixture
def three_due():
    """Three due cases, the middle one failing; no other case in the database is due."""
    with transaction() as session:
        session.execute(sa.update(Case).where(Case.status == "closed").values(submitted_at=clock.now()))
    return closed_case(days_ago=8), closed_case(days_ago=9), closed_case(days_ago=10)


def fail_to_build(monkeypatch, bad: str):
    """Make building `bad`'s sales order raise; returns the real build."""
    real = sales_order.build

    def build(session, case, **kw):
        if case.number == bad:
            raise RuntimeError(f"cannot draw {SECRET}")
        return real(session, case, **kw)

    monkeypatch.setattr(sales_order, "build", build)
    return real


def test_the_job_goes_on_past_a_case_whose_sales_order_cannot_be_built(outbox, three_due, monkeypatch, caplog):
    first, bad, last = three_due
    real_build = fail_to_build(monkeypatch, bad)
    with caplog.at_level(logging.INFO, logger="closeout"):
        run = reminders.send_due_reminders(now=clock.now())
    assert {s.case_number for s in run.sent} == {first, last} == {s.case_number for s in run}
    assert len(run) == 2
    assert run.failed == [reminders.ReminderFailed(bad, "the sales order could not be built; nothing was sent")]
    assert reminder_rows(bad) == 0 and reminder_rows(first) == reminder_rows(last) == 1
    assert reminder_rows(bad, "failed") == 1
    assert [(r.status, r.error) for r in reminders.reminders_of(manager(), bad)] == [("failed", reminders.BUILD_FAILED)]
    assert len(list(outbox.glob("*.eml"))) == 2
    logged = [r.getMessage() for r in caplog.records]
    assert any(bad in m and "RuntimeError" in m for m in logged)
    assert not any("Pat" in m or "Elm" in m for m in logged) and SECRET not in caplog.text  # no personal values
    # still due: the next run tries it again
    monkeypatch.setattr(sales_order, "build", real_build)
    assert {s.case_number for s in reminders.send_due_reminders(now=clock.now())} == {bad}


def test_a_failure_after_the_mail_left_is_not_recorded_as_sent(outbox, three_due, monkeypatch):
    first, bad, last = three_due
    real, bad_id = audit.record, case_id(bad)

    def record(session, actor, **kw):
        if kw.get("action") == "PO reminder sent" and kw.get("case_id") == bad_id:
            raise ValueError(SECRET)
        return real(session, actor, **kw)

    monkeypatch.setattr(audit, "record", record)
    run = reminders.send_due_reminders(now=clock.now())
    assert {s.case_number for s in run.sent} == {first, last}
    assert [f.case_number for f in run.failed] == [bad] and SECRET not in run.failed[0].reason
    assert reminder_rows(bad) == 0 and reminder_rows(bad, "failed") == 1


def test_the_bulk_send_goes_on_past_a_case_whose_sales_order_cannot_be_built(outbox, monkeypatch):
    first, bad, last = closed_case(days_ago=1), closed_case(days_ago=1), closed_case(days_ago=1)
    fail_to_build(monkeypatch, bad)
    sent, failed = reminders.send_reminders(manager(), [first, bad, last, "CS-1999-000001"])
    assert [s.case_number for s in sent] == [first, last]
    assert failed[0] == f"{bad}: the sales order could not be built; nothing was sent"
    assert failed[1].startswith("CS-1999-000001: ") and len(failed) == 2
    assert reminder_rows(bad) == 0 and reminder_rows(first) == reminder_rows(last) == 1


def test_the_command_lists_failures_and_exits_1(monkeypatch, capsys):
    run = reminders.DueReminders(sent=[reminders.ReminderSent("CS-1", "ap@x.example", "sent")],
                                 failed=[reminders.ReminderFailed("CS-2", reminders.BUILD_FAILED)])  # fmt: skip
    monkeypatch.setattr(job_cli, "send_due_reminders", lambda: run)
    monkeypatch.setattr("sys.argv", ["closeout.jobs"])
    assert job_cli.main() == 1
    out, err = capsys.readouterr()
    assert "PO reminders sent: 1" in out and "CS-1" in out
    assert "PO reminders not sent: 1" in err and "CS-2: the sales order could not be built" in err
    monkeypatch.setattr(job_cli, "send_due_reminders", lambda: reminders.DueReminders())
    assert job_cli.main() == 0


def test_the_app_task_logs_failures(monkeypatch, caplog):
    outcome = reminders.DueReminders(failed=[reminders.ReminderFailed("CS-2", reminders.BUILD_FAILED)])
    monkeypatch.setattr(schedule, "send_due_reminders", lambda: outcome)

    async def stop(_seconds):
        raise asyncio.CancelledError

    monkeypatch.setattr(schedule.asyncio, "sleep", stop)
    monkeypatch.delenv("CLOSEOUT_PO_REMINDERS", raising=False)
    with caplog.at_level(logging.INFO, logger="closeout"), pytest.raises(asyncio.CancelledError):
        run(schedule.po_reminder_loop())
    assert "PO reminders not sent: 1 (CS-2)" in caplog.text


def test_without_a_public_address_the_job_records_the_reminder_as_failed(outbox, monkeypatch):
    """No link that would not open: with no CLOSEOUT_PUBLIC_URL the job sends nothing and says why."""
    monkeypatch.delenv("CLOSEOUT_PUBLIC_URL")
    number = closed_case(days_ago=8)
    run = reminders.send_due_reminders(clock.now())
    assert number not in {r.case_number for r in run.sent}
    failure = next(f for f in run.failed if f.case_number == number)
    assert "CLOSEOUT_PUBLIC_URL" in failure.reason
    assert reminder_rows(number) == 0 and reminder_rows(number, "failed") == 1
    assert not list(outbox.glob("*.eml")) or all(number not in p.read_text(errors="replace") for p in outbox.glob("*.eml"))
