"""The installable, cached shell in real Chromium with the real service worker (Workbox over the
production build): the first visit installs it and it controls the page; offline, `/` and a case
screen still open from the precache (every chunk but the icon-only ones); API, PDF, CSV and link
routes never reach a cache; and a new build waits while a change waits to sync, then takes over."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Error, Page, expect

from closeout.offline_shell import icon_only_chunks, lucide_icon_names
from tests.e2e.conftest import VIEWPORTS, signed_in
from tests.factories import new_case
from tests.harness import CHROMIUM, CHROMIUM_ARGS, ROOT

pytestmark = [pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True), pytest.mark.service_worker]
BUILD = ROOT / ".web" / "build" / "client"
SHOTS = ROOT / "test-artifacts"

CONTROLLED = "navigator.serviceWorker.controller !== null && window.closeoutShell !== undefined"
CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""
# An item in the outbox, as the offline screen queues it (Dexie's table, or made here if absent).
QUEUE_ONE = """() => new Promise((resolve, reject) => {
  const request = indexedDB.open("closeout-offline");
  request.onupgradeneeded = () => request.result.createObjectStore("outbox", {keyPath: "seq", autoIncrement: true});
  request.onsuccess = () => {
    const db = request.result, tx = db.transaction("outbox", "readwrite");
    tx.objectStore("outbox").add({id: crypto.randomUUID(), case: "CS-X", kind: "edit", state: "queued"});
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
  request.onerror = () => reject(request.error);
})"""
CLEAR_OUTBOX = """() => new Promise((resolve, reject) => {
  const request = indexedDB.open("closeout-offline");
  request.onsuccess = () => {
    const db = request.result, tx = db.transaction("outbox", "readwrite");
    tx.objectStore("outbox").clear();
    tx.oncomplete = () => { db.close(); resolve(); };
  };
  request.onerror = () => reject(request.error);
})"""


def installed(page: Page) -> None:
    page.goto("/")
    expect(page.locator("#sign-out")).to_be_visible()
    page.wait_for_function(CONTROLLED, timeout=60_000)  # precached (installed), active, claimed


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"service-worker-{name}.png")


def precache_paths(page: Page, origin: str) -> set[str]:
    return {url.removeprefix(origin).split("?")[0] for url in page.evaluate(CACHED_URLS)}


def test_first_visit_installs_the_shell_and_it_opens_offline(page: Page, app_url):
    number = new_case(lines=2)
    installed(page)
    worker = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert worker == f"{app_url}/sw.js"
    assert page.evaluate("window.closeoutShell.status") == "registered"

    cached = precache_paths(page, app_url)
    chunks = {f"/assets/{p.name}" for p in (BUILD / "assets").iterdir() if p.suffix in (".js", ".css")}
    icon_only = {f"/{p}" for p in icon_only_chunks(BUILD / "assets", lucide_icon_names(ROOT / ".web"))}
    assert chunks - icon_only <= cached, sorted(chunks - icon_only - cached)[:10]
    assert any("_cases_" in c for c in cached) and any("camera_scanner" in c for c in cached)
    assert {"/index.html", "/__spa-fallback.html", "/manifest.webmanifest", "/icons/icon-192.png"} <= cached
    assert not {c for c in cached if c.startswith(("/sign/", "/po/", "/invitation/"))}

    page.context.set_offline(True)
    page.reload()
    expect(page).to_have_title("My cases · Closeout")
    expect(page.locator("#sign-out")).to_be_visible()  # the shell, not Chromium's offline page
    shot(page, "home-offline")
    page.goto(f"/cases/{number}")  # no prerendered page: the navigation fallback, then the case chunks
    expect(page.locator("#sign-out")).to_be_visible()
    shot(page, "case-offline")
    page.context.set_offline(False)


def test_api_pdf_csv_and_link_routes_never_reach_a_cache(page: Page, app_url):
    number = new_case(lines=1)
    installed(page)
    routes = ["/api/v1/offline/cases", f"/sales-orders/{number}.pdf?for=print", "/console/export.csv", "/po/x",
              "/sign/x", "/invitation/x", "/sales-orders/shared/1.pdf"]  # fmt: skip
    page.evaluate("async (routes) => { for (const r of routes) await fetch(r).catch(() => null); }", routes)
    assert not page.goto("/po/x").from_service_worker  # a navigation, answered by the server
    page.goto("/")
    page.wait_for_function(CONTROLLED)
    cached = precache_paths(page, app_url)
    leaked = {c for c in cached if c.startswith(("/api/", "/sales-orders/", "/po/", "/po-documents/", "/sign/", "/invitation/"))
              or c.endswith((".pdf", ".csv"))}  # fmt: skip
    assert not leaked, leaked

    page.context.set_offline(True)
    for route in ("/po/y", "/sign/y", f"/sales-orders/{number}.pdf", "/api/v1/offline/cases"):
        with pytest.raises(Error, match="ERR_INTERNET_DISCONNECTED"):
            page.goto(route)  # not answered by the shell (nor, never visited, by the HTTP cache)
    page.context.set_offline(False)


def test_served_with_no_cache_and_installable(page: Page, app_url):
    installed(page)
    worker = page.request.get("/sw.js")
    assert worker.ok and worker.headers["cache-control"] == "no-cache"
    assert "javascript" in worker.headers["content-type"]
    manifest = json.loads(page.request.get("/manifest.webmanifest").text())
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).headers["content-type"] == "image/png"
    assert page.locator('link[rel="manifest"]').count() == 1
    assert page.request.get("/icons/apple-touch-icon.png").ok


def test_chromium_finds_it_installable(browser, app_url, viewport, tmp_path):
    """What Chromium itself makes of it, in a real profile (a test context is incognito, where
    nothing installs)."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path, executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=app_url, viewport=VIEWPORTS[viewport]
    )
    try:
        signed_in(context, app_url)
        installed(context.pages[0] if context.pages else context.new_page())
        chromium = context.new_cdp_session(context.pages[0])
        assert chromium.send("Page.getAppManifest")["errors"] == []
        assert chromium.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()


def _new_build(worker: Path):
    """What a deploy does to /sw.js: different bytes (the precache manifest changes with them)."""
    original = worker.read_bytes()
    worker.write_bytes(original + b"\n// a new build\n")
    return original


def test_a_new_build_waits_while_a_change_waits_to_sync(page: Page, app_url):
    installed(page)
    first = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    page.evaluate(QUEUE_ONE)
    assert page.evaluate("window.closeoutShell.pendingChanges()") == 1

    worker = BUILD / "sw.js"
    original = _new_build(worker)
    try:
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => { window.__registration = r; return r.update(); })")
        page.wait_for_function("window.__registration.waiting !== null")
        page.wait_for_function("window.closeoutShell.status === 'waiting-for-sync'")
        page.wait_for_timeout(2_000)  # nothing activates it meanwhile
        assert page.evaluate("window.__registration.waiting !== null")
        assert page.evaluate("window.closeoutShell.pending") == 1

        page.evaluate(CLEAR_OUTBOX)  # the outbox synced: the offline screen says so
        with page.expect_navigation():  # the new build takes over, and the page reloads with it
            page.evaluate("window.dispatchEvent(new Event('closeout-outbox-changed'))")
        page.wait_for_function(CONTROLLED)
        assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.waiting === null)")
        assert page.evaluate("window.closeoutShell.status") == "registered"
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == first
    finally:
        worker.write_bytes(original)
