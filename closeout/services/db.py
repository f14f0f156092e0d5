"""One unit of work per use case."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import reflex as rx
import reflex.model
from sqlmodel import Session


def _forget_inherited_connections() -> None:
    """Backend workers are forked from a process that may already hold pooled database
    connections; two processes on one socket corrupt it. A child starts its own pool."""
    for engine in list(getattr(reflex.model, "_ENGINE", {}).values()):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)


@contextmanager
def transaction() -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises,
    so a refused edit leaves nothing half-saved."""
    with rx.session() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only session (nothing is committed)."""
    with rx.session() as session:
        yield session
