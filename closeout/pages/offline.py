"""/offline#<case number>: Devices Used of a case stored on this tablet, for the OR without a
signal. The whole screen is a client-side component (components/offline.py) reading the
browser's database: Reflex renders nothing of its own without its server. The route is static
(the case is in the hash), so the service worker precaches it."""

import reflex as rx

from .. import routes
from ..components.offline import OfflineScreen
from .template import signed_in_page


@signed_in_page(routes.OFFLINE, "Offline")
def offline() -> rx.Component:
    return rx.box(OfflineScreen.create(), width="100%", max_width="1100px", margin="0 auto")
