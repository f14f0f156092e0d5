"""Issue 16: Scan with camera, label in view → line shown. Chromium's fake camera plays a video
of 22 labels (GS1 DataMatrix, GS1-128, HIBC in DataMatrix, Code 128 and Code 39, drawn by
reportlab: tests/camera_video.py) into the real page, decoder and server, against the
production build. Target: p95 under 1 s.

When a label came into view: the video's frames are captured at known times (the camera's
first frame's captureTime minus its mediaTime gives the video's start), and each label starts
on a frame. When its line was shown: the sheet's line count going up (a MutationObserver)."""

import os
from datetime import date, timedelta
from pathlib import Path

from benchmarks.stats import report

LABELS = 22
SHOWN, GAP, FPS = 1.0, 0.5, 10
TIMING = """
window.camera = { start: null, shown: [] };
document.addEventListener("playing", (event) => {
  const video = event.target;
  if (!(video instanceof HTMLVideoElement) || window.camera.start !== null) return;
  video.requestVideoFrameCallback((now, frame) => {
    window.camera.start = (frame.captureTime ?? now) - frame.mediaTime * 1000;
  });
}, true);
new MutationObserver(() => {
  const count = parseInt(document.getElementById("camera-line-count")?.textContent ?? "0", 10) || 0;
  while (window.camera.shown.length < count) window.camera.shown.push(performance.now());
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def _labels() -> list[str]:
    """What each label carries, one device line each (distinct products: none completes another's line)."""
    from sqlmodel import select

    from closeout.domain.hibc import check_character
    from closeout.domain.scanning import catalog_code
    from closeout.models import Manufacturer, Product
    from closeout.services.db import reading

    with reading() as session:
        rows = session.exec(select(Product, Manufacturer.hibc_lic).join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
                            .order_by(Product.id)).all()  # fmt: skip
    expiry = f"{date.today() + timedelta(days=400):%y%m%d}"
    labels = []
    for i, (product, lic) in enumerate(rows[:: max(1, len(rows) // LABELS)][:LABELS]):
        kind = ("dm", "gs1-128", "hibc-dm", "dm", "hibc-128", "gs1-128", "hibc-39")[i % 7]
        primary = f"+{lic}{catalog_code(product.ref)}1"
        if kind == "dm":
            labels.append(("dm", f"01{product.gtin}17{expiry}10L{i:03d}\x1d21S{i:05d}"))
        elif kind == "gs1-128":
            labels.append(("gs1-128", f"\xf101{product.gtin}17{expiry}10L{i}"))
        elif kind == "hibc-dm":
            full = f"{primary}/$$3{expiry}L{i:03d}"
            labels.append(("dm-plain", full + check_character(full)))
        else:
            labels.append((kind, primary + check_character(primary)))
    return labels


def _video(path: Path) -> list[float]:
    from tests.camera_video import Scene, code39, code128, datamatrix, frame, write_y4m

    draw = {"dm": lambda t: datamatrix(t, gs1=True), "dm-plain": datamatrix, "gs1-128": code128,
            "hibc-128": code128, "hibc-39": code39}  # fmt: skip
    scenes = [Scene(frame(), 1.0)]
    for kind, text in _labels():
        scenes += [Scene(frame(draw[kind](text)), SHOWN, text), Scene(frame(), GAP)]
    scenes.append(Scene(frame(), 4.0))
    timeline = write_y4m(path, scenes, fps=FPS)
    return [start for start, _, text in timeline if text]


def label_to_line(work: Path) -> tuple[str, bool]:
    from playwright.sync_api import sync_playwright

    from closeout.services.auth import COOKIE, DEMO_REP_EMAIL
    from tests.factories import actor_for_email, new_case, new_session
    from tests.harness import CHROMIUM, CHROMIUM_ARGS, running_app

    video = work / "camera-bench.y4m"
    starts = _video(video)
    camera = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
    number, token = new_case(lines=0), new_session(actor_for_email(DEMO_REP_EMAIL))
    with running_app(os.environ["REFLEX_DB_URL"], work / "camera-app.log") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *camera])
        context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
        context.add_cookies([{"name": COOKIE, "value": token, "url": url}])
        page = context.new_page()
        page.add_init_script(TIMING)
        page.goto(f"{url}/cases/{number}")
        page.locator("#scan-camera").click()
        deadline = (starts[-1] + SHOWN + 3) * 1000
        page.wait_for_function(f"window.camera.shown.length >= {LABELS}", timeout=deadline + 15_000)
        page.wait_for_timeout(2_000)  # the video's end: no label is read twice
        start, shown = page.evaluate("[window.camera.start, window.camera.shown]")
        browser.close()
    video.unlink()
    samples = [(at - (start + label * 1000)) / 1000 for at, label in zip(shown, starts, strict=False)]
    extra = len(shown) - LABELS
    name, ok = report("camera_scan.label_to_line", samples, "ms", 1000,
                      f"{LABELS} labels through the fake camera, 640×480 at {FPS} fps, tablet landscape"
                      f"{f'; {extra} extra line(s)!' if extra else ''}")  # fmt: skip
    return name, ok and not extra


def run(work: Path) -> list[tuple[str, bool]]:
    return [label_to_line(work)]
