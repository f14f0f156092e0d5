"""Backups that restore, for the database the app is configured with (REFLEX_DB_URL).

SQLite: the online backup API copies every page in one read transaction, so the file is one
consistent moment even while the app writes (in write-ahead-log mode the app's writers are
never blocked by it); the copy is checked and switched to a plain journal, one self-contained
file. PostgreSQL: `pg_dump` in its custom format (a snapshot, the app keeps writing) and
`pg_restore` in one transaction, so a failed restore leaves the target as it was.

A backup is written under a temporary name and renamed when complete: a file with the
backup's name is always a whole backup. Restore refuses a target that holds data (rows in any
table but Alembic's) unless forced: restoring over live data by mistake loses it.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from . import createdb

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
BUSY_TIMEOUT_SECONDS = 30.0
PG_CLIENT_HINT = "install the PostgreSQL client programs (Debian: apt-get install postgresql-client)"


class BackupError(Exception):
    """A backup or restore that did not happen, with the reason for the operator."""


def backup(db_url: str, file: Path, force: bool = False) -> Path:
    """Copy the database at `db_url` into `file` (an existing file only with `force`)."""
    file = Path(file)
    if file.exists() and not force:
        raise BackupError(f"{file} already exists; choose another name or pass --force to replace it.")
    partial = file.with_name(file.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if _is_sqlite(db_url):
            _sqlite_backup(_sqlite_path(db_url), partial)
        else:
            _pg_backup(db_url, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, file)
    return file


def restore(file: Path, db_url: str, force: bool = False) -> None:
    """Put the backup `file` into the database at `db_url` (created if missing); a target that
    holds data is overwritten only with `force`."""
    file = Path(file)
    magic = _magic(file)
    sqlite = _is_sqlite(db_url)
    if magic.startswith(PG_DUMP_MAGIC if sqlite else SQLITE_MAGIC):
        kinds = ("PostgreSQL", "SQLite") if sqlite else ("SQLite", "PostgreSQL")
        raise BackupError(f"{file} is a {kinds[0]} backup, but the configured database is {kinds[1]}.")
    if not magic.startswith(SQLITE_MAGIC if sqlite else PG_DUMP_MAGIC):
        raise BackupError(f"{file} is not a Closeout backup.")
    if sqlite:
        path = _sqlite_path(db_url)
        if path.exists():
            _refuse_data(db_url, force)
        _sqlite_restore(file, path)
    else:
        try:
            createdb.main(db_url)
        except sa.exc.DBAPIError as error:
            raise BackupError(f"The database server cannot be reached: {error.orig}") from None
        _refuse_data(db_url, force)
        _pg_restore(file, db_url)


def tables_with_rows(db_url: str) -> list[str]:
    """The tables of the database that hold at least one row (Alembic's own aside)."""
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            names = [n for n in sa.inspect(conn).get_table_names() if n != "alembic_version"]
            quote = conn.dialect.identifier_preparer.quote
            return [n for n in names if conn.execute(sa.text(f"SELECT 1 FROM {quote(n)} LIMIT 1")).first()]
    except sa.exc.DBAPIError as error:
        raise BackupError(f"The database cannot be read: {error.orig}") from None
    finally:
        engine.dispose()


def _refuse_data(db_url: str, force: bool) -> None:
    if not force and (full := sorted(tables_with_rows(db_url))):
        named = ", ".join(full[:5]) + (", …" if len(full) > 5 else "")
        raise BackupError(f"The target database is not empty ({named}); pass --force to replace its data with the backup's.")


def _magic(file: Path) -> bytes:
    try:
        with file.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"Cannot read {file}: {error.strerror}.") from None


# --- SQLite ---


def _is_sqlite(db_url: str) -> bool:
    return make_url(db_url).get_backend_name() == "sqlite"


def _sqlite_path(db_url: str) -> Path:
    database = make_url(db_url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database has nothing to back up or restore into.")
    return Path(database)


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """`mode` ro or rw: never creates a file (a mistyped path is an error, not an empty database)."""
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.OperationalError as error:
        raise BackupError(f"Cannot open the SQLite database {path}: {error}.") from None


def _check(connection: sqlite3.Connection, what: str) -> None:
    try:
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{what} is not a usable SQLite database: {error}.") from None
    if verdict != "ok":
        raise BackupError(f"{what} failed SQLite's check: {verdict}.")


def _sqlite_backup(path: Path, partial: Path) -> None:
    with closing(_connect(path, "rw")) as source, closing(sqlite3.connect(partial)) as target:
        source.backup(target)  # all pages in one step: one read snapshot, writers carry on
        target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        _check(target, "The backup")


def _sqlite_restore(file: Path, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(_connect(file, "ro")) as source:
        _check(source, str(file))
        try:
            with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)) as target:
                source.backup(target)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"Cannot restore into {path}: {error}.") from None


# --- PostgreSQL ---


def _libpq(db_url: str) -> tuple[str, dict[str, str]]:
    """The connection URL for pg_dump/pg_restore, and their environment: the password goes in
    PGPASSWORD, never on a command line that `ps` shows."""
    url = make_url(db_url)
    target = URL.create("postgresql", username=url.username, host=url.host, port=url.port, database=url.database,
                        query=url.query)  # fmt: skip
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return target.render_as_string(), env


def _run(program: str, *args: str, env: dict[str, str]) -> None:
    found = shutil.which(program)
    if found is None:
        raise BackupError(f"{program} is not installed: {PG_CLIENT_HINT}.")
    done = subprocess.run([found, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(f"{program} failed: {done.stderr.strip() or f'exit status {done.returncode}'}")


def _pg_backup(db_url: str, partial: Path) -> None:
    conninfo, env = _libpq(db_url)
    _run("pg_dump", "--format=custom", f"--file={partial}", f"--dbname={conninfo}", env=env)


def _pg_restore(file: Path, db_url: str) -> None:
    conninfo, env = _libpq(db_url)
    _run("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", f"--dbname={conninfo}", str(file), env=env)  # fmt: skip
