"""The Directory through its services: managers only (a rep may add a surgeon while making a
case), every refusal with its field, an audit row per change, the billing contacts' order
as Share and PO reminders use it, deactivation, and search and paging over hundreds."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain.directory import DirectoryQuery
from closeout.domain.errors import DomainError, InvalidInput, NotAllowed
from closeout.models import AuditEvent, FacilityContact, FacilitySurgeon
from closeout.services import cases, contacts, directory, reminders, sharing, surgeons, users
from closeout.services.db import reading, transaction
from tests.factories import closed_case, demo_rep, manager, many_facilities, new_facility, unique_suffix
from tests.smtp import smtp_server


def form(**changes) -> dict:
    suffix = unique_suffix()
    return {"name": f"Mercy West {suffix}", "address": "12 Elm St\nTacoma, WA 98402", "account_number": f"MW-{suffix}",
            "time_zone": "America/Los_Angeles", "patient_ref_pattern": "", "price_list_id": "none", **changes}  # fmt: skip


def offered(actor) -> set[int]:
    """The facilities the New case form offers the actor (services/users.py)."""
    return {c.id for c in users.facilities_for(actor)}


def billing(name: str, email: str) -> dict:
    return {"name": name, "email": email, "is_billing": "on"}


def audit_rows(entity: str, entity_id: int) -> list[AuditEvent]:
    with reading() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
                                 .order_by(AuditEvent.id)).all())  # fmt: skip


def test_the_directory_is_for_managers_and_a_rep_may_only_add_a_surgeon():
    facility_id, _ = new_facility(billing=("ap@rep-test.example",))
    [contact] = directory.facility_view(manager(), facility_id).contacts
    rep = demo_rep()
    for call in (lambda: directory.facility_page(rep, DirectoryQuery()), lambda: directory.facility_view(rep, facility_id),
                 lambda: directory.create_facility(rep, form()), lambda: directory.update_facility(rep, facility_id, form()),
                 lambda: directory.set_active(rep, facility_id, False), lambda: directory.price_lists(rep),
                 lambda: contacts.add_contact(rep, facility_id, billing("X", "x@y.example")),
                 lambda: contacts.move_billing_contact(rep, contact.id, -1),
                 lambda: contacts.set_contact_active(rep, contact.id, False),
                 lambda: surgeons.remove_surgeon(rep, facility_id, 1)):  # fmt: skip
        with pytest.raises(NotAllowed, match="The Directory is for managers."):
            call()
    added = surgeons.add_surgeon(rep, facility_id, "Dr. Rep Added", "Trauma")
    assert [s.name for s in surgeons.surgeons_of(rep, facility_id)] == ["Dr. Rep Added"] and added.active
    directory.set_active(manager(), facility_id, False)
    with pytest.raises(NotAllowed, match="deactivated"):
        surgeons.add_surgeon(rep, facility_id, "Dr. Too Late", "")
    not_theirs, name = new_facility(reps=())
    with pytest.raises(NotAllowed, match=f"You do not cover {name}"):
        surgeons.add_surgeon(rep, not_theirs, "Dr. Elsewhere", "")


def test_a_facility_is_added_changed_and_audited_with_before_and_after():
    facility_id = directory.create_facility(manager(), form(name="Audit General", account_number=f"AG-{unique_suffix()}"))
    [added] = audit_rows("facility", facility_id)
    assert added.case_id is None and added.action == "facility added" and added.after["name"] == "Audit General"
    view = directory.facility_view(manager(), facility_id)
    changed = {**view.fields.__dict__, "time_zone": "America/Chicago", "patient_ref_pattern": r"MRN\d{6}", "price_list_id": ""}
    directory.update_facility(manager(), facility_id, changed)
    directory.update_facility(manager(), facility_id, changed)  # nothing changed: no row
    rows = audit_rows("facility", facility_id)
    assert len(rows) == 2 and rows[1].user_id == manager().id
    assert rows[1].before == {"time_zone": "America/Los_Angeles", "patient_ref_pattern": ""}
    assert rows[1].after == {"time_zone": "America/Chicago", "patient_ref_pattern": r"MRN\d{6}"}
    assert directory.facility_view(manager(), facility_id).fields.patient_ref_pattern == r"MRN\d{6}"


def test_refusals_name_their_field_and_save_nothing():
    taken = form()
    directory.create_facility(manager(), taken)
    for bad, field in ((form(account_number=taken["account_number"].lower()), "account_number"),
                       (form(time_zone="Mars/Base"), "time_zone"), (form(patient_ref_pattern="(\\d"), "patient_ref_pattern"),
                       (form(price_list_id="999999"), "price_list_id"), (form(name=" "), "name")):  # fmt: skip
        with pytest.raises(InvalidInput) as caught:
            directory.create_facility(manager(), bad)
        assert caught.value.field == field
        probe = bad["name"].strip() or bad["account_number"]  # the facility that would have been added
        assert directory.facility_page(manager(), DirectoryQuery(search=probe))[1] == 0
    facility_id, _ = new_facility(billing=("dup@refuse.example",))
    with pytest.raises(InvalidInput, match="already a contact"):
        contacts.add_contact(manager(), facility_id, billing("Twin", "DUP@refuse.example"))


def test_the_billing_order_decides_what_share_prefills_and_where_reminders_go(monkeypatch):
    facility_id, name = new_facility()
    first = contacts.add_contact(manager(), facility_id, billing("Ana First", "ana@order.example"))
    second = contacts.add_contact(manager(), facility_id, {**billing("Bo Second", "bo@order.example"), "is_purchasing": "on"})
    contacts.add_contact(manager(), facility_id, {"name": "OR Desk", "email": "or@order.example", "is_or": "on"})
    number = closed_case(facility=name)
    context = sharing.share_context(demo_rep(), number)
    assert context.default_recipient == "ana@order.example"
    assert [(c.email, c.role) for c in context.contacts][:3] == [
        ("ana@order.example", "Billing"),
        ("bo@order.example", "Billing, Purchasing"),
        ("or@order.example", "OR"),
    ]
    assert contacts.move_billing_contact(manager(), second, -1) == ["bo@order.example", "ana@order.example"]
    assert sharing.share_context(demo_rep(), number).default_recipient == "bo@order.example"
    [moved] = [r for r in audit_rows("contact", second) if r.action == "billing contacts reordered"]
    assert moved.before == {"billing_order": ["ana@order.example", "bo@order.example"]}
    assert moved.after == {"billing_order": ["bo@order.example", "ana@order.example"]}
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(port))
        assert reminders.send_reminder(manager(), number).recipient == "bo@order.example"
        contacts.set_contact_active(manager(), second, False)  # gone from Share and reminders
        assert reminders.send_reminder(manager(), number).recipient == "ana@order.example"
    emails = [c.email for c in sharing.share_context(demo_rep(), number).contacts]
    assert "bo@order.example" not in emails and emails[0] == "ana@order.example"
    contacts.set_contact_active(manager(), second, True)  # back, at the end of the billing order
    assert [c.email for c in directory.facility_view(manager(), facility_id).contacts if c.billing_rank] == [
        "ana@order.example",
        "bo@order.example",
    ]
    assert first != second


def test_share_and_the_directory_put_billing_contacts_in_one_order_even_on_a_tied_position():
    facility_id, name = new_facility()
    zed = contacts.add_contact(manager(), facility_id, billing("Zed Early", "zed@tie.example"))
    contacts.add_contact(manager(), facility_id, {**billing("Abe Later", "abe@tie.example"), "is_purchasing": "on"})
    with transaction() as session:  # a tie, as an old database or a race could leave
        session.execute(sa.update(FacilityContact).where(FacilityContact.facility_id == facility_id).values(position=1))
    number = closed_case(facility=name)
    directory_order = [c.email for c in directory.facility_view(manager(), facility_id).contacts if c.billing_rank]
    share_order = [c.email for c in sharing.share_context(demo_rep(), number).contacts if c.role.startswith("Billing")]
    assert directory_order == share_order == ["zed@tie.example", "abe@tie.example"]  # position, then the older one
    assert sharing.share_context(demo_rep(), number).default_recipient == "zed@tie.example" and zed


def test_a_deactivated_facility_is_hidden_from_new_cases_but_keeps_its_cases():
    facility_id, name = new_facility(billing=("ap@deactivated.example",))
    number = closed_case(facility=name)
    directory.set_active(manager(), facility_id, False)
    with pytest.raises(DomainError, match="already deactivated"):
        directory.set_active(manager(), facility_id, False)
    assert facility_id not in offered(demo_rep())
    assert directory.facility_page(manager(), DirectoryQuery(search=name))[1] == 0
    assert directory.facility_page(manager(), DirectoryQuery(search=name, show_inactive=True))[1] == 1
    assert cases.case_header(demo_rep(), number).number == number
    assert sharing.share_context(demo_rep(), number).default_recipient == "ap@deactivated.example"
    directory.set_active(manager(), facility_id, True)
    assert facility_id in offered(demo_rep())
    assert [r.action for r in audit_rows("facility", facility_id)] == ["facility deactivated", "facility reactivated"]


def test_search_and_paging_over_hundreds_of_facilities():
    prefix = f"Paging {unique_suffix()}"
    names = many_facilities(prefix, 300)
    rows, total = directory.facility_page(manager(), DirectoryQuery(search=prefix.lower()))
    assert total == 300 and [r.name for r in rows] == names[:25]
    rows, _ = directory.facility_page(manager(), DirectoryQuery(search=prefix, page=12))
    assert [r.name for r in rows] == names[275:]
    assert directory.facility_page(manager(), DirectoryQuery(search=prefix, page=13))[0] == []
    [row] = directory.facility_page(manager(), DirectoryQuery(search=f"{prefix} City 137"))[0]  # by city
    assert row.name == f"{prefix} 137" and row.city.startswith(f"{prefix} City 137")
    [row] = directory.facility_page(manager(), DirectoryQuery(search=f"{prefix}-0042".lower()))[0]  # by account
    assert row.name == f"{prefix} 042"
    assert directory.facility_page(manager(), DirectoryQuery(search="100%_"))[1] == 0  # LIKE wildcards are text


def test_a_surgeon_is_removed_from_a_facility_and_added_back_and_a_namesake_elsewhere_is_another_doctor():
    a, _ = new_facility()
    b, _ = new_facility()
    name = f"Dr. Many Places {unique_suffix()}"
    one = surgeons.add_surgeon(manager(), a, name, "Spine")
    two = surgeons.add_surgeon(manager(), b, name.upper(), "")
    assert one.id != two.id and two.specialty == ""  # only a's own surgeons match: two doctors may share a name
    with pytest.raises(DomainError, match="already operates"):
        surgeons.add_surgeon(manager(), a, name.lower(), "")
    surgeons.remove_surgeon(manager(), a, one.id)
    assert surgeons.surgeons_of(manager(), a) == [] and [s.id for s in surgeons.surgeons_of(manager(), b)] == [two.id]
    assert [(s.name, s.active) for s in directory.facility_view(manager(), a).surgeons] == [(name, False)]
    surgeons.add_surgeon(manager(), a, name, "")  # added back: the same surgeon, as a removed one of this facility
    assert [s.id for s in surgeons.surgeons_of(manager(), a)] == [one.id]
    assert [r.action for r in audit_rows("surgeon", one.id)] == [
        "surgeon added",
        "surgeon removed",
        "surgeon added",
    ]


def test_adding_a_surgeon_never_changes_the_specialty_another_facility_sees():
    a, _ = new_facility()
    b, _ = new_facility()
    name = f"Dr. Shared {unique_suffix()}"
    shared = surgeons.add_surgeon(manager(), a, name, "Spine")
    with transaction() as session:  # one Surgeon operating at both (as the demo data links them)
        session.add(FacilitySurgeon(facility_id=b, surgeon_id=shared.id))
    surgeons.remove_surgeon(manager(), b, shared.id)
    assert surgeons.add_surgeon(manager(), b, name, "Trauma").specialty == "Spine"  # a still sees Spine
    own = surgeons.add_surgeon(manager(), b, f"{name} Jr", "Hand")
    surgeons.remove_surgeon(manager(), b, own.id)
    assert surgeons.add_surgeon(demo_rep(), b, f"{name} Jr", "Foot").specialty == "Hand"  # a rep's add changes nothing
    surgeons.remove_surgeon(manager(), b, own.id)
    assert surgeons.add_surgeon(manager(), b, f"{name} Jr", "Hand and wrist").specialty == "Hand and wrist"
    changed = audit_rows("surgeon", own.id)[-1]  # a manager's change, only here: audited before and after
    assert changed.before["specialty"] == "Hand" and changed.after["specialty"] == "Hand and wrist"


def test_a_rep_lists_surgeons_only_of_an_active_facility_they_cover():
    covered, _ = new_facility()
    not_theirs, name = new_facility(reps=())
    surgeons.add_surgeon(manager(), not_theirs, f"Dr. Elsewhere {unique_suffix()}", "")
    with pytest.raises(NotAllowed, match=f"You do not cover {name}"):
        surgeons.surgeons_of(demo_rep(), not_theirs)
    assert len(surgeons.surgeons_of(manager(), not_theirs)) == 1  # a manager: any facility
    assert surgeons.surgeons_of(demo_rep(), covered) == []
    directory.set_active(manager(), covered, False)
    with pytest.raises(NotAllowed, match="deactivated"):
        surgeons.surgeons_of(demo_rep(), covered)


def test_the_demo_facilities_have_the_surgeons_of_their_cases():
    [st_brigid] = [c for c in users.facilities_for(manager()) if c.name == "St. Brigid Medical Center"]
    assert len(surgeons.surgeons_of(demo_rep(), st_brigid.id)) >= 3


def test_editing_a_contact_keeps_its_history_and_a_new_billing_role_goes_last():
    facility_id, _ = new_facility(billing=("first@edit.example",))
    desk = contacts.add_contact(manager(), facility_id, {"name": "OR Desk", "email": "desk@edit.example", "is_or": "on"})
    changed = {"name": "OR Desk", "email": "desk@edit.example", "phone": "503-555-0100", "is_or": "on", "is_billing": "on"}
    contacts.update_contact(manager(), desk, changed)
    view = directory.facility_view(manager(), facility_id).contacts
    assert [(c.email, c.billing_rank, c.roles) for c in view] == [
        ("first@edit.example", 1, "Billing"),
        ("desk@edit.example", 2, "Billing, OR"),
    ]
    [edit] = [r for r in audit_rows("contact", desk) if r.action == "contact changed"]
    assert edit.before == {"phone": "", "is_billing": False} and edit.after == {"phone": "503-555-0100", "is_billing": True}
    with pytest.raises(InvalidInput, match="already a contact"):
        contacts.update_contact(manager(), desk, {**changed, "email": "FIRST@edit.example"})
    with pytest.raises(InvalidInput, match="at least one role"):
        contacts.update_contact(manager(), desk, {"name": "OR Desk", "email": "desk@edit.example"})
