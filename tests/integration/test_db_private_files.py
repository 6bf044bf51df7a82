"""The SQLite database, the -wal and -shm files SQLite keeps beside it, and backups are readable by their owner only.

They hold every nomination, vote and board note, and the password hashes. The database is made by the real command
line (`burden-tracker init`), written through the app while a connection holds its write-ahead log open, and backed up
by `burden-tracker backup`, each under the common umask 022, which would leave a file readable by everyone.
"""

import os
import stat
import subprocess
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from burden_tracker import create_app
from burden_tracker.db import get_session
from burden_tracker.enums import Role
from burden_tracker.services.users import add_user
from tests.support.serving import BIN

UMASK = 0o022


def mode(path) -> str:
    return oct(stat.S_IMODE(os.stat(path).st_mode))


def command(database_url: str, *args: str) -> None:
    subprocess.run([str(BIN / "burden-tracker"), *args], check=True, capture_output=True, umask=UMASK,
                   env={"DATABASE_URL": database_url, "SECRET_KEY": "test", "PATH": f"{BIN}:/usr/bin:/bin"})


@pytest.fixture
def common_umask():
    before = os.umask(UMASK)
    yield
    os.umask(before)


@contextmanager
def writing_through_the_app(database_url: str):
    """A user added through the app, with a reader still open: SQLite keeps -wal and -shm while anyone is connected."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test"})
    engine = app.extensions["db_engine"]
    try:
        with app.app_context():
            add_user(session=get_session(), email="nurse@example.org", name="Nurse", roles={Role.STAFF}, password=None)
        with engine.connect() as reader:
            reader.execute(text("SELECT count(*) FROM users"))
            yield
    finally:
        engine.dispose()


def test_the_database_its_wal_and_shm_and_a_backup_are_readable_by_their_owner_only(tmp_path, common_umask):
    database = tmp_path / "tracker.sqlite3"
    url = f"sqlite:///{database}"
    command(url, "init")
    assert mode(database) == "0o600"
    with writing_through_the_app(url):
        assert {path.name: mode(path) for path in tmp_path.iterdir()} == {
            "tracker.sqlite3": "0o600", "tracker.sqlite3-wal": "0o600", "tracker.sqlite3-shm": "0o600"}
        command(url, "backup", str(tmp_path / "copy.sqlite3"))
    assert mode(tmp_path / "copy.sqlite3") == "0o600"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["copy.sqlite3", "tracker.sqlite3"]


def test_a_backup_replacing_an_older_readable_one_is_owner_only(tmp_path, common_umask):
    url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    command(url, "init")
    older = tmp_path / "copy.sqlite3"
    older.write_bytes(b"")
    older.chmod(0o644)
    command(url, "backup", str(older))
    assert mode(older) == "0o600"


def test_a_database_its_administrator_made_group_readable_keeps_that_mode(tmp_path, common_umask):
    """Only what the app creates is narrowed: an existing file's mode is its administrator's choice."""
    database = tmp_path / "tracker.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o640)
    url = f"sqlite:///{database}"
    command(url, "init")
    with writing_through_the_app(url):
        assert mode(database) == mode(tmp_path / "tracker.sqlite3-wal") == "0o640"
