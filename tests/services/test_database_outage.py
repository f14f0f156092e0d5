"""The database down or locked: services say so with one exception type, save nothing,
and the outage banner's check sees the database come back."""

import sqlite3

import pytest
import sqlalchemy as sa

from closeout.services import db, device_lines
from closeout.services.db import DatabaseUnavailable
from tests.conftest import SCALED_OUT
from tests.factories import demo_rep, new_case

pytestmark = pytest.mark.skipif(SCALED_OUT, reason="SQLite's lock; PostgreSQL is cut off in tests/e2e/test_faults.py")


def test_sqlite_runs_in_write_ahead_log_mode():
    with db.reading() as session:
        assert session.exec(sa.text("PRAGMA journal_mode")).one()[0] == "wal"


def test_a_locked_database_refuses_the_edit_saves_nothing_and_recovers(database):
    number = new_case(lines=1)
    line = device_lines.list_lines(demo_rep(), number).lines[0]
    holder = sqlite3.connect(sa.engine.make_url(database).database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        with pytest.raises(DatabaseUnavailable):
            device_lines.update_line(demo_rep(), number, line.id, "lot", "LOCKED")
        assert not db.reachable()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert db.reachable()
    assert device_lines.list_lines(demo_rep(), number).lines[0].lot == line.lot
    device_lines.update_line(demo_rep(), number, line.id, "lot", "FREE")
    assert device_lines.list_lines(demo_rep(), number).lines[0].lot == "FREE"
