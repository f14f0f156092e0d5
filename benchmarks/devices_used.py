"""Issue: the 1,500-line case. (1) Edit event to updated state, server side: the real
DevicesState.save handler, the state delta and its JSON, p50/p95 over 200 edits.
(2) The case page's first load in headless Chromium against the production build."""

import asyncio
import os
import time
from pathlib import Path

from benchmarks.stats import report
from closeout.seed import BIG_CASE_NUMBER

EDITS = 200
LOADS = 10


def edit_to_state() -> tuple[str, bool]:
    from reflex.state import State
    from reflex_base.utils.format import json_dumps

    import closeout.closeout  # noqa: F401  (registers the app's states)
    from closeout.pages.base import AuthState
    from closeout.pages.devices_used.state import DevicesState
    from closeout.services.auth import DEMO_REP_EMAIL
    from tests.factories import actor_for_email, new_session, sign_in_tab

    # One tab's state tree, signed in, showing the case's first page (what the page's load
    # does, without the URL it reads the case number from); then only the save event runs.
    root = State(_reflex_internal_init=True)
    root._get_state_from_cache(AuthState)
    sign_in_tab(root, new_session(actor_for_email(DEMO_REP_EMAIL)))
    devices = root._get_state_from_cache(DevicesState)
    devices.case_number = BIG_CASE_NUMBER
    DevicesState.event_handlers["refresh"].fn(devices)
    root._clean()
    handler = DevicesState.event_handlers["save"].fn  # the handler as the app runs it (EditsMixin's)
    loop = asyncio.new_event_loop()

    def save(*args):
        return loop.run_until_complete(handler(*args))

    ids = [row.id for row in devices.rows]
    edits = [("quantity", str(1 + i % 4)) if i % 2 else ("unit_price", f"{100 + i}.25") for i in range(EDITS + 20)]
    samples = []
    for i, (field, value) in enumerate(edits):
        start = time.perf_counter()
        save(devices, ids[i % len(ids)], field, value)
        json_dumps(root.get_delta())
        root._clean()
        if i >= 20:  # the first 20 warm caches and are not counted
            samples.append(time.perf_counter() - start)
    loop.close()
    return report("devices_used.edit_to_state", samples, "ms", 100, f"{EDITS} edits, 1,500-line case, in-process")


READY = """() => document.querySelectorAll('.device-line').length === 25
    && (document.querySelector('#grand-total')?.textContent || '$0.00') !== '$0.00'"""


def first_load(work: Path) -> tuple[str, bool]:
    from playwright.sync_api import sync_playwright

    from closeout.services.auth import COOKIE, DEMO_REP_EMAIL
    from tests.factories import actor_for_email, new_session
    from tests.harness import launch_chromium, running_app

    samples = []
    with running_app(os.environ["REFLEX_DB_URL"], work / "app.log") as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        token = new_session(actor_for_email(DEMO_REP_EMAIL))
        for _ in range(LOADS):
            context = browser.new_context(viewport={"width": 1024, "height": 768})  # cold cache each time
            context.add_cookies([{"name": COOKIE, "value": token, "url": url}])
            page = context.new_page()
            page.goto(f"{url}/cases/{BIG_CASE_NUMBER}", wait_until="commit")
            page.wait_for_function(READY, polling="raf", timeout=30_000)
            samples.append(page.evaluate("performance.now()") / 1000)
            context.close()
        browser.close()
    return report(
        "devices_used.first_load",
        samples,
        "s",
        2,
        f"{LOADS} cold loads of the 1,500-line case, navigation to 25 lines and totals shown",
    )


def run(work: Path) -> list[tuple[str, bool]]:
    return [edit_to_state(), first_load(work)]
