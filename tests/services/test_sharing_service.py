"""Sharing the sales order through a real SMTP server (aiosmtpd on loopback), the outbox
without SMTP, and every failure: nothing recorded as sent, the draft kept for a retry."""

import io
import uuid

import pytest
from pypdf import PdfReader
from sqlmodel import select

from closeout.domain.errors import InvalidInput, NotAllowed
from closeout.domain.sharing import ShareKind
from closeout.models import Case, Share
from closeout.services import billing, device_lines, sharing
from closeout.services.db import reading
from closeout.services.mail import MailError
from tests.factories import demo_rep, new_case, sign_both
from tests.smtp import silent_server, smtp_server


def closed_case(lines: int = 3, facility: str = "St. Brigid Medical Center") -> str:
    number = new_case(lines=lines, facility=facility)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    return number


def shares(number: str) -> list[Share]:
    with reading() as session:
        return session.exec(select(Share).join(Case).where(Case.number == number)).all()


@pytest.fixture
def smtp(monkeypatch):
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(port))
        monkeypatch.setenv("CLOSEOUT_SMTP_SECURITY", "none")
        monkeypatch.setenv("CLOSEOUT_SMTP_TIMEOUT", "3")
        yield inbox


def send(number, to="ap.ortho@stbrigid.example", draft=None):
    context = sharing.share_context(demo_rep(), number)
    return sharing.send(demo_rep(), number, to, context.subject, context.message, draft or uuid.uuid4().hex)


def test_recipient_defaults_to_the_first_billing_contact_and_all_emails_lists_the_directory():
    context = sharing.share_context(demo_rep(), closed_case())
    assert context.default_recipient == "ap.ortho@stbrigid.example"  # position 1 of two billing contacts
    emails = [c.email for c in context.contacts]
    assert emails[:2] == ["ap.ortho@stbrigid.example", "payables@stbrigid.example"]
    assert "rchen@stbrigid.example" in emails and emails[-1] == "dana.reyes@closeout.example"
    assert context.can_share and context.history == []


def test_email_arrives_with_the_pdf_whose_text_has_the_lines_and_totals(smtp):
    number = closed_case()
    record = send(number, "ap.ortho@stbrigid.example, payables@stbrigid.example")
    assert record.delivery == "sent" and record.kind is ShareKind.EMAIL
    [(rcpts, message)] = smtp.messages
    assert rcpts == ["ap.ortho@stbrigid.example", "payables@stbrigid.example"]
    assert message["Subject"].startswith(f"Sales Order SO-{number[3:]}")
    assert message["Reply-To"] == "dana.reyes@closeout.example"
    [attachment] = list(message.iter_attachments())
    pdf = attachment.get_content()
    assert attachment.get_filename() == f"SO-{number[3:]}.pdf" and pdf.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    page = device_lines.list_lines(demo_rep(), number)
    for line in page.lines:
        assert line.ref in text
    assert f"${page.totals.grand_total:,.2f}" in text
    [stored] = shares(number)
    assert stored.pdf == pdf and stored.recipients == "ap.ortho@stbrigid.example, payables@stbrigid.example"


def test_without_smtp_the_message_is_saved_to_the_outbox(tmp_path, monkeypatch):
    monkeypatch.delenv("CLOSEOUT_SMTP_HOST", raising=False)
    monkeypatch.setenv("CLOSEOUT_OUTBOX", str(tmp_path))
    number = closed_case()
    record = send(number)
    assert record.delivery == "saved to outbox"
    [eml] = list(tmp_path.glob("*.eml"))
    assert b"ap.ortho@stbrigid.example" in eml.read_bytes() and b"application/pdf" in eml.read_bytes()
    assert not sharing.share_context(demo_rep(), number).mail_configured


@pytest.mark.parametrize("bad", ["", "not-an-address", "a@b", "ap.ortho@stbrigid.example, x@", "a b@c.example"])
def test_an_invalid_address_sends_and_records_nothing(smtp, bad):
    number = closed_case()
    with pytest.raises(InvalidInput) as refusal:
        send(number, bad)
    assert refusal.value.field == "recipients"
    assert smtp.messages == [] and shares(number) == []


def test_a_refused_recipient_is_not_recorded_and_a_retry_works(monkeypatch):
    number = closed_case()
    draft = uuid.uuid4().hex
    with smtp_server(refuse="payables") as (inbox, port):
        monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(port))
        with pytest.raises(MailError, match="refused payables@stbrigid.example"):
            send(number, "payables@stbrigid.example", draft)
        assert shares(number) == []
        assert send(number, "ap.ortho@stbrigid.example", draft).delivery == "sent"  # the same draft, retried
        assert len(inbox.messages) == 1


def test_when_the_server_refuses_some_recipients_the_share_says_so(monkeypatch):
    """Sent is sent (the others have it; a retry would send it twice), but the record says how
    many addresses the server refused."""
    number = closed_case()
    with smtp_server(refuse="payables") as (inbox, port):
        monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(port))
        record = send(number, "ap.ortho@stbrigid.example, payables@stbrigid.example")
    assert record.delivery == "sent; 1 of 2 refused"
    assert [rcpts for rcpts, _ in inbox.messages] == [["ap.ortho@stbrigid.example"]]
    assert shares(number)[0].delivery == "sent; 1 of 2 refused"


def test_bad_credentials_are_a_clear_error(monkeypatch):
    number = closed_case()
    with smtp_server(user="closeout", password="right") as (inbox, port):
        for key, value in {"HOST": "127.0.0.1", "PORT": str(port), "SECURITY": "none", "USER": "closeout",
                           "PASSWORD": "wrong"}.items():  # fmt: skip
            monkeypatch.setenv(f"CLOSEOUT_SMTP_{key}", value)
        with pytest.raises(MailError, match="user name or password"):
            send(number)
        monkeypatch.setenv("CLOSEOUT_SMTP_PASSWORD", "right")
        assert send(number).delivery == "sent"
    assert len(shares(number)) == 1


def test_a_server_that_never_answers_times_out(monkeypatch):
    number = closed_case()
    with silent_server() as port:
        monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(port))
        monkeypatch.setenv("CLOSEOUT_SMTP_TIMEOUT", "1")
        with pytest.raises(MailError, match="did not answer in time"):
            send(number)
    assert shares(number) == []


def test_nothing_listening_is_a_clear_error(monkeypatch):
    from tests.harness import free_port

    monkeypatch.setenv("CLOSEOUT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CLOSEOUT_SMTP_PORT", str(free_port()))
    number = closed_case()
    with pytest.raises(MailError, match="Could not reach the mail server"):
        send(number)


def test_one_draft_sends_once(smtp):
    number = closed_case()
    draft = uuid.uuid4().hex
    send(number, draft=draft)
    with pytest.raises(NotAllowed, match="already sent"):
        send(number, draft=draft)
    assert len(smtp.messages) == 1 and len(shares(number)) == 1


def test_last_shared_goes_out_of_date_when_the_po_is_added(smtp):
    number = closed_case()
    send(number)
    assert sharing.share_context(demo_rep(), number).last.current
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-555"})
    last = sharing.share_context(demo_rep(), number).last
    assert last.recipients == "ap.ortho@stbrigid.example" and last.shared_by == "Dana Reyes" and not last.current


def test_download_and_print_are_recorded_with_their_pdf():
    number = closed_case()
    name, pdf = sharing.export(demo_rep(), number, "download")
    assert name == f"SO-{number[3:]}.pdf" and pdf.startswith(b"%PDF")
    sharing.export(demo_rep(), number, "print")
    history = sharing.share_context(demo_rep(), number).history
    assert [r.kind for r in history] == [ShareKind.PRINT, ShareKind.DOWNLOAD]
    assert sharing.shared_copy(demo_rep(), history[1].id) == (name, pdf)


def test_an_open_case_has_nothing_to_share():
    number = new_case(lines=1)
    with pytest.raises(NotAllowed, match="once the case is submitted"):
        sharing.export(demo_rep(), number, "download")
    assert not sharing.share_context(demo_rep(), number).can_share
