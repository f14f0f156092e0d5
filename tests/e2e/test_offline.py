"""Offline in the OR (issue 17), in real Chromium with the real service worker: a rep makes
cases available offline, loses the network (HTTP and the app's websocket), reloads, edits,
adds, scans and has the provider sign; everything is still there after another reload, and
once back online the outbox empties into the database through the sync API, audited. A line
changed on the server meanwhile is a conflict the rep settles; a sync answer lost on the way
applies the change once; sign-out asks and wipes; the totals are the server's."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from closeout.domain import clock
from closeout.domain.money import format_usd
from closeout.services import device_lines
from tests.e2e.conftest import signed_in
from tests.e2e.offline_helpers import (
    Network,
    draw_signature,
    edit,
    lines_of,
    make_available_offline,
    pending,
    record_hosts,
    scan,
    synced_audit,
    under_service_worker,
)
from tests.factories import demo_rep, new_case, product_with

pytestmark = pytest.mark.service_worker  # the offline client lives in the service worker's cache

SHOTS = "test-artifacts/offline"


def shot(page: Page, name: str) -> None:
    size = page.viewport_size
    page.screenshot(path=f"{SHOTS}-{name}-{size['width']}x{size['height']}.png", full_page=True)


def open_offline(page: Page, number: str) -> None:
    page.get_by_role("link", name=f"Open {number} offline").click()
    expect(page.locator("#offline-case")).to_contain_text(number)


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_a_rep_closes_out_offline_and_it_syncs(page: Page, app_url: str):
    number = new_case(lines=3)
    before = lines_of(number)
    added, scanned = product_with(contract=False), product_with(contract=True)
    expiry = clock.today() + timedelta(days=300)
    strays = record_hosts(page, app_url)
    network = Network(page)
    page.goto("/")
    under_service_worker(page)
    make_available_offline(page, number)

    network.down()
    page.reload()  # from the service worker's cache, with no server at all
    expect(page.get_by_role("link", name=f"Open {number} offline")).to_be_visible()
    shot(page, "home")
    open_offline(page, number)
    expect(page.locator("#offline-sync")).to_contain_text("Offline")

    edit(page, "Lot, line 1", "LOT-OR-1")
    edit(page, "Quantity, line 2", "2")
    page.locator("#offline-catalog-search").fill(added.ref)
    page.get_by_role("button", name=f"Add {added.ref}").click()
    scan(page, f"01{scanned.gtin}17{expiry:%y%m%d}10LOT-OR-5\x1d21SER-OR-5")
    expect(page.locator(".scanned-line")).to_contain_text(f"Scanned: 01{scanned.gtin}")
    expect(page.locator(".scanned-line")).to_contain_text("added when synced")
    pending(page, "4 changes waiting to sync")
    page.get_by_label("Provider's printed name").fill("Jo Park")
    page.get_by_label("Provider's title").fill("RN, circulating nurse")
    expect(page.locator(".vouched-lines")).to_contain_text(f"#1 {before[0].ref} v{before[0].version}")
    draw_signature(page)
    page.locator("#offline-sign").click()
    expect(page.locator(".signature-waiting")).to_contain_text("Signed offline by Jo Park")
    pending(page, "5 changes waiting to sync")
    shot(page, "edited")

    page.reload()  # offline again: everything is still there
    expect(page.locator("#offline-case")).to_contain_text(number)
    pending(page, "5 changes waiting to sync")
    expect(page.get_by_label("Lot, line 1", exact=True)).to_have_value("LOT-OR-1")
    expect(page.get_by_label("Quantity, line 2", exact=True)).to_have_value("2")
    expect(page.locator('.offline-line[data-line="new"]')).to_contain_text(f"{added.ref}")
    expect(page.locator('.offline-line[data-line="new"]')).to_contain_text("Added offline")
    expect(page.locator(".scanned-line")).to_be_visible()
    assert [(v.lot, v.quantity) for v in lines_of(number)] == [(v.lot, v.quantity) for v in before]  # nothing sent yet

    network.back()
    pending(page, "All changes synced")
    shot(page, "synced")
    after = lines_of(number)
    assert len(after) == 5
    assert (after[0].lot, after[0].quantity, after[0].version) == ("LOT-OR-1", before[0].quantity, before[0].version + 1)
    assert (after[1].lot, after[1].quantity) == (before[1].lot, 2)
    assert (after[2].lot, after[2].quantity, after[2].version) == (before[2].lot, before[2].quantity, before[2].version)
    assert after[3].ref == added.ref
    assert (after[4].ref, after[4].lot, after[4].serial, after[4].expiry) == (scanned.ref, "LOT-OR-5", "SER-OR-5", expiry)
    audit = synced_audit(number)
    assert len(audit) == 5, audit
    assert any("Jo Park" in summary for summary in audit), audit
    expect(page.locator("#offline-signatures")).to_contain_text("signed by Jo Park")
    expect(page.locator("#offline-signatures")).not_to_contain_text("no longer valid")
    expect(page.locator(".scanned-line")).to_have_count(0)
    assert strays == [], strays


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_a_line_changed_on_the_server_meanwhile_is_a_conflict_the_rep_settles(page: Page):
    number = new_case(lines=2)
    line = lines_of(number)[0]
    network = Network(page)
    make_available_offline(page, number)
    open_offline(page, number)

    network.down()
    edit(page, "Lot, line 1", "MINE-1")
    pending(page, "1 change waiting to sync")
    device_lines.update_line(demo_rep(), number, line.id, "lot", "THEIRS-1")
    network.back()

    card = page.locator(".conflict-card")
    expect(card).to_contain_text("changed on the server meanwhile")
    expect(card.locator(".mine")).to_have_text("MINE-1")
    expect(card.locator(".theirs")).to_have_text("THEIRS-1")
    expect(page.get_by_label("Lot, line 1", exact=True)).to_have_value("THEIRS-1")  # the server's, until the rep chooses
    assert lines_of(number)[0].lot == "THEIRS-1"
    shot(page, "conflict")

    card.get_by_role("button", name="Keep mine").click()
    expect(card).to_have_count(0)
    pending(page, "All changes synced")
    expect(page.get_by_label("Lot, line 1", exact=True)).to_have_value("MINE-1")
    assert lines_of(number)[0].lot == "MINE-1"


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_a_sync_answer_lost_on_the_way_applies_the_change_once(page: Page):
    number = new_case(lines=1)
    line = lines_of(number)[0]
    make_available_offline(page, number)
    open_offline(page, number)
    answers = {"dropped": 0, "held": True}

    def lose_the_first_answer(route) -> None:
        if not answers["dropped"]:
            route.fetch()  # the server applies it...
            answers["dropped"] = 1
            route.abort()  # ...and the answer never reaches the tablet
        elif answers["held"]:
            route.abort()
        else:
            route.continue_()

    page.route("**/api/v1/sync", lose_the_first_answer)
    edit(page, "Lot, line 1", "ONCE-1")
    pending(page, "1 change waiting to sync")
    expect(page.locator("#offline-sync")).to_contain_text("kept")
    assert lines_of(number)[0].lot == "ONCE-1"  # applied, though the tablet does not know it

    edit(page, "Serial, line 1", "TWICE-2")  # not merged into the change that already left
    pending(page, "2 changes waiting to sync")
    answers["held"] = False
    page.locator("#offline-sync-now").click()  # the first change's id again, then the second
    pending(page, "All changes synced")
    now = lines_of(number)[0]
    assert (now.lot, now.serial, now.version) == ("ONCE-1", "TWICE-2", line.version + 2)
    assert len(synced_audit(number)) == 2


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_line_added_offline_and_changed_after_the_signature_leaves_it_unvouched(page: Page):
    number = new_case(lines=1)
    added = product_with(contract=False)
    network = Network(page)
    make_available_offline(page, number)
    open_offline(page, number)

    network.down()
    page.locator("#offline-catalog-search").fill(added.ref)
    page.get_by_role("button", name=f"Add {added.ref}").click()
    edit(page, "Lot, line 2", "BEFORE-SIGN")  # before the signature: the add itself changes
    pending(page, "1 change waiting to sync")
    page.get_by_label("Provider's printed name").fill("Jo Park")
    page.get_by_label("Provider's title").fill("RN, circulating nurse")
    draw_signature(page)
    page.locator("#offline-sign").click()
    expect(page.locator(".signature-waiting")).to_be_visible()
    edit(page, "Serial, line 2", "AFTER-SIGN")  # after it: a change of its own, after the signature
    pending(page, "3 changes waiting to sync")
    network.back()

    pending(page, "All changes synced")
    new_line = lines_of(number)[1]
    assert (new_line.ref, new_line.lot, new_line.serial) == (added.ref, "BEFORE-SIGN", "AFTER-SIGN")
    expect(page.locator("#offline-signatures")).to_contain_text("no longer valid")  # the signer never saw AFTER-SIGN


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_the_offline_totals_are_the_servers(page: Page):
    number = new_case(lines=4)
    rep, lines = demo_rep(), lines_of(number)
    device_lines.update_line(rep, number, lines[0].id, "no_charge", True)
    device_lines.update_line(rep, number, lines[1].id, "usage_status", "Unused")
    device_lines.update_line(rep, number, lines[2].id, "quantity", "3")
    make_available_offline(page, number)
    mismatches = page.evaluate("""async () => {
        const pack = await (await fetch('/api/v1/offline/cases')).json();
        return pack.cases
            .map((c) => ({number: c.number, client: window.closeoutOffline.totals(c.lines),
                          server: {by_manufacturer: c.totals.by_manufacturer, grand_total: c.totals.grand_total}}))
            .filter((t) => JSON.stringify(t.client) !== JSON.stringify(t.server));
    }""")
    assert mismatches == []
    open_offline(page, number)
    server_total = device_lines.list_lines(rep, number).totals.grand_total
    expect(page.locator("#offline-grand-total")).to_have_text(format_usd(server_total))
    shot(page, "totals")


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_sign_out_asks_while_changes_wait_and_wipes_the_tablet(page: Page):
    number = new_case(lines=1)
    make_available_offline(page, number)
    open_offline(page, number)
    page.route("**/api/v1/sync", lambda route: route.abort())  # the change cannot leave
    edit(page, "Lot, line 1", "WAITING-1")
    pending(page, "1 change waiting to sync")
    asked: list[str] = []
    answers = [False, True]  # stay the first time, sign out the second

    def answer(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept() if answers.pop(0) else dialog.dismiss()

    page.on("dialog", answer)
    page.locator("#sign-out").click()
    expect(page.locator("#offline-case")).to_be_visible()
    pending(page, "1 change waiting to sync")
    page.locator("#sign-out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    assert asked == ["1 change not yet synced — sign out anyway?"] * 2
    left = page.evaluate("""() => new Promise((done) => {
        const open = indexedDB.open('closeout-offline');
        open.onsuccess = () => {
            const db = open.result;
            const names = [...db.objectStoreNames];
            if (!names.length) return done(0);
            const tx = db.transaction(names);
            let total = 0, count = names.length;
            for (const name of names) {
                const req = tx.objectStore(name).count();
                req.onsuccess = () => { total += req.result; if (--count === 0) done(total); };
            }
        };
    })""")
    assert left == 0


@pytest.mark.parametrize("viewport", ["tablet-landscape"], indirect=True)
def test_refused_scans_wait_for_the_reps_choice_and_an_edited_price_keeps_its_reason(page: Page):
    number = new_case(lines=1)
    product = product_with(contract=True)
    network = Network(page)
    make_available_offline(page, number)
    open_offline(page, number)

    network.down()
    scan(page, "(01)00614141000128(10)NOPE")  # a product not in the catalog
    scan(page, f"(01){product.gtin}(17){clock.today() - timedelta(days=10):%y%m%d}(10)OLD1")  # expired
    edit(page, "Unit price, line 1", "199.99")
    expect(page.locator(".price-reasons")).to_be_visible()
    shot(page, "price-reason")
    page.get_by_role("button", name="Price agreed with the facility").click()
    pending(page, "3 changes waiting to sync")
    network.back()

    cards = page.locator(".conflict-card")
    expect(cards).to_have_count(2)
    expired = cards.filter(has_text="OLD1")
    expect(expired).to_contain_text("expired")
    shot(page, "refused-scans")
    expired.get_by_role("button", name="Add it anyway").click()
    pending(page, "All changes synced")
    cards.filter(has_text="NOPE").get_by_role("button", name="Discard mine").click()
    expect(cards).to_have_count(0)
    lines = lines_of(number)
    assert [(v.lot, v.ref) for v in lines[1:]] == [("OLD1", product.ref)] and lines[1].expired
    assert (str(lines[0].unit_price), lines[0].price_source, lines[0].price_reason) == (
        "199.99",
        "edited",
        "Price agreed with the facility",
    )


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_another_user_on_the_same_tablet_never_sees_the_last_users_cases(page: Page, app_url: str):
    number = new_case(lines=1)
    make_available_offline(page, number)
    open_offline(page, number)
    sent_as_sam: list[str] = []
    now = {"user": "dana"}

    def nothing_leaves(route) -> None:
        if now["user"] == "sam":
            sent_as_sam.append(route.request.post_data or "")
        route.abort()

    page.route("**/api/v1/sync", nothing_leaves)
    edit(page, "Lot, line 1", "DANAS-1")
    pending(page, "1 change waiting to sync")
    page.context.clear_cookies()  # the session ended without Sign out (it expired)
    signed_in(page.context, app_url, "sam.okafor@closeout.example")
    page.goto("/")
    now["user"] = "sam"
    expect(page.locator("#offline-card")).to_contain_text("No cases on this tablet yet.")
    expect(page.locator("#offline-others")).to_contain_text("Changes made offline by another user are waiting on this tablet")
    expect(page.get_by_text(number)).to_have_count(0)
    shot(page, "another-user")
    assert page.evaluate("window.closeoutOffline.db.cases.count()") == 0
    page.evaluate("window.closeoutOffline.syncNow()")
    assert not any("DANAS-1" in body for body in sent_as_sam)  # never sent with another user's session
    assert page.evaluate("window.closeoutOffline.pendingCount()") == 1  # and it still holds a new build back

    page.unroute("**/api/v1/sync")
    page.context.clear_cookies()
    signed_in(page.context, app_url)  # the rep who made it is back: it is sent
    page.goto("/")
    expect(page.locator("#offline-card")).to_be_visible()
    for _ in range(60):
        if page.evaluate("window.closeoutOffline.pendingCount()") == 0:
            break
        page.wait_for_timeout(500)
    assert lines_of(number)[0].lot == "DANAS-1"
    expect(page.locator("#offline-others")).to_have_count(0)


@pytest.mark.parametrize("viewport", ["tablet-portrait"], indirect=True)
def test_an_offline_copy_older_than_a_day_is_deleted_on_open(page: Page):
    number = new_case(lines=1)
    make_available_offline(page, number)
    page.evaluate("window.closeoutOffline.db.cases.toCollection().modify({expires_local: '2000-01-01T00:00:00.000Z'})")
    page.goto(f"/offline#{number}")
    expect(page.locator("#offline-cases")).to_contain_text(f"{number} is not on this tablet")
    expect(page.locator("#offline-cases")).to_contain_text("No cases on this tablet yet.")
    assert page.evaluate("window.closeoutOffline.db.cases.count()") == 0
