"""What the rep sees when something fails that they did not cause: the database cannot be
reached (say so, that the change was not saved, and raise the database banner until it is
back), or anything else (a generic message).
The log gets the stack but never the values, which could hold a patient identifier."""

import logging
import traceback

import reflex as rx
from reflex.event import EventSpec

from . import routes
from .pages.health import HealthState
from .services.auth import NotSignedIn
from .services.db import OUTAGE, DatabaseUnavailable

log = logging.getLogger("closeout")
DB_DOWN = "The database cannot be reached right now. Your last change was not saved; try again in a moment."
GENERIC = "Something went wrong and your last change was not saved. Please try again."


def on_backend_error(exception: Exception) -> list[EventSpec]:
    if isinstance(exception, NotSignedIn):  # the session ended (signed out elsewhere, deactivated): sign in again
        return [rx.redirect(routes.LOGIN)]
    frames = "".join(traceback.format_tb(exception.__traceback__))
    log.error("Unhandled %s in an event handler (values withheld)\n%s", type(exception).__name__, frames)
    if isinstance(exception, (DatabaseUnavailable, *OUTAGE)):
        return [rx.toast.error(DB_DOWN, id="backend_error", duration=10000, position="top-center"), HealthState.outage()]
    return [rx.toast.error(GENERIC, id="backend_error", position="top-center")]
