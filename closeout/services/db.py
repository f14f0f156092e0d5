"""One unit of work per use case."""

from collections.abc import Iterator
from contextlib import contextmanager

import reflex as rx
from sqlmodel import Session


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
