"""One unit of work per use case."""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import reflex as rx
import reflex.model
import sqlalchemy as sa
import sqlalchemy.exc
from reflex_base.config import get_config
from sqlmodel import Session

from . import changes

# What a database that is down, unreachable, locked or out of connections raises: the
# caller cannot fix it, but can keep the change and try again once it is back.
OUTAGE = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError, sqlalchemy.exc.TimeoutError)


class DatabaseUnavailable(Exception):
    """The database cannot be reached (or is locked) right now; nothing was saved."""

    message = "The database cannot be reached right now."


def _forget_inherited_connections() -> None:
    """Backend workers are forked from a process that may already hold pooled database
    connections; two processes on one socket corrupt it. A child starts its own pool."""
    for engine in list(getattr(reflex.model, "_ENGINE", {}).values()):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)

SQLITE_BUSY_TIMEOUT_MS = 5000


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Embedded SQLite as a server database: write-ahead logging, so the live screens'
    reads never block a save (nor a save the reads); commits still reach the disk
    (synchronous=FULL); a writer waits up to 5 s for another before giving up."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()


# SQLite takes one writer at a time and makes the others poll (sleeping 1 to 100 ms between
# tries). Writers of this process queue here instead, and go the moment the last one commits.
_sqlite_writer = threading.RLock()


@contextmanager
def _one_writer_on_sqlite() -> Iterator[None]:
    if get_config().db_url.startswith("sqlite"):
        with _sqlite_writer:
            yield
    else:
        yield


# The unit of work that services called inside `joined_transaction` take part in.
_joined: ContextVar[Session | None] = ContextVar("closeout_joined_session", default=None)


@contextmanager
def transaction() -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises,
    so a refused edit leaves nothing half-saved. Once committed, the cases it changed are
    signalled to the screens showing them (services/changes.py); a rollback signals nothing.
    Inside `joined_transaction` it is that one's session: the outer block commits."""
    outer = _joined.get()
    if outer is not None:
        yield outer
        return
    try:
        with _one_writer_on_sqlite(), rx.session() as session:
            try:
                yield session
                signals = changes.collect(session)  # the changed cases' stamps, before the commit
                session.commit()
            except BaseException:
                changes.forget(session)
                session.rollback()
                raise
    except OUTAGE as outage:
        raise DatabaseUnavailable() from outage
    changes.publish(signals)  # after the commit, outside the SQLite writer lock


@contextmanager
def joined_transaction() -> Iterator[Session]:
    """One transaction that the services called inside the block join instead of opening
    their own: the offline sync stores its answer to a change in the same commit as the
    change itself (services/sync.py), so a change is never applied without its answer."""
    with transaction() as session:
        token = _joined.set(session)
        try:
            yield session
        finally:
            _joined.reset(token)


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only session (nothing is committed); inside `joined_transaction`, that one's
    session, so a service reads what the unit has written so far."""
    outer = _joined.get()
    if outer is not None:
        yield outer
        return
    try:
        with rx.session() as session:
            yield session
    except OUTAGE as outage:
        raise DatabaseUnavailable() from outage


def reachable() -> bool:
    """Whether the database takes writes now (a locked SQLite file still answers reads):
    a write statement that touches no row, committed."""
    try:
        with transaction() as session:
            session.exec(sa.text("UPDATE app_user SET id = id WHERE 1 = 0"))
        return True
    except DatabaseUnavailable:
        return False


def write_floor() -> None:
    """One committed single-row UPDATE that changes nothing: the unavoidable durable write,
    the floor the load benchmark compares a Devices Used edit with."""
    with transaction() as session:
        session.exec(sa.text("UPDATE app_user SET role = role WHERE id = (SELECT MIN(id) FROM app_user)"))
