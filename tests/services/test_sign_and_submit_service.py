"""Signatures, Submit for Billing, Purchase Orders, Reopen, replenishment and signing links,
through the services against the real database."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.content_changes import LineFacts, changes
from closeout.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from closeout.domain.lifecycle import CaseStatus
from closeout.domain.signing import SignatureKind, SignerRole
from closeout.domain.signing_link import CaseNoLongerOpen, ContentChanged
from closeout.models import AuditEvent, Case, Signature, SigningLink
from closeout.seed import BIG_CASE_LINES, BIG_CASE_NUMBER, DEMO_PASSWORDS
from closeout.services import audit, billing, cases, device_lines, reopening, replenishment, signatures, signing_links
from closeout.services.db import reading, transaction
from tests.factories import attest_as_rep, demo_rep, manager, new_case, rep_signs, sign_both, signature_data_url

REP_PASSWORD = DEMO_PASSWORDS["sales_rep"]
TITLE = "RN, circulating nurse"


def status(number):
    return cases.case_header(demo_rep(), number).status


def audit_actions(number):
    with reading() as session:
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        return [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.case_id == case_id)).all()]


def first_line(number):
    return device_lines.list_lines(demo_rep(), number).lines[0]


def test_signing_records_name_role_meaning_time_image_and_fingerprint():
    number = new_case(lines=2)
    view = signatures.sign(demo_rep(), number, "provider_rep", " Carla  Mendes ", signature_data_url(), title=TITLE)
    assert (view.role, view.kind, view.signer_name, view.valid) == (
        SignerRole.PROVIDER, SignatureKind.DRAWN, "Carla Mendes", True)  # fmt: skip
    assert "confirms devices used" in view.meaning and view.image.startswith(b"\x89PNG")
    assert view.signed_at.tzinfo is not None
    with reading() as session:
        stored = session.get(Signature, view.id)
        assert len(stored.fingerprint) == 64
    assert "signed" in audit_actions(number)


def test_a_change_to_the_lines_invalidates_the_signature():
    number = new_case(lines=2)
    sign_both(number)
    device_lines.update_line(demo_rep(), number, first_line(number).id, "quantity", "2")
    signed = signatures.signatures_of(demo_rep(), number)
    assert not signed[SignerRole.PROVIDER].valid and not signed[SignerRole.SALES_REP].valid
    with pytest.raises(DomainError, match="no longer valid"):
        billing.submit_for_billing(demo_rep(), number)
    assert status(number) is CaseStatus.OPEN


def test_signing_again_sets_the_old_signature_aside():
    number = new_case(lines=1)
    first = rep_signs(number)
    second = rep_signs(number)
    with reading() as session:
        assert session.get(Signature, first.id).set_aside_reason == "replaced by a new signature"
        assert session.get(Signature, second.id).set_aside_at is None


def test_an_attestation_stands_in_for_an_unavailable_signer():
    number = new_case(lines=1)
    rep_signs(number)
    view = attest_as_rep(number)
    assert view.kind is SignatureKind.ATTESTATION and view.image is None
    assert "was not available" in view.meaning
    assert billing.submit_for_billing(demo_rep(), number) is CaseStatus.CLOSED


@pytest.mark.parametrize(("call", "field"), [
    (lambda n: signatures.sign(demo_rep(), n, "provider_rep", "Carla", "data:image/png;base64,QUJD", title="RN"), "signature"),
    (lambda n: signatures.sign(demo_rep(), n, "provider_rep", "", signature_data_url(), title="RN"), "signer_name"),
    (lambda n: signatures.sign(demo_rep(), n, "provider_rep", "Carla", signature_data_url()), "title"),
    (lambda n: signatures.sign(demo_rep(), n, "surgeon", "Carla", signature_data_url()), "role"),
    (lambda n: signatures.sign(demo_rep(), n, "sales_rep", png_data_url=signature_data_url()), "secret"),
    (lambda n: signatures.attest(demo_rep(), n, "provider_rep", secret=""), "secret"),
    (lambda n: signatures.attest(demo_rep(), n, "pre_authorization", secret=REP_PASSWORD), "role"),
])  # fmt: skip
def test_bad_signatures_are_refused_and_nothing_is_stored(call, field):
    number = new_case(lines=1)
    with pytest.raises(InvalidInput) as refusal:
        call(number)
    assert refusal.value.field == field
    assert signatures.signatures_of(demo_rep(), number) == {}


def test_submit_needs_both_signatures():
    number = new_case(lines=1)
    with pytest.raises(DomainError) as refusal:
        billing.submit_for_billing(demo_rep(), number)
    assert "Sales Rep signature is missing" in refusal.value.message
    assert "Provider Representative signature is missing" in refusal.value.message
    assert status(number) is CaseStatus.OPEN


def test_submit_needs_a_line_and_no_invalid_line():
    empty = new_case(lines=0)
    sign_both(empty)
    with pytest.raises(DomainError, match="at least one device line"):
        billing.submit_for_billing(demo_rep(), empty)
    number = new_case(lines=1)
    device_lines.update_line(demo_rep(), number, first_line(number).id, "lot", "")
    sign_both(number)
    with pytest.raises(DomainError, match="needs a lot or serial"):
        billing.submit_for_billing(demo_rep(), number)


def test_a_case_that_is_all_no_charge_can_still_be_closed():
    number = new_case(lines=1)
    device_lines.update_line(demo_rep(), number, first_line(number).id, "no_charge", True)
    sign_both(number)
    assert billing.submit_for_billing(demo_rep(), number) is CaseStatus.CLOSED


def test_submit_closes_locks_and_records_who_and_when():
    number = new_case(lines=2)
    sign_both(number)
    assert billing.submit_for_billing(demo_rep(), number, True) is CaseStatus.CLOSED
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        assert case.submitted_by_id == demo_rep().id and case.submitted_at is not None
        assert case.replenishment_requested is True
    line = first_line(number)
    with pytest.raises(NotAllowed):
        device_lines.update_line(demo_rep(), number, line.id, "quantity", "5")
    with pytest.raises(NotAllowed):
        rep_signs(number)
    assert first_line(number).quantity == line.quantity


def test_submitting_twice_changes_the_case_once():
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    with pytest.raises(NotAllowed, match="already been submitted"):
        billing.submit_for_billing(demo_rep(), number)
    assert audit_actions(number).count("submitted for billing") == 1


def test_one_po_for_all_manufacturers_completes_the_case():
    number = new_case(lines=3)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    assert billing.enter_purchase_orders(demo_rep(), number, {None: " PO-77 "}) is CaseStatus.COMPLETED
    assert "completed" in audit_actions(number)


def test_one_po_per_manufacturer_completes_only_when_all_are_covered():
    number = new_case(lines=6)  # spread over the demo manufacturers
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    with reading() as session:
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        makers = list(billing.case_manufacturers(session, case_id))
    assert len(makers) >= 2
    assert billing.enter_purchase_orders(demo_rep(), number, {makers[0]: "PO-A"}) is CaseStatus.CLOSED
    rest = {maker: f"PO-{maker}" for maker in makers[1:]}
    assert billing.enter_purchase_orders(demo_rep(), number, rest) is CaseStatus.COMPLETED


@pytest.mark.parametrize("bad", ["", "   ", "P" * 41, "PO\x001"])
def test_a_bad_po_is_refused_and_the_case_stays_closed(bad):
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    with pytest.raises(InvalidInput):
        billing.enter_purchase_orders(demo_rep(), number, {None: bad})
    assert status(number) is CaseStatus.CLOSED


def test_no_po_on_an_open_case():
    number = new_case(lines=1)
    with pytest.raises(NotAllowed, match="Submit the case"):
        billing.enter_purchase_orders(demo_rep(), number, {None: "PO-1"})


def test_reopen_sets_signatures_aside_and_unlocks():
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    with pytest.raises(InvalidInput):
        reopening.reopen(demo_rep(), number, "  ")
    assert reopening.reopen(demo_rep(), number, "Wrong lot on line 1") is CaseStatus.OPEN
    assert signatures.signatures_of(demo_rep(), number) == {}
    with reading() as session:
        kept = session.exec(select(Signature).join(Case).where(Case.number == number)).all()
        assert len(kept) == 2 and all("reopened: Wrong lot" in s.set_aside_reason for s in kept)
    device_lines.update_line(demo_rep(), number, first_line(number).id, "lot", "L-NEW")


def test_only_a_manager_reopens_a_completed_case():
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-9"})
    with pytest.raises(NotAllowed, match="Only a manager"):
        reopening.reopen(demo_rep(), number, "PO was wrong")
    assert reopening.reopen(manager(), number, "PO was wrong") is CaseStatus.OPEN


def test_replenishment_draft_request_and_fulfilment():
    number = new_case(lines=3)
    lines = device_lines.list_lines(demo_rep(), number).lines
    device_lines.update_line(demo_rep(), number, lines[2].id, "usage_status", "Unused")
    sign_both(number)
    with pytest.raises(NotAllowed):
        replenishment.draft(demo_rep(), number)
    billing.submit_for_billing(demo_rep(), number, True)
    draft = replenishment.draft(demo_rep(), number)
    assert sorted(i.ref for i in draft.items) == sorted(line.ref for line in lines[:2])
    assert "Dana Reyes" in draft.ship_to_options[0][1] and "St. Brigid" in draft.ship_to_options[1][1]
    items = [(i.product_id, "2") for i in draft.items]
    request_id = replenishment.request(demo_rep(), number, items, draft.ship_to_options[0][1],
                                       str(clock.today() + timedelta(days=2)), "Rush")  # fmt: skip
    [view] = replenishment.requests(demo_rep(), number)
    assert view.id == request_id and view.status == "requested" and [q for *_, q in view.items] == [2, 2]
    with pytest.raises(NotAllowed):
        replenishment.mark_fulfilled(demo_rep(), request_id)
    replenishment.mark_fulfilled(manager(), request_id)
    assert replenishment.requests(demo_rep(), number)[0].status == "fulfilled"


@pytest.mark.parametrize(("items", "ship_to", "needed_by"), [
    ([], "Somewhere", "+2"), ([(10**9, "1")], "Somewhere", "+2"), ([("x", "1")], "Somewhere", "+2"),
    (None, "", "+2"), (None, "Somewhere", "-1"), (None, "Somewhere", "soon"),
    ([(None, "0")], "Somewhere", "+2"),
])  # fmt: skip
def test_bad_replenishment_requests_are_refused(items, ship_to, needed_by):
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    draft = replenishment.draft(demo_rep(), number)
    if items is None or items == [(None, "0")]:
        items = [(draft.items[0].product_id, "0" if items else "1")]
    when = needed_by if not needed_by[1:].isdigit() else str(clock.today() + timedelta(days=int(needed_by)))
    with pytest.raises(InvalidInput):
        replenishment.request(demo_rep(), number, items, ship_to, when)
    assert replenishment.requests(demo_rep(), number) == []


def test_signing_link_is_one_time_and_signs_as_provider():
    number = new_case(lines=2)
    link = signing_links.issue(demo_rep(), number)
    summary = signing_links.open_link(link.token)
    assert summary.case_number == number and len(summary.lines) == 2
    signed = signing_links.sign_through_link(link.token, "RN Jo Whitaker", signature_data_url(), summary.fingerprint,
                                             title=TITLE)  # fmt: skip
    assert signed == number
    provider = signatures.signatures_of(demo_rep(), number)[SignerRole.PROVIDER]
    assert provider.signer_name == "RN Jo Whitaker" and provider.via == "signing link" and provider.valid
    for attempt in (
        lambda: signing_links.open_link(link.token),
        lambda: signing_links.sign_through_link(
            link.token, "Someone Else", signature_data_url(), summary.fingerprint, title=TITLE
        ),
    ):
        with pytest.raises(NotFound, match="expired or was already used"):
            attempt()
    assert signatures.signatures_of(demo_rep(), number)[SignerRole.PROVIDER].signer_name == "RN Jo Whitaker"


def test_expired_or_made_up_links_reveal_nothing():
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    with transaction() as session:
        session.execute(sa.update(SigningLink).values(expires_at=clock.now() - timedelta(seconds=1)))
    for token in (link.token, "made-up", "", "x" * 5000):
        with pytest.raises(NotFound) as refusal:
            signing_links.open_link(token)
        assert number not in refusal.value.message
    assert SignerRole.PROVIDER not in signatures.signatures_of(demo_rep(), number)


def case_id_of(number):
    with reading() as session:
        return session.exec(select(Case.id).where(Case.number == number)).one()


def facts(summary):
    """What the signing page keeps of the lines it showed, by line id."""
    return {line.id: LineFacts(line.position, line.ref, line.lot, line.serial, line.expiry, line.quantity,
                               line.usage_status, line.unit_price, line.extended, line.no_charge)
            for line in summary.lines}  # fmt: skip


def test_the_signing_page_gets_every_line_of_a_big_case_with_the_total_and_fingerprint():
    link = signing_links.issue(demo_rep(), BIG_CASE_NUMBER)
    try:
        summary = signing_links.open_link(link.token)
        assert summary.line_count == len(summary.lines) == BIG_CASE_LINES  # not list_lines' 200 a page
        assert [line.position for line in summary.lines] == sorted(line.position for line in summary.lines)
        assert len({line.id for line in summary.lines}) == BIG_CASE_LINES
        with reading() as session:
            assert summary.fingerprint == signatures.fingerprint_of(session, case_id_of(BIG_CASE_NUMBER))
        assert summary.grand_total == device_lines.list_lines(demo_rep(), BIG_CASE_NUMBER, page_size=1).totals.grand_total
        assert summary.grand_total == sum((line.extended for line in summary.lines if line.billable), Decimal(0))
    finally:
        signing_links.revoke(demo_rep(), BIG_CASE_NUMBER, link.token)


def test_a_line_changed_after_the_page_opened_refuses_the_signature_and_keeps_the_link():
    number = new_case(lines=3)
    link = signing_links.issue(demo_rep(), number)
    shown = signing_links.open_link(link.token)
    third = shown.lines[2]
    device_lines.update_line(demo_rep(), number, third.id, "lot", "LOT9")  # the rep, on the tablet, meanwhile
    with pytest.raises(ContentChanged, match="changed while this page was open"):
        signing_links.sign_through_link(link.token, "RN Jo Whitaker", signature_data_url(), shown.fingerprint, title=TITLE)
    assert SignerRole.PROVIDER not in signatures.signatures_of(demo_rep(), number)
    assert "signed" not in audit_actions(number)

    fresh = signing_links.open_link(link.token)  # not spent: the page reads the lines again
    assert fresh.fingerprint != shown.fingerprint
    assert changes(facts(shown), facts(fresh)) == [f"Line 3 (REF {third.ref}): lot LOT3 → LOT9"]
    signing_links.sign_through_link(link.token, "RN Jo Whitaker", signature_data_url(), fresh.fingerprint, title=TITLE)
    provider = signatures.signatures_of(demo_rep(), number)[SignerRole.PROVIDER]
    assert provider.valid and provider.signer_name == "RN Jo Whitaker"


@pytest.mark.parametrize("fingerprint", ["", None, "0" * 64, "x" * 5000])
def test_a_signature_without_the_shown_fingerprint_is_refused(fingerprint):
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    with pytest.raises(ContentChanged):
        signing_links.sign_through_link(link.token, "RN Jo Whitaker", signature_data_url(), fingerprint, title=TITLE)
    assert signing_links.open_link(link.token).case_number == number


def test_a_case_submitted_meanwhile_says_so_plainly_and_the_link_dies_with_it():
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    shown = signing_links.open_link(link.token)
    rep_signs(number)
    attest_as_rep(number)
    billing.submit_for_billing(demo_rep(), number)
    for attempt in (
        lambda: signing_links.open_link(link.token),
        lambda: signing_links.sign_through_link(
            link.token, "RN Jo Whitaker", signature_data_url(), shown.fingerprint, title=TITLE
        ),
    ):
        with pytest.raises(CaseNoLongerOpen) as refusal:
            attempt()
        assert refusal.value.message == (
            "This case was submitted for billing after this link was made, so it no longer needs a signature here. "
            "You can hand the screen back.")  # fmt: skip
    reopening.reopen(demo_rep(), number, "Wrong lot on line 1")
    with pytest.raises(NotFound, match="expired or was already used"):  # reopened: the old link stays dead
        signing_links.open_link(link.token)


def test_a_signature_through_the_link_is_the_providers_in_the_activity():
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    shown = signing_links.open_link(link.token)
    signing_links.sign_through_link(link.token, "RN Jo Whitaker", signature_data_url(), shown.fingerprint, title=TITLE)
    signed = next(item for item in audit.activity(demo_rep(), number) if item.action == "signed")
    assert signed.who == "RN Jo Whitaker (Provider Representative)"
    assert signed.summary == ("RN Jo Whitaker signed as Provider Representative through the one-time link "
                              "issued by Dana Reyes")  # fmt: skip
    with reading() as session:
        row = session.exec(select(AuditEvent).where(AuditEvent.case_id == case_id_of(number),
                                                    AuditEvent.action == "signed")).one()  # fmt: skip
        assert row.user_id is None and row.actor_name == "RN Jo Whitaker (Provider Representative)"
    issued = next(item for item in audit.activity(demo_rep(), number) if item.action == "signing link issued")
    assert issued.who == "Dana Reyes"  # rows without an actor name still name the user
