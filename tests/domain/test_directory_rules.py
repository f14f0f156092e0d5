"""The Directory's rules, without a database: facility and contact fields, the patient
identifier (never a name), the list's URL query, and moving a billing contact."""

import pytest

from closeout.domain.contacts import parse_contact, parse_phone, parse_surgeon, role_labels
from closeout.domain.directory import (
    DirectoryQuery,
    city_of,
    moved,
    page_count,
    parse_account_number,
    parse_address,
    parse_facility,
    parse_query,
    parse_time_zone,
    to_params,
)
from closeout.domain.errors import InvalidInput
from closeout.domain.patient_ref import check_patient_ref, parse_patient_ref_pattern

FACILITY = {"name": "  Mercy   West ", "address": " 12 Elm St \r\n\n Tacoma, WA 98402 ", "account_number": "MW-001",
            "time_zone": "America/Los_Angeles", "patient_ref_pattern": "", "price_list_id": "none"}  # fmt: skip


def refused(call, field: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        call()
    assert caught.value.field == field
    return caught.value.message


def test_a_facility_is_cleaned_and_each_field_is_required():
    fields = parse_facility(FACILITY)
    assert (fields.name, fields.address, fields.price_list_id) == ("Mercy West", "12 Elm St\nTacoma, WA 98402", None)
    assert parse_facility({**FACILITY, "price_list_id": "3"}).price_list_id == 3
    for field in ("name", "address", "account_number", "time_zone"):
        refused(lambda f=field: parse_facility({**FACILITY, f: "  "}), field)
    refused(lambda: parse_facility({**FACILITY, "price_list_id": "x"}), "price_list_id")
    refused(lambda: parse_address("a\x00b"), "address")
    refused(lambda: parse_address("x" * 401), "address")


def test_account_numbers_and_time_zones():
    assert parse_account_number(" SBMC  10442 ") == "SBMC 10442"
    assert "letters, digits" in refused(lambda: parse_account_number("<b>1</b>"), "account_number")
    refused(lambda: parse_account_number("A" * 41), "account_number")
    assert parse_time_zone(" America/Chicago ") == "America/Chicago"
    for bad in ("Mars/Olympus", "../etc/passwd", "EST5EDT" * 20, "america/chicago"):
        assert "not a time zone" in refused(lambda b=bad: parse_time_zone(b), "time_zone")


def test_the_patient_identifier_is_a_code_never_a_name():
    assert check_patient_ref(" PT-0001 ") == "PT-0001"
    assert check_patient_ref("12345678") == "12345678"
    for name in ("John Smith", "Smith, John", "O'Brien", "Smith", "José", "Ann-Marie"):
        assert "never the patient's name" in refused(lambda n=name: check_patient_ref(n), "patient_ref")
    refused(lambda: check_patient_ref(""), "patient_ref")
    refused(lambda: check_patient_ref("A1" * 11), "patient_ref")


def test_a_facility_pattern_must_compile_and_the_whole_identifier_must_match_it():
    assert parse_patient_ref_pattern("  ") == ""
    pattern = parse_patient_ref_pattern(r" MRN\d{6} ")
    assert check_patient_ref("MRN123456", pattern) == "MRN123456"
    assert "does not match" in refused(lambda: check_patient_ref("MRN1234567", pattern), "patient_ref")
    assert "does not match" in refused(lambda: check_patient_ref("PT-0001", pattern), "patient_ref")
    assert "not a valid regular expression" in refused(lambda: parse_patient_ref_pattern("MRN(\\d"), "patient_ref_pattern")
    refused(lambda: parse_patient_ref_pattern("a" * 201), "patient_ref_pattern")


@pytest.mark.parametrize("pattern", [
    r"(a+)+", r"((\w|\d)*)*", r"(?:\d+)*", r"(a*)*", r"(x(y+))*", r"(\w{2,3})+", r"(a|b+)*", r"(a+){2}", r"(?i)(mrn\d+)+",
])  # fmt: skip
def test_a_pattern_that_repeats_a_repeat_is_refused_when_saved(pattern):
    message = refused(lambda: parse_patient_ref_pattern(pattern), "patient_ref_pattern")
    assert "nested repeat" in message and "(a+)+" in message


@pytest.mark.parametrize("pattern", [
    r"MRN\d{6}", r"(\d{3}-){2}\d{4}", r"[A-Z]{2}\d+", r"(PT|MRN)-\d+", r"(ab?)+", r"\d+(-\d+)?", r"([A-Z]{2}-)*\d{4}",
])  # fmt: skip
def test_ordinary_patterns_with_repeats_side_by_side_or_fixed_counts_are_kept(pattern):
    assert parse_patient_ref_pattern(pattern) == pattern


def test_a_contact_needs_a_name_an_email_and_a_role():
    contact = parse_contact({"name": " Accounts  Payable ", "email": "AP@Mercy.Example", "phone": "(253) 555-0100 x12",
                             "is_billing": "on", "is_or": "on"})  # fmt: skip
    assert (contact.name, contact.email, contact.phone) == ("Accounts Payable", "ap@mercy.example", "(253) 555-0100 x12")
    assert (contact.is_billing, contact.is_purchasing, contact.is_or) == (True, False, True)
    assert role_labels(True, False, True) == ["Billing", "OR"]
    assert "at least one role" in refused(lambda: parse_contact({"name": "A", "email": "a@b.example"}), "roles")
    assert "email address" in refused(lambda: parse_contact({"name": "A", "email": " ", "is_billing": "on"}), "email")
    refused(lambda: parse_contact({"name": "A", "email": "not an address", "is_billing": "on"}), "email")
    refused(lambda: parse_contact({"name": "", "email": "a@b.example", "is_billing": "on"}), "name")
    assert parse_phone("") == ""
    for bad in ("call me", "12345", "+1 (503) 555-0100 <script>"):
        refused(lambda b=bad: parse_phone(b), "phone")


def test_a_surgeon_needs_a_name():
    assert parse_surgeon("  Dr.  Ada  Lo ", " Spine ") == ("Dr. Ada Lo", "Spine")
    assert parse_surgeon("Dr. Ada Lo", "") == ("Dr. Ada Lo", "")
    refused(lambda: parse_surgeon(" ", "Spine"), "surgeon_name")
    refused(lambda: parse_surgeon("Dr. X", "s" * 81), "specialty")


def test_the_list_query_lives_in_the_url():
    query = parse_query({"q": "  portland\x00 ", "inactive": "1", "page": "3"})
    assert query == DirectoryQuery("portland", True, 3) and query.offset == 50
    assert to_params(query) == {"q": "portland", "inactive": "1", "page": "3"}
    assert parse_query({"page": "-1"}).page == 1 and parse_query({"page": "²"}).page == 1
    assert to_params(parse_query({})) == {}
    assert (page_count(0), page_count(25), page_count(26)) == (1, 1, 2)
    assert city_of("400 Harbor Way\nSuite 210\nPortland, OR 97201\n") == "Portland, OR 97201"


def test_a_billing_contact_moves_one_place_and_stays_at_either_end():
    assert moved([1, 2, 3], 2, -1) == [2, 1, 3]
    assert moved([1, 2, 3], 2, 1) == [1, 3, 2]
    assert moved([1, 2, 3], 1, -1) == [1, 2, 3] and moved([1, 2, 3], 3, 1) == [1, 2, 3]
    assert moved([1, 2, 3], 9, -1) == [1, 2, 3]
