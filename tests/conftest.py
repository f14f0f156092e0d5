"""One throwaway database for the whole run, built by the real migration command and
loaded with the demo data; tests make their own cases in it (tests/factories.py).

REFLEX_DB_URL is set before anything imports Reflex's config, so the services under
test and the app server of the end-to-end tests share this database.
"""

import os
import tempfile
from pathlib import Path

import pytest

RUN_DIR = Path(tempfile.mkdtemp(prefix="closeout-test-"))
os.environ.setdefault("REFLEX_DB_URL", f"sqlite:///{RUN_DIR}/closeout.db")
os.environ["REFLEX_TELEMETRY_ENABLED"] = "false"

from tests.harness import migrate_and_seed  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def database():
    """Migrate (reflex db migrate) and seed (python -m closeout.seed) the test database."""
    migrate_and_seed(os.environ["REFLEX_DB_URL"])
    return os.environ["REFLEX_DB_URL"]
