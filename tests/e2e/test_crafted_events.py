"""Events a browser (or anyone with a socket) can craft, sent for real over Reflex's
Socket.IO protocol: what a tab keeps after sign-out, background work it can start, and a
slow mail server that must not freeze other screens."""

import asyncio
import json

import pytest
import sqlalchemy as sa

from closeout.domain.errors import NotFound
from closeout.models import Case
from closeout.services import auth, billing, signing_links
from closeout.services.db import transaction
from tests.factories import demo_rep, new_case, new_session, sign_both
from tests.socket_client import Screen, run, state_names


@pytest.fixture(scope="module")
def names():
    return state_names()


def _secret_case(patient_ref: str, lines: int = 2) -> str:
    number = new_case(lines=lines)
    with transaction() as session:
        session.execute(sa.update(Case).where(Case.number == number).values(patient_ref=patient_ref))
    return number


def test_sign_out_leaves_nothing_in_the_tab(app_url, names):
    number = _secret_case("PT-SIGNOUT-77")
    token = new_session(demo_rep())

    async def story():
        tab = Screen(app_url, f"/cases/{number}", names)
        merged = await tab.open(token, done=tab.filled("devices", "rows"))
        assert "PT-SIGNOUT-77" in json.dumps(merged)  # the tab did hold the case's patient identifier
        await tab.send(f"{names['sign']}.load", {}, tab.has("sign", "cards"))
        _, issued = await tab.send(f"{names['sign']}.issue_link", {}, tab.has("sign", "link_url"))
        link = issued[names["sign"]]["link_url_rx_state_"]
        assert "/sign/" in link
        await tab.send(f"{names['auth']}.sign_out", {}, lambda m: "sessionStorage" in json.dumps(m["__events__"]))
        await tab.close()

        # Someone replays the same tab (the same client token), without any cookie.
        again = Screen(app_url, "/login", names, client_token=tab.client_token)
        shown = await again.open()
        await again.close()
        return link, shown

    link, shown = run(story())
    text = json.dumps(shown)
    assert "PT-SIGNOUT-77" not in text and number not in text and link not in text
    with pytest.raises(NotFound):
        signing_links.open_link(link.rsplit("/", 1)[-1])  # the link the user left open is revoked
    with pytest.raises(NotFound):
        auth.actor_for_session(token)


def test_watchers_need_a_session_and_a_load(app_url, names):
    """Crafted watch events (no session, made-up ids, many at once) start nothing that answers,
    and the screen stays responsive."""
    number = new_case(lines=1)

    async def story():
        tab = Screen(app_url, f"/cases/{number}", names)
        await tab.open("", done=tab.has("root", "is_hydrated", True))
        for i in range(30):
            await tab.sio.emit("event", tab.event(f"{names['devices']}.watch", {"me": f"made-up-{i}"}), namespace="/_event")
        took, _ = await tab.send(names["noop"], {"value": True}, tab.has("root", "is_hydrated", True))
        await tab.close()
        return took

    assert run(story()) < 2.0


def test_a_slow_mail_server_does_not_freeze_other_screens(app_url, names, mail_server):
    inbox, _ = mail_server
    closed = new_case(lines=2)
    sign_both(closed)
    billing.submit_for_billing(demo_rep(), closed)
    other = new_case(lines=1)
    token = new_session(demo_rep())

    async def story():
        sender = Screen(app_url, f"/cases/{closed}", names)
        await sender.open(token, done=sender.filled("devices", "rows"))
        _, loaded = await sender.send(f"{names['share']}.load", {}, sender.has("share", "draft_id"))
        draft = loaded[names["share"]]["draft_id_rx_state_"]
        editor = Screen(app_url, f"/cases/{other}", names)
        opened = await editor.open(token, done=editor.filled("devices", "rows"))
        line = opened[names["devices"]]["rows_rx_state_"][0]["id"]

        sending = asyncio.create_task(sender.send(f"{names['share']}.send", {"draft_id": draft},
                                                  lambda m: "Sent to" in json.dumps(m.get(names["share"], {}))))
        await asyncio.sleep(1.0)  # the send is now waiting on the mail server
        assert not sending.done()
        edits = []
        for i in range(3):
            took, _ = await editor.send(names["save"], {"line_id": line, "field_name": "lot", "value": f"SLOW-{i}",
                                                        "version": 0}, editor.has("devices", "line_count"))  # fmt: skip
            edits.append(took)
        send_took, _ = await sending
        await sender.close()
        await editor.close()
        return edits, send_took

    inbox.delay = 4.0
    try:
        edits, send_took = run(story())
    finally:
        inbox.delay = 0.0
    assert send_took >= 3.5
    assert max(edits) < 1.0, f"edit round trips while a send was in progress: {edits}"


def test_only_decorated_events_answer_a_crafted_call(app_url, names):
    """Public helpers that are not events (CaseState's header read, the Sign & Submit tab's
    re-read, the actor lookup) cannot be called from a socket: nothing they would read arrives
    (another case's header), and the tab keeps answering."""
    from closeout.pages.case_state import CaseState
    from closeout.pages.sign_submit.state import SignState

    own = new_case(lines=1)
    other = _secret_case("PT-CRAFTED-31")  # the rep's own, but not the page's: a header read would swap it in
    token = new_session(demo_rep())
    case = CaseState.get_full_name()

    async def story():
        tab = Screen(app_url, f"/cases/{own}", names)
        await tab.open(token, done=tab.filled("devices", "rows"))
        seen = []
        for name, payload in ((f"{case}.refresh", {"number": other}), (f"{case}.show", {"header": {}}),
                              (f"{case}.missing", {"message": "gone"}), (f"{SignState.get_full_name()}.case_changed",
                              {"number": other}), (f"{names['auth']}.actor", {})):  # fmt: skip
            await tab.sio.emit("event", tab.event(name, payload), namespace="/_event")
        _, merged = await tab.send(names["noop"], {"value": True}, tab.has("root", "is_hydrated", True))
        seen.append(merged)
        await asyncio.sleep(0.5)
        while not tab.updates.empty():
            seen.append(tab.updates.get_nowait())
        await tab.close()
        return json.dumps(seen)

    text = run(story())
    assert other not in text and "PT-CRAFTED-31" not in text and '"not_found_rx_state_": "gone"' not in text
