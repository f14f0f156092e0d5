"""Only for `make bench` (CLOSEOUT_BENCH_FLOOR=on): an event that travels the same path as a
Devices Used edit (socket, state, a thread, one committed write, a delta back) but does the
least a durable change can do, so the benchmark can say what an edit costs beyond it."""

import asyncio

import reflex as rx

from ..services import db


class WriteFloorState(rx.State):
    writes: int = 0

    @rx.event
    async def write(self):
        await asyncio.to_thread(db.write_floor)
        self.writes += 1
