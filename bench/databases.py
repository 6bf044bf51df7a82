"""Throwaway databases for the benchmarks: a SQLite file, or a PostgreSQL database of their own."""

import os
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
KINDS = ("sqlite", "postgresql")


@contextmanager
def fresh_database(kind: str, folder: Path, label: str = ""):
    """Yields the URL of an empty database of this kind, removed afterwards; label tells apart those that
    one process keeps at once."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    admin = make_url(POSTGRES)
    name = f"bt_bench_{os.getpid()}{'_' + label if label else ''}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
