"""The engine for each app and a session for each request.

SQLite is tuned so that several worker processes can write at once: WAL, a busy timeout,
and write transactions that take the write lock up front (BEGIN IMMEDIATE), so two
writers queue instead of failing with "database is locked" when one upgrades its lock.
Pages that only read (GET) begin deferred, so readers never wait on writers. A database the app creates is
readable by its owner only, and so are the -wal and -shm files SQLite keeps beside it.
"""

import os
import threading
from contextlib import suppress

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
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    _keep_the_server_default_access_mode(engine)
    _without_jit(engine)
    return engine


def _without_jit(engine: Engine) -> None:
    """No JIT compilation: it pays only for queries that run for seconds, and the reports' largest queries, which
    reach its threshold at a large program's size, spent longer compiling than running (docs/performance.md). Set on
    each new connection, so that the options an operator gives in DATABASE_URL or PGOPTIONS stay theirs."""
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        autocommit, dbapi_connection.autocommit = dbapi_connection.autocommit, True  # a session setting, kept
        try:
            dbapi_connection.execute("SET jit = off")
        finally:
            dbapi_connection.autocommit = autocommit


def _keep_the_server_default_access_mode(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def on_checkin(dbapi_connection, _record):
        # After a READ ONLY session (open_session) SQLAlchemy leaves psycopg's read_only at False, and every
        # later transaction would begin READ WRITE, overriding a database an administrator made read-only.
        if dbapi_connection is not None and not dbapi_connection.closed:
            dbapi_connection.read_only = None


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "do_connect")
    def before_connect(_dialect, _record, cargs, cparams):
        if cargs and cargs[0] != ":memory:" and not cparams.get("uri"):
            create_private_file(cargs[0])

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

    _one_writer_at_a_time(engine)


def _one_writer_at_a_time(engine: Engine) -> None:
    """The threads of one process take turns at writing, in the order they came.

    Writers of different processes wait on SQLite's lock, whose busy handler sleeps and retries: fair enough
    between a few processes, but the threads of a threaded worker, left to it, overtake each other at random and
    a few wait far longer than the rest. The turn is only a queue in front of SQLite's lock: a writer that waits
    longer than the busy timeout for it goes on to SQLite's lock as before, so it adds no way to fail.
    """
    turn = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        if mode == "IMMEDIATE" and turn.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            connection.info["has_the_turn"] = True
        try:
            connection.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            _pass_the_turn(connection)
            raise

    def _pass_the_turn(connection, *_args):
        if connection.info.pop("has_the_turn", False):
            turn.release()

    for ending in ("commit", "rollback"):
        event.listen(engine, ending, _pass_the_turn)


# SQLite keeps no statistics of its own: until ANALYZE runs it judges every index alike, and may read a large table
# through the wrong one. ANALYZE samples this many rows of each index (PRAGMA analysis_limit), so that it takes
# moments at any size; the statistics it keeps are approximate, which is all the planner needs.
STATISTICS_SAMPLE = 1000


def refresh_statistics(engine: Engine) -> None:
    """The planner's statistics, afresh: after `init`, and daily from the worker's morning round. PostgreSQL's
    autovacuum keeps them too; a migration may have added an index it has not seen."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(f"PRAGMA analysis_limit = {STATISTICS_SAMPLE}")
        connection.exec_driver_sql("ANALYZE")
        connection.commit()


def create_private_file(path) -> None:
    """An empty file only its owner may read, unless one is there already: its mode is then its administrator's.

    SQLite would create the database 0644 less the umask, readable by everyone on the machine. An empty file is an
    empty database to SQLite, which gives its -wal, -shm and -journal files the database's own mode.
    """
    with suppress(OSError):  # there already, or SQLite will say why it cannot be made when it tries
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def open_session(engine: Engine, *, read_only: bool = False) -> Session:
    """A session; on SQLite a read-only one begins DEFERRED, every other IMMEDIATE. On PostgreSQL a read-only
    one is READ ONLY: the server refuses any write made in it."""
    options = {"sqlite_begin": "DEFERRED" if read_only else "IMMEDIATE"}
    if read_only and engine.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    session = Session(engine.execution_options(**options), expire_on_commit=False)
    session.info["read_only"] = read_only
    return session


def get_session() -> Session:
    if "db_session" not in g:
        read_only = has_request_context() and request.method in READ_ONLY_METHODS
        g.db_session = open_session(current_app.extensions["db_engine"], read_only=read_only)
    return g.db_session


def close_session(exc=None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        if exc is None and _wrote_nothing(session):
            # psycopg forgets its prepared statements on every ROLLBACK, and PostgreSQL would then plan each
            # page's queries afresh. A READ ONLY transaction ends alike by COMMIT.
            session.commit()
    finally:
        session.close()  # rolls back whatever is left


def _wrote_nothing(session: Session) -> bool:
    """A READ ONLY transaction on PostgreSQL, with no change waiting in the session to be flushed."""
    return (session.info["read_only"] and session.get_bind().dialect.name == "postgresql"
            and not (session.new or session.dirty or session.deleted))


def init_app(app) -> None:
    app.extensions["db_engine"] = create_db_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)
