"""The case change signal (services/changes.py) and the page-side helper (pages/live.py):
published after the commit only, delivered across threads in one process and across
processes through Redis, and waited for without a single database query."""

import asyncio
import os
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from reflex.model import get_engine
from reflex_base.config import get_config
from sqlmodel import select

from closeout.domain.errors import NotAllowed
from closeout.models import Case
from closeout.pages.live import RESYNC, changes_of
from closeout.services import audit, cases, changes, device_lines
from closeout.services.db import transaction
from tests.factories import attest_as_rep, closed_case, demo_rep, new_case
from tests.harness import ROOT

REDIS = "redis://127.0.0.1:6379"
QUIET = 0.3  # long enough for a signal handed over inside one process to have arrived


@pytest.fixture
def in_process(monkeypatch):
    """One worker: no Redis, signals stay in this process."""
    monkeypatch.setattr(get_config(), "redis_url", None)
    changes.restart()
    yield
    changes.restart()


@pytest.fixture
def through_redis(monkeypatch):
    """Several workers: signals go through Redis pub/sub (as with REFLEX_REDIS_URL set)."""
    import redis

    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis not reachable at {REDIS}: {error}")
    monkeypatch.setattr(get_config(), "redis_url", REDIS)
    changes.restart()
    yield
    changes.restart()


@pytest.fixture(params=["in_process", "through_redis"])
def any_mode(request):
    return request.getfixturevalue(request.param)


def screen_stamp(number: str) -> str:
    """The change stamp a case screen holds after reading the case (LinePage.stamp)."""
    return device_lines.list_lines(demo_rep(), number).stamp


def first_line(number: str):
    return device_lines.list_lines(demo_rep(), number).lines[0]


def edit(number: str, line_id: int, lot: str):
    return device_lines.update_line(demo_rep(), number, line_id, "lot", lot)


@contextmanager
def counted_statements():
    """Every SQL statement this process sends meanwhile (the engine the services use)."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        sent.append(statement)

    engine = get_engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_signal_stamp_is_the_cases_change_stamp():
    number = new_case(lines=1)
    with transaction() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        assert changes.stamp_of(case) == cases.change_stamp(case)


# --- published after the commit, and only then ---


def test_a_saved_edit_is_signalled_once_after_its_commit(any_mode):
    number = new_case(lines=2)
    line = first_line(number)

    async def scenario():
        async with changes.subscribe(number) as subscription:
            saved = await asyncio.to_thread(edit, number, line.id, "LOT-LIVE")  # a worker thread, as pages do
            change = await subscription.next(10)
            visible = await asyncio.to_thread(screen_stamp, number)  # a fresh read, now
            again = await subscription.next(QUIET)
            return saved, change, visible, again

    saved, change, visible, again = asyncio.run(scenario())
    assert change.number == number and change.case_id == first_case_id(number)
    assert change.stamp == saved.stamps[1] != saved.stamps[0]  # the screen that saved knows it as its own
    assert visible == change.stamp  # committed before it was signalled
    assert change.kinds == {"device_line", "case"}
    assert again is None  # once (with Redis: not also straight from this worker)


def first_case_id(number: str) -> int:
    with transaction() as session:
        return session.exec(select(Case.id).where(Case.number == number)).one()


def test_refused_or_rolled_back_changes_publish_nothing(in_process):
    number, closed = new_case(lines=1), closed_case()
    line, closed_line = first_line(number), first_line(closed)

    def refused_edit():
        with pytest.raises(NotAllowed):
            edit(closed, closed_line.id, "LOT-NO")

    def stale_edit():
        device_lines.update_line(demo_rep(), number, line.id, "lot", "LOT-A")  # the line is now version 2
        before = screen_stamp(number)
        with pytest.raises(device_lines.StaleEdit):
            device_lines.update_line(demo_rep(), number, line.id, "lot", "LOT-B", expected_version=1)
        return before

    def rolled_back_after_audit_row():
        with pytest.raises(RuntimeError), transaction() as session:
            case = session.exec(select(Case).where(Case.number == number)).one()
            audit.record(session, demo_rep(), case_id=case.id, action="test", entity="case", entity_id=case.id, summary="x")
            raise RuntimeError("refused after the audit row")

    def failed_at_commit():
        with pytest.raises(sa.exc.IntegrityError), transaction() as session:
            case = session.exec(select(Case).where(Case.number == number)).one()
            audit.record(session, demo_rep(), case_id=case.id, action="test", entity="case", entity_id=case.id, summary="x")
            session.add(Case(**{**case.model_dump(), "id": None}))  # the same case number twice: the flush fails

    async def scenario():
        async with changes.subscribe(number) as open_case, changes.subscribe(closed) as closed_one:
            await asyncio.to_thread(refused_edit)
            assert await closed_one.next(QUIET) is None
            stamp = await asyncio.to_thread(stale_edit)
            assert (await open_case.next(5)).stamp == stamp  # the first edit, saved
            assert await open_case.next(QUIET) is None  # the stale one: nothing
            await asyncio.to_thread(rolled_back_after_audit_row)
            await asyncio.to_thread(failed_at_commit)
            assert await open_case.next(QUIET) is None

    asyncio.run(scenario())


def test_a_case_change_without_an_audit_row_is_signalled_too(in_process):
    """Saving the value a line already has writes no audit row but moves the case's stamp."""
    number = new_case(lines=1)
    line = first_line(number)

    async def scenario():
        async with changes.subscribe(number) as subscription:
            same = await asyncio.to_thread(edit, number, line.id, line.lot)
            return same, await subscription.next(5)

    same, change = asyncio.run(scenario())
    assert change.stamp == same.stamps[1] and change.kinds == {"case"}


def test_a_signature_is_signalled_with_the_stamp_it_leaves_unchanged(in_process):
    number = new_case(lines=1)
    stamp = screen_stamp(number)

    async def scenario():
        async with changes.subscribe(number) as subscription:
            await asyncio.to_thread(attest_as_rep, number, "sales_rep")
            return await subscription.next(5)

    change = asyncio.run(scenario())
    assert change.stamp == stamp and "signature" in change.kinds


# --- delivery ---


def test_in_process_delivery_reaches_subscribers_on_other_threads_and_loops(in_process):
    """Two event loops in two threads wait; a third thread saves."""
    number = new_case(lines=1)
    line = first_line(number)
    got: dict[str, changes.Change | None] = {}
    subscribed = threading.Barrier(3)

    def subscriber(name: str, case: int | str):
        async def wait():
            async with changes.subscribe(case) as subscription:
                subscribed.wait(5)
                got[name] = await subscription.next(10)

        asyncio.run(wait())

    threads = [threading.Thread(target=subscriber, args=("by number", number)),
               threading.Thread(target=subscriber, args=("by id", first_case_id(number)))]  # fmt: skip
    for thread in threads:
        thread.start()
    subscribed.wait(5)
    saved = edit(number, line.id, "LOT-THREADS")  # this (third) thread publishes
    for thread in threads:
        thread.join(15)
    assert got["by number"].stamp == got["by id"].stamp == saved.stamps[1]


PUBLISHER = """
import sys
from closeout.services import device_lines
from tests.factories import demo_rep
change = device_lines.update_line(demo_rep(), sys.argv[1], int(sys.argv[2]), "lot", "LOT-OTHER-WORKER")
print(change.stamps[1])
"""


def test_redis_delivers_between_separate_processes(through_redis):
    """Another process (another worker) saves with REFLEX_REDIS_URL set; this one hears it."""
    number = new_case(lines=1)
    line = first_line(number)

    def other_worker() -> str:
        done = subprocess.run([sys.executable, "-c", PUBLISHER, number, str(line.id)], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, env={**os.environ, "REFLEX_REDIS_URL": REDIS})  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip().splitlines()[-1]

    async def scenario():
        async with changes.subscribe(number) as subscription:
            stamp = await asyncio.to_thread(other_worker)
            return stamp, await subscription.next(10)

    stamp, change = asyncio.run(scenario())
    assert change is not None and change.stamp == stamp and change.number == number


def test_a_listener_that_reconnected_tells_every_subscriber_to_re_read(through_redis):
    number = new_case(lines=1)

    async def scenario():
        async with changes.subscribe(number) as subscription:
            changes._hub().deliver(changes.RESYNC_CHANGE)  # what the listener does once Redis is back
            return await subscription.next(5)

    assert asyncio.run(scenario()).resync


def test_a_listener_that_lost_redis_tells_every_subscriber_to_re_read_and_listens_on(through_redis):
    """This process's own subscription connection is killed on the Redis server (no other)."""
    import redis

    number = new_case(lines=1)
    line = first_line(number)

    def kill_listener_connection(port: int) -> None:
        server = redis.Redis.from_url(REDIS)
        ids = [c["id"] for c in server.client_list() if c["addr"].endswith(f":{port}")]
        assert len(ids) == 1
        server.client_kill_filter(_id=ids[0])

    async def scenario():
        async with changes.subscribe(number) as subscription:
            port = changes._hub()._pubsub.connection._writer.get_extra_info("sockname")[1]
            await asyncio.to_thread(kill_listener_connection, port)
            told = await subscription.next(10)
            for _ in range(200):  # subscribed again
                if changes._hub()._ready.is_set():
                    break
                await asyncio.sleep(0.02)
            saved = await asyncio.to_thread(edit, number, line.id, "LOT-AFTER-RECONNECT")
            return told, saved, await subscription.next(10)

    told, saved, after = asyncio.run(scenario())
    assert told.resync
    assert after is not None and after.stamp == saved.stamps[1]


def test_a_subscriber_far_behind_is_told_to_re_read(in_process):
    number = new_case(lines=1)
    case_id = first_case_id(number)

    async def scenario():
        async with changes.subscribe(number) as subscription:
            for n in range(changes.PENDING_LIMIT + 5):
                changes._hub().deliver(changes.Change(case_id, number, f"open|{n}"))
            await asyncio.sleep(0.05)
            return await subscription.next(1), await subscription.next(QUIET)

    first, then = asyncio.run(scenario())
    assert first.resync and then is None


# --- waiting costs nothing ---


def test_stamping_reads_nothing_when_the_transaction_holds_the_case(in_process):
    number = new_case(lines=1)
    with transaction() as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        audit.record(session, demo_rep(), case_id=case.id, action="test", entity="case", entity_id=case.id, summary="x")
        with counted_statements() as sent:
            found = changes.collect(session)
    assert [change.number for change in found] == [number]
    assert not [statement for statement in sent if statement.lstrip().upper().startswith("SELECT")], sent


def test_waiting_for_a_change_sends_no_database_query(any_mode):
    number = new_case(lines=1)
    line = first_line(number)
    seen = screen_stamp(number)

    async def scenario():
        updates = changes_of(number, seen, heartbeat=0.25)
        with counted_statements() as idle:
            quiet = [await anext(updates) for _ in range(4)]  # a second of heartbeats, nothing else
        saved = await asyncio.to_thread(edit, number, line.id, "LOT-AWAKE")
        woken = await anext(updates)
        with counted_statements() as idle_again:
            after = await anext(updates)
        await updates.aclose()
        return idle, quiet, saved, woken, idle_again, after

    idle, quiet, saved, woken, idle_again, after = asyncio.run(scenario())
    assert quiet == [None] * 4 and idle == []
    assert woken == saved.stamps[1]
    assert after is None and idle_again == []


# --- the page-side helper ---


def test_changes_of_yields_new_stamps_and_skips_changes_that_leave_the_stamp(in_process):
    number = new_case(lines=1)
    line = first_line(number)
    seen = screen_stamp(number)

    async def scenario():
        plain = changes_of(number, seen, heartbeat=5)
        signing = changes_of(number, seen, kinds={"signature"}, heartbeat=5)
        first = asyncio.ensure_future(anext(plain))
        first_signing = asyncio.ensure_future(anext(signing))
        await asyncio.sleep(0.05)  # both subscribed
        await asyncio.to_thread(attest_as_rep, number, "sales_rep")
        signed = await asyncio.wait_for(first_signing, 5)
        assert not first.done()  # the stamp did not move: nothing for the Devices Used watcher
        saved = await asyncio.to_thread(edit, number, line.id, "LOT-NEW")
        moved = await asyncio.wait_for(first, 5)
        await plain.aclose()
        await signing.aclose()
        return signed, saved, moved

    signed, saved, moved = asyncio.run(scenario())
    assert signed == seen
    assert moved == saved.stamps[1]


def test_changes_of_catches_a_change_made_between_the_read_and_the_subscription(in_process):
    number = new_case(lines=1)
    line = first_line(number)
    seen = screen_stamp(number)  # the screen's read
    saved = edit(number, line.id, "LOT-MEANWHILE")  # another screen, before this one listens

    async def scenario():
        updates = changes_of(number, seen, heartbeat=5)
        stamp = await asyncio.wait_for(anext(updates), 2)
        await updates.aclose()
        return stamp

    assert asyncio.run(scenario()) == saved.stamps[1]


def test_changes_of_stops_when_told_and_says_resync(in_process):
    number = new_case(lines=1)

    async def scenario():
        stop = asyncio.Event()
        got = []

        async def watch():
            async for stamp in changes_of(number, "", heartbeat=5, stop=stop):
                got.append(stamp)

        watcher = asyncio.ensure_future(watch())
        await asyncio.sleep(0.05)
        changes._hub().deliver(changes.RESYNC_CHANGE)
        await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(watcher, 2)  # ends at once, not at the next heartbeat
        return got, changes._hub().subscriber_count()

    got, left = asyncio.run(scenario())
    assert got == [RESYNC] and left == 0


def test_changes_of_takes_what_the_caller_has_seen(in_process):
    """`asend(stamp)`: after a re-read that showed `stamp`, a signal with that stamp is not news."""
    number = new_case(lines=1)
    case_id, seen = first_case_id(number), screen_stamp(number)

    async def scenario():
        updates = changes_of(number, seen, heartbeat=0.2)
        assert await anext(updates) is None
        changes._hub().deliver(changes.Change(case_id, number, "open|2"))
        assert await anext(updates) == "open|2"
        changes._hub().deliver(changes.Change(case_id, number, "open|3"))  # arrives while the caller re-reads
        assert await updates.asend("open|3") is None  # the re-read showed open|3 already: nothing new
        await updates.aclose()

    asyncio.run(scenario())


def test_next_change_returns_the_new_stamp_or_none(in_process):
    number = new_case(lines=1)
    line = first_line(number)
    seen = screen_stamp(number)

    async def scenario():
        nothing = await changes.next_change(number, seen, 0.2)
        waiting = asyncio.ensure_future(changes.next_change(number, seen, 10))
        await asyncio.sleep(0.05)
        saved = await asyncio.to_thread(edit, number, line.id, "LOT-NEXT")
        return nothing, await waiting, saved

    nothing, stamp, saved = asyncio.run(scenario())
    assert nothing is None and stamp == saved.stamps[1]
