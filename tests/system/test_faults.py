"""Faults a hospital's servers will meet, caused for real against `burden-tracker serve`.

A worker killed in the middle of a decision, an import killed halfway, a backup taken while people
write, the database going away and coming back, and a disk that is full. Each must leave the data
whole and answer with a clean page.
"""

import http.client
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from burden_tracker.db import open_session
from burden_tracker.enums import EventKind, Role, State
from burden_tracker.models import Comment, Event, Nomination, UserSession
from burden_tracker.services.users import add_user
from tests.support.factories import make_nomination
from tests.support.serving import BIN, Browser, served, wait_for, workers_of

PASSWORD = "a fault-test password"
CLEAN_PAGE_HIDES = ("Traceback", "sqlalchemy", "psycopg", "sqlite3", "OperationalError", 'File "')
RETRYABLE = (OSError, http.client.HTTPException)  # a worker killed under a request: the connection drops


def board_member(session, n: int = 0) -> str:
    email = f"board{n}@faults.test"
    add_user(session=session, email=email, roles={Role.STAFF, Role.BOARD}, password=PASSWORD)
    return email


def proposed(session, count: int) -> list[int]:
    ids = [make_nomination(session, title=f"Burden under fault {n}", submitted_on=date(2026, 9, 1)).id
           for n in range(count)]
    session.commit()
    return ids


def version_of(browser: Browser, nomination_id: int) -> str | None:
    status, page = browser.get(f"/nominations/{nomination_id}")
    found = re.search(r'name="version" value="(\d+)"', page)
    return found[1] if found else None


def seen_a_while_ago(session) -> None:
    """Sign-ins last seen ten minutes ago: a page now would record activity (a write)."""
    session.execute(update(UserSession).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=10)))
    session.commit()


def assert_clean_error(status: int, page: str) -> None:
    assert 500 <= status < 600
    assert "Burden Tracker" in page  # our page, not the server's bare text
    assert not [word for word in CLEAN_PAGE_HIDES if word in page]


def assert_states_follow_their_events(session) -> None:
    """Every nomination is in the state its last recorded move put it in; no move without its state."""
    moves = session.execute(select(Event.nomination_id, Event.from_state, Event.to_state)
                            .where(Event.kind == EventKind.MOVED).order_by(Event.nomination_id, Event.id)).all()
    last, previous = {}, {}
    for nomination_id, from_state, to_state in moves:
        assert from_state == previous.get(nomination_id, State.PROPOSED)  # no move recorded twice
        last[nomination_id] = previous[nomination_id] = to_state
    states = dict(session.execute(select(Nomination.id, Nomination.state)).all())
    assert {n: states[n] for n in last} == last
    assert all(state == State.PROPOSED for n, state in states.items() if n not in last)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_worker_killed_in_the_middle_of_a_decision_leaves_neither_state_nor_event(
        database_url, engine, session, tmp_path):
    """PostgreSQL lets the test hold the events table, so the worker stops after updating the
    nomination and before recording the event; then it is killed."""
    email, (target,) = board_member(session), proposed(session, 1)
    with served(database_url, tmp_path / "server.log", workers=1) as (base, server):
        board = Browser(base)
        board.sign_in(email, PASSWORD)
        version = version_of(board, target)
        with psycopg.connect(_dsn(database_url)) as holder:
            holder.execute("LOCK TABLE events IN EXCLUSIVE MODE")
            decision = threading.Thread(target=_ignoring_drops, args=(
                board.post, f"/nominations/{target}/reject"), kwargs={"version": version, "note": "Not needed."})
            decision.start()
            _wait_until_blocked_inserting_an_event(database_url)
            (worker,) = workers_of(server)
            os.kill(worker, signal.SIGKILL)
            holder.rollback()
        decision.join(timeout=30)

        with open_session(engine, read_only=True) as check:
            nomination = check.get(Nomination, target)
            assert (nomination.state, nomination.version) == (State.PROPOSED, 1)
            assert check.scalar(select(func.count()).select_from(Event)) == 0

        wait_for(base + "/healthz")  # gunicorn has started a new worker
        assert board.post(f"/nominations/{target}/reject", version=version, note="Not needed.") == 303
    with open_session(engine, read_only=True) as check:
        assert check.scalar(select(func.count()).select_from(Event)) == 1
        assert check.get(Nomination, target).state == State.REJECTED


def test_workers_killed_at_random_during_decisions_leave_no_half_decision(database_url, engine, session, tmp_path):
    emails = [board_member(session, n) for n in range(3)]
    targets = proposed(session, 20)  # enough decisions to outlast several kills, however fast the pages are
    stop = threading.Event()
    with served(database_url, tmp_path / "server.log", workers=2) as (base, server):
        boards = [Browser(base) for _ in emails]
        for browser, email in zip(boards, emails, strict=True):
            browser.sign_in(email, PASSWORD)
        killer = threading.Thread(target=_kill_workers_until, args=(server, stop))
        deciders = [threading.Thread(target=_decide_many, args=(browser, targets, n)) for n, browser in
                    enumerate(boards)]
        killer.start()
        for thread in deciders:
            thread.start()
        for thread in deciders:
            thread.join()
        stop.set()
        killer.join()
        assert killer.kills >= 3
    with open_session(engine, read_only=True) as check:
        assert_states_follow_their_events(check)
        assert check.scalar(select(func.count()).select_from(Event)) > 0  # decisions did get through
    if database_url.startswith("sqlite"):
        assert _sqlite_check(database_url) == ("ok", [])


def test_an_import_killed_halfway_leaves_nothing(database_url, engine, tmp_path):
    sheet = tmp_path / "nominations.csv"
    rows = 1_500
    sheet.write_text("title,description,category,department,affected_role,minutes_per_occurrence,"
                     "occurrences_per_week,clinicians_affected,requirement_source\n" + "".join(
                         f"Imported burden {n},Charted twice.,task,Emergency Department,nurse,2,10,40,unknown\n"
                         for n in range(rows)))
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "test", "PATH": f"{BIN}:/usr/bin:/bin"}
    command = [str(BIN / "burden-tracker"), "import", str(sheet), "--create-missing"]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    whole = time.perf_counter() - started
    with open_session(engine, read_only=True) as check:
        assert check.scalar(select(func.count()).select_from(Nomination)) == rows
    counts = []
    for fraction in (0.6, 0.8, 0.9, 0.97):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * fraction)
        process.kill()
        process.wait()
        with open_session(engine, read_only=True) as check:
            counts.append(check.scalar(select(func.count()).select_from(Nomination)))
    assert all(count % rows == 0 for count in counts), counts  # whole imports only


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_backup_taken_while_people_write_restores_whole(database_url, session, tmp_path):
    email, targets = board_member(session), proposed(session, 5)
    stop, written = threading.Event(), []
    with served(database_url, tmp_path / "server.log", workers=2) as (base, _server):
        writers = [Browser(base) for _ in range(4)]
        for browser in writers:
            browser.sign_in(email, PASSWORD)
        threads = [threading.Thread(target=_comment_until, args=(b, targets, stop, written)) for b in writers]
        for thread in threads:
            thread.start()
        backups = []
        for n in range(3):
            time.sleep(0.7)
            backup = tmp_path / f"backup-{n}.sqlite3"
            subprocess.run([str(BIN / "burden-tracker"), "backup", str(backup)], check=True, capture_output=True,
                           env={"DATABASE_URL": database_url, "SECRET_KEY": "test", "PATH": f"{BIN}:/usr/bin:/bin"})
            backups.append(backup)
        stop.set()
        for thread in threads:
            thread.join()
    live_comments = len(written)
    counts = []
    for backup in backups:
        assert _sqlite_check(f"sqlite:///{backup}") == ("ok", [])
        with sqlite3.connect(backup) as copy:
            comments = copy.execute("SELECT count(*) FROM comments").fetchone()[0]
            notices = copy.execute("SELECT count(*) FROM notifications").fetchone()[0]
        counts.append(comments)
        assert notices >= comments  # each comment told the submitter: never a comment without its notice
    assert counts == sorted(counts) and counts[0] > 0 and counts[-1] <= live_comments


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_database_going_away_gives_503_and_clean_pages_then_recovers(database_url, session, tmp_path):
    email, (target,) = board_member(session), proposed(session, 1)
    url = make_url(database_url)
    with _Proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        with served(through_proxy, tmp_path / "server.log", workers=2) as (base, _server):
            browser = Browser(base)
            browser.sign_in(email, PASSWORD)
            proxy.cut()
            assert browser.get("/healthz")[0] == 503
            for path in ("/nominations", f"/nominations/{target}", "/board"):
                assert_clean_error(*browser.get(path))
            status = browser.post(f"/nominations/{target}/comments", body="Said while the database was away.")
            assert status >= 500
            proxy.restore()
            wait_for(base + "/healthz", seconds=20)
            assert browser.get(f"/nominations/{target}")[0] == 200
            assert browser.post(f"/nominations/{target}/comments", body="Said once it was back.") == 200
    with open_session(session.get_bind(), read_only=True) as check:
        assert check.scalars(select(Comment.body)).all() == ["Said once it was back."]


def test_a_full_disk_gives_a_clean_error_and_serves_no_partial_workbook(database_url, session, tmp_path):
    email, (target,) = board_member(session), proposed(session, 1)
    browser = None
    with served(database_url, tmp_path / "server.log") as (base, _server):
        browser = Browser(base)
        browser.sign_in(email, PASSWORD)  # signing in writes a session row: done before the disk fills
    seen_a_while_ago(session)  # so the next page would record activity: it must be answered all the same
    with served(database_url, None, file_size_limit=1) as (base, _server):
        browser.base = base
        status, page = browser.get("/reports/2026-Q3.xlsx")
        assert_clean_error(status, page)
        assert "workbook could not be written" in page
        if database_url.startswith("sqlite"):  # the database file is on the full disk too
            status, page = browser.send("POST", f"/nominations/{target}/comments",
                                        {"body": "Lost to a full disk?", "csrf_token": browser.token})
            assert_clean_error(status, page)
    with open_session(session.get_bind(), read_only=True) as check:
        assert check.scalar(select(func.count()).select_from(Comment)) == 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_read_only_database_refuses_changes_cleanly_and_still_shows_pages(database_url, session, tmp_path):
    email, (target,) = board_member(session), proposed(session, 1)
    name = make_url(database_url).database
    with served(database_url, tmp_path / "server.log") as (base, _server):
        browser = Browser(base)
        browser.sign_in(email, PASSWORD)
    seen_a_while_ago(session)
    with psycopg.connect(_dsn(database_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        with served(database_url, tmp_path / "read-only.log") as (base, _server):
            browser.base = base
            assert browser.get(f"/nominations/{target}")[0] == 200
            status, page = browser.send("POST", f"/nominations/{target}/comments",
                                        {"body": "Written to a read-only database?", "csrf_token": browser.token})
            assert_clean_error(status, page)
    finally:
        with psycopg.connect(_dsn(database_url, "postgres"), autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    with open_session(session.get_bind(), read_only=True) as check:
        assert check.scalar(select(func.count()).select_from(Comment)) == 0


# Helpers


def _dsn(database_url: str, database: str | None = None) -> str:
    url = make_url(database_url).set(drivername="postgresql")
    return (url.set(database=database) if database else url).render_as_string(hide_password=False)


def _ignoring_drops(send, *args, **kwargs):
    with suppress(*RETRYABLE):
        send(*args, **kwargs)


def _wait_until_blocked_inserting_an_event(database_url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    with psycopg.connect(_dsn(database_url), autocommit=True) as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                      "AND query ILIKE 'INSERT INTO events%'").fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the decision never reached the events table")


def _kill_workers_until(server, stop: threading.Event) -> None:
    thread = threading.current_thread()
    thread.kills = 0
    rng = random.Random(3)
    while not stop.wait(rng.uniform(0.2, 0.5)):
        with suppress(FileNotFoundError, ProcessLookupError, ValueError):
            workers = workers_of(server)
            if workers:
                os.kill(rng.choice(workers), signal.SIGKILL)
                thread.kills += 1


def _decide_many(browser: Browser, targets: list[int], seed: int) -> None:
    rng = random.Random(seed)
    for target in rng.sample(targets, len(targets)):
        with suppress(*RETRYABLE):
            version = version_of(browser, target)
            if version is None:
                continue
            move, fields = rng.choice([("reject", {"note": "Not needed."}),
                                       ("evaluate", {"minutes_per_occurrence": "1", "occurrences_per_week": "5",
                                                     "clinicians_affected": "30", "confirmed_source": "unknown",
                                                     "note": "Checked."})])
            browser.post(f"/nominations/{target}/{move}", version=version, **fields)


def _comment_until(browser: Browser, targets: list[int], stop: threading.Event, written: list) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        if browser.post(f"/nominations/{targets[n % len(targets)]}/comments", body=f"Comment {n}") == 200:
            written.append(n)


def _sqlite_check(database_url: str) -> tuple[str, list]:
    with sqlite3.connect(make_url(database_url).database) as connection:
        return (connection.execute("PRAGMA integrity_check").fetchone()[0],
                connection.execute("PRAGMA foreign_key_check").fetchall())


class _Proxy:
    """A TCP relay to the database that the test can cut (connections dropped, new ones refused) and restore."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.connections: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepting = threading.Event()
        self.accepting.set()
        self.lock = threading.Lock()

    def __enter__(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.accepting.clear()
        self.listener.close()
        self._drop_all()

    def cut(self) -> None:
        self.accepting.clear()
        self._drop_all()

    def restore(self) -> None:
        self.accepting.set()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.accepting.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)
        with self.lock:
            if source in self.connections:  # the other side hung up: forget both ends
                self.connections.remove(source)
                source.close()

    def _drop_all(self) -> None:
        with self.lock:
            connections, self.connections = self.connections, []
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
