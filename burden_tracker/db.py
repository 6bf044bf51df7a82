"""The engine for each app and a session for each request.

SQLite is tuned so that several worker processes can write at once: WAL, a busy timeout,
and write transactions that take the write lock up front (BEGIN IMMEDIATE), so two
writers queue instead of failing with "database is locked" when one upgrades its lock.
Pages that only read (GET) begin deferred, so readers never wait on writers.
"""

from flask import current_app, g, has_request_context, request
from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}


def create_db_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        for pragma in (
            "journal_mode=WAL",
            f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            "synchronous=NORMAL",
            "foreign_keys=ON",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def open_session(engine: Engine, *, read_only: bool = False) -> Session:
    """A session; on SQLite a read-only one begins DEFERRED, every other IMMEDIATE."""
    bind = engine.execution_options(sqlite_begin="DEFERRED" if read_only else "IMMEDIATE")
    return Session(bind, expire_on_commit=False)


def get_session() -> Session:
    if "db_session" not in g:
        g.db_read_only = has_request_context() and request.method in READ_ONLY_METHODS
        g.db_session = open_session(current_app.extensions["db_engine"], read_only=g.db_read_only)
    return g.db_session


def close_session(exc=None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    if exc is None and g.pop("db_read_only", False) and not (session.new or session.dirty or session.deleted):
        # A transaction that only read ends alike by COMMIT or ROLLBACK, but psycopg forgets its prepared
        # statements on every ROLLBACK: PostgreSQL would then plan each page's queries afresh.
        session.commit()
    session.close()


def init_app(app) -> None:
    app.extensions["db_engine"] = create_db_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)
