"""The catalog and contract price import rules, from plain data: every refusal names its row."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closeout.domain import csv_safe
from closeout.domain.catalog_csv import MAX_FILE_BYTES, MAX_SHOWN, FileRefused, decode, read_table
from closeout.domain.catalog_import import PRODUCT_COLUMNS, Maker, ProductCatalog, Stored, plan_products
from closeout.domain.price_import import PRICE_COLUMNS, Fac, PriceBook, StoredPrice, plan_prices

HEADER = "REF,Description,Manufacturer,GTIN,HIBC labeler code,Single use,List price\n"
MAKERS = {"meridian orthopedics": Maker(1, "Meridian Orthopedics", "M614"), "corva medical": Maker(2, "Corva Medical", "")}
STORED = ProductCatalog(MAKERS, {(1, "MO-1"): Stored(10, "Femoral Component, size 1", "00614141001019", Decimal("1200.00"), True),
                                 (2, "CV-9"): Stored(11, "Locking Plate", None, Decimal("80.00"), True)},
                        {"00614141001019": (1, "MO-1")})  # fmt: skip
GOOD = "MO-2,Tibial Insert,Meridian Orthopedics,00614141001026,M614,yes,950.00\n"


def products(body: str, header: str = HEADER):
    return plan_products(read_table(decode((header + body).encode()), PRODUCT_COLUMNS), STORED)


def errors(plan) -> list[tuple[int, str]]:
    return plan.problems.sorted()


def test_new_updated_unchanged_and_kept_products():
    plan = products('MO-1,"Femoral Component, size 1",meridian orthopedics,614141001019,,Y,"$1,200.00"\n' + GOOD)
    assert (len(plan.new), len(plan.updated), plan.unchanged, plan.kept, plan.problems.count) == (1, 0, 1, 1, 0)
    changed = products("MO-1,Femoral Component size 1,Meridian Orthopedics,,,no,1200\n")
    assert changed.updated == [(10, changed.updated[0][1])] and changed.updated[0][1].gtin is None


@pytest.mark.parametrize(("row", "message"), [
    ("MO-3,Stem,Meridian Orthopedics,00614141001018,,yes,10", "GTIN 00614141001018 has a wrong check digit."),
    ("MO-3,Stem,Meridian Orthopedics,12345,,yes,10", "must be 8, 12, 13 or 14 digits"),
    ("MO-3,Stem,Acme Ortho,,,yes,10", "Manufacturer “Acme Ortho” is not in Closeout"),
    ("MO-3,Stem,Meridian Orthopedics,,A729,yes,10", "HIBC labeler code A729 is not Meridian Orthopedics's: Meridian Orthopedics's is M614."),
    ("CV-3,Plate,Corva Medical,,C850,yes,10", "Corva Medical has none in Closeout"),
    ("MO-3,Stem,Meridian Orthopedics,,M6,yes,10", "must be a letter and 3 letters or digits"),
    ("MO-3,Stem,Meridian Orthopedics,,,yes,-10.00", "List price -10.00 is negative."),
    ("MO-3,Stem,Meridian Orthopedics,,,yes,10.005", "is not an amount like 1234.50"),
    ("MO-3,Stem,Meridian Orthopedics,,,yes,\"10,50\"", "use a point for cents"),
    ("MO-3,Stem,Meridian Orthopedics,,,yes,ten", "is not an amount"),
    ("MO-3,Stem,Meridian Orthopedics,,,yes,", "List price is empty."),
    ("MO-3,Stem,Meridian Orthopedics,,,maybe,10", "Single use “maybe” must be yes or no."),
    (f"{'R' * 41},Stem,Meridian Orthopedics,,,yes,10", "REF is 41 characters long; at most 40 fit."),
    (f"MO-3,{'d' * 201},Meridian Orthopedics,,,yes,10", "Description is 201 characters long; at most 200 fit."),
    (",Stem,Meridian Orthopedics,,,yes,10", "REF is empty."),
    ("MO-3,\"Stem\nsize 2\",Meridian Orthopedics,,,yes,10", "contains control characters"),
    ("MO-3,Stem,Corva Medical,00614141001019,,yes,10", "GTIN 00614141001019 belongs to REF MO-1 in the catalog."),
])  # fmt: skip
def test_a_bad_product_row_is_refused_with_its_row_number(row, message):
    plan = products(GOOD + row + "\n")
    assert [r for r, _ in errors(plan)] == [3] and message in errors(plan)[0][1], errors(plan)
    assert len(plan.new) == 1  # the good row is still counted


def test_duplicates_within_the_file_name_the_first_row():
    plan = products(GOOD + "MO-2,Again,Meridian Orthopedics,,,yes,1\n" + "MO-4,Other,Meridian Orthopedics,614141001026,,yes,1\n")
    assert errors(plan) == [(3, "REF MO-2 of this manufacturer is already on row 2."),
                            (4, "GTIN 00614141001026 is already on row 2.")]  # fmt: skip


def test_the_same_ref_at_two_manufacturers_is_two_products():
    plan = products(GOOD + "MO-2,Other maker's,Corva Medical,,,yes,5\n")
    assert len(plan.new) == 2 and not plan.problems.count


def test_blank_rows_count_in_the_numbering_and_semicolons_and_a_bom_are_read():
    text = "\ufeff" + HEADER.replace(",", ";") + "\n" + GOOD.replace(",", ";").replace("950.00", "x")
    plan = plan_products(read_table(decode(text.encode()), PRODUCT_COLUMNS), STORED)
    assert [r for r, _ in errors(plan)] == [3]


def test_headers_in_any_order_and_case_and_extra_columns_ignored():
    header = "list price,single USE,hibc lic,gtin,manufacturer,description,ref,Notes\n"
    table = read_table(decode((header + "950.00,yes,M614,,Meridian Orthopedics,Insert,MO-9,hello\n").encode()), PRODUCT_COLUMNS)
    assert table.ignored == ["Notes"] and table.rows[0][1]["ref"] == "MO-9"


@pytest.mark.parametrize(("data", "message"), [
    (b"REF,Description\nMO-1,x\n", "lacks the columns Manufacturer, GTIN, HIBC labeler code, Single use, List price"),
    (b"", "The file is empty."), (HEADER.encode(), "no rows to import"),
    ("REF;Description\n\xe9".encode("latin-1"), "not UTF-8"),
    (b"REF,REF,Description\n", "appears twice"),
])  # fmt: skip
def test_a_file_that_cannot_be_imported_at_all(data, message):
    with pytest.raises(FileRefused) as refused:
        read_table(decode(data), PRODUCT_COLUMNS)
    assert message in refused.value.message


def test_the_file_size_cap():
    with pytest.raises(FileRefused, match="at most 20 MB"):
        decode(b"x" * (MAX_FILE_BYTES + 1))


def test_all_errors_are_counted_and_the_first_ones_shown():
    plan = products("".join(f"MO-{i},Stem,Nobody,,,yes,1\n" for i in range(MAX_SHOWN + 50)))
    assert plan.problems.count == MAX_SHOWN + 50 and len(errors(plan)) == MAX_SHOWN and errors(plan)[0][0] == 2


PRICE_HEADER = "Price list,Facility account,REF,Manufacturer,Contract price,Effective from,Effective to\n"
BOOK = PriceBook(
    lists={"premier gpo 2026": (5, "Premier GPO 2026")},
    facilities={"sbmc-1": Fac(1, "St. Brigid", 5, 2), "lrh-3": Fac(3, "Lakeside", None, 0), "one-4": Fac(4, "Solo", 6, 1)},
    refs={"MO-1": [("meridian orthopedics", 10)], "X-1": [("meridian orthopedics", 12), ("corva medical", 13)]},
    makers={"meridian orthopedics", "corva medical"},
    prices={(5, 10): [StoredPrice(100, date(2000, 1, 1), None, Decimal("900.00"))]},
)


def prices(body: str):
    return plan_prices(read_table(decode((PRICE_HEADER + body).encode()), PRICE_COLUMNS), BOOK)


def test_following_a_stored_price_means_ending_it_in_the_same_file():
    plan = prices("Premier GPO 2026,,MO-1,,850.00,2027-01-01,\n")
    assert errors(plan) == [(2, "Dates 2027-01-01 onwards overlap the stored price from 2000-01-01 onwards: give that one "
                                "an end date in this file (same effective from).")]  # fmt: skip
    plan = prices("Premier GPO 2026,,MO-1,,900.00,2000-01-01,2026-12-31\nPremier GPO 2026,,MO-1,,850.00,1/1/2027,\n")
    assert not plan.problems.count and plan.updated == [(100, Decimal("900.00"), date(2026, 12, 31))] and len(plan.new) == 1
    assert prices("premier gpo 2026,,MO-1,Meridian Orthopedics,900,2000-01-01,\n").unchanged == 1


@pytest.mark.parametrize(("rows", "expected"), [
    ("Premier GPO 2026,,X-1,Meridian Orthopedics,1,2027-01-01,2027-06-30\nPremier GPO 2026,,X-1,Meridian Orthopedics,2,2027-06-30,\n",
     (3, "Dates 2027-06-30 onwards overlap row 2 (2027-01-01 to 2027-06-30).")),
    ("Premier GPO 2026,,MO-1,,1,2000-01-01,2027-06-30\nPremier GPO 2026,,MO-1,,2,2000-01-01,\n", (3, "already on row 2")),
    ("Premier GPO 2026,,MO-1,,-5,2027-01-01,\n", (2, "Contract price -5 is negative.")),
    ("Premier GPO 2026,,MO-1,,5,2027-02-30,\n", (2, "Effective from “2027-02-30” is not a date like 2026-01-31.")),
    ("Premier GPO 2026,,MO-1,,5,,\n", (2, "Effective from is empty.")),
    ("Premier GPO 2026,,MO-1,,5,2027-03-01,2027-02-01\n", (2, "Effective to 2027-02-01 is before effective from 2027-03-01.")),
    ("Premier GPO 2026,SBMC-1,MO-1,,5,2027-01-01,\n", (2, "either the price list or the facility account")),
    (",,MO-1,,5,2027-01-01,\n", (2, "either the price list or the facility account")),
    (",NOPE-9,MO-1,,5,2027-01-01,\n", (2, "No facility has the bill-to account number NOPE-9.")),
    (",SBMC-1,MO-1,,5,2027-01-01,\n", (2, "St. Brigid shares its price list with 1 other facilities")),
    ("Premier GPO 2026,,MO-404,,5,2027-01-01,\n", (2, "REF MO-404 is not in the catalog")),
    ("Premier GPO 2026,,X-1,,5,2027-01-01,\n", (2, "REF X-1 is made by 2 manufacturers: fill in the manufacturer column.")),
    ("Premier GPO 2026,,MO-1,Acme,5,2027-01-01,\n", (2, "Manufacturer “Acme” is not in Closeout.")),
])  # fmt: skip
def test_a_bad_price_row_is_refused_with_its_row_number(rows, expected):
    row, message = expected
    found = errors(prices(rows))
    assert len(found) == 1 and found[0][0] == row and message in found[0][1], found


def test_a_facility_without_a_list_gets_its_own_and_a_new_name_makes_a_new_list():
    plan = prices(",LRH-3,MO-1,,5,2027-01-01,\nCascade 2027,,X-1,corva medical,6,2027-01-01,\n,one-4,MO-1,,7,2027-01-01,\n")
    assert not plan.problems.count and plan.summary()["new_price_lists"] == ["Cascade 2027", "Lakeside (LRH-3)"]
    assert [v.target for v in plan.new] == ["facility:3", "name:cascade 2027", 6] and plan.new[1].product_id == 13


@given(st.text(max_size=20))
def test_a_reversible_cell_reads_back_as_written(text):
    shown = csv_safe.reversible(text)
    assert not shown.startswith(csv_safe.FORMULA_START) and csv_safe.unquote(shown) == text


@pytest.mark.parametrize("raw", ["\u0661\u0662\u0663", "\uff11\uff12.50", "$\u0967,\u0968\u0969\u096a"])
def test_a_price_cell_in_other_digits_is_refused_not_read(raw):
    from closeout.domain.catalog_fields import Bad, money

    with pytest.raises(Bad, match="not an amount"):
        money(raw, "List price")


def test_a_summary_keeps_counts_and_the_first_few_names_and_says_how_many_more():
    from closeout.domain.catalog_csv import bounded_summary, more_line

    summary = bounded_summary({"new": 3, "ignored_columns": [f"c{i}" * 30 for i in range(1000)], "note": "n" * 10_000,
                               "nested": {"x": 1}})  # fmt: skip
    assert summary["new"] == 3 and len(summary["ignored_columns"]) == 10 and len(summary["note"]) == 200
    assert all(len(name) <= 40 for name in summary["ignored_columns"]) and "nested" not in summary
    assert more_line(["A", "B"], 12) == "A, B and 10 more" and more_line(["A", "B"], 2) == "A, B"
