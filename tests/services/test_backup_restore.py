"""Backups that restore (closeout/tools/backup.py). A backup is taken while another screen keeps
saving Devices Used edits through the service; restored into a new database it holds every row
committed before the backup started, equal, table by table (cases, lines, signatures, shares,
the audit trail, the Directory...), and the line being edited exactly as one committed edit
left it: the line, its case and its audit rows agree, so the backup is one consistent moment.
SQLite uses the online backup API, PostgreSQL pg_dump/pg_restore."""

import contextvars
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from reflex.model import get_engine
from reflex_base.config import get_config
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel, select

from benchmarks.postgres import fresh_database
from closeout import admin
from closeout.models import Case, DeviceLine
from closeout.services import device_lines, sharing
from closeout.services.db import reading
from closeout.tools.backup import BackupError, backup, restore
from tests.factories import closed_case, demo_rep, new_case
from tests.harness import migrate_and_seed

Rows = dict[str, dict[tuple, dict]]  # table -> primary key -> row


def configured_backend() -> str:
    return make_url(get_config().db_url).get_backend_name()


def rows_of(url: str) -> Rows:
    """Every row of every table of the app, by primary key; and Alembic's version."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            found = {
                table.name: {tuple(row[c.name] for c in table.primary_key): dict(row) for row in conn.execute(sa.select(table)).mappings()}
                for table in SQLModel.metadata.sorted_tables
            }  # fmt: skip
            found["alembic_version"] = {
                (v,): {} for v in conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
            }
            return found
    finally:
        engine.dispose()


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


class Editor(threading.Thread):
    """A rep on another screen saving the note of one device line again and again ("edit 1",
    "edit 2", ...) through the service, each edit its own committed transaction. `committed[k-1]`
    is the case's change stamp after edit k, appended once the service has returned. It runs in
    a copy of the test's context, as `asyncio.to_thread` runs the app's services (the Reflex
    config, hence the database, lives in a context variable)."""

    def __init__(self, case_number: str, line_id: int, version: int):
        super().__init__(daemon=True)
        self.case_number, self.line_id, self.version = case_number, line_id, version
        self.committed: list[str] = []
        self.stop, self.error = threading.Event(), None
        self.context = contextvars.copy_context()

    def run(self) -> None:
        self.context.run(self._edit)

    def _edit(self) -> None:
        rep = demo_rep()
        try:
            while not self.stop.is_set():
                edit = len(self.committed) + 1
                change = device_lines.update_line(rep, self.case_number, self.line_id, "note", f"edit {edit}",
                                                  expected_version=self.version + edit - 1)  # fmt: skip
                self.committed.append(change.stamps[1])
        except Exception as error:  # reported by the test
            self.error = error


def backup_mid_edit_restores_equal(source: str, target: str, file: Path) -> None:
    shared = closed_case()  # signed by both, submitted
    sharing.export(demo_rep(), shared, "download")
    edited = new_case(lines=2)
    with reading() as session:
        line = session.exec(select(DeviceLine).join(Case, Case.id == DeviceLine.case_id).where(Case.number == edited)
                            .order_by(DeviceLine.position)).first()  # fmt: skip
    editor = Editor(edited, line.id, line.version)
    case_id, line_id = line.case_id, line.id
    editor.start()
    try:
        wait_for(lambda: len(editor.committed) >= 3 or editor.error, "the first edits")
        started = len(editor.committed)
        before = rows_of(source)  # committed before the backup starts
        backup(source, file)
        finished = len(editor.committed)
        wait_for(lambda: len(editor.committed) >= finished + 3 or editor.error, "edits after the backup")
    finally:
        editor.stop.set()
        editor.join(30)
    assert editor.error is None, editor.error
    assert started >= 3 and len(editor.committed) >= finished + 3  # the edits went on around it

    restore(file, target)
    after = rows_of(target)
    for table, rows in before.items():
        for key, row in rows.items():
            if (table, key) in {("surgical_case", (case_id,)), ("deviceline", (line_id,))}:
                continue  # being edited: checked below
            assert after[table].get(key) == row, f"{table} {key} differs after the restore"
    for table in ("surgical_case", "deviceline", "signature", "share"):
        assert after[table].keys() == before[table].keys(), table  # no row lost, none invented
    [shared_id] = [r["id"] for r in after["surgical_case"].values() if r["number"] == shared]
    assert len([r for r in after["signature"].values() if r["case_id"] == shared_id]) == 2
    assert [r["kind"] for r in after["share"].values() if r["case_id"] == shared_id] == ["download"]

    # The edited line, its case and the audit trail are all at the same committed edit k.
    restored_line = after["deviceline"][(line_id,)]
    k = int(restored_line["note"].removeprefix("edit "))
    assert started <= k <= finished + 1  # every edit committed before the start; at most the one in flight after
    assert restored_line["version"] == line.version + k
    case_row = after["surgical_case"][(case_id,)]
    assert f"{case_row['status']}|{case_row['updated_at'].isoformat()}" == editor.committed[k - 1]

    def the_editors(row: dict) -> bool:
        return (row["entity"], row["entity_id"], row["action"]) == ("device_line", line_id, "line edited")

    assert len([r for r in after["auditevent"].values() if the_editors(r)]) == k
    during = after["auditevent"].keys() - before["auditevent"].keys()  # only the editor wrote meanwhile
    assert all(the_editors(after["auditevent"][key]) for key in during)


def test_a_sqlite_backup_taken_mid_edit_restores_every_committed_row(tmp_path):
    if configured_backend() != "sqlite":
        pytest.skip("the services run on PostgreSQL in this pass; the SQLite pass covers it")
    restored = f"sqlite:///{tmp_path}/restored.db"
    backup_mid_edit_restores_equal(get_config().db_url, restored, tmp_path / "closeout.backup")
    assert (tmp_path / "closeout.backup").read_bytes().startswith(b"SQLite format 3\x00")
    assert not (tmp_path / "closeout.backup.partial").exists()

    with pytest.raises(BackupError, match="not empty"):
        restore(tmp_path / "closeout.backup", restored)
    restore(tmp_path / "closeout.backup", restored, force=True)


@pytest.fixture
def postgres_source(monkeypatch) -> Iterator[str]:
    """The services' database on PostgreSQL: the configured one in the PostgreSQL pass, else a
    fresh one with the demo data that the services are pointed at for this test."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore not installed (Debian: apt-get install postgresql-client)")
    if configured_backend() == "postgresql":
        yield get_config().db_url
        return
    with fresh_database(f"closeout_backup_source_{os.getpid()}") as url:
        migrate_and_seed(url)
        monkeypatch.setattr(get_config(), "db_url", url)
        try:
            yield url
        finally:
            get_engine(url).dispose()


@pytest.mark.postgres
def test_a_pg_dump_taken_mid_edit_restores_every_committed_row(postgres_source, postgres_url, tmp_path):
    file = tmp_path / "closeout.dump"
    backup_mid_edit_restores_equal(postgres_source, postgres_url, file)
    assert file.read_bytes().startswith(b"PGDMP")

    with pytest.raises(BackupError, match="not empty"):
        restore(file, postgres_url)
    restore(file, postgres_url, force=True)  # drops and recreates what the backup holds
    assert rows_of(postgres_url)["share"].keys() == rows_of(postgres_source)["share"].keys()


def test_the_commands_refuse_to_overwrite(tmp_path, capsys):
    """On the configured database: a backup never replaces a file, nor a restore a database
    holding data, without --force; the refusal exits non-zero."""
    file = tmp_path / "nightly.backup"
    assert admin.main(["backup", str(file)]) == 0
    assert f"Backup written to {file}" in capsys.readouterr().out
    assert admin.main(["backup", str(file)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert admin.main(["restore", str(file)]) == 1  # the test database holds data
    assert "not empty" in capsys.readouterr().err


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("not a database")
    with pytest.raises(BackupError, match="not a Closeout backup"):
        restore(stray, f"sqlite:///{tmp_path}/new.db")
    dump = tmp_path / "other.dump"
    dump.write_bytes(b"PGDMP\x01\x0f")
    with pytest.raises(BackupError, match="is a PostgreSQL backup, but the configured database is SQLite"):
        restore(dump, f"sqlite:///{tmp_path}/new.db")
    assert not (tmp_path / "new.db").exists()


def test_a_missing_sqlite_database_is_an_error_not_an_empty_backup(tmp_path):
    with pytest.raises(BackupError, match="Cannot open"):
        backup(f"sqlite:///{tmp_path}/typo.db", tmp_path / "x.backup")
    assert not (tmp_path / "typo.db").exists() and not (tmp_path / "x.backup").exists()
