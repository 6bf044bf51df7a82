"""Sixteen people at once against `burden-tracker serve --workers 4`, on SQLite and on PostgreSQL.

Eleven staff nominate, support, comment and browse; five board members vote, evaluate, reject and
retire, often on the same nominations at the same moment. Afterwards every count in the database
must match the answers the clients got (nothing lost, nothing doubled), no answer may be a 5xx,
the server must never have said "database is locked", and each decision must have exactly one event.
The figures of each run are written to test-artifacts/load-<database>.json for docs/performance.md.
"""

import json
import random
import re
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from burden_tracker.db import open_session
from burden_tracker.enums import EventKind, Role, State
from burden_tracker.models import Comment, Event, Nomination, Supporter, Vote
from burden_tracker.services.users import add_user
from tests.support.factories import make_department, make_nomination
from tests.support.serving import Browser, served

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
STAFF, BOARD, ROUNDS = 11, 5, 10
PASSWORD = "a load-test password"
VERSION = re.compile(r'name="version" value="(\d+)"')


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
    log_path = tmp_path / "server.log"
    with served(database_url, log_path, workers=4) as (base, _process):
        yield base, log_path


def test_sixteen_people_at_once_lose_nothing_and_double_nothing(server, program, engine, database_url):
    base, server_log = server
    log: list = []
    results = {"nominated": [], "supported": [], "commented": [], "voted": set(), "decided": []}
    lock = threading.Lock()
    people = ([Browser(base, log) for _ in range(STAFF)] + [Browser(base, log) for _ in range(BOARD)])
    emails = [f"staff{n}@load.test" for n in range(STAFF)] + [f"board{n}@load.test" for n in range(BOARD)]
    for person, email in zip(people, emails, strict=True):
        person.sign_in(email, PASSWORD)
        person.email = email
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
    assert "database is locked" not in server_log.read_text()
    with open_session(engine, read_only=True) as session:
        _reconcile(session, program, results)
    _write_figures(database_url, log, statuses, seconds)


def _staff_day(person: Browser, number: int, program, results, lock) -> None:
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


def _board_day(person: Browser, number: int, program, results, lock) -> None:
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
                  "retire": {"note": "Form removed.", "retired_on": "2026-11-01", "outcome": "removed"}}[move]
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
