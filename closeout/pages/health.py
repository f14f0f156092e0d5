"""Whether the server can reach its database, per screen: raised when a save meets an outage,
cleared by the server itself once a test write succeeds again (the red banner)."""

import asyncio

import reflex as rx

from ..services import db

CHECK_EVERY_SECONDS = 2
GIVE_UP_AFTER_SECONDS = 3600


class HealthState(rx.State):
    """Whether this screen last found the database down; one checker per screen."""

    database_down: bool = False
    _checking: bool = False

    @rx.event(background=True)
    async def outage(self):
        async with self:
            self.database_down = True
            if self._checking:
                return
            self._checking = True
        for _ in range(GIVE_UP_AFTER_SECONDS // CHECK_EVERY_SECONDS):
            await asyncio.sleep(CHECK_EVERY_SECONDS)
            if await asyncio.to_thread(db.reachable):
                break
        async with self:
            self.database_down = self._checking = False
        yield rx.toast.success("The database is back: changes are saved again.", id="database-back")
