"""One throwaway database for the whole run, built by the real migration command and
loaded with the demo data, for the suites that need it (tests/services, tests/e2e); tests
make their own cases in it (tests/factories.py). tests/domain runs without it.

REFLEX_DB_URL is set before anything imports Reflex's config, so the services under
test and the app server of the end-to-end tests share this database.
"""

import os
import sqlite3
import tempfile
from pathlib import Path

import pytest

RUN_DIR = Path(tempfile.mkdtemp(prefix="closeout-test-"))
# CLOSEOUT_TEST_BACKEND=postgres runs the same suites on PostgreSQL, with the app on Redis and
# two backend workers (the scaled-out production mode); the default is embedded SQLite.
SCALED_OUT = os.environ.get("CLOSEOUT_TEST_BACKEND") == "postgres"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_DATABASE = f"closeout_test_{os.getpid()}"
if SCALED_OUT:
    os.environ["REFLEX_DB_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    os.environ.setdefault("REFLEX_REDIS_URL", "redis://127.0.0.1:6379")
    os.environ.setdefault("GRANIAN_WORKERS", "2")
else:  # never a database from the environment (an app's own), nor one another test process uses
    os.environ["REFLEX_DB_URL"] = f"sqlite:///{RUN_DIR}/closeout.db"
os.environ["REFLEX_TELEMETRY_ENABLED"] = "false"
from tests.harness import TEST_CLOCK, fix_the_clock, migrate_and_seed  # noqa: E402

# One fixed clock for the tests and the app server they start (closeout/domain/clock.py): no
# test depends on the day it runs. `make test` fixes it once for every process of the run.
fix_the_clock()
assert os.environ["CLOSEOUT_CLOCK"] == TEST_CLOCK


def _postgres(statement: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(statement))
    admin.dispose()


# `make test` migrates and seeds one template database per pass (tests/suites.py) and names it
# here; each test process copies it (a file copy on SQLite, CREATE DATABASE … TEMPLATE on
# PostgreSQL) instead of migrating and seeding its own. Run alone, a process builds its own.
TEMPLATE = os.environ.get("CLOSEOUT_TEMPLATE_DB", "")


def copy_sqlite(source: str, target: str) -> None:
    """A consistent copy of a SQLite database (its WAL included), by SQLite's backup API."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture(scope="session")
def database():
    """A fresh database, migrated (reflex db migrate) and seeded (python -m closeout.seed), or a
    copy of the pass's template that was. Not autouse: tests/services and tests/e2e pull it in
    for all their tests, tests/domain never builds it."""
    import sqlalchemy as sa

    if SCALED_OUT:
        _postgres(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        template = f' TEMPLATE "{sa.engine.make_url(TEMPLATE).database}"' if TEMPLATE else ""
        _postgres(f'CREATE DATABASE "{PG_DATABASE}"{template}')
    elif TEMPLATE:
        copy_sqlite(sa.engine.make_url(TEMPLATE).database, f"{RUN_DIR}/closeout.db")
    if not TEMPLATE:
        migrate_and_seed(os.environ["REFLEX_DB_URL"])
    yield os.environ["REFLEX_DB_URL"]
    if SCALED_OUT:
        from reflex.model import get_engine

        get_engine().dispose()
        _postgres(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def pytest_collection_modifyitems(items):
    """Everything under tests/e2e drives the built app in Chromium: `-m "not e2e"` is the fast suite."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashes():
    """Passwords the tests set are hashed with argon2id at its smallest cost in the test
    processes (the parameters travel in each hash, so the app under test verifies them as
    usual, and every hash it makes itself keeps the production cost): the suites set and
    check hundreds of passwords, each ~100 ms of a core at the production cost. What the
    cost is in production is checked on its own (tests/services/test_accounts.py)."""
    from argon2 import PasswordHasher

    from closeout.services import auth

    class QuickHasher(PasswordHasher):
        def check_needs_rehash(self, hash: str) -> bool:  # noqa: A002
            return False  # never rewrite a hash the seed made at the production cost

    production = auth._hasher, auth._DUMMY_HASH
    auth._hasher = QuickHasher(time_cost=1, memory_cost=1024, parallelism=1)
    auth._DUMMY_HASH = auth._hasher.hash("a dummy password no one has")
    yield
    auth._hasher, auth._DUMMY_HASH = production
