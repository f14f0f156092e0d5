"""One-time signing links: one live link per case and signer, revocation (closing the dialog,
signing out), and the provider's page state: every line paged, and a refusal that says what
changed (what changed between two readings of the lines, pure: tests/domain/test_content_changes.py)."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from reflex.state import State
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.errors import NotAllowed, NotFound
from closeout.domain.signing import SignerRole
from closeout.domain.signing_link import GONE, usable
from closeout.models import AuditEvent, Case, Product, SigningLink
from closeout.pages import remote_sign
from closeout.pages.remote_sign import PAGE_SIZE, RemoteSignState
from closeout.seed import BIG_CASE_LINES, BIG_CASE_NUMBER
from closeout.services import billing, device_lines, signatures, signing_links
from closeout.services.db import reading
from closeout.services.device_lines import LineChange
from tests.factories import actor_for_email, demo_rep, new_case, new_session, sign_both, sign_in_tab, signature_data_url

OTHER_REP = "sam.okafor@closeout.example"


# One live link per case and signer; revocation -------------------------------------------


def gone(token) -> bool:
    try:
        signing_links.open_link(token)
    except NotFound as refusal:
        assert refusal.message == GONE  # the same answer as an expired or used link
        return True
    return False


def audit_rows(number, action):
    with reading() as session:
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        return session.exec(select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == action)).all()


def test_issuing_again_revokes_the_cases_live_link():
    number = new_case(lines=1)
    first = signing_links.issue(demo_rep(), number)
    second = signing_links.issue(demo_rep(), number)
    assert gone(first.token) and not gone(second.token)
    with pytest.raises(NotFound, match="expired or was already used"):
        signing_links.sign_through_link(first.token, "RN Jo Whitaker", signature_data_url(),
                                        signing_links.open_link(second.token).fingerprint, title="RN")  # fmt: skip
    [revoked] = audit_rows(number, "signing link revoked")
    assert "replaced by a new link" in revoked.summary and revoked.user_id == demo_rep().id
    with reading() as session:
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        links = session.exec(select(SigningLink).where(SigningLink.case_id == case_id)).all()
        live = [link for link in links if usable(link.expires_at, link.used_at, clock.now(), link.revoked_at)]
        assert len(links) == 2 and len(live) == 1 and live[0].role == SignerRole.PROVIDER.value


def test_closing_the_dialog_revokes_only_its_link():
    number, other = new_case(lines=1), new_case(lines=1)
    link, elsewhere = signing_links.issue(demo_rep(), number), signing_links.issue(demo_rep(), other)
    signing_links.revoke(demo_rep(), number, "not-this-one")
    signing_links.revoke(demo_rep(), number, elsewhere.token)  # another case's link: not through this case
    assert not gone(link.token) and not gone(elsewhere.token)
    signing_links.revoke(demo_rep(), number, link.token)
    assert gone(link.token) and not gone(elsewhere.token)
    signing_links.revoke(demo_rep(), number, link.token)  # twice: nothing more happens
    assert len(audit_rows(number, "signing link revoked")) == 1
    signing_links.revoke(demo_rep(), other)  # without a token: every live link of the case
    assert gone(elsewhere.token)


def test_signing_out_revokes_every_live_link_the_user_issued():
    mine = [new_case(lines=1), new_case(lines=1), new_case(lines=1)]
    links = [signing_links.issue(demo_rep(), number) for number in mine]
    used = links[2]
    signing_links.sign_through_link(used.token, "RN Jo Whitaker", signature_data_url(),
                                    signing_links.open_link(used.token).fingerprint, title="RN")  # fmt: skip
    theirs = new_case(lines=1, rep_email=OTHER_REP)
    their_link = signing_links.issue(actor_for_email(OTHER_REP), theirs)
    assert signing_links.revoke_links_of(demo_rep()) >= 2
    assert gone(links[0].token) and gone(links[1].token)
    assert not gone(their_link.token)
    assert "signed out" in audit_rows(mine[0], "signing link revoked")[0].summary
    assert audit_rows(mine[2], "signing link revoked") == []  # spent, not revoked
    assert signing_links.revoke_links_of(demo_rep()) == 0
    assert signatures.signatures_of(demo_rep(), mine[2])[SignerRole.PROVIDER].via == "signing link"


def test_a_link_cannot_be_issued_for_a_case_no_longer_open():
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    with pytest.raises(NotAllowed):
        signing_links.issue(demo_rep(), number)


# The provider's page ---------------------------------------------------------------------


def signing_page(monkeypatch, token: str) -> RemoteSignState:
    monkeypatch.setattr(remote_sign, "route_tail", lambda _state: token)
    root = State(_reflex_internal_init=True)
    page = root._get_state_from_cache(RemoteSignState)
    handle(page, "load")
    return page


def handle(page: RemoteSignState, name: str, *args):
    return RemoteSignState.event_handlers[name].fn(page, *args)


def test_the_page_shows_every_line_25_at_a_time(monkeypatch):
    link = signing_links.issue(demo_rep(), BIG_CASE_NUMBER)
    try:
        page = signing_page(monkeypatch, link.token)
        assert (page.line_count, len(page.rows), page.range_label) == (BIG_CASE_LINES, PAGE_SIZE, "Lines 1–25 of 1,500")
        handle(page, "previous_page")
        assert page.page == 1
        handle(page, "next_page")
        assert page.range_label == "Lines 26–50 of 1,500" and page.rows[0].position > 25
        seen = set()
        for _ in range(page.page_count + 2):  # and past the end: it stays on the last page
            seen.update(row.position for row in page.rows)
            handle(page, "next_page")
        assert page.page == page.page_count == 60 and page.range_label == "Lines 1,476–1,500 of 1,500"
        handle(page, "previous_page")
        seen.update(row.position for row in page.rows)
        assert len(seen) == BIG_CASE_LINES - PAGE_SIZE  # pages 2..60; page 1 was shown first
        assert page.fingerprint == signing_links.open_link(link.token).fingerprint
    finally:
        signing_links.revoke(demo_rep(), BIG_CASE_NUMBER, link.token)


def test_the_page_refuses_a_stale_signature_and_says_what_changed(monkeypatch):
    number = new_case(lines=4)
    link = signing_links.issue(demo_rep(), number)
    page = signing_page(monkeypatch, link.token)
    lines = device_lines.list_lines(demo_rep(), number).lines
    device_lines.update_line(demo_rep(), number, lines[2].id, "lot", "LOT9")
    device_lines.remove_line(demo_rep(), number, lines[3].id)
    added: LineChange = device_lines.add_line(demo_rep(), number, _any_product_id())
    page.name, page.title = "RN Jo Whitaker", "RN, circulating nurse"
    handle(page, "save", signature_data_url())
    assert not page.done and page.gone == "" and "changed while this page was open" in page.error
    assert page.changes == [
        f"Line 3 (REF {lines[2].ref}): lot LOT3 → LOT9",
        f"Line 4 removed (REF {lines[3].ref})",
        f"Line {added.line.position} added (REF {added.line.ref})",
    ]
    assert page.line_count == 4 and [row.lot for row in page.rows][2] == "LOT9"
    assert SignerRole.PROVIDER not in signatures.signatures_of(demo_rep(), number)
    handle(page, "save", signature_data_url())  # signed again, for the lines now shown
    assert page.done and page.rows == [] and page.changes == []
    assert signatures.signatures_of(demo_rep(), number)[SignerRole.PROVIDER].valid


def test_the_page_says_plainly_when_the_case_was_submitted_meanwhile(monkeypatch):
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    page = signing_page(monkeypatch, link.token)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    page.name, page.title = "RN Jo Whitaker", "RN, circulating nurse"
    handle(page, "save", signature_data_url())
    assert page.submitted.startswith("This case was submitted for billing after this link was made")
    assert (page.gone, page.rows, page.case_number, page.done) == ("", [], "", False)
    again = signing_page(monkeypatch, link.token)
    assert again.submitted == page.submitted and again.case_number == ""


def _any_product_id() -> int:
    with reading() as session:
        return session.exec(select(Product.id).order_by(Product.id.desc())).first()


def rep_screen(number: str, token: str | None = None):
    """The rep's Sign & Submit state, in-process, signed in (or with `token` as its session)."""
    import closeout.closeout  # noqa: F401  (registers the app's states)
    from closeout.pages.base import AuthState
    from closeout.pages.sign_submit.state import SignState

    root = State(_reflex_internal_init=True)
    root._get_state_from_cache(AuthState)
    sign_in_tab(root, token if token is not None else new_session(demo_rep()))
    sign = root._get_state_from_cache(SignState)
    sign.case_number = number
    return sign


def run(coroutine):
    """An async handler, on a loop of its own."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def watch(sign):
    return type(sign).event_handlers["watch_link"].fn(sign)


def test_closing_the_link_dialog_revokes_its_link():
    number = new_case(lines=1)
    link = signing_links.issue(demo_rep(), number)
    sign = rep_screen(number)
    sign.link_url = f"http://tablet.example/sign/{link.token}"
    type(sign).event_handlers["close_link"].fn(sign)
    assert sign.link_url == "" and gone(link.token)
    assert "closed on the rep's screen" in audit_rows(number, "signing link revoked")[0].summary


@pytest.mark.parametrize("session", ["", "made-up-session"])
def test_the_link_watcher_needs_a_session(session):
    number = new_case(lines=1)
    sign = rep_screen(number, token=session)
    sign.link_url, sign.link_expires = "http://tablet.example/sign/x", (clock.now() + timedelta(minutes=15)).isoformat()
    started = time.monotonic()
    assert run(watch(sign)) is None and time.monotonic() - started < 1
    assert sign._link_watch_until == 0.0 and sign.link_url != ""


def test_only_one_link_watcher_per_tab_and_it_stops_when_the_link_is_closed():
    number = new_case(lines=1)
    sign = rep_screen(number)
    sign.link_url, sign.link_expires = "http://tablet.example/sign/x", (clock.now() + timedelta(minutes=15)).isoformat()

    async def story():
        first = asyncio.create_task(watch(sign))
        await asyncio.sleep(0.3)
        assert sign._link_watch_until > clock.now().timestamp()  # running
        started = time.monotonic()
        assert await watch(sign) is None and time.monotonic() - started < 0.5  # a second one returns at once
        sign.link_url = ""  # the dialog closed
        assert await asyncio.wait_for(first, timeout=5) is None

    run(story())
    assert sign._link_watch_until == 0.0


def test_the_link_watcher_shows_the_providers_signature_and_stops():
    number = new_case(lines=1)
    sign = rep_screen(number)
    sign._fetch()
    link = signing_links.issue(demo_rep(), number)
    sign.link_url, sign.link_expires = f"http://tablet.example/sign/{link.token}", link.expires_at.isoformat()

    async def story():
        watcher = asyncio.create_task(watch(sign))
        await asyncio.sleep(0.2)
        shown = await asyncio.to_thread(signing_links.open_link, link.token)
        await asyncio.to_thread(signing_links.sign_through_link, link.token, "RN Jo Whitaker", signature_data_url(),
                                shown.fingerprint, title="RN")  # fmt: skip
        return await asyncio.wait_for(watcher, timeout=5)

    events = run(story())
    assert events and sign.link_url == "" and sign.cards["provider_rep"].signer_name == "RN Jo Whitaker"
    assert sign._link_watch_until == 0.0
