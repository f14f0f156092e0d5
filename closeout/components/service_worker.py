"""The service worker's registration (assets/service_worker.jsx) as a Reflex component: mounted
in the page shell and the offline screen, it registers /sw.js where the context is secure (HTTPS,
or localhost) and activates a new build only when no offline change waits to sync.

workbox-window is pinned here (and so in reflex.lock) and bundled with the app."""

import reflex as rx


class ServiceWorker(rx.NoSSRComponent):
    library = "$/public/service_worker.jsx"  # assets/ is the build's public/
    tag = "ServiceWorker"
    lib_dependencies: list[str] = ["workbox-window@7.4.1"]


def service_worker() -> rx.Component:
    return ServiceWorker.create()
