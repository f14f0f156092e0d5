"""What a live watcher (a background event of a screen's state) waits on: the case's change
signal (services/changes.py) instead of asking the database every second or two. While nothing
changes, a watcher makes no database query at all.

    async for stamp in changes_of(number, self_seen, heartbeat=30):
        if stamp is None:           # quiet for 30 s: is the tab still there? (no database)
            ...
            continue
        async with self:
            if stamp != self._seen: # not this screen's own save
                self._fetch(); self._seen = stamp

`stamp` is the case's change stamp after the change (`status|updated_at`, what `LineChange.stamps`
and `cases.last_change` give), or `RESYNC` when signals may have been lost (the Redis link
dropped, or a watcher fell far behind): re-read, and take the stamp from that read if it can.
A screen that was disconnected missed the signals meanwhile; its reload on reconnect re-reads."""

import asyncio
from collections.abc import AsyncIterator, Collection

from ..services import changes

RESYNC = changes.RESYNC


async def changes_of(
    case: int | str,
    seen_stamp: str = "",
    *,
    kinds: Collection[str] = (),
    heartbeat: float = 30.0,
    stop: asyncio.Event | None = None,
) -> AsyncIterator[str | None]:
    """The new stamps of `case` (its number, or its id) as they are committed, from any
    worker: each stamp other than the last one yielded (at first `seen_stamp`, what the
    caller's read showed; a change that slipped in between that read and this call comes at
    once). A change that leaves the stamp as it was (a signature, a share, a signing link, a
    PO reminder) is yielded only when it touched one of `kinds` (audit entities such as
    "signature"; "*" for every change). After `heartbeat` seconds without one, yields None, so
    the caller can check it is still wanted. Ends when `stop` is set, or on `aclose()` (or a
    `break` out of the loop). `asend(stamp)` tells it what the caller has now seen."""
    wanted = frozenset(kinds)
    last = seen_stamp
    async with changes.subscribe(case, seen_stamp) as subscription:
        while stop is None or not stop.is_set():
            change = await _next(subscription, heartbeat, stop)
            if stop is not None and stop.is_set():
                return
            if change is None:
                told = yield None
            elif change.resync:
                told = yield RESYNC
                last = ""
            elif change.stamp != last or "*" in wanted or wanted & change.kinds:
                told = yield change.stamp
                last = change.stamp
            else:
                continue
            if isinstance(told, str) and told:
                last = told


async def _next(subscription: changes.Subscription, timeout: float, stop: asyncio.Event | None) -> changes.Change | None:
    """The next signal, None after `timeout` s, or None as soon as `stop` is set."""
    if stop is None:
        return await subscription.next(timeout)
    waiting = asyncio.ensure_future(subscription.next(timeout))
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not waiting.done():
            waiting.cancel()
    return waiting.result() if waiting.done() and not waiting.cancelled() else None
