"""CSV cells a spreadsheet would run as a formula are quoted; everything else is as it was."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closeout.domain import csv_safe


@pytest.mark.parametrize(("value", "shown"), [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("PO-1", "PO-1"), ("St. Brigid = best", "St. Brigid = best"), ("", ""), ("'=1", "'=1"), (12, 12), (None, None),
])  # fmt: skip
def test_a_cell_that_could_start_a_formula_is_quoted(value, shown):
    assert csv_safe.cell(value) == shown


def test_the_writer_quotes_every_cell_of_every_row():
    out = io.StringIO()
    writer = csv_safe.writer(out)
    writer.writerow(["Case", "=1+1"])
    writer.writerows([["-cmd|' /C calc'!A0", "@x"], ["ok", "+1"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["Case", "'=1+1"], ["'-cmd|' /C calc'!A0", "'@x"], ["ok", "'+1"]]


@given(st.text(max_size=30))
def test_no_cell_starts_a_formula_and_the_text_is_kept(text):
    shown = csv_safe.cell(text)
    assert not shown.startswith(csv_safe.FORMULA_START)
    assert shown in (text, "'" + text)
