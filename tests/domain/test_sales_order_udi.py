"""The UDI on the sales order: every line with a GTIN prints its UDI-DI and its UDI (GS1
human-readable, from the line's own expiry, lot and serial) under its REF, as plain text
however it looks; a line without a GTIN prints none. Read back from the PDF with pypdf."""

from dataclasses import replace
from datetime import date

from closeout.documents.sales_order import ROW_HEIGHT, UDI_LINE_HEIGHT, line_rows, render, row_heights
from tests.domain.test_sales_order_pdf import order, text_of

GTIN = "00614141000128"


def with_gtins(lines: int = 4):
    base = order(lines)
    shown = [replace(line, gtin=GTIN if i != 1 else "") for i, line in enumerate(base.lines)]
    shown[3] = replace(shown[3], lot="<b>&amp;</b>", serial="", expiry=None)  # markup-looking, printed as typed
    return replace(base, lines=shown)


def test_rows_carry_the_udi_under_the_ref():
    rows = line_rows(with_gtins())
    first, second, fourth = rows[1][0], rows[2][0], rows[4][0]
    assert first == f"MO-0001\nUDI-DI {GTIN}  ·  UDI (01){GTIN}(17)280101(10)L000001(21)SN00000001"
    assert second == "MO-0002"  # no GTIN: no UDI
    assert fourth == f"MO-0004\nUDI-DI {GTIN}  ·  UDI (01){GTIN}(10)<b>&amp;</b>"
    assert row_heights(rows) == [ROW_HEIGHT, ROW_HEIGHT + UDI_LINE_HEIGHT, ROW_HEIGHT, *[ROW_HEIGHT + UDI_LINE_HEIGHT] * 2]


def test_the_pdf_shows_gtin_and_udi_per_line():
    [page] = text_of(render(with_gtins()))
    assert f"UDI-DI {GTIN}  ·  UDI (01){GTIN}(17)280101(10)L000001(21)SN00000001" in page
    assert f"UDI (01){GTIN}(17)280101(10)L000003" in page  # no serial on line 3
    assert f"UDI (01){GTIN}(10)<b>&amp;</b>" in page  # escaped: the text as typed, not bold, not "&"
    assert page.count("UDI-DI") == 3  # line 2 has no GTIN


def test_a_full_order_of_udi_lines_still_lays_out_fast():
    import time

    big = order(1500)
    big = replace(big, lines=[replace(line, gtin=GTIN, expiry=date(2029, 5, 1)) for line in big.lines])
    start = time.perf_counter()
    pdf = render(big)
    assert time.perf_counter() - start < 5  # one row per line, heights known: no measuring
    assert "(01)00614141000128(17)290501(10)L001500" in text_of(pdf)[-1]
