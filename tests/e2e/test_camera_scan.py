"""Scan with camera, through Chromium's fake camera playing a video of real labels (drawn by
reportlab, tests/camera_video.py) into the real decoder (ZXing, in the page) and the real
server path. Nothing is mocked between the camera and the line on the screen."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.hibc import check_character
from closeout.domain.scanning import catalog_code
from closeout.models import Case, Facility, Manufacturer, Product
from closeout.services.catalog import contract_price
from closeout.services.db import reading, transaction
from tests.camera_video import GS, Scene, code39, code128, datamatrix, frame, write_y4m
from tests.conftest import RUN_DIR
from tests.e2e.conftest import SHOTS, VIEWPORTS, signed_in
from tests.factories import new_case
from tests.harness import CHROMIUM, CHROMIUM_ARGS

FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
VIBRATIONS = "navigator.vibrate = () => { window.vibrations = (window.vibrations || 0) + 1; return true; };"


@dataclass(frozen=True)
class Label:
    ref: str
    price: Decimal
    lot: str
    serial: str
    expiry: date


def _products_with_contract(count: int) -> list[tuple[Product, str, Decimal]]:
    """Demo products with a contract price at St. Brigid: (product, HIBC labeler code, price)."""
    found = []
    with reading() as session:
        facility = session.exec(select(Facility).where(Facility.name == "St. Brigid Medical Center")).one()
        rows = session.exec(select(Product, Manufacturer.hibc_lic).join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
                            .order_by(Product.id.desc())).all()  # fmt: skip
        for product, lic in rows:
            price = contract_price(session, facility.id, product.id, clock.today() - timedelta(days=1))
            if price is not None:
                found.append((product, lic, price))
            if len(found) == count:
                return found
    raise LookupError("too few contract products in the demo catalog")


@pytest.fixture(scope="module")
def story(_e2e_database):
    """Three labels and a blurred one: a GS1 DataMatrix (GTIN, expiry, lot, serial), a blurred
    GS1 DataMatrix (no read), an HIBC primary (Code 128) then its secondary (Code 39), a
    GS1-128 (Code 128 with FNC1). Three lines, each complete."""
    (a, _, price_a), (b, lic_b, price_b), (c, _, price_c) = _products_with_contract(3)
    today = clock.today()
    lines = [Label(a.ref, price_a, "LOT-CAM1", "SER-CAM1", today + timedelta(days=400)),
             Label(b.ref, price_b, "HX7", "", today + timedelta(days=200)),
             Label(c.ref, price_c, "LC3", "", today + timedelta(days=300))]  # fmt: skip
    primary = f"+{lic_b}{catalog_code(b.ref)}1"
    primary += check_character(primary)
    secondary = f"+$$3{lines[1].expiry:%y%m%d}{lines[1].lot}{primary[-1]}"
    secondary += check_character(secondary)
    gs1 = f"01{a.gtin}17{lines[0].expiry:%y%m%d}10{lines[0].lot}{GS}21{lines[0].serial}"
    blurred = f"01{a.gtin}17{lines[0].expiry:%y%m%d}10{lines[0].lot}{GS}21SER-BLUR"
    video = RUN_DIR / "camera-story.y4m"
    write_y4m(video, [
        Scene(frame(), 1), Scene(frame(datamatrix(gs1, gs1=True)), 2, gs1),
        Scene(frame(datamatrix(blurred, gs1=True), blur=5), 1.5), Scene(frame(), 0.5),
        Scene(frame(code128(primary)), 2, primary), Scene(frame(), 0.5),
        Scene(frame(code39(secondary)), 2, secondary), Scene(frame(), 0.5),
        Scene(frame(code128(f"\xf101{c.gtin}17{lines[2].expiry:%y%m%d}10{lines[2].lot}")), 2, "GS1-128"),
        Scene(frame(), 12),  # longer than the test looks on: the video never loops back to a label
    ], fps=5)  # fmt: skip
    return video, lines


@pytest.fixture(scope="module")
def browser(browser, story):
    """A browser of its own whose camera plays the story (the file is a launch argument)."""
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_CAMERA, f"--use-file-for-fake-video-capture={story[0]}"]
    )
    yield camera
    camera.close()


def _origin_only(page: Page, app_url: str) -> list[str]:
    """Every request the page makes that leaves the app's origin (none should)."""
    outside = []
    page.on("request", lambda r: None if r.url.startswith((app_url, "data:", "blob:")) else outside.append(r.url))
    return outside


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_three_labels_with_the_camera_make_three_complete_lines(page: Page, story, app_url, request):
    video, lines = story
    number = new_case(lines=0)
    outside = _origin_only(page, app_url)
    page.add_init_script(VIBRATIONS)
    page.goto(f"/cases/{number}")
    page.locator("#scan-camera").click()
    sheet = page.locator("#camera-sheet")
    expect(sheet.locator("video")).to_be_visible()
    expect(sheet.locator("#camera-note")).to_contain_text("Added line 1", timeout=10_000)
    page.screenshot(path=SHOTS / f"{request.node.name}-sheet.png")
    expect(sheet.locator("#camera-line-count")).to_contain_text("3 device lines", timeout=20_000)
    page.wait_for_timeout(2_500)  # the rest of the video: nothing more is read
    expect(sheet.locator("#camera-line-count")).to_contain_text("3 device lines")
    page.locator("#camera-done").click()
    expect(sheet).to_have_count(0)

    expect(page.locator(".device-line")).to_have_count(3)
    for position, line in enumerate(lines, start=1):
        card = page.locator(".device-line").nth(position - 1)
        expect(card).to_contain_text(line.ref)
        expect(card).to_contain_text("Contract price")
        expect(page.get_by_label(f"Unit price, line {position}", exact=True)).to_have_value(str(line.price))
        expect(page.get_by_label(f"Lot, line {position}", exact=True)).to_have_value(line.lot)
        expect(page.get_by_label(f"Serial, line {position}", exact=True)).to_have_value(line.serial)
        expect(page.get_by_label(f"Expiry, line {position}", exact=True)).to_have_value(line.expiry.isoformat())
    assert page.evaluate("window.vibrations") == 4  # 3 lines added, 1 completed: each read accepted
    assert not outside, f"fetched from outside the app: {outside}"


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_expired_labels_ask_first_and_the_camera_waits_for_the_answer(page: Page, story, request):
    """Surgery after every label's expiry: each dated label asks over the camera sheet; the
    label still in view while the rep answers is not sent again."""
    number = new_case(lines=0)
    with transaction() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        case.surgery_date = clock.today() + timedelta(days=500)
    page.goto(f"/cases/{number}")
    page.locator("#scan-camera").click()
    for label in range(3):  # the GS1 DataMatrix, the HIBC secondary, the GS1-128
        question = page.get_by_role("alertdialog")
        expect(question).to_contain_text("expired", timeout=20_000)
        if label == 0:
            page.screenshot(path=SHOTS / f"{request.node.name}-question.png")
        question.get_by_role("button", name="Add anyway").click()
        expect(question).to_have_count(0)
    sheet = page.locator("#camera-sheet")
    expect(sheet.locator("#camera-line-count")).to_contain_text("3 device lines")
    page.wait_for_timeout(2_500)
    expect(sheet.locator("#camera-line-count")).to_contain_text("3 device lines")
    expect(sheet.locator("#camera-error")).to_have_count(0)  # nothing was sent twice
    page.locator("#camera-done").click()
    expect(page.locator(".device-line .scan-warning")).to_have_count(3)


@pytest.mark.parametrize("viewport", ["tablet-landscape"])
def test_a_refused_camera_says_so_and_the_keyboard_scanner_still_works(browser, app_url, viewport, request):
    """A browser whose camera the rep refused (no fake-UI flag: Chromium denies the request)."""
    refusing = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, FAKE_CAMERA[1]])
    context = refusing.new_context(viewport=VIEWPORTS[viewport], base_url=app_url, has_touch=viewport != "desktop")
    signed_in(context, app_url)
    page = context.new_page()
    try:
        number, (product, _, _) = new_case(lines=0), _products_with_contract(1)[0]
        page.goto(f"/cases/{number}")
        page.locator("#scan-camera").click()
        expect(page.locator("#camera-problem")).to_contain_text("camera is blocked")
        page.screenshot(path=SHOTS / f"{request.node.name}.png")
        page.locator("#camera-done").click()
        page.locator("#scan-input").click()
        page.keyboard.type(f"01{product.gtin}10KEYED1", delay=5)
        page.keyboard.press("Enter")
        expect(page.locator(".device-line", has_text=product.ref)).to_have_count(1)
        expect(page.get_by_label("Lot, line 1", exact=True)).to_have_value("KEYED1")
    finally:
        refusing.close()
