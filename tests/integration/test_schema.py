"""The schema as the migrations build it: it matches the models, and the database guards its rules."""

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from burden_tracker import migrate
from burden_tracker.db import create_db_engine
from burden_tracker.enums import EventKind, Role, State, VoteChoice
from burden_tracker.models import Event, Nomination, Supporter, Vote
from tests.factories import make_nomination, make_user


def test_migrations_match_the_models(engine):
    migrate.check(engine)  # raises when autogenerate would find a difference


def test_migrations_downgrade_to_empty_and_upgrade_again(engine):
    migrate.downgrade(engine, "base")
    with engine.connect() as connection:
        assert connection.dialect.has_table(connection, "nominations") is False
    migrate.upgrade(engine)
    migrate.check(engine)


def test_upgrade_is_safe_to_repeat(engine):
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    migrate.check(engine)


def test_states_are_stored_as_their_text(session):
    nomination = make_nomination(session, state=State.EVALUATED)
    stored = session.execute(text("SELECT state FROM nominations WHERE id = :id"), {"id": nomination.id}).scalar()
    assert stored == "evaluated"


@pytest.fixture
def event_id(session):
    nomination = make_nomination(session)
    event = Event(nomination_id=nomination.id, kind=EventKind.MOVED, from_state=State.PROPOSED,
                  to_state=State.REJECTED, note="Required by the payer.")
    session.add(event)
    session.commit()
    return event.id


@pytest.mark.parametrize("statement", [
    "UPDATE events SET note = 'rewritten' WHERE id = :id",
    "DELETE FROM events WHERE id = :id",
])
def test_the_database_refuses_to_change_or_delete_events(session, event_id, statement):
    with pytest.raises(DBAPIError, match="events are append-only"):
        session.execute(text(statement), {"id": event_id})
    session.rollback()
    assert session.execute(text("SELECT note FROM events WHERE id = :id"), {"id": event_id}).scalar() == (
        "Required by the payer.")


def test_the_database_allows_one_vote_per_board_member(session):
    voter = make_user(session, Role.BOARD)
    nomination = make_nomination(session, state=State.EVALUATED)
    row = {"nomination_id": nomination.id, "voter_id": voter.id, "choice": VoteChoice.APPROVE}
    session.execute(insert(Vote), [row])
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(insert(Vote), [{**row, "choice": VoteChoice.REJECT}])
    session.rollback()


def test_the_database_allows_one_me_too_per_person(session):
    fan = make_user(session)
    nomination = make_nomination(session)
    row = {"nomination_id": nomination.id, "user_id": fan.id, "occurrences_per_week": 5}
    session.execute(insert(Supporter), [row])
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(insert(Supporter), [row])
    session.rollback()


def test_a_stale_update_is_refused_by_the_version_column(engine, session):
    from sqlalchemy.orm.exc import StaleDataError

    nomination = make_nomination(session)
    with engine.begin() as other:
        other.execute(text("UPDATE nominations SET version = version + 1 WHERE id = :id"), {"id": nomination.id})
    nomination.title = "Edited on a page loaded before the other change"
    with pytest.raises(StaleDataError):
        session.commit()
    session.rollback()
    assert session.get(Nomination, nomination.id).version == 2


def test_a_new_empty_database_migrates_from_nothing(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    migrate.upgrade(engine)
    migrate.check(engine)
    engine.dispose()


def test_each_nomination_keeps_the_count_of_its_supporters_however_they_change(session):
    first, second = make_nomination(session), make_nomination(session)
    people = [make_user(session) for _ in range(3)]
    session.execute(insert(Supporter), [{"nomination_id": first.id, "user_id": person.id, "occurrences_per_week": 2}
                                        for person in people])
    session.execute(text("UPDATE supporters SET nomination_id = :second WHERE user_id = :moved"),
                    {"second": second.id, "moved": people[0].id})
    session.execute(text("DELETE FROM supporters WHERE user_id = :gone"), {"gone": people[1].id})
    counted = dict(session.execute(text("SELECT id, supporters_count FROM nominations")).all())
    assert counted == {first.id: 1, second.id: 1}
