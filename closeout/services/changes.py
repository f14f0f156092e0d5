"""The change signal: "case N changed (stamp)", pushed to the screens that show case N, so an
idle screen costs no database query (DESIGN.md §5: live updates by polling do not scale).

Where signals come from. Every mutation writes its audit row through `audit.record`, inside
`db.transaction()`: `record` notes the case here (`note`), and so does a flush that changes a
case row without an audit row (`update_line` saving a value the line already had still moves
the case's `updated_at`). Right before the commit, `transaction()` asks for the stamps of the
noted cases (`collect`: the case rows are almost always in the session already, so this reads
nothing), commits, and only then `publish`es them. A transaction that rolls back, a refused
edit, publishes nothing; a signal never arrives before its change is visible to a reader.

The stamp is the case's change stamp, `status|updated_at` (`stamp_of`, the same string as
`cases.change_stamp`): what the Devices Used screen already holds (`LinePage.stamp`, and the
before/after pair of every `LineChange`), so a screen recognises the signal of its own save
and re-reads nothing, and a reconnecting screen compares the very same value. It comes from
the database row, so every worker (and a restarted one) agrees on it, with no counter to keep.
A change that does not move the stamp (a signature, a share, a signing link, a PO reminder)
is still signalled, with the same stamp and its kinds (the audit rows' `entity`): a watcher
that cares (the signing-link watcher: "signature") asks for those kinds.

Delivery. One worker (no REFLEX_REDIS_URL): in-process. Services run in worker threads
(`asyncio.to_thread`) or on the event loop; `publish` hands each signal to every waiting
subscriber's own event loop with `loop.call_soon_threadsafe`. Several workers (REFLEX_REDIS_URL
set): `publish` sends one message on one Redis pub/sub channel per database (the sync client;
a worker thread may call it), and each worker process runs one listener task, started on its
first subscription, that fans each message out to its local subscribers; a worker's own
signals come back to it the same way. A listener that lost Redis reconnects and tells every
local subscriber to re-read (`Change.resync`), since it cannot know what it missed.

Subscribing. `subscribe(case)` (async context manager) registers before it returns, so a
change committed after that is delivered; `Subscription.next(timeout)` waits on an asyncio
event: nothing touches the database while nothing changes. Each process remembers the last
stamp it saw per case, so a screen that subscribes with a stamp older than that (a change
slipped in between its read and its subscription) hears about it at once. A screen that was
disconnected missed the signals meanwhile: it re-reads on reconnect, which is its page load.
Every process must name the database the same way (one REFLEX_DB_URL): the channel is
derived from it. A separate process without Redis (`python -m closeout.jobs` from cron on SQLite) signals only
itself; the backend's own hourly job runs in the app and does signal."""

import asyncio
import hashlib
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from reflex.utils import prerequisites
from reflex_base.config import get_config
from sqlmodel import Session

from ..domain.text import lookup_text
from ..models import Case

log = logging.getLogger(__name__)

NOTED = "closeout.changed_cases"  # session.info key: {case id: {kinds}}
RESYNC = "resync"  # what a subscriber is handed when signals may have been missed: re-read
READY_WAIT_SECONDS = 2.0  # how long a first subscription waits for the Redis listener
RECONNECT_SECONDS = (0.2, 5.0)  # the listener's first and longest pause between tries
PENDING_LIMIT = 32  # signals a slow subscriber may have waiting; beyond that: one re-read
REMEMBERED_CASES = 10_000


@dataclass(frozen=True)
class Change:
    """Case `case_id` (number `number`) changed; `stamp` is its change stamp after the commit;
    `kinds` what the change touched (the audit rows' entity: "case", "device_line",
    "signature", ...). With `resync` the signal is not about one case: re-read."""

    case_id: int
    number: str
    stamp: str
    kinds: frozenset[str] = field(default_factory=frozenset)
    resync: bool = False

    def to_json(self) -> str:
        return json.dumps({"case_id": self.case_id, "number": self.number, "stamp": self.stamp, "kinds": sorted(self.kinds)})

    @classmethod
    def from_json(cls, raw: str | bytes) -> "Change":
        data = json.loads(raw)
        return cls(int(data["case_id"]), str(data["number"]), str(data["stamp"]), frozenset(map(str, data.get("kinds", ()))))


RESYNC_CHANGE = Change(0, "", RESYNC, frozenset(), resync=True)


def stamp_of(case: Case) -> str:
    """The case's change stamp: moves whenever its lines or its status change (the one
    definition; `cases.change_stamp` is this)."""
    return f"{case.status}|{case.updated_at.isoformat()}"


# --- the publishing side: a transaction notes its cases, db.transaction() publishes them ---


def note(session: Session, case_id: int | None, kind: str = "case") -> None:
    """This transaction changes case `case_id` (`kind`: what it touches): signal it after the
    commit. Called by audit.record; nothing else needs to."""
    if case_id is not None:
        session.info.setdefault(NOTED, {}).setdefault(case_id, set()).add(kind)


@sa.event.listens_for(Session, "before_flush")
def _note_case_rows(session, _flush_context, _instances) -> None:
    """A case row changed without an audit row (its updated_at, its billable total) is a change too."""
    for obj in session.dirty:
        if isinstance(obj, Case) and obj.id is not None and session.is_modified(obj, include_collections=False):
            note(session, obj.id, "case")


def collect(session: Session) -> list[Change]:
    """Right before the commit: the signals of the cases this transaction changed, each with the
    stamp it will have once committed. Flushes first; reads a case row only when the session
    does not hold it already."""
    session.flush()
    noted = session.info.pop(NOTED, None)
    if not noted:
        return []
    found = []
    for case_id, kinds in sorted(noted.items()):
        case = session.get(Case, case_id)
        if case is not None:
            found.append(Change(case.id, case.number, stamp_of(case), frozenset(kinds)))
    return found


def forget(session: Session) -> None:
    """The transaction rolled back: nothing it noted happened."""
    session.info.pop(NOTED, None)


def publish(found: Iterable[Change]) -> None:
    """After the commit: tell every screen of these cases, in every worker. Never raises: the
    change is saved whatever happens to its signal (a failure is logged)."""
    found = list(found)
    if found:
        try:
            _hub().publish(found)
        except Exception:
            log.exception("case change signal not sent")


# --- the subscribing side ---


class Subscription:
    """The signals of one case (or every resync) for one waiting task, in the order they came."""

    def __init__(self, key: str, loop: asyncio.AbstractEventLoop):
        self.key, self.loop = key, loop
        self._pending: list[Change] = []
        self._arrived = asyncio.Event()

    def _push(self, change: Change) -> None:
        """On the subscriber's loop. A re-read still to come covers whatever arrives before it."""
        if self._pending and (self._pending[-1] == change or self._pending[0].resync):
            return  # the same signal twice in a row says nothing new
        self._pending.append(change)
        if change.resync or len(self._pending) > PENDING_LIMIT:
            self._pending = [RESYNC_CHANGE]
        self._arrived.set()

    def _hand_over(self, change: Change) -> bool:
        """From any thread; False when the subscriber's loop is gone."""
        try:
            self.loop.call_soon_threadsafe(self._push, change)
            return True
        except RuntimeError:
            return False

    async def next(self, timeout: float | None = None) -> Change | None:
        """The next signal, or None after `timeout` seconds without one."""
        if not self._pending:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout)
            except TimeoutError:
                return None
        change = self._pending.pop(0)
        if not self._pending:
            self._arrived.clear()
        return change


def key_of(case: int | str) -> str:
    """Subscriptions are keyed by case id (an int) or case number (a str), as the caller knows it."""
    if isinstance(case, bool) or not isinstance(case, int | str):
        raise TypeError("a case id or a case number")
    return f"id:{case}" if isinstance(case, int) else f"number:{lookup_text(case, 40)}"


@asynccontextmanager
async def subscribe(case: int | str, seen_stamp: str = "") -> AsyncIterator[Subscription]:
    """Signals of `case` (its id or number) from now on. With `seen_stamp` (the stamp the
    caller's last read showed), a newer change this process already heard of is waiting at once."""
    hub = _hub()
    subscription = Subscription(key_of(case), asyncio.get_running_loop())
    hub.add(subscription, seen_stamp)
    try:
        await hub.listening()
        yield subscription
    finally:
        hub.remove(subscription)


async def next_change(case: int | str, after_stamp: str, timeout: float) -> str | None:
    """The case's stamp as soon as it is other than `after_stamp`, or None after `timeout` s.
    One-shot: a loop keeps one `subscribe()` instead (no gap between two waits)."""
    async with subscribe(case, after_stamp) as subscription:
        deadline = asyncio.get_running_loop().time() + timeout
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            change = await subscription.next(left)
            if change is None:
                return None
            if change.stamp != after_stamp:
                return change.stamp
        return None


# --- the process's hub: subscribers, the last stamps heard, Redis ---


def _channel() -> str:
    """One channel per database: apps on other databases may share the Redis server."""
    return "closeout:case-changes:" + hashlib.sha256(get_config().db_url.encode()).hexdigest()[:16]


class Hub:
    """This process's subscribers, and its link to the other workers (with Redis)."""

    def __init__(self, redis_url: str | None):
        self.redis_url = redis_url or None
        self.channel = _channel()
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscription]] = {}
        self._last: OrderedDict[str, str] = OrderedDict()  # key -> last stamp heard
        self._sync_client = None
        self._listener: asyncio.Task | None = None
        self._pubsub = None  # the listener's Redis subscription, while it has one
        self._ready = threading.Event()

    # who waits

    def add(self, subscription: Subscription, seen_stamp: str) -> None:
        with self._lock:
            self._subscribers.setdefault(subscription.key, set()).add(subscription)
            last = self._last.get(subscription.key)
        if seen_stamp and last and last != seen_stamp:  # changed between the caller's read and now
            subscription._push(Change(0, "", last))

    def remove(self, subscription: Subscription) -> None:
        with self._lock:
            waiting = self._subscribers.get(subscription.key)
            if waiting is not None:
                waiting.discard(subscription)
                if not waiting:
                    del self._subscribers[subscription.key]

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(map(len, self._subscribers.values()))

    # the way out

    def publish(self, found: list[Change]) -> None:
        if self.redis_url:
            try:
                client = self._redis_sync()
                for change in found:
                    client.publish(self.channel, change.to_json())
                return
            except Exception as error:
                log.warning("Redis did not take a case change signal (%s): only this worker's screens hear it",
                            type(error).__name__)  # fmt: skip
        for change in found:
            self.deliver(change)

    def _redis_sync(self):
        with self._lock:
            if self._sync_client is None:
                self._sync_client = prerequisites.get_redis_sync()
            return self._sync_client

    # the way in (from publish without Redis, or from the listener)

    def deliver(self, change: Change) -> None:
        """Hand `change` to this process's subscribers of its case (any thread)."""
        if change.resync:
            with self._lock:
                targets = [s for group in self._subscribers.values() for s in group]
        else:
            keys = (key_of(change.case_id), key_of(change.number))
            with self._lock:
                for key in keys:
                    self._last[key] = change.stamp
                    self._last.move_to_end(key)
                while len(self._last) > 2 * REMEMBERED_CASES:
                    self._last.popitem(last=False)
                targets = [s for key in keys for s in self._subscribers.get(key, ())]
        for subscription in targets:
            if not subscription._hand_over(change):
                self.remove(subscription)  # its loop has closed

    # the listener (Redis): one task per process, started by the first subscription

    async def listening(self) -> None:
        """With Redis: make sure this process listens, and wait (briefly) until it does."""
        if not self.redis_url:
            return
        with self._lock:
            task = self._listener
            alive = task is not None and not task.done() and not task.get_loop().is_closed()
            if not alive:
                self._ready.clear()
                self._listener = asyncio.get_running_loop().create_task(self._listen(), name="closeout-case-changes")
        for _ in range(int(READY_WAIT_SECONDS / 0.01)):
            if self._ready.is_set():
                return
            await asyncio.sleep(0.01)
        log.warning("case change listener not subscribed yet: live updates may be late")

    async def _listen(self) -> None:
        pause = RECONNECT_SECONDS[0]
        subscribed_before = False
        while True:
            client = prerequisites.get_redis()
            pubsub = self._pubsub = client.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                async for message in pubsub.listen():
                    if message["type"] == "subscribe":  # also after a reconnect inside redis-py
                        self._ready.set()
                        pause = RECONNECT_SECONDS[0]
                        if subscribed_before:
                            self.deliver(RESYNC_CHANGE)  # whatever was published meanwhile is lost
                        subscribed_before = True
                    elif message["type"] == "message":
                        try:
                            self.deliver(Change.from_json(message["data"]))
                        except (ValueError, KeyError, TypeError):
                            log.warning("an unreadable case change signal was ignored")
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self._ready.clear()
                log.warning("case change listener lost Redis (%s); retrying in %.1f s", type(error).__name__, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RECONNECT_SECONDS[1])
            finally:
                self._pubsub = None
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:
                    pass


_hub_instance: Hub | None = None
_hub_lock = threading.Lock()


def _hub() -> Hub:
    global _hub_instance
    with _hub_lock:
        if _hub_instance is None:
            _hub_instance = Hub(get_config().redis_url)
        return _hub_instance


def restart() -> None:
    """Forget this process's hub (its subscribers, listener and Redis clients): the next use
    builds one from the configuration as it is now. For tests and for a forked child."""
    global _hub_instance
    with _hub_lock:
        _hub_instance = None


os.register_at_fork(after_in_child=restart)
