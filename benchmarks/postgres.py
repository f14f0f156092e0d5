"""A throwaway PostgreSQL database for a benchmark, on the server at 127.0.0.1."""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def _admin(*statements: str) -> None:
    admin = sa.create_engine(f"{SERVER}/test", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        admin.dispose()


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """Its URL, created empty and dropped afterwards (raises OperationalError when the
    server is not there)."""
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
