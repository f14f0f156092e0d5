"""Whatever text a sales order holds prints as those characters: reportlab reads a Paragraph
as markup, so every value is escaped (a name like `Pat &#9999999;` once broke the PDF)."""

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from closeout.documents.sales_order import OrderLine, OrderSignature, SalesOrder, render
from tests.domain.test_sales_order_pdf import signature_png

MARKUP = ["&#9999999;", "<b>bold</b>", "<font size=99>", "&amp;", "]]>", "<br/>", "<para>", "&lt;", "&nbsp;", '"q"']
D = Decimal


def marked(label: str, i: int = 0) -> str:
    """A short value for one field: a label, then two of the markup-looking strings."""
    return f"{label} {MARKUP[i % len(MARKUP)]} {MARKUP[(i + 1) % len(MARKUP)]}"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def markup_order() -> SalesOrder:
    values = {}
    fields = ["seller_name", "seller_address", "number", "case_number", "status", "facility", "bill_to",
              "account_number", "surgeon", "procedure", "patient_ref", "sales_rep", "fingerprint", "generated_at"]  # fmt: skip
    for i, name in enumerate(fields):
        values[name] = marked(name, i)
    values["seller_address"] += "\nsecond line <i>"
    values["bill_to"] += "\n" + marked("bill_to line 2", 3)
    line = OrderLine(marked("ref"), marked("desc", 1), marked("maker", 2), "<lot>", "&#9;", None, "Implanted", 1,
                     D("10.00"), False, False, D("10.00"))  # fmt: skip
    return SalesOrder(
        **values, surgery_date=date(2026, 6, 1), purchase_orders=[(marked("maker", 2), "PO-&#9999999;")], lines=[line],
        subtotals=[(marked("maker", 2), D("10.00"))], grand_total=D("10.00"),
        signatures=[
            OrderSignature(marked("role", 4), "Pat &#9999999;", marked("meaning", 5), marked("at", 6), False, signature_png()),
            OrderSignature(marked("role", 7), "<b>x</b> O'Neil", marked("meaning", 8), marked("at", 9), True),
            OrderSignature(marked("role", 1), "Lee <i>", marked("meaning", 2), marked("at", 3), False, None,
                           marked("title", 4), marked("how", 5), marked("since", 6)),
        ],
        notes=[marked("note", 0), "note two\n]]> &amp; <font size=99>"],
    )  # fmt: skip


def test_every_field_prints_markup_looking_text_literally():
    order = markup_order()
    text = text_of(render(order))
    expected = [v for v in (order.seller_name, order.number, order.case_number, order.status, order.facility,
                            order.account_number, order.surgeon, order.procedure, order.patient_ref, order.sales_rep,
                            order.generated_at, order.fingerprint) if v]  # fmt: skip
    expected += order.seller_address.split("\n") + order.bill_to.split("\n") + ["PO-&#9999999;"]
    for sig in order.signatures:
        expected += [sig.signer_name, sig.title or sig.role, sig.meaning, sig.signed_at]
        expected += [f"How: {sig.how_given}"] if sig.how_given else []
        expected += [f"{sig.since} it was given"] if sig.since else []
    expected += [order.notes[0], "note two", "]]> &amp; <font size=99>", order.lines[0].description, "<lot>"]
    flat = " ".join(text.split())  # three signatures side by side wrap their lines
    for value in expected:
        assert " ".join(value.split()) in flat, value
    assert "Pat &#9999999; · " + order.signatures[0].role in flat  # the name as typed, bold markup only ours
    assert "Attestation: <b>x</b> O'Neil" in flat
