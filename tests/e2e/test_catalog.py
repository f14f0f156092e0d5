"""The catalog page, from a manager's side: add a manufacturer, import products and contract
prices (a bad row is reported with its number and nothing is imported; fixed, it imports),
find the products, export both files; and a rep is kept out."""

import csv
import io
import uuid

import pytest
from biip.checksums import gs1_standard_check_digit
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SHOTS

MANAGER = "morgan.lee@closeout.example"
HEADER = "REF,Description,Manufacturer,GTIN,HIBC labeler code,Single use,List price\n"
PRICES = "Price list,Facility account,REF,Manufacturer,Contract price,Effective from,Effective to\n"


def gtin(seed: int) -> str:
    body = f"0{seed:012d}"[-13:]
    return body + str(gs1_standard_check_digit(body))


def upload(page: Page, kind: str, path) -> None:
    page.locator(f"#{kind}-import input[type=file]").set_input_files(str(path))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"catalog-{name}.png", full_page=True)


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_manager_imports_a_catalog_and_contract_prices_then_exports_them(page: Page, viewport, tmp_path):
    tag = uuid.uuid4().hex[:5].upper()
    maker, lic, seed = f"Helix Implants {tag}", f"H{tag[:3]}", int(tag, 16)
    page.goto("/catalog")
    page.get_by_role("tab", name="Manufacturers").click()
    page.locator("#maker-name").fill(maker)
    page.locator("#maker-lic").fill(lic)
    page.locator("#maker-add").click()
    expect(page.locator("#maker-notice")).to_have_text(f"{maker} added.")
    expect(page.locator(".maker-row", has_text=maker)).to_contain_text(lic)

    page.get_by_role("tab", name="Products").click()
    good = "".join(f"HX{tag}-{i},Helix screw {i} mm,{maker},{gtin(seed * 10 + i)},{lic},yes,{100 + i}.00\n" for i in range(3))
    bad = tmp_path / "catalog-bad.csv"
    bad.write_text(HEADER + good + f"HX{tag}-9,Helix screw 9 mm,{maker},{gtin(seed * 10 + 9)[:-1]}X,{lic},yes,-5.00\n")
    upload(page, "products", bad)
    expect(page.locator("#products-import-status")).to_have_text("1 row needs fixing: nothing was imported.")
    expect(page.locator("#products-import .import-error")).to_have_count(1)
    expect(page.locator("#products-import .import-error td").first).to_have_text("5")  # the spreadsheet's row 5
    expect(page.locator("#products-import .import-error")).to_contain_text("must be 8, 12, 13 or 14 digits")
    expect(page.locator("#products-import-commit")).to_have_count(0)
    shot(page, f"bad-row-{viewport}")
    page.locator("#product-search").fill(f"HX{tag}")
    page.locator("#product-search").press("Enter")
    expect(page.locator("#products-total")).to_have_text("0 products")

    fixed = tmp_path / "catalog.csv"
    fixed.write_text(HEADER + good)
    upload(page, "products", fixed)
    expect(page.locator("#products-import-status")).to_have_text("Checked: ready to import.")
    expect(page.locator("#products-import-summary")).to_contain_text("3 new, 0 updated, 0 unchanged")
    page.locator("#products-import-commit").click()
    expect(page.locator("#products-import-status")).to_have_text("Imported.")
    expect(page.locator("#products-total")).to_have_text("3 products")
    expect(page.locator(".product-row").first).to_contain_text(f"HX{tag}-0")
    expect(page.locator(".product-row").first).to_contain_text("$100.00")
    shot(page, f"imported-{viewport}")

    page.get_by_role("tab", name="Price lists").click()
    rows = "".join(f"Helix GPO {tag},,HX{tag}-{i},{maker},{90 + i}.00,2026-01-01,\n" for i in range(3))
    overlapping = tmp_path / "prices-bad.csv"
    overlapping.write_text(PRICES + rows + f"Helix GPO {tag},,HX{tag}-1,{maker},80.00,2026-06-01,\n")
    upload(page, "prices", overlapping)
    expect(page.locator("#prices-import-status")).to_have_text("1 row needs fixing: nothing was imported.")
    expect(page.locator("#prices-import .import-error")).to_contain_text("overlap row 3")
    prices = tmp_path / "prices.csv"
    prices.write_text(PRICES + rows)
    upload(page, "prices", prices)
    expect(page.locator("#prices-import-summary")).to_contain_text("3 new, 0 updated, 0 unchanged")
    expect(page.locator("#prices-import-summary")).to_contain_text(f"New price lists: Helix GPO {tag}")
    page.locator("#prices-import-commit").click()
    expect(page.locator("#prices-import-status")).to_have_text("Imported.")
    expect(page.locator(".price-list-row", has_text=f"Helix GPO {tag}")).to_contain_text("3")
    shot(page, f"prices-{viewport}")

    with page.expect_download() as download:
        page.locator("#export-products").click()
    exported = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert exported[0] == HEADER.strip().split(",") and [f"HX{tag}-0", "Helix screw 0 mm", maker, gtin(seed * 10), lic, "yes",
                                                          "100.00"] in exported  # fmt: skip
    with page.expect_download() as download:
        page.locator("#export-prices").click()
    assert [f"Helix GPO {tag}", "", f"HX{tag}-2", maker, "92.00", "2026-01-01", ""] in list(
        csv.reader(io.StringIO(download.value.path().read_text()))
    )


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_the_catalog_is_for_managers(page: Page, app_url):
    page.goto("/catalog")
    expect(page.locator("#catalog-error")).to_have_text("The catalog is for managers.")
    expect(page.locator("#products-import")).to_have_count(0)
    assert page.request.get(f"{app_url}/catalog/products.csv").status == 404


@pytest.mark.parametrize("user_email", [MANAGER])
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_long_import_shows_its_progress_and_can_be_left_and_come_back_to(page: Page, tmp_path):
    from closeout.services import catalog_admin
    from tests.factories import manager

    tag = uuid.uuid4().hex[:5].upper()
    maker, lic = f"Longfile Medical {tag}", f"L{tag[:3]}"
    catalog_admin.add_manufacturer(manager(), maker, lic)
    big = tmp_path / "big-catalog.csv"
    big.write_text(HEADER + "".join(f"LF{tag}-{i:06d},Long file item {i},{maker},,{lic},yes,10.00\n" for i in range(80_000)))
    page.goto("/catalog")
    upload(page, "products", big)
    expect(page.locator("#products-import-progress")).to_be_visible()
    shot(page, "progress")
    page.goto("/")  # leave while it runs
    page.goto("/catalog")
    expect(page.locator("#products-import-status")).to_have_text("Checked: ready to import.", timeout=60_000)
    expect(page.locator("#products-import-summary")).to_contain_text("80,000 new")
