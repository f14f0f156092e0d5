"""Two banners every page carries, so nobody wonders whether a change was saved:
- offline: this screen has lost its connection to the server (Wi-Fi in the OR, a restarted
  worker). Changes made meanwhile wait in the browser and go out when it reconnects;
- database down: the server is up but cannot reach (or is locked out of) the database.
  The server checks every few seconds and clears the banner itself once it is back."""

import asyncio

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from ..services import db

CHECK_EVERY_SECONDS = 2
GIVE_UP_AFTER_SECONDS = 3600

OFFLINE = (
    "Offline — reconnecting… Changes you make now are not saved yet: they are kept on this "
    "screen and sent when the connection returns. Keep this page open."
)
DATABASE_DOWN = (
    "The database cannot be reached right now, so changes cannot be saved. "
    "This page checks every few seconds and clears this notice once it is back."
)


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


def _banner(icon: str, text: str, color: str, element_id: str, **props) -> rx.Component:
    return rx.box(
        rx.callout(text, icon=icon, color_scheme=color, variant="surface", size="2"),
        role="alert",
        id=element_id,
        **props,
        width="100%",
        max_width="960px",
        background="var(--color-panel-solid)",
        border_radius="var(--radius-4)",
        box_shadow="0 4px 16px rgba(0,0,0,0.25)",
    )


def connection_banners() -> rx.Component:
    """The app's overlay (in place of Reflex's connection toast): fixed at the top of every
    page, over the top bar, while the trouble lasts."""
    return rx.vstack(
        # Shown from the drop (assets/screen.js) and while reconnection attempts fail.
        _banner(
            "wifi-off",
            OFFLINE,
            "amber",
            "offline-banner",
            class_name=rx.cond(has_connection_errors, "offline-banner failing", "offline-banner"),
        ),  # fmt: skip
        rx.cond(HealthState.database_down, _banner("database", DATABASE_DOWN, "red", "database-banner")),
        position="fixed",
        top="8px",
        left="0",
        right="0",
        padding_x="12px",
        align="center",
        spacing="2",
        z_index="1000",
        pointer_events="none",
    )
