"""Reflex configuration. Every value can be overridden from the environment with
the REFLEX_ prefix: REFLEX_DB_URL (PostgreSQL: postgresql+psycopg://...),
REFLEX_REDIS_URL (redis://127.0.0.1:6379 for several workers)."""

import reflex as rx

from closeout.offline_shell import OfflineShellPlugin

config = rx.Config(
    app_name="closeout",
    db_url="sqlite:///closeout.db",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    default_color_mode="light",
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium"),
        ),
        OfflineShellPlugin(),  # Workbox's service worker over the production build
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
