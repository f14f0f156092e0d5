"""The sales order PDF as data (rows, styles) and as bytes (deterministic, golden file,
text that a billing office reads)."""

import io
import os
import sys
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from closeout.documents.sales_order import HEADER, OrderLine, OrderSignature, SalesOrder, line_rows, render, totals_rows
from tests.domain.test_signing_domain import png_claiming
from tests.drawing import signature_data_url

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "sales_order.pdf"
D = Decimal


def signature_png() -> bytes:
    import base64

    return base64.b64decode(signature_data_url().split(",", 1)[1])


def order(lines: int = 3) -> SalesOrder:
    rows = [
        OrderLine(f"MO-{i:04d}", f"Tibial Insert, size {i % 9}", "Meridian Orthopedics" if i % 2 else "Apex Spine Systems",
                  f"L{i:06d}", f"SN{i:08d}" if i % 3 else "", date(2028, 1, 1), "Implanted", 1 + i % 3, D("1234.50"),
                  i == 2, i == 3, D("0.00") if i == 3 else D("1234.50") * (1 + i % 3))
        for i in range(1, lines + 1)
    ]  # fmt: skip
    return SalesOrder(
        seller_name="Closeout Medical Devices, Inc.", seller_address="1200 Commerce Way\nPortland, OR 97205",
        number="SO-2026-000777", case_number="CS-2026-000777", status="Closed — pending PO",
        facility="St. Brigid Medical Center", bill_to="400 Harbor Way\nPortland, OR 97201", account_number="SBMC-10442",
        surgeon="Dr. Helen Park", procedure="Total knee arthroplasty", surgery_date=date(2026, 11, 20),
        patient_ref="PT-0001", sales_rep="Dana Reyes", purchase_orders=[("All manufacturers", "PO-42")], lines=rows,
        subtotals=[("Apex Spine Systems", D("2469.00")), ("Meridian Orthopedics", D("2469.00"))],
        grand_total=D("4938.00"),
        signatures=[
            OrderSignature("Sales Rep", "Dana Reyes", "Sales Rep — confirms the devices used and their prices",
                           "Nov 20, 2026 3:30 PM UTC", False, signature_png()),
            OrderSignature("Provider Representative", "Dana Reyes", "Typed name of the person closing the case",
                           "Nov 20, 2026 3:31 PM UTC", True),
        ],
        fingerprint="ab" * 32, generated_at="Nov 21, 2026 9:00 AM UTC",
    )  # fmt: skip


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_rows_as_data():
    rows = line_rows(order())
    assert rows[0] == HEADER
    assert rows[2][8] == "$1,234.50 *"  # edited price is marked
    assert rows[3][9] == "N/C"
    assert totals_rows(order())[-1] == ["Grand total", "$4,938.00"]


def test_same_content_gives_the_same_bytes():
    assert render(order()) == render(order())


def test_matches_the_golden_file():
    pdf = render(order())
    if os.environ.get("CLOSEOUT_UPDATE_GOLDEN"):  # the only way the golden file is written
        GOLDEN.write_bytes(pdf)
    assert GOLDEN.exists(), f"{GOLDEN} is missing: review a rendered order, then CLOSEOUT_UPDATE_GOLDEN=1"
    assert pdf == GOLDEN.read_bytes(), "sales order layout changed: review it, then CLOSEOUT_UPDATE_GOLDEN=1"


def test_a_missing_golden_file_fails_and_is_not_written(tmp_path, monkeypatch):
    missing = tmp_path / "sales_order.pdf"
    monkeypatch.delenv("CLOSEOUT_UPDATE_GOLDEN", raising=False)
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN", missing)
    with pytest.raises(AssertionError, match="is missing"):
        test_matches_the_golden_file()
    assert not missing.exists()


def test_the_text_a_billing_office_reads():
    [page] = text_of(render(order()))
    for expected in ("Sales Order", "SO-2026-000777", "CS-2026-000777", "St. Brigid Medical Center", "SBMC-10442",
                     "Dr. Helen Park", "PT-0001", "PO-42", "MO-0001", "L000002", "N/C", "$4,938.00",
                     "Attestation: Dana Reyes", "Page 1 of 1", "generated Nov 21, 2026 9:00 AM UTC", "ab" * 32,
                     "Subtotal — Apex Spine Systems"):  # fmt: skip
        assert expected in page, expected


def test_1500_lines_paginate_with_the_header_on_every_page():
    pages = text_of(render(order(1500)))
    assert len(pages) > 20
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        if number < len(pages):
            assert "Unit price" in text and "Extended" in text
    everything = "\n".join(pages)
    assert "MO-1500" in everything and "$4,938.00" in pages[-1]


@pytest.mark.parametrize("stored", [png_claiming(13000, 13000), png_claiming(5000, 5000), signature_png()[:200]],
                         ids=["13000x13000", "5000x5000", "truncated"])  # fmt: skip
def test_a_stored_signature_image_that_is_too_large_or_broken_prints_the_name(stored):
    """Rows saved before signatures were checked on the way in cannot stop or swamp a build."""
    drawn, attested = order().signatures
    bad = replace(order(), signatures=[replace(drawn, signer_name="Jo Whitaker", image=stored), attested])
    started = time.perf_counter()
    [page] = text_of(render(bad))
    assert time.perf_counter() - started < 5
    assert "Signed (image not shown): Jo Whitaker" in page and "Attestation: Dana Reyes" in page
