"""The app object; pages register themselves with @rx.page when imported."""

import reflex as rx

from . import api, models  # noqa: F401  (tables must be imported for `reflex db`)
from .pages import case_page, home, remote_sign, replenishment  # noqa: F401  (registers the pages)

app = rx.App(api_transformer=api.routes)
