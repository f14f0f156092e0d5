"""The app object and page registration only."""

import reflex as rx

from . import models  # noqa: F401  (tables must be registered for `reflex db`)

app = rx.App()
