"""PO reminders by each facility's settings, against a real SMTP server (aiosmtpd): off means
none, the interval is the facility's, the recipients and the text are its own and every
reminder carries the buyer's PO link; a paused case gets none; a refused reminder is recorded
as failed, retried on the next run and then sent once; the histories; the audit rows."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.console import ConsoleFilters
from closeout.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from closeout.models import AuditEvent, Case, Facility, PoLink, PoReminder
from closeout.services import console, contacts, reminder_history, reminder_settings, reminders
from closeout.services.db import reading, transaction
from tests.factories import actor_for_email, closed_case, demo_rep, manager, new_facility
from tests.smtp import smtp_server

FORM = {"po_reminders_on": "on", "po_reminder_days": "7", "po_reminder_recipients": "billing", "po_reminder_text": ""}


@pytest.fixture
def smtp(monkeypatch):
    with smtp_server(refuse="refused.example") as (inbox, port):
        monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(port))
        monkeypatch.setenv("CLOSEOUT_PUBLIC_URL", "https://closeout.test")
        yield inbox


@pytest.fixture
def only_these():
    """Reminders off at every other facility for the test (restored after): a run sends only its cases."""
    with reading() as session:
        were_on = list(session.exec(select(Facility.id).where(Facility.po_reminders_on)).all())
    with transaction() as session:
        session.execute(sa.update(Facility).values(po_reminders_on=False))

    def turn_on(*facility_ids: int) -> None:
        with transaction() as session:
            session.execute(sa.update(Facility).where(Facility.id.in_(facility_ids)).values(po_reminders_on=True))

    yield turn_on
    with transaction() as session:
        session.execute(sa.update(Facility).where(Facility.id.in_(were_on)).values(po_reminders_on=True))


def facility(billing=("ap@hosp.example",), purchasing=(), **settings) -> tuple[int, str]:
    facility_id, name = new_facility(billing=billing)
    for email in purchasing:
        contacts.add_contact(manager(), facility_id, {"name": email.split("@")[0], "email": email, "is_purchasing": "on"})
    if settings:
        reminder_settings.update_settings(manager(), facility_id, {**FORM, **settings})
    return facility_id, name


def run(now=None) -> set[str]:
    return {s.case_number for s in reminders.send_due_reminders(now=now or clock.now())}


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def rows(number: str) -> list[reminder_history.ReminderRow]:
    return reminders.reminders_of(manager(), number)


def audits(action: str, entity_id: int) -> list[AuditEvent]:
    with reading() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action, AuditEvent.entity_id == entity_id)
                                 .order_by(AuditEvent.id)).all())  # fmt: skip


def case_id(number: str) -> int:
    with reading() as session:
        return session.exec(select(Case.id).where(Case.number == number)).one()


def test_a_facility_with_reminders_off_gets_none(smtp, only_these):
    off_id, off_name = facility(po_reminders_on="off")
    on_id, on_name = facility()
    only_these(on_id)
    quiet, reminded = closed_case(days_ago=10, facility=off_name), closed_case(days_ago=10, facility=on_name)
    assert run() == {reminded}
    assert [m["Subject"] for _, m in smtp.messages] == [f"PO needed: sales order SO-{reminded[3:]} — case {reminded}"]
    assert rows(quiet) == [] and run(clock.now() + timedelta(days=30)) == {reminded}
    # by hand it is sent all the same: the switch stops the scheduled ones, not a person
    assert reminders.send_reminder(demo_rep(), quiet).delivery == "sent"


def test_the_interval_is_the_facilitys(smtp, only_these):
    three_id, three = facility(po_reminder_days="3")
    fortnight_id, fortnight = facility(po_reminder_days="14")
    only_these(three_id, fortnight_id)
    every_3, every_14 = closed_case(days_ago=4, facility=three), closed_case(days_ago=10, facility=fortnight)
    t0 = clock.now()
    assert run(t0) == {every_3}
    assert run(t0 + timedelta(days=2)) == set()
    assert run(t0 + timedelta(days=3)) == {every_3}
    assert run(t0 + timedelta(days=4)) == {every_14}
    assert run(t0 + timedelta(days=5)) == set()
    assert [r.sent_at for r in rows(every_3)] == [t0 + timedelta(days=3), t0]


@pytest.mark.parametrize(("choice", "expected"), [
    ("billing", ["first@hosp.example"]),
    ("purchasing", ["buyer.a@hosp.example", "buyer.b@hosp.example"]),
    ("both", ["first@hosp.example", "buyer.a@hosp.example", "buyer.b@hosp.example"]),
])  # fmt: skip
def test_the_recipients_are_the_facilitys_choice(smtp, only_these, choice, expected):
    facility_id, name = facility(billing=("first@hosp.example", "second@hosp.example"),
                                 purchasing=("buyer.b@hosp.example", "buyer.a@hosp.example", "gone@hosp.example"),
                                 po_reminder_recipients=choice)  # fmt: skip
    with transaction() as session:  # a deactivated purchasing contact gets nothing
        session.execute(sa.text("UPDATE facilitycontact SET active = false WHERE email = 'gone@hosp.example'"))
    only_these(facility_id)
    by_job, by_hand = closed_case(days_ago=8, facility=name), closed_case(days_ago=1, facility=name)
    assert run() == {by_job}
    assert reminders.send_reminder(manager(), by_hand).recipient == ", ".join(expected)
    assert [sorted(rcpts) for rcpts, _ in smtp.messages] == [sorted(expected)] * 2
    assert rows(by_job)[0].recipient == ", ".join(expected)


def test_nobody_to_send_to_is_a_failure_the_manager_can_fix(smtp, only_these):
    facility_id, name = facility(po_reminder_recipients="purchasing")
    only_these(facility_id)
    number = closed_case(days_ago=8, facility=name)
    [failed] = reminders.send_due_reminders(now=clock.now()).failed
    assert failed.reason == f"{name} has no active purchasing contact in the Directory."
    assert [(r.status, r.error) for r in rows(number)] == [("failed", failed.reason)]
    with pytest.raises(DomainError, match="no active purchasing contact"):
        reminders.send_reminder(manager(), number)
    assert len(rows(number)) == 1  # the same failure again: one row, its time moved


def test_the_facilitys_text_is_sent_with_the_buyers_link(smtp, only_these):
    facility_id, name = facility(po_reminder_text="Dear {facility},\nPO for {sales_order} ({total}, {surgery_date}): "
                                                  "{link}\n{{not a placeholder}}\n— {sender}")  # fmt: skip
    only_these(facility_id)
    number = closed_case(days_ago=8, facility=name)
    assert run() == {number}
    reminders.send_reminder(demo_rep(), number)
    (_, by_job), (_, by_hand) = smtp.messages
    body = text_of(by_job)
    assert body.startswith(f"Dear {name},\nPO for SO-{number[3:]} ($") and "{not a placeholder}" in body
    assert body.rstrip().endswith("— Closeout Medical Devices, Inc.")
    assert text_of(by_hand).rstrip().endswith(f"— {demo_rep().name}")
    links = [line.split(": ")[-1] for m in (by_job, by_hand) for line in text_of(m).splitlines()
             if "/po/" in line]  # fmt: skip
    assert len(links) == 2 and all(link.startswith("https://closeout.test/po/") for link in links) and links[0] != links[1]
    with reading() as session:
        issued = session.exec(select(PoLink).where(PoLink.case_id == case_id(number)).order_by(PoLink.id)).all()
    assert [(link.purpose, link.created_by_id) for link in issued] == [
        ("PO reminder to ap@hosp.example", None),
        ("PO reminder to ap@hosp.example", demo_rep().id),
    ]
    assert [a.get_filename() for a in by_job.iter_attachments()] == [f"SO-{number[3:]}.pdf"]


def test_a_paused_case_gets_no_reminder_until_resumed(smtp, only_these):
    facility_id, name = facility()
    only_these(facility_id)
    number = closed_case(days_ago=8, facility=name)
    with pytest.raises(InvalidInput):
        reminder_settings.pause(demo_rep(), number, "no")
    with pytest.raises(NotFound):  # another rep's case
        reminder_settings.pause(actor_for_email("sam.okafor@closeout.example"), number, "PO is on its way")
    paused = reminder_settings.pause(demo_rep(), number, "  Buyer promised the PO by Friday  ")
    assert paused.reason == "Buyer promised the PO by Friday" and paused.paused_by == demo_rep().name
    with pytest.raises(NotAllowed, match="already paused"):
        reminder_settings.pause(manager(), number, "again")
    assert run() == set() and run(clock.now() + timedelta(days=30)) == set()
    assert console.case_page(manager(), ConsoleFilters(search=number))[0][0].reminders_paused  # the console's marker
    with pytest.raises(NotAllowed, match="Buyer promised the PO by Friday"):
        reminders.send_reminder(demo_rep(), number)
    sent, failed = reminders.send_reminders(manager(), [number])
    assert sent == [] and "paused" in failed[0] and failed[0].startswith(f"{number}: ")
    reminder_settings.resume(manager(), number)
    with pytest.raises(NotAllowed, match="not paused"):
        reminder_settings.resume(demo_rep(), number)
    assert run() == {number} and smtp.messages and rows(number)[0].status == "sent"
    [paused_row], [resumed_row] = audits("PO reminders paused", case_id(number)), audits("PO reminders resumed", case_id(number))
    assert paused_row.after == {"paused": True, "reason": "Buyer promised the PO by Friday"}
    assert (
        resumed_row.before == {"paused": True, "reason": "Buyer promised the PO by Friday"}
        and resumed_row.user_id == manager().id
    )


def test_only_a_case_waiting_for_its_po_is_paused(only_these):
    number = closed_case(days_ago=1)
    from closeout.services import billing

    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-77"})
    with pytest.raises(NotAllowed, match="not waiting for a PO"):
        reminder_settings.pause(demo_rep(), number, "PO arrived")


def test_a_refused_reminder_is_recorded_failed_retried_and_then_sent_once(smtp, only_these):
    facility_id, name = facility(billing=("ap@refused.example",))
    only_these(facility_id)
    number = closed_case(days_ago=8, facility=name)
    t0 = clock.now()
    first = reminders.send_due_reminders(now=t0)
    assert first.sent == [] and [f.case_number for f in first.failed] == [number]
    assert "refused" in first.failed[0].reason and "@" not in first.failed[0].reason
    [row] = rows(number)
    assert (row.status, row.recipient, row.delivery, row.sent_at) == ("failed", "ap@refused.example", "not sent", t0)
    assert "@" not in row.error and "Nothing was sent" in row.error
    with reading() as session:  # the link of a reminder that never left is not kept
        assert session.exec(select(PoLink).where(PoLink.case_id == case_id(number))).all() == []
    assert run(t0 + timedelta(hours=1)) == set()  # refused again: still one failed row, tried later
    assert [(r.status, r.sent_at) for r in rows(number)] == [("failed", t0 + timedelta(hours=1))]
    smtp.refuse = ""  # the mail server takes it now
    assert run(t0 + timedelta(hours=2)) == {number}
    assert run(t0 + timedelta(hours=3)) == set()  # sent once: due again only after the interval
    assert [r.status for r in rows(number)] == ["sent", "failed"] and len(smtp.messages) == 1
    assert len(audits("PO reminder failed", case_id(number))) == 1 and len(audits("PO reminder sent", case_id(number))) == 1
    smtp.refuse = "refused.example"
    with pytest.raises(DomainError, match="refused ap@refused.example"):  # by hand, the sender sees the server's words
        reminders.send_reminder(demo_rep(), number)
    with reading() as session:
        assert session.exec(select(sa.func.count()).select_from(PoReminder)
                            .where(PoReminder.case_id == case_id(number), PoReminder.status == "sent")).one() == 1  # fmt: skip


def test_the_histories_per_case_and_per_facility(smtp, only_these):
    facility_id, name = facility()
    only_these(facility_id)
    a, b = closed_case(days_ago=8, facility=name), closed_case(days_ago=9, facility=name)
    t0 = clock.now()
    run(t0)
    reminders.send_reminder(manager(), a)
    history, total = reminder_history.facility_reminders(manager(), facility_id)
    assert total == 3 and history[0].case_number == a and history[0].sent_by == manager().name
    assert {r.case_number for r in history[1:]} == {a, b} and all(r.sent_by == "" for r in history[1:])
    assert all(r.recipient == "ap@hosp.example" and r.status == "sent" for r in history)
    view = reminder_settings.facility_settings(manager(), facility_id)
    assert view.total == 3 and view.billing == "ap@hosp.example" and view.purchasing == []
    with pytest.raises(NotAllowed):
        reminder_history.facility_reminders(demo_rep(), facility_id)
    with pytest.raises(NotFound):
        reminder_history.facility_reminders(manager(), "99999999")
    assert [r.status for r in reminders.reminders_of(demo_rep(), a)] == ["sent", "sent"]


def test_the_history_is_paged(only_these):
    facility_id, name = facility()
    number = closed_case(days_ago=1, facility=name)
    t0 = clock.now()
    with transaction() as session:
        cid = case_id(number)
        for i in range(reminder_history.PAGE_SIZE + 5):
            session.add(PoReminder(case_id=cid, sent_at=t0 - timedelta(hours=i), recipient="ap@hosp.example", delivery="sent"))
    first, total = reminder_history.facility_reminders(manager(), facility_id, 1)
    second, _ = reminder_history.facility_reminders(manager(), facility_id, 2)
    assert total == reminder_history.PAGE_SIZE + 5 and len(first) == reminder_history.PAGE_SIZE and len(second) == 5
    assert first[0].sent_at == t0 and second[-1].sent_at == t0 - timedelta(hours=total - 1)


def test_settings_are_saved_by_managers_with_the_audit(only_these):
    facility_id, _ = facility()
    with pytest.raises(NotAllowed):
        reminder_settings.update_settings(demo_rep(), facility_id, FORM)
    with pytest.raises(InvalidInput) as refused:
        reminder_settings.update_settings(manager(), facility_id, {**FORM, "po_reminder_text": "{0.__class__} {link}"})
    assert refused.value.field == "po_reminder_text"
    reminder_settings.update_settings(manager(), facility_id, FORM)  # nothing changed: no audit row
    assert audits("facility PO reminders changed", facility_id) == []
    saved = reminder_settings.update_settings(manager(), facility_id, {**FORM, "po_reminders_on": "off", "po_reminder_days": "21",
                                                                        "po_reminder_text": "PO please: {link}"})  # fmt: skip
    assert (saved.po_reminders_on, saved.po_reminder_days, saved.po_reminder_text) == (False, 21, "PO please: {link}")
    [row] = audits("facility PO reminders changed", facility_id)
    assert row.before == {"po_reminders_on": True, "po_reminder_days": 7, "po_reminder_text": ""}
    assert row.after == {"po_reminders_on": False, "po_reminder_days": 21, "po_reminder_text": "PO please: {link}"}
    assert row.user_id == manager().id and "on/off, interval, text changed" in row.summary
    assert reminder_settings.facility_settings(manager(), facility_id).settings == saved
