"""Sixteen people at once against `burden-tracker serve --workers 4`, on SQLite and on PostgreSQL.

Eleven staff nominate, support, comment and browse; five board members vote, evaluate, reject and
retire, often on the same nominations at the same moment. Afterwards every count in the database
must match the answers the clients got (nothing lost, nothing doubled), no answer may be a 5xx,
the server must never have said "database is locked", and each decision must have exactly one event.
The figures of each run are written to test-artifacts/load-<database>.json for the README.
"""

import http.cookiejar
import json
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from burden_tracker.db import open_session
from burden_tracker.enums import EventKind, Role, State
from burden_tracker.models import Comment, Event, Nomination, Supporter, Vote
from burden_tracker.services.users import add_user
from tests.factories import make_department, make_nomination

BIN = Path(sys.executable).parent
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
STAFF, BOARD, ROUNDS = 11, 5, 10
PASSWORD = "a load-test password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


class Person:
    """One browser: its own cookies, and a record of every answer it got."""

    def __init__(self, base: str, email: str, log: list):
        self.base, self.email, self.log = base, email, log
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())
        self.token = None

    def get(self, path: str) -> tuple[int, str]:
        return self._send("GET", path)

    def post(self, path: str, **fields) -> int:
        return self._send("POST", path, {**fields, "csrf_token": self.token})[0]

    def sign_in(self) -> None:
        self.token = self._token("/login")
        assert self.post("/login", email=self.email, password=PASSWORD) in (302, 303)
        self.token = self._token("/nominations")

    def _token(self, path: str) -> str:
        match = CSRF.search(self.get(path)[1])
        return match[1] or match[2]

    def _send(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode(errors="replace")
        self.log.append((method, re.sub(r"\d+", "N", path), status, time.perf_counter() - started))
        return status, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 303 is an answer to count, not a page to fetch


@pytest.fixture
def program(session):
    """Open nominations to act on, and the people who act."""
    department = make_department(session).name
    for n in range(STAFF):
        add_user(session=session, email=f"staff{n}@load.test", roles={Role.STAFF}, password=PASSWORD)
    for n in range(BOARD):
        add_user(session=session, email=f"board{n}@load.test", roles={Role.STAFF, Role.BOARD}, password=PASSWORD)
    proposed = [make_nomination(session, title=f"Waiting burden {n}", submitted_on=date(2026, 9, 1)).id
                for n in range(24)]
    evaluated = [make_nomination(session, state=State.EVALUATED, title=f"Evaluated burden {n}",
                                 submitted_on=date(2026, 8, 1)).id for n in range(12)]
    session.commit()
    return {"department": department, "proposed": proposed, "evaluated": evaluated}


@pytest.fixture
def server(database_url, program, tmp_path):
    port = _free_port()
    log = (tmp_path / "server.log").open("w+")
    process = subprocess.Popen(
        [str(BIN / "burden-tracker"), "serve", "--port", str(port), "--workers", "4"], stdout=log,
        stderr=subprocess.STDOUT, env={"DATABASE_URL": database_url, "SECRET_KEY": "load test key",
                                       "PATH": str(BIN) + ":/usr/bin:/bin"})
    base = f"http://127.0.0.1:{port}"
    _wait_for(base + "/healthz")
    yield base, log
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_sixteen_people_at_once_lose_nothing_and_double_nothing(server, program, engine, database_url):
    base, server_log = server
    log: list = []
    results = {"nominated": [], "supported": [], "commented": [], "voted": set(), "decided": []}
    lock = threading.Lock()
    people = ([Person(base, f"staff{n}@load.test", log) for n in range(STAFF)]
              + [Person(base, f"board{n}@load.test", log) for n in range(BOARD)])
    for person in people:
        person.sign_in()
    started = time.perf_counter()
    threads = [threading.Thread(target=_staff_day, args=(p, n, program, results, lock)) for n, p in
               enumerate(people[:STAFF])]
    threads += [threading.Thread(target=_board_day, args=(p, n, program, results, lock)) for n, p in
                enumerate(people[STAFF:])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started

    assert results["nominated"] and results["supported"] and results["voted"] and results["decided"]
    statuses = Counter(status for *_, status, _ in log)
    assert statuses[409] + statuses[422] > 0  # members did collide, and were told
    assert not [entry for entry in log if entry[2] >= 500]
    server_log.seek(0)
    assert "database is locked" not in server_log.read()
    with open_session(engine, read_only=True) as session:
        _reconcile(session, program, results)
    _write_figures(database_url, log, statuses, seconds)


def _staff_day(person: Person, number: int, program, results, lock) -> None:
    rng = random.Random(number)
    for round_ in range(ROUNDS):
        person.get(f"/nominations?page={rng.randint(1, 3)}")
        status = person.post("/nominations/new", title=f"Load burden {number}-{round_}",
                             description="Charted twice, read by nobody.", category="task",
                             department=program["department"], affected_role="nurse", minutes_per_occurrence="2",
                             occurrences_per_week="10", clinicians_affected="40",
                             requirement_source="internal policy")
        if status == 303:
            with lock:
                results["nominated"].append(f"Load burden {number}-{round_}")
        target = rng.choice(program["proposed"])
        if person.post(f"/nominations/{target}/support", occurrences_per_week="3") == 200:  # the page, in place
            with lock:
                results["supported"].append((target, person.email))
        target = rng.choice(program["proposed"] + program["evaluated"])
        if person.post(f"/nominations/{target}/comments", body=f"Same here ({number}-{round_}).") == 200:
            with lock:
                results["commented"].append(target)
        person.get(f"/nominations/{target}")


def _board_day(person: Person, number: int, program, results, lock) -> None:
    rng = random.Random(100 + number)
    for round_ in range(ROUNDS):
        person.get("/board")
        target = rng.choice(program["evaluated"])
        if person.post(f"/nominations/{target}/votes", choice="approve") == 303:
            with lock:
                results["voted"].add((target, person.email))
        # Several members decide on the same few nominations at once: one wins, the others are told.
        move, target = rng.choice([("evaluate", program["proposed"][round_ % 8]),
                                   ("reject", program["proposed"][8 + round_ % 8]),
                                   ("retire", program["evaluated"][round_ % 12])])
        status, page = person.get(f"/nominations/{target}")
        version = VERSION.search(page)
        if version is None:
            continue  # already decided: the page offers no such form
        fields = {"evaluate": {"minutes_per_occurrence": "1", "occurrences_per_week": "5", "clinicians_affected": "30",
                               "confirmed_source": "internal policy", "note": "Checked on the unit."},
                  "reject": {"note": "Required by regulation."},
                  "retire": {"note": "Form removed.", "retired_on": "2026-11-01"}}[move]
        status = person.post(f"/nominations/{target}/{move}", version=version[1], **fields)
        assert status in (303, 409, 422), (move, status)
        if status == 303:
            with lock:
                results["decided"].append((target, move))


def _reconcile(session, program, results) -> None:
    titles = session.scalars(select(Nomination.title).where(Nomination.title.like("Load burden %"))).all()
    assert sorted(titles) == sorted(results["nominated"])
    supporters = session.execute(select(Supporter.nomination_id, Supporter.user_id)).all()
    assert len(supporters) == len(results["supported"]) == len(set(results["supported"]))
    assert session.scalar(select(func.count()).select_from(Comment)) == len(results["commented"])
    assert session.scalar(select(func.count()).select_from(Vote)) == len(results["voted"])
    moves = session.execute(select(Event.nomination_id, Event.from_state, Event.to_state)
                            .where(Event.kind == EventKind.MOVED).order_by(Event.nomination_id, Event.id)).all()
    assert len(moves) == len(results["decided"])  # one event per decision the clients were told was made
    to_state = {"evaluate": State.EVALUATED, "reject": State.REJECTED, "retire": State.RETIRED}
    assert Counter((n, s) for n, _, s in moves) == Counter((n, to_state[m]) for n, m in results["decided"])
    last_move = {nomination_id: to_state for nomination_id, _, to_state in moves}  # ordered by id
    states = dict(session.execute(select(Nomination.id, Nomination.state)).all())
    assert {n: states[n] for n in last_move} == last_move


def _write_figures(database_url: str, log: list, statuses: Counter, seconds: float) -> None:
    times = sorted(duration for *_, duration in log)
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"load-{kind}.json").write_text(json.dumps({
        "clients": STAFF + BOARD, "workers": 4, "requests": len(log), "seconds": round(seconds, 1),
        "requests_per_second": round(len(log) / seconds), "statuses": dict(sorted(statuses.items())),
        "p50_ms": round(times[len(times) // 2] * 1000), "p99_ms": round(times[int(len(times) * 0.99)] * 1000),
    }, indent=2))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")
