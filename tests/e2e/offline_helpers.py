"""Helpers of the offline story (test_offline.py): the network cut both ways (the browser's
requests and the app's websocket), the service worker in control, and what the database holds."""

import re
import time
from urllib.parse import urlsplit

from playwright.sync_api import Page, WebSocketRoute, expect
from sqlmodel import select

from closeout.models import AuditEvent, Case
from closeout.services import device_lines
from closeout.services.db import reading
from closeout.services.sync import TAG
from tests.factories import demo_rep


class Network:
    """The tablet's Wi-Fi: `context.set_offline` for HTTP (service worker included) and, since
    Chromium does not always cut an open websocket with it, the app's websocket routed through
    the test and closed while down."""

    def __init__(self, page: Page):
        self.page, self.up, self.sockets = page, True, []
        page.route_web_socket(re.compile(r"/_event"), self._through_the_air)

    def _through_the_air(self, ws: WebSocketRoute) -> None:
        if not self.up:
            ws.close()
            return
        ws.connect_to_server()
        self.sockets.append(ws)

    def down(self) -> None:
        self.up = False
        self.page.context.set_offline(True)
        for ws in self.sockets:
            ws.close()
        self.sockets.clear()

    def back(self) -> None:
        self.up = True
        self.page.context.set_offline(False)


def record_hosts(page: Page, app_url: str) -> list[str]:
    """Every request's origin other than the app's own (pages, chunks, API, websocket)."""
    ours = urlsplit(app_url).netloc
    strays: list[str] = []

    def seen(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != ours:
            strays.append(url)

    page.context.on("request", lambda request: seen(request.url))
    page.on("websocket", lambda ws: seen(ws.url))
    return strays


def under_service_worker(page: Page) -> None:
    """Wait for the service worker to be installed, then reload so that it controls the page."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)", timeout=120_000)
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)


def lines_of(number: str) -> list:
    return device_lines.list_lines(demo_rep(), number).lines


def synced_audit(number: str) -> list[str]:
    """The summaries of the audit rows the sync wrote for this case."""
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        rows = session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)).all()
        return [row.summary for row in rows if TAG in row.summary or TAG in str(row.after)]


def scan(page: Page, label: str) -> None:
    """A keyboard-wedge scanner: the label typed fast, GS separators as they come, then Enter."""
    page.locator("#offline-scan").click()
    chunks = label.split("\x1d")
    for index, chunk in enumerate(chunks):
        page.keyboard.type(chunk, delay=5)
        if index < len(chunks) - 1:
            page.keyboard.insert_text("\x1d")
    page.keyboard.press("Enter")


def make_available_offline(page: Page, number: str) -> None:
    page.goto("/")
    expect(page.locator("#offline-card")).to_be_visible()
    page.locator("#make-offline").click()
    expect(page.locator("#offline-note")).to_contain_text("available offline")
    expect(page.get_by_role("link", name=f"Open {number} offline")).to_be_visible()


def edit(page: Page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")


def pending(page: Page, text: str) -> None:
    expect(page.locator("#offline-pending")).to_contain_text(text, timeout=30_000)


def draw_signature(page: Page) -> None:
    box = page.locator("canvas.offline-pad").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 120)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + 120 - (step % 3) * 30, steps=3)
    page.mouse.up()
    time.sleep(0.1)
