"""Two banners every page carries, so nobody wonders whether a change was saved:
- offline: this screen has lost its connection to the server (Wi-Fi in the OR, a restarted
  worker). Changes made meanwhile wait in the browser and go out when it reconnects;
- database down: the server is up but cannot reach (or is locked out of) the database.
  The server checks every few seconds and clears the banner itself once it is back."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

OFFLINE = (
    "Offline — reconnecting… Changes you make now are not saved yet: they are kept on this "
    "screen and sent when the connection returns. Keep this page open."
)
DATABASE_DOWN = (
    "The database cannot be reached right now, so changes cannot be saved. "
    "This page checks every few seconds and clears this notice once it is back."
)


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


def connection_banners(database_down: rx.Var) -> rx.Component:
    """The app's overlay (in place of Reflex's connection toast): fixed at the top of every
    page, over the top bar, while the trouble lasts. `database_down` is the page state's
    knowledge that the server cannot reach its database."""
    return rx.vstack(
        # Shown from the drop (assets/screen.js) and while reconnection attempts fail.
        _banner(
            "wifi-off",
            OFFLINE,
            "amber",
            "offline-banner",
            class_name=rx.cond(has_connection_errors, "offline-banner failing", "offline-banner"),
        ),  # fmt: skip
        rx.cond(database_down, _banner("database", DATABASE_DOWN, "red", "database-banner")),
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
