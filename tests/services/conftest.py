"""Fixtures for the service tests: every test here runs against the migrated, seeded test
database (tests/conftest.py), and a few also get a fresh PostgreSQL database of their own."""

import os
import uuid

import pytest
import sqlalchemy as sa

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session", autouse=True)
def _services_database(database):
    """Every service test needs the test database (built once per run)."""
    return database


@pytest.fixture(autouse=True)
def _public_address(monkeypatch):
    """The address the scheduled PO reminders print the buyer's link at (a deployment sets it;
    a test of its absence removes it)."""
    monkeypatch.setenv("CLOSEOUT_PUBLIC_URL", "https://closeout.test")


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    try:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        admin.connect().close()
    except sa.exc.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432: {error}")
    name = f"closeout_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
