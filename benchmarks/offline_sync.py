"""Issue 17: the offline outbox synced. A rep downloads 10 cases, queues 500 changes offline (edits,
several to the same lines on the downloaded versions, adds with a lot, removes, a few edits of
lines someone changed on the server meanwhile, a few bad values) and sends them in one
POST /api/v1/sync; then sends the same 500 again (a retry whose first answer was lost).

Over HTTP, in process: httpx's ASGI transport on the app's own /api/v1 routes (the handlers,
JSON, the session cookie, the worker thread), no socket and no Reflex build. Counted from the
database afterwards: every change id has exactly one answer and one stored row (0 lost), what
was applied is exactly what was saved, and the replay changes nothing (0 duplicates). Also the
download pack's size and time with the demo catalog and with a 5,000-product catalog.
SQLite, and PostgreSQL when its server is there; each in a process of its own.
`python -m benchmarks.offline_sync` runs only this one."""

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

CASES, LINES, CHANGES = 10, 5, 500
STALE, BAD, REMOVES = 5, 5, 5
BIG_CATALOG = 5_000
PG_DATABASE = "closeout_bench_offline"
FIELDS = ("lot", "serial", "quantity", "usage_status", "no_charge")
TARGET_PER_CHANGE_MS = 60


def _http(token: str, method: str, path: str, **kwargs):
    import httpx

    from closeout import api_v1
    from closeout.services.auth import COOKIE

    async def send():
        transport = httpx.ASGITransport(app=api_v1.routes)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", cookies={COOKIE: token},
                                     headers={"Origin": "http://bench"}, timeout=600) as http:  # fmt: skip
            return await http.request(method, path, **kwargs)

    return asyncio.run(send())


def _outbox(pack: dict, rng: random.Random) -> tuple[list[dict], set[int]]:
    """500 queued changes as the offline screen makes them, and the lines to change on the
    server meanwhile (their one offline edit comes back stale)."""
    cases = pack["cases"]
    lines = [(c["number"], line) for c in cases for line in c["lines"]]
    rng.shuffle(lines)
    stale, removed, edited = lines[:STALE], lines[STALE : STALE + REMOVES], lines[STALE + REMOVES :]
    change = lambda number, kind, **rest: {"id": str(uuid.uuid4()), "case": number, "kind": kind,  # noqa: E731
                                           "made_at": "2026-06-15T10:00:00Z", **rest}  # fmt: skip
    edit = lambda number, line, fields: change(number, "edit", line_id=line["id"], version=line["version"], fields=fields)  # noqa: E731
    queued = [edit(n, line, {"lot": "MINE"}) for n, line in stale]
    queued += [change(n, "remove", line_id=line["id"], version=line["version"]) for n, line in removed]
    queued += [edit(n, line, {"quantity": 0}) for n, line in edited[:BAD]]
    fields = [lambda i: {"lot": f"L{i}"}, lambda i: {"serial": f"S{i}"}, lambda i: {"quantity": 1 + i % 3},
              lambda i: {"usage_status": "Implanted"}, lambda i: {"no_charge": i % 2 == 0}]  # fmt: skip
    while len(queued) < CHANGES:
        i = len(queued)
        if i % 4 == 0:
            case = rng.choice(cases)
            product = rng.choice(case["catalog"])
            queued.append(change(case["number"], "add", product_id=product["product_id"], fields={"lot": f"A{i}"}))
        else:
            number, line = rng.choice(edited)
            queued.append(edit(number, line, rng.choice(fields)(i)))
    rng.shuffle(queued)
    return queued, {line["id"] for _, line in stale}


def _database_state(user_id: int, numbers: list[str]) -> dict:
    """What the database holds for the bench: the cases' lines, their audit rows (and which
    change ids the synced ones name), and the stored answers."""
    from sqlmodel import func, select

    from closeout.models import AuditEvent, Case, DeviceLine, SyncChange
    from closeout.services.db import reading

    with reading() as session:
        case_ids = session.exec(select(Case.id).where(Case.number.in_(numbers))).all()
        lines = session.exec(select(DeviceLine).where(DeviceLine.case_id.in_(case_ids))).all()
        synced = session.exec(select(AuditEvent.after).where(AuditEvent.case_id.in_(case_ids),
                                                             AuditEvent.summary.like("%(offline, synced)"))).all()  # fmt: skip
        stored = session.exec(select(SyncChange.change_id, SyncChange.result).where(SyncChange.user_id == user_id)).all()
        rows = session.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.case_id.in_(case_ids))).one()
    applied: dict[str, int] = {}
    for after in synced:
        applied[after["synced"]["change_id"]] = applied.get(after["synced"]["change_id"], 0) + 1
    held = {line.id: {"product_id": line.product_id, "version": line.version, **{f: getattr(line, f) for f in FIELDS}}
            for line in lines}  # fmt: skip
    return {"lines": held, "audit_rows": rows, "applied": applied, "stored": dict(stored)}


def _big_catalog(count: int) -> None:
    """Products up to `count` in the catalog, a third of them with a contract price at St. Brigid."""
    from decimal import Decimal

    from sqlmodel import func, select

    from closeout.models import Facility, Manufacturer, PriceListItem, Product
    from closeout.services.db import transaction

    with transaction() as session:
        have = session.exec(select(func.count()).select_from(Product)).one()
        maker = Manufacturer(name="Bench Orthopedics", hibc_lic="")
        session.add(maker)
        session.flush()
        price_list = session.exec(select(Facility.price_list_id).where(Facility.name == "St. Brigid Medical Center")).one()
        products = [Product(ref=f"BO-{n:05d}", description=f"Bench implant, size {n % 40}", manufacturer_id=maker.id,
                            gtin=f"{95000000000000 + n:014d}", list_price=Decimal(100 + n % 900))
                    for n in range(count - have)]  # fmt: skip
        session.add_all(products)
        session.flush()
        session.add_all([PriceListItem(price_list_id=price_list, product_id=p.id, price=p.list_price * Decimal("0.8"))
                         for p in products[::3]])  # fmt: skip


def _pack(token: str) -> dict:
    from closeout.api_v1 import OFFLINE_CASES

    start = time.perf_counter()
    answer = _http(token, "GET", OFFLINE_CASES)
    seconds = time.perf_counter() - start
    body = answer.json()
    products = len(body["cases"][0]["catalog"]) if body["cases"] else 0
    return {"seconds": seconds, "bytes": len(answer.content), "cases": len(body["cases"]), "products": products, "body": body}


def measure() -> dict:
    """In this process, on REFLEX_DB_URL (migrated and seeded)."""
    from closeout.api_v1 import SYNC
    from closeout.services import device_lines
    from tests.factories import actor_for_email, new_case, new_session

    email = f"bench-{uuid.uuid4().hex[:8]}@closeout.example"
    rep = _bench_rep(email)
    token = new_session(rep)
    numbers = [new_case(lines=LINES, rep_email=email) for _ in range(CASES)]
    demo = _pack(token)
    pack = demo.pop("body")
    queued, stale_lines = _outbox(pack, random.Random(17))
    line_case = {line["id"]: c["number"] for c in pack["cases"] for line in c["lines"]}
    for line_id in stale_lines:  # meanwhile, on the online app
        device_lines.update_line(actor_for_email(email), line_case[line_id], line_id, "lot", "THEIRS")
    before = _database_state(rep.id, numbers)
    start = time.perf_counter()
    first = _http(token, "POST", SYNC, json={"changes": queued}).json()["results"]
    sync_seconds = time.perf_counter() - start
    after = _database_state(rep.id, numbers)
    start = time.perf_counter()
    replay = _http(token, "POST", SYNC, json={"changes": queued}).json()["results"]
    replay_seconds = time.perf_counter() - start
    again = _database_state(rep.id, numbers)
    counts = _check(queued, first, replay, before, after, again, _expected(pack, stale_lines, queued, first))
    _big_catalog(BIG_CATALOG)
    big = _pack(token)
    big.pop("body")
    return {"sync_seconds": sync_seconds, "replay_seconds": replay_seconds, **counts, "pack_demo": demo, "pack_big": big}


def _bench_rep(email: str):
    from closeout.models import User
    from closeout.services.auth import Actor
    from closeout.services.db import transaction

    with transaction() as session:
        user = User(name="Bench Rep", email=email, role="sales_rep", may_edit_prices=True)
        session.add(user)
        session.flush()
        return Actor(user.id, user.name, user.email, user.role)


def _expected(pack: dict, stale_lines: set[int], queued: list[dict], first: list[dict]) -> dict:
    """The lines as they must stand: the downloaded ones, the server's edits meanwhile, then
    every change answered "saved", in order, and nothing else."""
    lines = {line["id"]: {"product_id": line["product_id"], **{f: line[f] for f in FIELDS}}
             for case in pack["cases"] for line in case["lines"]}  # fmt: skip
    for line_id in stale_lines:
        lines[line_id]["lot"] = "THEIRS"
    for change, answer in zip(queued, first, strict=True):
        if answer["result"] != "saved":
            continue
        if change["kind"] == "edit":
            lines[change["line_id"]].update(change["fields"])
        elif change["kind"] == "add":
            fresh = {f: answer["line"][f] for f in FIELDS}
            lines[answer["line"]["id"]] = {"product_id": change["product_id"], **fresh, **change["fields"]}
        elif change["kind"] == "remove":
            lines.pop(change["line_id"], None)
    return lines


def _check(queued, first, replay, before, after, again, expected) -> dict:
    """0 lost: one answer per change id, in order, one stored row each, and the lines hold
    exactly what the saved changes made. 0 duplicates: only saved change ids wrote audit rows,
    and the replay returned the stored answers and changed nothing."""
    ids = [c["id"] for c in queued]
    results = {r: sum(1 for a in first if a["result"] == r) for r in ("saved", "stale", "refused")}
    saved = {a["id"] for a in first if a["result"] == "saved"}
    lost = sum(1 for i, a in zip(ids, first, strict=False) if a["id"] != i) + abs(len(ids) - len(first))
    lost += sum(1 for i in ids if after["stored"].get(i) is None)
    held = {line_id: {k: v for k, v in line.items() if k != "version"} for line_id, line in after["lines"].items()}
    lost += len(set(held) ^ set(expected)) + sum(1 for k in set(held) & set(expected) if held[k] != expected[k])
    applied = set(after["applied"]) - set(before["applied"])
    strip = lambda answers: [{**a, "case": None} for a in answers]  # noqa: E731
    duplicates = len(applied - saved) + sum(1 for a, b in zip(strip(first), strip(replay), strict=True) if a != b)
    duplicates += (after["lines"] != again["lines"]) + (after["audit_rows"] != again["audit_rows"])
    kinds = lambda kind: sum(1 for c, a in zip(queued, first, strict=True) if c["kind"] == kind and a["result"] == "saved")  # noqa: E731
    return {**results, "lost": lost, "duplicates": duplicates, "adds": kinds("add"), "removes": kinds("remove"),
            "edits": kinds("edit"), "unchanged": sum(1 for a in first if "already holds" in a["message"])}  # fmt: skip


def _report(label: str, m: dict) -> list[tuple[str, bool]]:
    per = m["sync_seconds"] / CHANGES * 1000
    ok = m["lost"] == 0 and m["duplicates"] == 0 and m["stale"] == STALE and m["refused"] == BAD
    print(f"offline.sync_500_{label:8s} {m['sync_seconds']:6.2f} s total, {per:5.1f} ms per change; "
          f"saved {m['saved']} ({m['edits']} edits, {m['adds']} adds, {m['removes']} removes), stale {m['stale']}, "
          f"refused {m['refused']}; lost {m['lost']}, duplicates {m['duplicates']}; "
          f"target < {TARGET_PER_CHANGE_MS} ms per change, 0 lost, 0 duplicates: {'met' if ok and per < TARGET_PER_CHANGE_MS else 'MISSED'}")  # fmt: skip
    print(f"offline.replay_500_{label:6s} {m['replay_seconds']:6.2f} s total, {m['replay_seconds'] / CHANGES * 1000:5.1f} ms per "
          f"change; every answer the stored one, nothing applied again: {'met' if m['duplicates'] == 0 else 'MISSED'}")  # fmt: skip
    for name, p in (("demo", m["pack_demo"]), ("5000", m["pack_big"])):
        print(f"offline.pack_{name}_{label:11s} {p['seconds'] * 1000:6.0f} ms, {p['bytes'] / 1024:7.0f} KB for {p['cases']} cases "
              f"of {p['products']:,} catalog products each ({p['bytes'] / max(1, p['cases']) / 1024:.0f} KB per case)")  # fmt: skip
    return [
        (f"offline.sync_500_{label}", ok and per < TARGET_PER_CHANGE_MS),
        (f"offline.replay_500_{label}", m["duplicates"] == 0),
    ]


def _child(db_url: str) -> dict:
    from tests.harness import project_env

    done = subprocess.run([sys.executable, "-m", "benchmarks.offline_sync", "--measure"], capture_output=True, text=True,
                          env=project_env(REFLEX_DB_URL=db_url), cwd=Path(__file__).resolve().parents[1])  # fmt: skip
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(work) -> list[tuple[str, bool]]:
    from benchmarks.postgres import fresh_database
    from tests.harness import migrate_and_seed

    url = f"sqlite:///{Path(work)}/offline-bench.db"
    migrate_and_seed(url)
    results = _report("sqlite", _child(url))
    try:
        with fresh_database(PG_DATABASE) as url:
            migrate_and_seed(url)
            results += _report("postgres", _child(url))
    except Exception as error:  # noqa: BLE001  (no PostgreSQL server: say so, keep the SQLite figures)
        print(f"offline.postgres: skipped ({type(error).__name__}: {str(error)[:200]})")
        results.append(("offline.postgres", False))
    return results


if __name__ == "__main__":
    os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    if sys.argv[1:] == ["--measure"]:
        print(json.dumps(measure()))
    else:
        found = run(tempfile.mkdtemp(prefix="closeout-offline-bench-"))
        print("all targets met" if all(ok for _, ok in found) else "targets missed")
