"""The reason of an edited price on the sales order: under its line, beside the "price
edited" mark, printed as typed (user text is data, never markup)."""

from dataclasses import replace

from closeout.documents.sales_order import REASON_MARK, line_rows, line_table_style, render
from tests.domain.test_sales_order_pdf import order, text_of


def with_reason(reason: str, lines: int = 3):
    base = order(lines)
    edited = [replace(line, price_reason=reason) if line.price_edited else line for line in base.lines]
    return replace(base, lines=edited)


def test_the_reason_is_a_row_under_its_edited_line():
    rows = line_rows(with_reason("Price agreed with the facility"))
    marked = next(i for i, cells in enumerate(rows) if cells[8].endswith(" *"))
    assert rows[marked + 1][1] == REASON_MARK + "Price agreed with the facility"
    assert len(rows) == 1 + 3 + 1
    spans = [s for s in line_table_style(rows) if s[0] == "SPAN"]
    assert spans == [("SPAN", (1, marked + 1), (8, marked + 1))]


def test_an_edited_line_without_a_reason_has_no_reason_row():
    assert len(line_rows(order(3))) == 4


def test_the_reason_is_printed_literally_on_the_pdf():
    reason = "Loaner <b>set</b> & credit &#9999999; 10% off"
    pages = text_of(render(with_reason(reason)))
    text = " ".join(" ".join(pages).split())
    assert "* Price edited: Loaner <b>set</b> & credit &#9999999; 10% off" in text


def test_a_long_reason_in_wide_letters_is_set_smaller_and_the_pdf_renders():
    reason = "W" * 120
    rows = line_rows(with_reason(reason))
    fonts = [s for s in line_table_style(rows) if s[0] == "FONT" and s[3] == "Helvetica-Oblique"]
    assert fonts and 4.5 <= fonts[0][4] < 7
    assert reason in "".join(" ".join(text_of(render(with_reason(reason)))).split())


def test_a_reason_on_many_lines_keeps_every_row_the_same_height():
    from closeout.documents.sales_order import row_heights

    rows = line_rows(with_reason("Trade-in / credit", lines=60))
    assert len(set(row_heights(rows[1:]))) <= 2  # one line, or a line with its UDI
    assert render(with_reason("Trade-in / credit", lines=60))[:5] == b"%PDF-"
