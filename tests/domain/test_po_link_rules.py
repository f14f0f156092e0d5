"""The buyer's PO link rules (closeout/domain/po_link.py) and its QR code on the sales order:
the PO document is a PDF by its bytes, names are made safe, a dead link has one message each."""

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from reportlab.graphics.barcode.qr import QrCodeWidget

from closeout.documents.buyer_link import qr_drawing
from closeout.documents.sales_order import render
from closeout.domain import po_link
from closeout.domain.errors import InvalidInput
from closeout.domain.po_link import LinkFacts, LinkStatus, check_pdf, clean_filename, dead_message, parse_buyer_email
from tests.domain.test_sales_order_pdf import order as sample_order

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n20\n%%EOF\n"


def facts(**changes) -> LinkFacts:
    base = {"expires_at": NOW + timedelta(days=1), "used_at": None, "revoked_at": None, "revoked_reason": "",
            "revision": 0, "case_revision": 0, "case_status": "closed"}  # fmt: skip
    return LinkFacts(**{**base, **changes})


def test_a_pdf_is_known_by_its_bytes():
    check_pdf(PDF)
    check_pdf(b"%PDF-2.0\r" + PDF[9:])


@pytest.mark.parametrize(("data", "why"), [
    (b"", "empty"),
    (b"GIF89a" + PDF, "must be a PDF"),
    (b"<html>%PDF-1.4" + PDF, "must be a PDF"),
    (b" %PDF-1.4\n" + PDF[9:], "must be a PDF"),
    (b"%PDF-9.9\n" + PDF[9:], "must be a PDF"),
    (PDF[:-6], "damaged"),  # no %%EOF
    (PDF.replace(b"startxref", b"xxxxxxxxx"), "damaged"),
    (PDF[:-6] + b"\0" * (5 * 1024 * 1024) + b"%%EOF\n", "over 5 MB"),
])  # fmt: skip
def test_anything_else_is_refused(data, why):
    with pytest.raises(InvalidInput, match=why) as refused:
        check_pdf(data)
    assert refused.value.field == "document"


@pytest.mark.parametrize(("raw", "clean"), [
    ("PO 4711.pdf", "PO 4711.pdf"),
    ("C:\\Users\\buyer\\PO.PDF", "PO.pdf"),
    ("../../etc/passwd", "passwd.pdf"),
    ('bad"name;\r\n.pdf', "bad_name.pdf"),
    ("Bestellung Nr. 12 (Kopie).pdf", "Bestellung Nr. 12 (Kopie).pdf"),
    ("Müller.pdf", "Muller.pdf"),
    ("", "purchase-order.pdf"),
    ("....pdf", "purchase-order.pdf"),
    ("x" * 500 + ".pdf", "x" * 116 + ".pdf"),
])  # fmt: skip
def test_filenames_are_made_safe(raw, clean):
    assert clean_filename(raw) == clean


def test_the_buyer_gives_one_valid_email():
    assert parse_buyer_email(" Buyer@StBrigid.example ") == "Buyer@stbrigid.example"
    for bad in ("", "nope", "a@b.example c@d.example"):
        with pytest.raises(InvalidInput) as refused:
            parse_buyer_email(bad)
        assert refused.value.field == "email"


def test_each_dead_link_has_its_own_message_and_a_live_one_none():
    assert dead_message(facts(), NOW) == ""
    assert dead_message(facts(expires_at=NOW), NOW) == po_link.EXPIRED
    assert dead_message(facts(used_at=NOW), NOW) == po_link.ENTERED
    assert dead_message(facts(revoked_at=NOW, revoked_reason="POs entered"), NOW) == po_link.ENTERED
    assert dead_message(facts(revoked_at=NOW, revoked_reason="revoked"), NOW) == po_link.WITHDRAWN
    assert dead_message(facts(revoked_at=NOW, revoked_reason="case reopened"), NOW) == po_link.REPLACED
    assert dead_message(facts(case_revision=1), NOW) == po_link.REPLACED
    assert dead_message(facts(case_status="open"), NOW) == po_link.REPLACED
    assert dead_message(facts(case_status="completed"), NOW) == po_link.ENTERED
    assert dead_message(facts(case_status="paid"), NOW) == po_link.ENTERED
    assert dead_message(facts(case_status="cancelled"), NOW) == po_link.CANCELLED


def test_a_link_status_for_the_share_tab():
    assert po_link.status_of(NOW + timedelta(1), None, None, NOW) is LinkStatus.LIVE
    assert po_link.status_of(NOW, None, None, NOW) is LinkStatus.EXPIRED
    assert po_link.status_of(NOW, NOW, None, NOW) is LinkStatus.USED
    assert po_link.status_of(NOW + timedelta(1), None, NOW, NOW) is LinkStatus.REVOKED


def test_the_qr_code_holds_the_url_and_the_pdf_prints_it_escaped():
    url = "https://closeout.example.com/po/Ab-_x9&<b>"
    drawing = qr_drawing(url)
    [widget] = [item for item in drawing.contents if isinstance(item, QrCodeWidget)]
    assert widget.value == url and drawing.width == drawing.height > 60
    pdf = render(replace(sample_order(), buyer_url=url))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert url in text and "Enter your Purchase Order online" in text


def test_without_a_link_the_sales_order_is_as_it_was():
    pdf = render(sample_order())
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Enter your Purchase Order online" not in text
