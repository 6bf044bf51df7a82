"""A large, realistic program for the benchmarks: nominations with supporters, votes, comments and events.

    from bench.dataset import build
    build(engine, nominations=100_000)

Rows go in through the models' own tables with bulk INSERTs (Core, batches of BATCH), so the
schema, types and triggers are the app's. Proportions follow a program a few years old: most
nominations are still open or were decided long ago; a quarter of them are retired.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select
from sqlmodel import Session

from burden_tracker.enums import AffectedRole, EventKind, Outcome, RequirementSource, Role, State, VoteChoice
from burden_tracker.models import (
    Category,
    Comment,
    Department,
    Event,
    EventNote,
    Nomination,
    Site,
    Supporter,
    User,
    UserRole,
    Vote,
)
from burden_tracker.services.reference import ensure_reference_data

BATCH = 5_000
DEPARTMENTS = [f"Department {n:02d}" for n in range(1, 31)]
SITES = ["North Hospital", "South Clinic"]
BOARD_MEMBERS = 9
STATES = [(State.PROPOSED, 0.38), (State.EVALUATED, 0.14), (State.RETIRED, 0.26), (State.REJECTED, 0.13),
          (State.DUPLICATE, 0.05), (State.WITHDRAWN, 0.04)]
WORDS = ("flowsheet", "attestation", "fax", "signature", "alert", "screening", "checklist", "reconciliation",
         "consent", "log", "handoff", "order", "prior authorization", "note", "form", "audit")


def build(engine, *, nominations: int, seed: int = 7, today: date | None = None) -> None:
    """Fill an empty, migrated database."""
    rng = random.Random(seed)
    today = today or date.today()
    with Session(engine) as session:
        ensure_reference_data(session=session)
        staff = _people(session, max(nominations // 20, 50))
        board = _people(session, BOARD_MEMBERS, board=True)
        departments = _departments(session)
        categories = session.scalars(select(Category.id)).all()
        first_id = (session.scalar(select(func.max(Nomination.id))) or 0) + 1
        for start in range(0, nominations, BATCH):
            count = min(BATCH, nominations - start)
            rows = [_nomination(rng, today, staff, board, departments, categories) for _ in range(count)]
            session.execute(insert(Nomination.__table__), rows)
            ids = range(first_id + start, first_id + start + count)
            _related(session, rng, list(zip(ids, rows, strict=True)), staff, board)
        session.commit()


def _people(session: Session, count: int, board: bool = False) -> list[int]:
    first = (session.scalar(select(func.max(User.id))) or 0) + 1
    kind = "board" if board else "staff"
    session.execute(insert(User.__table__), [
        {"email": f"{kind}{first + n}@bench.test", "name": f"{kind.title()} {first + n}", "active": True,
         "created_at": datetime.now(UTC)} for n in range(count)])
    ids = list(range(first, first + count))
    roles = [Role.STAFF, Role.BOARD] if board else [Role.STAFF]
    session.execute(insert(UserRole.__table__), [{"user_id": i, "role": r} for i in ids for r in roles])
    return ids


def _departments(session: Session) -> list[int]:
    """Thirty departments over three sites: the first site, which every database has, and two more."""
    session.execute(insert(Site.__table__), [{"name": name, "active": True} for name in SITES])
    sites = session.scalars(select(Site.id).order_by(Site.id)).all()
    session.execute(insert(Department.__table__), [{"name": name, "active": True, "site_id": sites[n % len(sites)]}
                                                   for n, name in enumerate(DEPARTMENTS)])
    return session.scalars(select(Department.id).where(Department.name.in_(DEPARTMENTS))).all()


def _nomination(rng, today, staff, board, departments, categories) -> dict:
    state = rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0]
    submitted = today - timedelta(days=rng.randint(0, 3 * 365))
    minutes, per_week, clinicians = round(rng.uniform(0.2, 15), 1), rng.choice([0.5, 1, 3, 5, 10, 20, 40]), \
        rng.randint(1, 3000)
    per_week = min(per_week, 2400 / minutes)
    decided = state not in (State.PROPOSED,)
    now = datetime.now(UTC)
    return {
        "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} repeated in unit {rng.randint(1, 400)}",
        "description": "Done today because it always has been; nobody reads it afterwards. " * 3,
        "category_id": rng.choice(categories), "department_id": rng.choice(departments),
        "affected_role": rng.choice(list(AffectedRole)), "minutes_per_occurrence": minutes,
        "occurrences_per_week": per_week, "clinicians_affected": clinicians,
        "requirement_source": rng.choice(list(RequirementSource)), "anonymous": rng.random() < 0.1,
        "submitter_id": rng.choice(staff), "submitted_on": submitted,
        "board_minutes_per_occurrence": minutes if decided else None,
        "board_occurrences_per_week": per_week if decided else None,
        "board_clinicians_affected": clinicians if decided else None,
        "state": state, "owner_id": rng.choice(board) if decided else None,
        "retired_on": min(submitted + timedelta(days=rng.randint(20, 200)), today) if state is State.RETIRED else None,
        "what_changed": "The form was removed from the workflow." if state is State.RETIRED else None,
        "outcome": rng.choice(list(Outcome)) if state is State.RETIRED else None,
        "rejection_rationale": "Required by regulation." if state is State.REJECTED else None,
        "version": 1, "created_at": now, "updated_at": now,
    }


def _related(session: Session, rng, batch: list[tuple[int, dict]], staff, board) -> None:
    supporters, votes, comments, events = [], [], [], []
    for nomination_id, row in batch:
        submitted = datetime.combine(row["submitted_on"], time(9), tzinfo=UTC)
        for user_id in rng.sample(staff, rng.choice([0, 0, 1, 1, 2, 3, 5])):
            supporters.append({"nomination_id": nomination_id, "user_id": user_id, "occurrences_per_week": 5,
                               "created_at": submitted + timedelta(days=rng.randint(0, 30))})
        if rng.random() < 0.5:
            comments.append({"nomination_id": nomination_id, "author_id": rng.choice(staff),
                             "body": "Same on our unit.", "created_at": submitted + timedelta(days=2)})
        events.extend(_events(rng, nomination_id, row, submitted, board))
        if row["state"] in (State.EVALUATED, State.RETIRED):
            votes.extend({"nomination_id": nomination_id, "voter_id": voter, "choice": VoteChoice.APPROVE,
                          "cast_at": submitted + timedelta(days=10)} for voter in rng.sample(board, 6))
    if events:
        notes = [{"body": event.pop("note")} for event in events]
        note_ids = session.scalars(insert(EventNote.__table__).returning(EventNote.id, sort_by_parameter_order=True),
                                   notes).all()
        for event, note_id in zip(events, note_ids, strict=True):
            event["note_id"] = note_id
    for table, rows in ((Supporter, supporters), (Comment, comments), (Event, events), (Vote, votes)):
        if rows:
            session.execute(insert(table.__table__), rows)


def _events(rng, nomination_id: int, row: dict, submitted: datetime, board) -> list[dict]:
    """The moves that brought the nomination to its state, each dated after the one before."""
    state, actor = row["state"], rng.choice(board)
    evaluated = submitted + timedelta(days=rng.randint(5, 15))
    path = {
        State.PROPOSED: [], State.EVALUATED: [(State.PROPOSED, State.EVALUATED, evaluated)],
        State.RETIRED: [(State.PROPOSED, State.EVALUATED, evaluated),
                        (State.EVALUATED, State.RETIRED,
                         datetime.combine(row["retired_on"] or submitted.date(), time(15), tzinfo=UTC))],
        State.REJECTED: [(State.PROPOSED, State.REJECTED, evaluated)],
        State.DUPLICATE: [(State.PROPOSED, State.DUPLICATE, evaluated)],
        State.WITHDRAWN: [(State.PROPOSED, State.WITHDRAWN, submitted + timedelta(days=3))],
    }[state]
    now = datetime.now(UTC)
    return [{"nomination_id": nomination_id, "actor_id": actor, "kind": EventKind.MOVED, "from_state": before,
             "to_state": after, "at": min(at, now), "note": f"Moved to {after.value}."} for before, after, at in path]
