"""`python -m closeout.tools.createdb URL`: create the PostgreSQL database of URL if it is
missing (connecting to the server's `postgres` database), so `make run-prod` needs no psql."""

import sys

import sqlalchemy as sa
from sqlalchemy.engine import make_url


def main(url: str) -> None:
    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
            print(f"Created database {target.database}.")
    admin.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
