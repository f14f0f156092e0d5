"""Offline in the OR, server side: the download pack and the sync of queued changes, through
the services against the real database (SQLite, and PostgreSQL with CLOSEOUT_TEST_BACKEND)."""

import json
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from reflex.model import get_engine
from sqlmodel import func, select

from closeout.domain import clock
from closeout.domain.errors import NotAllowed
from closeout.domain.money import MAX_UNIT_PRICE
from closeout.domain.price_edits import MAX_REASON, MIN_REASON
from closeout.domain.sync import MAX_CHANGES, SALES_REP_OFFLINE
from closeout.domain.validation import MAX_LOT_SERIAL, MAX_QUANTITY
from closeout.models import AuditEvent, Case, DeviceLine, Product, SyncChange, User
from closeout.services import device_lines, offline, sync
from closeout.services.auth import Actor
from closeout.services.catalog import contract_price
from closeout.services.db import reading, transaction
from tests.factories import closed_case, demo_rep, manager, new_case, provider_signs, signature_data_url


@pytest.fixture
def rep() -> Actor:
    """A rep of their own, so the pack holds only this test's cases."""
    email = f"rep-{uuid.uuid4().hex[:10]}@closeout.example"
    with transaction() as session:
        user = User(name="Robin Offline", email=email, role="sales_rep")
        session.add(user)
        session.flush()
        return Actor(user.id, user.name, user.email, user.role)


def case_of(rep: Actor, lines: int = 2, days: int = -1, status: str = "open") -> str:
    number = new_case(lines=lines, rep_email=rep.email, status=status)
    set_case(number, surgery_date=clock.today() + timedelta(days=days))
    return number


def set_case(number: str, **values) -> None:
    with transaction() as session:
        session.execute(sa.update(Case).where(Case.number == number).values(**values))


def lines_of(number: str) -> list[DeviceLine]:
    with reading() as session:
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        return session.exec(select(DeviceLine).where(DeviceLine.case_id == case_id).order_by(DeviceLine.position)).all()


def audit_rows(number: str) -> list[AuditEvent]:
    with reading() as session:
        case_id = session.exec(select(Case.id).where(Case.number == number)).one()
        return session.exec(select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)).all()


def cid() -> str:
    return str(uuid.uuid4())


def edit(number: str, line: DeviceLine, change_id: str | None = None, version: int | None = None, **fields) -> dict:
    return {"id": change_id or cid(), "case": number, "kind": "edit", "made_at": "2026-06-15T09:30:00Z",
            "line_id": line.id, "version": line.version if version is None else version, "fields": fields}  # fmt: skip


def one(actor: Actor, change: dict) -> dict:
    return sync.sync(actor, [change])["results"][0]


# --- the download pack -------------------------------------------------------------------------


def test_the_pack_holds_the_reps_open_cases_of_yesterday_to_tomorrow_and_the_picked_ones(rep):
    yesterday, tomorrow = case_of(rep, days=-1), case_of(rep, days=1)
    old, later = case_of(rep, days=-5), case_of(rep, days=2)
    closed = case_of(rep, days=0, status="closed")
    others = new_case(lines=1)  # the demo rep's
    pack = offline.download(rep, [old, closed, others, " ", old])
    assert [c["number"] for c in pack["cases"]] == [old, yesterday, tomorrow]
    assert pack["refused"] == [closed, others] and later not in str(pack)
    assert pack["user"] == {"id": rep.id, "name": rep.name, "may_edit_prices": False}
    assert abs(datetime.fromisoformat(pack["downloaded_at"]) - clock.now()) < timedelta(minutes=1)
    assert datetime.fromisoformat(pack["expires_at"]) - datetime.fromisoformat(pack["downloaded_at"]) == timedelta(days=1)


def test_yesterday_and_tomorrow_are_the_facilitys_own_dates(rep):
    # 03:00 UTC on June 16 is still June 15 in Los Angeles (St. Brigid's time zone).
    clock.set_now(datetime(2026, 6, 16, 3, tzinfo=UTC))
    try:
        la_yesterday, la_day_after = case_of(rep, days=-2), case_of(rep, days=1)  # June 14, June 17
        numbers = [c["number"] for c in offline.download(rep)["cases"]]
    finally:
        clock.set_now(None)
    assert la_yesterday in numbers and la_day_after not in numbers


def test_the_pack_has_lines_with_versions_server_totals_catalog_prices_and_no_patient_identifier(rep):
    number = case_of(rep, lines=3)
    device_lines.update_line(rep, number, lines_of(number)[0].id, "quantity", "3")
    device_lines.update_line(rep, number, lines_of(number)[1].id, "usage_status", "Unused")
    (case,) = offline.download(rep)["cases"]
    stored = lines_of(number)
    assert [(x["id"], x["version"], x["quantity"]) for x in case["lines"]] == [(s.id, s.version, s.quantity) for s in stored]
    assert case["lines"][1]["extended"] == "0.00" and case["editable"] is True
    with reading() as session:
        totals, _ = device_lines.totals_of(session, stored[0].case_id)
        facility_id = session.get(Case, stored[0].case_id).facility_id
        for item in case["catalog"]:
            contract = contract_price(session, facility_id, item["product_id"], date.fromisoformat(case["surgery_date"]))
            product = session.get(Product, item["product_id"])
            assert Decimal(item["unit_price"]) == (contract if contract is not None else product.list_price)
            assert item["price_source"] == ("contract" if contract is not None else "list")
    assert case["totals"] == offline.totals_json(totals)
    assert case["totals"]["grand_total"] == str(totals.grand_total)
    assert "PT-0001" not in str(case) and "patient" not in str(case)
    assert case["signatures"] == {"provider_rep": None, "sales_rep": None, "pre_authorization": None}


def test_the_pack_carries_the_limits_and_words_the_tablet_checks_with(rep):
    """The offline screen types none of the server's rules: they arrive with the cases."""
    rules = offline.download(rep)["rules"]
    assert rules["quantity"]["max"] == MAX_QUANTITY and rules["lot_serial"]["max"] == MAX_LOT_SERIAL
    assert rules["price"]["max_cents"] == MAX_UNIT_PRICE * 100 and rules["batch"] == MAX_CHANGES
    assert (rules["price_reason"]["min"], rules["price_reason"]["max"]) == (MIN_REASON, MAX_REASON)
    assert rules["price"]["messages"]["decimals"] == "Use at most 2 decimal places."
    assert json.loads(json.dumps(rules)) == rules  # plain JSON: it is stored in the browser as it came


def test_the_pack_tells_each_signature_and_whether_it_still_matches(rep):
    number = case_of(rep)
    provider_signs(number, actor=rep)
    assert offline.download(rep)["cases"][0]["signatures"]["provider_rep"] == {"signer_name": "RN Carla Mendes", "valid": True}
    device_lines.update_line(rep, number, lines_of(number)[0].id, "lot", "CHANGED")
    assert offline.download(rep)["cases"][0]["signatures"]["provider_rep"]["valid"] is False


def test_managers_get_no_pack_and_sync_nothing():
    with pytest.raises(NotAllowed):
        offline.download(manager())
    with pytest.raises(NotAllowed):
        sync.sync(manager(), [])


def count_statements(work) -> int:
    seen = []

    def count(*_):
        seen.append(1)

    sa.event.listen(get_engine(), "before_cursor_execute", count)
    try:
        work()
    finally:
        sa.event.remove(get_engine(), "before_cursor_execute", count)
    return len(seen)


def test_the_pack_takes_the_same_few_queries_for_one_small_case_or_many_large_ones(rep):
    case_of(rep, lines=1)
    few = count_statements(lambda: offline.download(rep))
    for _ in range(4):
        case_of(rep, lines=12)
    assert count_statements(lambda: offline.download(rep)) == few


# --- sync: each kind ---------------------------------------------------------------------------


def test_an_edit_is_saved_through_the_service_with_a_new_version_and_a_synced_audit_row(rep):
    number = case_of(rep)
    line = lines_of(number)[0]
    answer = one(rep, edit(number, line, lot="LOT9", quantity=2))
    assert answer["result"] == "saved" and answer["line"]["lot"] == "LOT9" and answer["line"]["quantity"] == 2
    assert answer["line"]["version"] == line.version + 2  # one service edit per field
    assert answer["case"]["number"] == number and answer["case"]["totals"]["grand_total"] == str(
        device_lines.list_lines(rep, number).totals.grand_total)  # fmt: skip
    edits = [e for e in audit_rows(number) if e.action == "line edited"]
    assert len(edits) == 2 and all(e.summary.endswith("(offline, synced)") for e in edits)
    assert edits[0].after["synced"] == {
        "via": "offline screen",
        "change_id": answer["id"],
        "made_at": "2026-06-15T09:30:00+00:00",
    }


def test_an_edit_made_on_an_older_version_is_stale_and_changes_nothing(rep):
    number = case_of(rep)
    line = lines_of(number)[0]
    device_lines.update_line(rep, number, line.id, "lot", "THEIRS")
    answer = one(rep, edit(number, line, lot="MINE"))
    assert answer["result"] == "stale" and "keep yours or take theirs" in answer["message"]
    assert (answer["line"]["lot"], answer["line"]["version"]) == ("THEIRS", line.version + 1)
    assert lines_of(number)[0].lot == "THEIRS"


def test_two_offline_edits_of_one_line_both_made_on_the_downloaded_version_are_both_saved(rep):
    number = case_of(rep)
    line = lines_of(number)[0]
    first, second = sync.sync(rep, [edit(number, line, lot="A1"), edit(number, line, serial="S1")])["results"]
    assert (first["result"], second["result"]) == ("saved", "saved")
    assert second["on"] == [line.id, line.version + 1] and second["line"]["version"] == line.version + 2
    third = one(rep, edit(number, line, quantity=3))  # a later batch, still on the downloaded version
    assert third["result"] == "saved" and (third["line"]["lot"], third["line"]["serial"]) == ("A1", "S1")
    device_lines.update_line(rep, number, line.id, "lot", "THEIRS")  # on the online app meanwhile
    assert one(rep, edit(number, line, quantity=4))["result"] == "stale"


def test_an_edit_to_the_value_the_line_holds_does_not_break_the_chain_of_later_edits(rep):
    """Issue 23: an offline edit that sets what the line already holds moves no version; it
    must not count as a step of the chain, or later edits on the downloaded version become
    false conflicts (seen on PostgreSQL, where stored answers come back in another order)."""
    number = case_of(rep)
    line = lines_of(number)[0]
    held = edit(number, line, usage_status=line.usage_status)
    answers = sync.sync(rep, [held, edit(number, line, lot="A1"), edit(number, line, serial="S1"),
                              edit(number, line, quantity=2), edit(number, line, lot="A2")])["results"]  # fmt: skip
    assert [a["result"] for a in answers] == ["saved"] * 5
    assert answers[0]["on"] is None and answers[-1]["line"]["version"] == line.version + 4
    later = one(rep, edit(number, line, serial="S2"))  # a later batch, on the downloaded version
    assert later["result"] == "saved"


def test_of_many_offline_edits_exactly_the_ones_made_stale_come_back_stale(rep):
    """The offline-sync benchmark's shape, small: several edits per line on the downloaded
    versions (some setting what the line holds), and lines changed on the server meanwhile."""
    import random

    numbers = [case_of(rep, lines=3) for _ in range(3)]
    lines = [(n, line) for n in numbers for line in lines_of(n)]
    rng = random.Random(5)
    stale = lines[::4]
    changes = [edit(n, line, lot="MINE") for n, line in stale]
    others = [pair for pair in lines if pair not in stale]
    fields = [lambda i: {"lot": f"L{i}"}, lambda i: {"serial": f"S{i}"}, lambda i: {"quantity": 1 + i % 3},
              lambda i: {"usage_status": "Implanted"}, lambda i: {"no_charge": i % 2 == 0}]  # fmt: skip
    for i in range(60):
        n, line = rng.choice(others)
        changes.append(edit(n, line, **rng.choice(fields)(i)))
    rng.shuffle(changes)
    for n, line in stale:
        device_lines.update_line(rep, n, line.id, "lot", "THEIRS")
    answers = sync.sync(rep, changes)["results"]
    stale_ids = {c["id"] for c in changes if c["line_id"] in {line.id for _, line in stale}}
    assert {a["id"] for a in answers if a["result"] == "stale"} == stale_ids
    assert all(a["result"] == "saved" for a in answers if a["id"] not in stale_ids)


def test_an_old_edit_the_server_already_holds_is_saved_without_a_new_version(rep):
    number = case_of(rep)
    line = lines_of(number)[0]
    device_lines.update_line(rep, number, line.id, "lot", "SAME")
    answer = one(rep, edit(number, line, lot="SAME"))
    assert answer["result"] == "saved" and answer["line"]["version"] == line.version + 1


def test_an_add_with_label_fields_and_a_remove(rep):
    number = case_of(rep, lines=1)
    product = product_with_gtin()
    added = one(rep, {"id": cid(), "case": number, "kind": "add", "product_id": product.id, "fields": {"lot": "NEW1"}})
    assert added["result"] == "saved" and added["line"]["product_id"] == product.id and added["line"]["lot"] == "NEW1"
    assert [e.action for e in audit_rows(number)][-2:] == ["line added", "line edited"]
    gone = lines_of(number)[0]
    removed = one(rep, {"id": cid(), "case": number, "kind": "remove", "line_id": gone.id, "version": gone.version})
    assert removed["result"] == "saved" and removed["line"] is None and len(lines_of(number)) == 1
    assert audit_rows(number)[-1].summary.endswith("(offline, synced)")
    again = one(rep, {"id": cid(), "case": number, "kind": "remove", "line_id": gone.id, "version": gone.version})
    assert again["result"] == "saved" and "already removed" in again["message"]


def test_a_remove_of_a_line_changed_meanwhile_is_stale(rep):
    number = case_of(rep)
    line = lines_of(number)[0]
    device_lines.update_line(rep, number, line.id, "quantity", "4")
    answer = one(rep, {"id": cid(), "case": number, "kind": "remove", "line_id": line.id, "version": line.version})
    assert answer["result"] == "stale" and answer["line"]["quantity"] == 4 and len(lines_of(number)) == 2


def product_with_gtin() -> Product:
    with reading() as session:
        return session.exec(select(Product).where(Product.gtin.is_not(None)).order_by(Product.id)).first()


def test_a_scan_is_parsed_by_the_servers_parser(rep):
    number, product = case_of(rep, lines=0), product_with_gtin()
    label = f"01{product.gtin}17{clock.today() + timedelta(days=400):%y%m%d}10SCAN1"
    # as the camera decoder gives a GS1 DataMatrix: FNC1 (GS) first, the ZXing format name
    answer = one(rep, {"id": cid(), "case": number, "kind": "scan", "raw": "\x1d" + label, "symbology": "DATA_MATRIX"})
    assert answer["result"] == "saved" and answer["line"]["lot"] == "SCAN1" and answer["line"]["product_id"] == product.id
    assert audit_rows(number)[-1].action == "line added by scan"
    expired = f"01{product.gtin}17{clock.today() - timedelta(days=3):%y%m%d}10OLD"
    asked = one(rep, {"id": cid(), "case": number, "kind": "scan", "raw": expired})
    assert asked["result"] == "refused" and "Add it anyway?" in asked["message"] and len(lines_of(number)) == 1
    confirmed = one(rep, {"id": cid(), "case": number, "kind": "scan", "raw": expired, "confirm_expired": True})
    assert confirmed["result"] == "saved" and len(lines_of(number)) == 2
    wedge = f"]C1{label.replace('SCAN1', 'SCAN2')}"  # a keyboard-wedge scanner's text, as typed
    assert one(rep, {"id": cid(), "case": number, "kind": "scan", "raw": wedge, "symbology": "keyboard"})["result"] == "saved"
    not_a_label = one(rep, {"id": cid(), "case": number, "kind": "scan", "raw": "hello", "symbology": "AZTEC"})
    assert not_a_label["result"] == "refused" and "not a device label" in not_a_label["message"]
    unknown = one(rep, {"id": cid(), "case": number, "kind": "scan", "raw": "0100000000000000"})
    assert unknown["result"] == "refused"


def test_a_price_edit_needs_the_grant_and_a_reason_as_in_the_app(rep):
    number = case_of(rep)
    line = lines_of(number)[0]
    refused = one(rep, edit(number, line, unit_price="1.00", price_reason="Bulk deal"))
    assert refused["result"] == "refused" and lines_of(number)[0].unit_price == line.unit_price
    dana = demo_rep()
    mine = new_case(lines=1)
    own = lines_of(mine)[0]
    saved = one(dana, edit(mine, own, unit_price="1.00", price_reason="Bulk deal"))
    assert saved["result"] == "saved" and saved["line"]["price_source"] == "edited"
    assert saved["line"]["price_reason"] == "Bulk deal" and saved["line"]["unit_price"] == "1.00"


# --- sync: refusals ----------------------------------------------------------------------------


def test_refused_for_a_closed_case_another_reps_case_and_bad_values(rep):
    closed = closed_case()
    line = lines_of(closed)[0]
    answer = one(demo_rep(), edit(closed, line, lot="X"))
    assert answer["result"] == "refused" and answer["message"]
    theirs = one(rep, edit(closed, line, lot="X"))
    assert theirs["result"] == "refused" and "was not found" in theirs["message"] and theirs["line"] is None
    assert theirs["case"] is None
    number = case_of(rep)
    bad = one(rep, edit(number, lines_of(number)[0], quantity=0))
    assert bad["result"] == "refused" and "at least 1" in bad["message"]
    assert lines_of(closed)[0].lot == line.lot
    no_id = one(rep, {"case": number, "kind": "add", "product_id": 1})
    assert no_id["result"] == "refused" and "no valid id" in no_id["message"]


# --- never twice -------------------------------------------------------------------------------


def stored_count(actor: Actor, change_id: str) -> int:
    with reading() as session:
        return session.exec(
            select(func.count()).select_from(SyncChange).where(SyncChange.user_id == actor.id, SyncChange.change_id == change_id)
        ).one()  # fmt: skip


def test_a_retry_returns_the_stored_answer_and_applies_once(rep):
    number = case_of(rep)
    line = lines_of(number)[0]
    change = edit(number, line, quantity=5)
    first, second = one(rep, change), one(rep, change)
    assert {**first, "case": None} == {**second, "case": None} and first["result"] == "saved"
    assert lines_of(number)[0].version == line.version + 1
    assert len([e for e in audit_rows(number) if e.action == "line edited"]) == 1 and stored_count(rep, change["id"]) == 1
    refused = edit(number, line, quantity=0)
    assert one(rep, refused)["message"] == one(rep, refused)["message"] and stored_count(rep, refused["id"]) == 1


def test_two_requests_with_the_same_id_at_once_apply_once(rep, monkeypatch):
    number = case_of(rep, lines=1)
    product = product_with_gtin()
    change = {"id": cid(), "case": number, "kind": "add", "product_id": product.id}
    start, answers, looked, duplicates = threading.Barrier(4), [], threading.local(), []
    stored_answer = sync.stored_answer

    def each_looked_before_any_committed(actor, change_id):
        if not getattr(looked, "once", False):
            looked.once = True
            return None
        duplicates.append(change_id)  # the unique id refused this thread's claim
        return stored_answer(actor, change_id)

    monkeypatch.setattr(sync, "stored_answer", each_looked_before_any_committed)

    def send():
        start.wait()
        answers.append(one(rep, change))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(lines_of(number)) == 2 and stored_count(rep, change["id"]) == 1
    assert len({a["line"]["id"] for a in answers}) == 1 and {a["result"] for a in answers} == {"saved"}
    assert len(duplicates) == 3
    assert [e.action for e in audit_rows(number)].count("line added") == 1


# --- signatures --------------------------------------------------------------------------------


def sign_change(number: str, pairs: list, role: str = "provider_rep") -> dict:
    return {"id": cid(), "case": number, "kind": "sign", "role": role, "signer_name": "Carla Mendes",
            "title": "RN, circulating nurse", "image": signature_data_url(), "lines": pairs}  # fmt: skip


def test_a_signature_is_accepted_only_on_the_line_versions_it_vouched_for(rep):
    number = case_of(rep)
    pairs = [[line.id, line.version] for line in lines_of(number)]
    device_lines.update_line(rep, number, pairs[0][0], "lot", "MOVED")
    refused = one(rep, sign_change(number, pairs))
    assert refused["result"] == "refused" and "sign again" in refused["message"]
    assert refused["case"]["signatures"]["provider_rep"] is None
    fresh = [[line.id, line.version] for line in lines_of(number)]
    assert one(rep, sign_change(number, fresh[:1]))["result"] == "refused"  # a line missing
    saved = one(rep, sign_change(number, fresh))
    assert saved["result"] == "saved" and saved["case"]["signatures"]["provider_rep"] == {
        "signer_name": "Carla Mendes",
        "valid": True,
    }
    signed = audit_rows(number)[-1]
    assert signed.action == "signed" and signed.summary.endswith("(offline, synced)") and len(signed.after["fingerprint"]) == 64


def test_the_sales_reps_signature_and_an_oversized_image_are_refused(rep):
    number = case_of(rep)
    pairs = [[line.id, line.version] for line in lines_of(number)]
    assert one(rep, sign_change(number, pairs, role="sales_rep"))["message"] == SALES_REP_OFFLINE
    huge = {**sign_change(number, pairs), "image": "data:image/png;base64," + "A" * 500_000}
    assert one(rep, huge)["result"] == "refused"


# --- bookkeeping bounded (issue 23) ------------------------------------------------------------


def stored_rows(actor: Actor) -> int:
    return sync.stored_count(actor)


def test_refusals_for_cases_the_user_cannot_see_are_answered_but_not_stored(rep):
    other = closed_case()  # the demo rep's
    line = lines_of(other)[0]
    before = stored_rows(rep)
    strangers = [edit(other, line, lot="X"), edit("CS-0000-000000", line, lot="X"),
                 {"id": cid(), "case": other, "kind": "nonsense"}, {"id": cid(), "case": ["odd"], "kind": "edit"}]  # fmt: skip
    answers = sync.sync(rep, strangers)["results"]
    assert [a["result"] for a in answers] == ["refused"] * 4 and stored_rows(rep) == before
    assert one(rep, strangers[0])["result"] == "refused"  # a retry gets the same refusal
    number = case_of(rep)
    own = one(rep, edit(number, lines_of(number)[0], quantity=0))
    assert own["result"] == "refused" and stored_rows(rep) == before + 1  # one's own case: kept, never twice


def test_the_job_forgets_answers_older_than_the_kept_time_and_too_old_changes_are_refused(rep):
    from closeout.domain.sync import ANSWERS_KEPT, TOO_OLD

    number = case_of(rep)
    line = lines_of(number)[0]
    old, new = edit(number, line, lot="OLD1"), edit(number, line, serial="NEW1")
    sync.sync(rep, [old, new])
    with transaction() as session:
        session.execute(sa.update(SyncChange).where(SyncChange.change_id == old["id"])
                        .values(received_at=clock.now() - ANSWERS_KEPT - timedelta(minutes=1)))  # fmt: skip
    assert sync.prune_answers() >= 1
    assert sync.stored_answer(rep, old["id"]) is None and sync.stored_answer(rep, new["id"]) is not None
    made = (clock.now() - TOO_OLD - timedelta(minutes=1)).isoformat()
    late = one(rep, {**edit(number, lines_of(number)[0], quantity=2), "made_at": made})
    assert late["result"] == "refused" and "more than 28 days ago" in late["message"]
    assert lines_of(number)[0].quantity != 2


def test_at_the_per_user_cap_a_request_is_refused_whole_and_nothing_stored_is_forgotten(rep, monkeypatch):
    from closeout.domain.sync import TooManyStored

    number = case_of(rep)
    line = lines_of(number)[0]
    monkeypatch.setattr(sync, "MAX_STORED_PER_USER", stored_rows(rep) + 2)
    first = edit(number, line, lot="C1")
    sync.sync(rep, [first, edit(number, line, serial="C2")])
    with pytest.raises(TooManyStored, match="stay queued"):
        sync.sync(rep, [edit(number, line, quantity=3)])
    assert sync.stored_answer(rep, first["id"]) is not None and lines_of(number)[0].quantity != 3
