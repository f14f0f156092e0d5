"""The facility buyer's PO link (issue 15 §1): issued wherever the sales order goes, opened
without an account, bound to one sales order, dead when expired, revoked, used or reopened,
rate-limited, and entering POs through the one PO path (billing.record_purchase_orders)."""

import io
import uuid
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.errors import InvalidInput, NotAllowed, NotFound
from closeout.domain.lifecycle import CaseStatus
from closeout.domain.po_link import ENTERED, EXPIRED, REPLACED, UNKNOWN, WITHDRAWN, LinkStatus
from closeout.models import AuditEvent, Case, PoDocument, PoLink, PurchaseOrder
from closeout.services import billing, buyer_po, po_links, reopening, sharing
from closeout.services.db import reading, transaction
from tests.factories import actor_for_email, closed_case, demo_rep, manager
from tests.smtp import smtp_server

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"
BUYER = "buyer@stbrigid.example"


@pytest.fixture(autouse=True)
def _quiet_mail(tmp_path, monkeypatch):
    """No SMTP unless a test starts one: the rep's notices go to a throwaway outbox."""
    monkeypatch.delenv("CLOSEOUT_SMTP_HOST", raising=False)
    monkeypatch.setenv("CLOSEOUT_OUTBOX", str(tmp_path))
    yield
    clock.set_now(None)


@pytest.fixture
def smtp(monkeypatch):
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(port))
        monkeypatch.setenv("CLOSEOUT_SMTP_SECURITY", "none")
        yield inbox


def client() -> str:
    return f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"


def issue(number: str, purpose: str = "emailed to ap@stbrigid.example") -> str:
    """A link for the case's sales order; returns its token."""
    with transaction() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        url = po_links.issue(session, case, actor=demo_rep(), purpose=purpose, origin="https://closeout.test")
    assert url.startswith("https://closeout.test/po/")
    return url.rsplit("/", 1)[1]


def makers(number: str) -> dict[int, str]:
    with reading() as session:
        return billing.case_manufacturers(session, session.exec(select(Case.id).where(Case.number == number)).one())


def status_of(number: str) -> str:
    with reading() as session:
        return session.exec(select(Case.status).where(Case.number == number)).one()


def links(number: str) -> list[po_links.LinkRow]:
    return po_links.links_of(demo_rep(), number)


def test_issue_stores_only_the_hash_and_audits_without_the_token():
    number = closed_case(lines=3)
    token = issue(number)
    with reading() as session:
        link = session.exec(select(PoLink).join(Case).where(Case.number == number)).one()
        rows = session.exec(select(AuditEvent).join(Case).where(Case.number == number, AuditEvent.entity == "po_link")).all()
    assert link.token_hash != token and len(link.token_hash) == 64 and link.revision == 0
    assert (link.expires_at - link.created_at).days == 30
    assert [r.action for r in rows] == ["buyer PO link issued"] and token not in repr(rows[0].model_dump())
    [row] = links(number)
    assert row.status is LinkStatus.LIVE and row.purpose == "emailed to ap@stbrigid.example"


def test_open_shows_that_sales_order_only_and_no_patient_identifier():
    number = closed_case(lines=3)
    view = buyer_po.open_link(issue(number), client())
    assert view.sales_order == "SO-" + number[3:] and view.facility == "St. Brigid Medical Center"
    assert view.status == "Closed — pending PO" and view.purchase_orders == [] and view.po_all == ""
    assert sum(m.subtotal for m in view.makers) == view.total > 0
    assert [m.id for m in view.makers] == list(makers(number))
    assert all(line.amount == line.quantity * line.unit_price for m in view.makers for line in m.lines)
    assert "PT-0001" not in repr(view) and number not in repr(view)  # no patient id, no case internals


def test_unknown_and_crafted_tokens_reveal_nothing():
    for token in ("", "x" * 43, "a" * 500, "../../etc", None):
        with pytest.raises(buyer_po.LinkDead, match="does not work") as refused:
            buyer_po.open_link(token, client())
        assert refused.value.message == UNKNOWN


def test_expired_by_the_clock():
    number = closed_case()
    token = issue(number)
    clock.set_now(clock.now() + timedelta(days=31))
    with pytest.raises(buyer_po.LinkDead) as refused:
        buyer_po.open_link(token, client())
    assert refused.value.message == EXPIRED and links(number)[0].status is LinkStatus.EXPIRED


def test_the_rep_or_a_manager_revokes_one_or_all():
    number = closed_case()
    first, second, third = issue(number), issue(number), issue(number)
    link_ids = [r.id for r in links(number)]  # newest first
    assert po_links.revoke(demo_rep(), number, link_ids[0]) == 1
    with pytest.raises(buyer_po.LinkDead) as refused:
        buyer_po.open_link(third, client())
    assert refused.value.message == WITHDRAWN
    buyer_po.open_link(first, client())  # the others still work
    assert po_links.revoke(manager(), number) == 2
    for token in (first, second):
        with pytest.raises(buyer_po.LinkDead):
            buyer_po.open_link(token, client())
    assert {(r.status, r.reason) for r in links(number)} == {(LinkStatus.REVOKED, "revoked")}
    other_rep = actor_for_email("sam.okafor@closeout.example")
    with pytest.raises(NotFound):
        po_links.revoke(other_rep, number)


def test_reopening_the_case_ends_its_links():
    number = closed_case()
    token = issue(number)
    reopening.reopen(demo_rep(), number, "Wrong lot on line 1")
    with pytest.raises(buyer_po.LinkDead) as refused:
        buyer_po.open_link(token, client())
    assert refused.value.message == REPLACED
    assert [(r.status, r.reason) for r in links(number)] == [(LinkStatus.REVOKED, "case reopened")]


def test_a_link_of_an_older_revision_is_dead():
    number = closed_case()
    token = issue(number)
    with transaction() as session:
        session.exec(select(Case).where(Case.number == number)).one().revision = 1
    with pytest.raises(buyer_po.LinkDead) as refused:
        buyer_po.open_link(token, client())
    assert refused.value.message == REPLACED


def test_one_po_for_all_completes_the_case_spends_the_link_and_revokes_the_others():
    number = closed_case(lines=3)
    token, other = issue(number), issue(number, "downloaded")
    result = buyer_po.enter(token, BUYER, {None: "PO-77001"}, client=client())
    assert result.completed and status_of(number) == CaseStatus.COMPLETED.value
    with reading() as session:
        [po] = session.exec(select(PurchaseOrder).join(Case).where(Case.number == number)).all()
        events = session.exec(select(AuditEvent).join(Case).where(Case.number == number).order_by(AuditEvent.id)).all()
    assert (po.number, po.manufacturer_id, po.entered_by_id, po.entered_by_email) == ("PO-77001", None, None, BUYER)
    assert po.link_id is not None and po.document_id is None
    entered = next(e for e in events if e.action == "PO entered")
    assert entered.user_id is None and entered.actor_name == f"{BUYER} via the sales order link"
    assert entered.summary == f"Purchase Order PO-77001 for all manufacturers entered by {BUYER} via the sales order link"
    assert any(e.action == "completed" and e.actor_name == entered.actor_name for e in events)
    statuses = {r.purpose: (r.status, r.reason) for r in links(number)}
    assert statuses["downloaded"] == (LinkStatus.REVOKED, "POs entered")
    assert statuses["emailed to ap@stbrigid.example"] == (LinkStatus.USED, "")
    for dead in (token, other):
        with pytest.raises(buyer_po.LinkDead) as refused:
            buyer_po.open_link(dead, client())
        assert refused.value.message == ENTERED
    with reading() as session:
        [view] = billing.purchase_orders(session, po.case_id)
    assert view.entered_by == f"{BUYER} via link"


def test_one_po_per_manufacturer_partial_stays_closed_then_completes():
    number = closed_case(lines=3)
    ids = list(makers(number))
    assert len(ids) >= 2, "the demo case spreads its lines over manufacturers"
    token = issue(number)
    first = buyer_po.enter(token, BUYER, {ids[0]: "PO-A"}, client=client())
    assert not first.completed and status_of(number) == CaseStatus.CLOSED.value
    assert [m.po_number for m in first.view.makers][:1] == ["PO-A"] and links(number)[0].status is LinkStatus.LIVE
    done = buyer_po.enter(token, BUYER, {i: f"PO-{i}" for i in ids[1:]}, client=client())
    assert done.completed and status_of(number) == CaseStatus.COMPLETED.value


def test_a_manufacturer_of_another_case_is_refused():
    number, other = closed_case(lines=3), closed_case(lines=1)
    stranger = next(i for i in range(1, 500) if i not in makers(number))
    with pytest.raises(InvalidInput, match="no devices in this case"):
        buyer_po.enter(issue(number), BUYER, {stranger: "PO-X"}, client=client())
    assert status_of(other) == CaseStatus.CLOSED.value


def test_the_buyer_email_is_required_and_checked():
    token = issue(closed_case())
    for bad in ("", "not-an-email", "a@b.example, c@d.example"):
        with pytest.raises(InvalidInput) as refused:
            buyer_po.enter(token, bad, {None: "PO-1"}, client=client())
        assert refused.value.field == "email"


def test_the_po_document_is_a_pdf_by_its_bytes_and_size_capped():
    token = issue(closed_case())
    for data, why in ((b"GIF89a" + b"\0" * 100, "must be a PDF"), (b"%PDF-1.4\nno trailer", "damaged"),
                      (PDF[:-7] + b" " * (5 * 1024 * 1024) + b"%%EOF\n", "over 5 MB")):  # fmt: skip
        with pytest.raises(InvalidInput, match=why) as refused:
            buyer_po.enter(token, BUYER, {None: "PO-1"}, document=data, filename="po.pdf", client=client())
        assert refused.value.field == "document"


def test_the_document_is_stored_linked_and_offered_to_who_may_see_the_case():
    number = closed_case()
    buyer_po.enter(issue(number), BUYER, {None: "PO-DOC-1"}, document=PDF, filename="../../Hospital PO #12.PDF",
                   client=client())  # fmt: skip
    with reading() as session:
        po = session.exec(select(PurchaseOrder).join(Case).where(Case.number == number)).one()
        doc = session.get(PoDocument, po.document_id)
        [view] = billing.purchase_orders(session, po.case_id)
    assert (doc.filename, doc.content, doc.uploaded_by, doc.size) == ("Hospital PO _12.pdf", PDF, BUYER, len(PDF))
    assert (view.document_id, view.document_name) == (doc.id, "Hospital PO _12.pdf")
    assert buyer_po.document_for(demo_rep(), doc.id) == ("Hospital PO _12.pdf", PDF)
    assert buyer_po.document_for(manager(), doc.id)[1] == PDF
    with pytest.raises(NotFound):
        buyer_po.document_for(actor_for_email("sam.okafor@closeout.example"), doc.id)


def test_guessing_tokens_from_one_client_slows_it_down():
    guesser, neighbour = client(), client()
    for _ in range(9):  # nine wrong guesses cost nothing
        with pytest.raises(buyer_po.LinkDead):
            buyer_po.open_link(uuid.uuid4().hex, guesser)
    token = issue(closed_case())
    assert buyer_po.open_link(token, guesser).sales_order
    with pytest.raises(buyer_po.LinkDead):  # the tenth earns the first wait
        buyer_po.open_link(uuid.uuid4().hex, guesser)
    with pytest.raises(NotAllowed, match="Too many attempts with a link"):
        buyer_po.open_link(uuid.uuid4().hex, guesser)  # the next guess waits
    assert buyer_po.open_link(token, guesser).sales_order  # a real link is never held (a buyer behind the same NAT)
    assert buyer_po.open_link(token, neighbour).sales_order


def test_a_link_takes_a_bounded_number_of_submissions():
    token = issue(closed_case())
    for _ in range(20):
        with pytest.raises(InvalidInput):
            buyer_po.enter(token, BUYER, {None: "  "}, client=client())
    with pytest.raises(NotAllowed, match="Too many submissions through this link"):
        buyer_po.enter(token, BUYER, {None: "PO-1"}, client=client())


def test_the_rep_entering_the_po_revokes_the_links():
    number = closed_case()
    token = issue(number)
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-REP"})
    with pytest.raises(buyer_po.LinkDead) as refused:
        buyer_po.open_link(token, client())
    assert refused.value.message == ENTERED
    assert [(r.status, r.reason) for r in links(number)] == [(LinkStatus.REVOKED, "POs entered")]


def test_the_rep_is_emailed_without_the_patient_identifier(smtp):
    number = closed_case()
    buyer_po.enter(issue(number), BUYER, {None: "PO-MAIL-1"}, client=client())
    [(rcpts, message)] = smtp.messages
    assert rcpts == ["dana.reyes@closeout.example"]
    assert message["Subject"] == f"PO entered by the buyer: SO-{number[3:]} — St. Brigid Medical Center — Completed"
    text = message.get_content()
    assert BUYER in text and "PO-MAIL-1" in text and "Completed" in text and "PT-0001" not in text
    assert not list(message.iter_attachments())


def test_sharing_carries_a_link_in_the_email_and_on_the_pdf(smtp, monkeypatch):
    monkeypatch.delenv("CLOSEOUT_PUBLIC_URL")  # unset: the link is at the rep's browser's address
    number = closed_case()
    context = sharing.share_context(demo_rep(), number)
    sharing.send(demo_rep(), number, "ap.ortho@stbrigid.example", context.subject, context.message, uuid.uuid4().hex,
                 "http://tablet.local:3000")  # fmt: skip
    [(_, message)] = smtp.messages
    url = next(word for word in message.get_body(("plain",)).get_content().split() if "/po/" in word)
    assert url.startswith("http://tablet.local:3000/po/")
    [attachment] = list(message.iter_attachments())
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(attachment.get_content())).pages)
    assert url in text.replace("\n", "") and "Enter your Purchase Order online" in text
    assert buyer_po.open_link(url.rsplit("/", 1)[1], client()).sales_order == "SO-" + number[3:]
    filename, pdf = sharing.export(demo_rep(), number, "download", "http://desk.local/")
    assert "http://desk.local/po/" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert [r.purpose for r in links(number)] == ["downloaded", "emailed to ap.ortho@stbrigid.example"]
    assert sharing.share_context(demo_rep(), number).history[0].current  # the link is no part of the fingerprint


def test_cancelling_the_case_ends_its_links():
    from closeout.services import case_edits

    number = closed_case()
    token = issue(number)
    case_edits.cancel_case(manager(), number, "Duplicate of another case")
    with pytest.raises(buyer_po.LinkDead, match="cancelled"):
        buyer_po.open_link(token, client())
    assert [(r.status, r.reason) for r in links(number)] == [(LinkStatus.REVOKED, "case cancelled")]
