"""A real case whose signer's name looks like reportlab markup exports its sales order
through the sharing service (the rendering itself: tests/domain/test_sales_order_escaping.py)."""

from closeout.services import billing, sharing, signatures
from tests.domain.test_sales_order_escaping import text_of
from tests.factories import demo_rep, new_case, rep_signs, signature_data_url


def test_a_case_signed_by_pat_amp_hash_exports_its_sales_order():
    number = new_case(lines=2)
    rep_signs(number)
    signatures.sign(demo_rep(), number, "provider_rep", "Pat &#9999999;", signature_data_url(), title="RN <b>&#9;</b>")
    billing.submit_for_billing(demo_rep(), number)
    filename, pdf = sharing.export(demo_rep(), number, "download")
    assert filename.endswith(".pdf") and pdf.startswith(b"%PDF")
    assert "Pat &#9999999;" in text_of(pdf) and "RN <b>&#9;</b>" in text_of(pdf)
