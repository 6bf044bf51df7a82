"""Fixtures shared by every test.

Data-layer tests take `session` (or `engine`, `app`) and run twice: on SQLite and on PostgreSQL.
The schema always comes from the real Alembic migrations. SQLite tests get a copy of a
migrated template file; PostgreSQL tests get a database of their own worker, emptied between
tests by DELETE with its triggers off (session_replication_role, so the append-only events
table is emptied too) and its sequences set back to 1. A TRUNCATE of every table did the
same about twenty times slower: it makes each table's files anew, and most tests leave a
few rows.
"""

import os
import shutil
import uuid

# Passwords are hashed at argon2's cheapest cost in tests (services/users.py says why). Set before burden_tracker is
# imported, since its hasher is chosen as it loads; servers the tests start inherit it.
os.environ.setdefault("PASSWORD_HASHING", "cheapest-for-tests-only")

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from burden_tracker import create_app, migrate
from burden_tracker.db import create_db_engine, open_session
from burden_tracker.enums import Role, TokenScope
from burden_tracker.services.api_tokens import create_token
from burden_tracker.services.reference import ensure_reference_data
from tests.support.factories import make_user
from tests.support.identity_provider import running_provider
from tests.support.smtp import running_inbox
from tests.support.web import sign_in

# Admins sign in with a password alone in tests, as every role does; the second factor's own tests turn it back on
# (integration/views/test_second_factor.py, browser/test_second_factor.py). Set before any app reads it.
os.environ.setdefault("SECOND_FACTOR_FOR_ADMINS", "0")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgresql"]


def _psycopg_dsn(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database():
    """A database for this test worker, migrated once, dropped at the end."""
    admin = make_url(POSTGRES_ADMIN_URL)
    name = f"bt_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(_psycopg_dsn(admin), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = admin.set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        table_names = list(connection.scalars(text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")))
    engine.dispose()
    emptying = ("SET LOCAL session_replication_role = replica; "
                + "".join(f"DELETE FROM {table}; " for table in table_names)
                + "SELECT setval(oid::regclass, 1, false) FROM pg_class "
                  "WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace")
    yield url, emptying
    with psycopg.connect(_psycopg_dsn(admin), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url, emptying = request.getfixturevalue("postgres_database")
    with psycopg.connect(_psycopg_dsn(make_url(url))) as connection:
        connection.execute(emptying)
    return url


@pytest.fixture
def engine(database_url):
    engine = create_db_engine(database_url)
    with open_session(engine) as session:
        ensure_reference_data(session=session)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with open_session(engine) as session:
        yield session


@pytest.fixture
def app(engine, database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "a key for tests only",
        "ATTACHMENTS_DIR": str(tmp_path_factory.mktemp("attachments")),
        "JOBS_URL": "immediate",  # each job runs as it is queued; tests/system/test_worker.py runs a real worker
    })
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def staff_client(client, session):
    """The test client, signed in as a member of staff."""
    sign_in(client, make_user(session, can_sign_in=True).email)
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def inbox():
    """A real SMTP server on 127.0.0.1 for the test; its .received holds what it was sent."""
    with running_inbox() as inbox:
        yield inbox


@pytest.fixture(scope="session")
def identity_provider():
    """A real OpenID provider process on 127.0.0.1, for this test worker (tests/support/identity_provider.py)."""
    with running_provider() as provider:
        yield provider


@pytest.fixture
def sso_app(engine, database_url, identity_provider, monkeypatch):
    """make(**settings): the app with single sign-on through identity_provider, and these settings on top."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test provider speaks plain HTTP on loopback
    made = []

    def make(**settings):
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only",
                          **identity_provider.app_settings(**settings)})
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["db_engine"].dispose()


@pytest.fixture
def token(session):
    """make(*roles, scope=..., user=...): the secret of an API token of a new person with those roles, or of user's
    (tests/support/api.py sends it)."""

    def make(*roles: Role, scope: TokenScope = TokenScope.READ, user=None) -> str:
        owner = user or make_user(session, *(roles or (Role.STAFF,)), can_sign_in=True)
        return create_token(session=session, user=owner, name="Tests", scope=scope)[1]

    return make
