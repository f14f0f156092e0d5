"""The buyer's PO document never lives in the tab's state (issue 23 §1): thirty throwaway tabs
each uploading a 4.9 MB PDF to one link once raised the server's memory by ~145 MB for an hour.
Now the document is the link's one draft row (a new one replaces it), uploads are throttled per
link and per client, the tab keeps a key of a few dozen bytes, and the draft goes on submit, when
the tab goes, or when it expires (the job prunes it)."""

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import pytest
from reflex.state import State
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.errors import InvalidInput
from closeout.models import PoDocument, PoDraftDocument, PoLink
from closeout.pages import buyer_po_state
from closeout.pages.buyer_po_state import BuyerPoState
from closeout.services import buyer_po, po_drafts
from closeout.services.db import reading
from tests.factories import closed_case
from tests.services.test_buyer_po_links import BUYER, client, issue

BIG_PDF = b"%PDF-1.4\n%" + b"x" * (49 * 100 * 1024) + b"\ntrailer<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"


@pytest.fixture(autouse=True)
def _quiet(tmp_path, monkeypatch):
    monkeypatch.delenv("CLOSEOUT_SMTP_HOST", raising=False)
    monkeypatch.setenv("CLOSEOUT_OUTBOX", str(tmp_path))
    frozen = [clock.now()]  # the clock stands still, so throttle holds do not run out while a test runs
    monkeypatch.setattr(clock, "now", lambda: frozen[0])
    yield frozen


TABS: dict[int, tuple[str, str]] = {}


@dataclass
class Chunk:
    filename: str
    data: bytes


async def _chunks(name: str, data: bytes):
    for start in range(0, len(data), 256 * 1024):
        yield Chunk(name, data[start:start + 256 * 1024])


def run(coroutine):
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def buyer_tab(monkeypatch, token: str, ip: str = "") -> BuyerPoState:
    monkeypatch.setattr(buyer_po_state, "route_tail", lambda state: TABS[id(state)][0])
    root = State(_reflex_internal_init=True)
    page = root._get_state_from_cache(BuyerPoState)
    TABS[id(page)] = (token, ip)  # the tab's URL, and the throttle's client key
    monkeypatch.setattr(BuyerPoState, "_client", lambda self: TABS[id(self)][1])
    BuyerPoState.event_handlers["load"].fn(page)
    assert page.sales_order and not page.gone
    return page


def upload(page: BuyerPoState, data: bytes = BIG_PDF, name: str = "Hospital PO.pdf"):
    return run(BuyerPoState.event_handlers["upload_document"].fn(page, _chunks(name, data)))


def link_id(token: str) -> int:
    from closeout.domain.signing_link import token_hash

    with reading() as session:
        return session.exec(select(PoLink.id).where(PoLink.token_hash == token_hash(token))).one()


def test_thirty_tabs_uploading_to_one_link_keep_at_most_one_document_and_no_bytes_in_state(monkeypatch):
    token = issue(closed_case())
    tabs, sizes, refused = [], [], 0
    for _ in range(30):
        page = buyer_tab(monkeypatch, token, client())
        before = len(page._serialize())
        upload(page)
        sizes.append(len(page._serialize()) - before)
        refused += bool(page.errors.get("document"))
        tabs.append(page)
    assert max(sizes) < 1024, f"state grew by {max(sizes)} bytes for a {len(BIG_PDF)}-byte upload"
    assert po_drafts.stored_bytes(link_id(token)) == len(BIG_PDF)  # one waiting document, not thirty
    assert refused == 20 and "Too many documents attached" in tabs[-1].errors["document"]  # ten free, then a wait
    assert sum(bool(t.doc_name) for t in tabs) == 10


def test_one_client_is_throttled_across_links(monkeypatch):
    ip = client()
    small = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"
    number, outcomes = closed_case(), []
    tabs = [buyer_tab(monkeypatch, issue(number), ip) for _ in range(24)]  # one case, a link each
    for page in tabs:
        upload(page, small)
        outcomes.append(page.errors.get("document", ""))
    assert not any(outcomes[:20])
    assert "Too many documents attached" in outcomes[-1]


def test_submitting_takes_the_draft_into_the_po_and_drops_it(monkeypatch):
    token = issue(closed_case())
    page = buyer_tab(monkeypatch, token, client())
    upload(page)
    assert page.doc_name == "Hospital PO.pdf" and len(page._draft) < 64
    page.email = BUYER
    page.po_all = "PO-DRAFT-1"
    run(BuyerPoState.event_handlers["submit"].fn(page))
    assert page.done and not page._draft
    with reading() as session:
        doc = session.exec(select(PoDocument).where(PoDocument.link_id == link_id(token))).one()
        assert (doc.filename, doc.size) == ("Hospital PO.pdf", len(BIG_PDF))
        assert not session.exec(select(PoDraftDocument).where(PoDraftDocument.link_id == link_id(token))).all()


def test_a_tab_that_goes_drops_its_draft_and_its_token_shows_no_document(monkeypatch):
    token = issue(closed_case())
    page = buyer_tab(monkeypatch, token, client())
    assert upload(page) is not None  # the watcher follows
    key = page._draft

    async def gone(_tab):
        return False

    monkeypatch.setattr(buyer_po_state, "tab_connected", gone)
    monkeypatch.setattr(buyer_po_state, "WATCH_SECONDS", 0.01)
    run(BuyerPoState.event_handlers["watch_draft"].fn(page))
    assert po_drafts.name_of(key) == "" and po_drafts.stored_bytes(link_id(token)) == 0
    BuyerPoState.event_handlers["load"].fn(page)  # someone reconnects with the closed tab's token
    assert page.doc_name == "" and page._draft == ""


def test_a_draft_expires_is_refused_at_submit_and_pruned_by_the_job(monkeypatch, _quiet):
    token = issue(closed_case())
    page = buyer_tab(monkeypatch, token, client())
    upload(page)
    key = page._draft
    _quiet[0] += po_drafts.LIFETIME + timedelta(seconds=1)
    with pytest.raises(InvalidInput, match="no longer kept"):
        buyer_po.enter(token, BUYER, {None: "PO-LATE"}, draft=key, client=client())
    assert po_drafts.prune_expired() >= 1
    assert po_drafts.stored_bytes(link_id(token)) == 0


def test_removing_the_document_drops_it(monkeypatch):
    token = issue(closed_case())
    page = buyer_tab(monkeypatch, token, client())
    upload(page)
    BuyerPoState.event_handlers["remove_document"].fn(page)
    assert (page.doc_name, page._draft, po_drafts.stored_bytes(link_id(token))) == ("", "", 0)


def test_a_dead_or_unknown_link_takes_no_upload():
    with pytest.raises(buyer_po.LinkDead):
        buyer_po.attach(uuid.uuid4().hex, client(), "po.pdf", BIG_PDF)


def test_a_second_watcher_for_a_tab_starts_nothing(monkeypatch):
    token = issue(closed_case())
    page = buyer_tab(monkeypatch, token, client())
    upload(page)

    async def gone(_tab):
        return False

    monkeypatch.setattr(buyer_po_state, "tab_connected", gone)
    monkeypatch.setattr(buyer_po_state, "WATCH_SECONDS", 0.01)
    held = buyer_po_state.DRAFT_WATCH.start_if_idle(page.router.session.client_token)  # one runs already
    try:
        run(BuyerPoState.event_handlers["watch_draft"].fn(page))  # a crafted second one
        assert po_drafts.stored_bytes(link_id(token)) == len(BIG_PDF)  # returned at once: dropped nothing
    finally:
        buyer_po_state.DRAFT_WATCH.finish(page.router.session.client_token, held)
