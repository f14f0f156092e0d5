"""Property tests: whatever a client sends to a service (text, numbers, dates, booleans,
nothing), the answer is a result or a clear refusal, and a refusal leaves nothing half-saved."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closeout.domain.errors import DomainError
from closeout.services import billing, device_lines, reopening, replenishment, sharing, signatures
from tests.factories import demo_rep, new_case, sign_both

ANYTHING = st.one_of(
    st.text(max_size=60), st.integers(min_value=-(10**12), max_value=10**12), st.floats(allow_nan=True),
    st.booleans(), st.none(), st.dates(min_value=date(1, 1, 1)).map(str), st.decimals(allow_nan=True).map(str),
)  # fmt: skip
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def open_case():
    number = new_case(lines=1)
    return number, device_lines.list_lines(demo_rep(), number).lines[0]


@pytest.fixture(scope="module")
def closed_case():
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    return number


def _row(number):
    line = device_lines.list_lines(demo_rep(), number).lines[0]
    return line, len(device_lines.list_lines(demo_rep(), number).lines)


@SETTINGS
@given(field=st.sampled_from(list(device_lines.FIELD_LABELS) + ["product_id", "case_id", ""]), raw=ANYTHING)
def test_any_edit_is_saved_whole_or_refused_whole(open_case, field, raw):
    number, _ = open_case
    before, count = _row(number)
    try:
        change = device_lines.update_line(demo_rep(), number, before.id, field, raw)
    except DomainError as refusal:
        assert refusal.message
        after, after_count = _row(number)
        assert (after, after_count) == (before, count)
    else:
        assert change.line.id == before.id


@SETTINGS
@given(line_id=ANYTHING, number=st.text(max_size=30))
def test_any_line_or_case_reference_is_found_or_not_found(line_id, number):
    with pytest.raises(DomainError):
        device_lines.update_line(demo_rep(), number, line_id, "quantity", "1")


@SETTINGS
@given(role=ANYTHING, name=ANYTHING, image=ANYTHING)
def test_any_signature_is_stored_or_refused(open_case, role, name, image):
    number, _ = open_case
    try:
        signatures.sign(demo_rep(), number, role, name, image)
    except DomainError as refusal:
        assert refusal.message


@SETTINGS
@given(po=ANYTHING, reason=ANYTHING)
def test_any_po_or_reopen_reason_is_taken_or_refused(closed_case, po, reason):
    for call in (lambda: billing.enter_purchase_orders(demo_rep(), closed_case, {None: po}),
                 lambda: reopening.reopen(demo_rep(), "CS-0000-000000", reason)):  # fmt: skip
        try:
            call()
        except DomainError as refusal:
            assert refusal.message


@SETTINGS
@given(to=ANYTHING, subject=ANYTHING, message=ANYTHING)
def test_any_share_draft_is_sent_or_refused_before_anything_leaves(
    closed_case, to, subject, message, tmp_path_factory, monkeypatch
):
    monkeypatch.delenv("CLOSEOUT_SMTP_HOST", raising=False)
    monkeypatch.setenv("CLOSEOUT_OUTBOX", str(tmp_path_factory.mktemp("outbox")))
    try:
        sharing.send(demo_rep(), closed_case, to, subject, message, "draft-x")
    except DomainError as refusal:
        assert refusal.message


@SETTINGS
@given(items=st.lists(st.tuples(ANYTHING, ANYTHING), max_size=3), ship_to=ANYTHING, needed_by=ANYTHING, notes=ANYTHING)
def test_any_replenishment_request_is_created_or_refused(closed_case, items, ship_to, needed_by, notes):
    try:
        replenishment.request(demo_rep(), closed_case, items, ship_to, needed_by, notes)
    except DomainError as refusal:
        assert refusal.message


# Success paths: valid input is saved and reads back equal.
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40).map(str.strip)
NAME = st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=2, max_size=20)


@SETTINGS
@given(lot=PRINTABLE, serial=PRINTABLE, quantity=st.integers(1, 9999),
       expiry=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
       cents=st.integers(0, 10_000_000), usage=st.sampled_from(["Implanted", "Used", "Wasted", "Explanted", "Unused"]),
       no_charge=st.booleans())  # fmt: skip
def test_valid_edits_are_saved_and_read_back_equal(open_case, lot, serial, quantity, expiry, cents, usage, no_charge):
    from decimal import Decimal

    number, line = open_case
    price = Decimal(cents).scaleb(-2)
    for field, raw in (("lot", lot), ("serial", serial), ("quantity", str(quantity)), ("expiry", expiry.isoformat()),
                       ("unit_price", str(price)), ("usage_status", usage), ("no_charge", no_charge)):  # fmt: skip
        device_lines.update_line(demo_rep(), number, line.id, field, raw, price_reason="Trade-in / credit")
    saved, _ = _row(number)
    assert (saved.lot, saved.serial, saved.quantity, saved.expiry) == (lot, serial, quantity, expiry)
    assert (saved.unit_price, saved.usage_status.value, saved.no_charge) == (price, usage, no_charge)


@SETTINGS
@given(first=NAME, last=NAME)
def test_valid_signer_names_are_stored_as_given(open_case, first, last):
    from tests.factories import signature_data_url

    number, _ = open_case
    name = f"{first} {last}"
    view = signatures.sign(demo_rep(), number, "provider_rep", name, signature_data_url(), title="RN, circulating nurse")
    assert signatures.signatures_of(demo_rep(), number)[view.role].signer_name == name


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(po=st.text(min_size=1, max_size=40).filter(lambda t: t.isprintable() and t.strip() == t and t != ""))
def test_valid_po_numbers_read_back_equal(po):
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    billing.enter_purchase_orders(demo_rep(), number, {None: po})
    from closeout.services.access import case_for
    from closeout.services.db import reading

    with reading() as session:
        case = case_for(session, demo_rep(), number)
        assert [p.number for p in billing.purchase_orders(session, case.id)] == [po]
