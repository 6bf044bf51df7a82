"""The schema as the migrations build it: it matches the models, and the database guards its rules."""

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from burden_tracker import migrate
from burden_tracker.db import create_db_engine
from burden_tracker.enums import EventKind, Role, State, VoteChoice
from burden_tracker.jobs import make_queue
from burden_tracker.models import Event, Nomination, Supporter, Vote, event_note
from tests.support.factories import make_nomination, make_user


def test_migrations_match_the_models(engine):
    migrate.check(engine)  # raises when autogenerate would find a difference


def test_a_job_queue_in_the_apps_own_postgresql_database_is_not_taken_for_drift(request):
    """JOBS_URL may name the app's database: Huey's huey_* tables are its own, never the migrations'."""
    url, _tables = request.getfixturevalue("postgres_database")
    queue = make_queue(url)
    engine = create_db_engine(url)
    try:
        migrate.check(engine)
    finally:
        queue.storage.close()
        engine.dispose()


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
                  to_state=State.REJECTED, note=event_note("Required by the payer."))
    session.add(event)
    session.commit()
    return event.id


@pytest.mark.parametrize("statement", [
    "UPDATE events SET note_id = NULL WHERE id = :id",
    "DELETE FROM events WHERE id = :id",
])
def test_the_database_refuses_to_change_or_delete_events(session, event_id, statement):
    with pytest.raises(DBAPIError, match="events are append-only"):
        session.execute(text(statement), {"id": event_id})
    session.rollback()
    assert session.execute(text("SELECT body FROM event_notes JOIN events ON events.note_id = event_notes.id "
                                "WHERE events.id = :id"), {"id": event_id}).scalar() == "Required by the payer."


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


def test_upgrading_records_the_capacity_of_earlier_events_and_comments(engine, session):
    """Rows written before 0009 get the only capacity they can have had, and stay append-only after."""
    submitter, board_member, colleague = make_user(session), make_user(session, Role.BOARD), make_user(session)
    withdrawn = make_nomination(session, submitter=submitter, anonymous=True)
    rejected = make_nomination(session, submitter=submitter)
    session.commit()
    migrate.downgrade(engine, "0008")
    with engine.begin() as old:
        for nomination_id, actor_id, to_state in ((withdrawn.id, submitter.id, "withdrawn"),
                                                  (rejected.id, board_member.id, "rejected")):
            old.execute(text("INSERT INTO events (nomination_id, actor_id, at, kind, from_state, to_state) "
                             "VALUES (:n, :a, CURRENT_TIMESTAMP, 'moved', 'proposed', :to)"),
                        {"n": nomination_id, "a": actor_id, "to": to_state})
        old.execute(text("INSERT INTO events (nomination_id, at, kind, to_state) "
                         "VALUES (:n, CURRENT_TIMESTAMP, 'imported', 'proposed')"), {"n": rejected.id})
        for author_id in (submitter.id, colleague.id):
            old.execute(text("INSERT INTO comments (nomination_id, author_id, body, created_at) "
                             "VALUES (:n, :a, 'Still here.', CURRENT_TIMESTAMP)"), {"n": withdrawn.id, "a": author_id})
    migrate.upgrade(engine)
    with engine.connect() as new:
        events = set(new.execute(text("SELECT kind, to_state, acted_as FROM events")).all())
        comments = set(new.execute(text("SELECT author_id, acted_as FROM comments")).all())
    assert events == {("moved", "withdrawn", "submitter"), ("moved", "rejected", "board"),
                      ("imported", "proposed", None)}
    assert comments == {(submitter.id, "submitter"), (colleague.id, None)}
    with pytest.raises(DBAPIError, match="events are append-only"), engine.begin() as new:
        new.execute(text("UPDATE events SET acted_as = NULL"))


def test_upgrading_moves_each_events_words_where_they_can_be_redacted(engine, session):
    """Notes written before 0012 move out of the append-only events, each still beside its own event, and new
    notes are numbered after them."""
    nomination = make_nomination(session)
    session.commit()
    migrate.downgrade(engine, "0011")
    with engine.begin() as old:
        for note in ("Required by the payer.", None, "Which unit?"):
            old.execute(text("INSERT INTO events (nomination_id, at, kind, to_state, note) "
                             "VALUES (:n, CURRENT_TIMESTAMP, 'moved', 'rejected', :note)"),
                        {"n": nomination.id, "note": note})
    migrate.upgrade(engine)
    with engine.connect() as new:
        notes = new.execute(text("SELECT events.id, body FROM events LEFT JOIN event_notes "
                                 "ON event_notes.id = events.note_id ORDER BY events.id")).all()
    assert [body for _, body in notes] == ["Required by the payer.", None, "Which unit?"]
    later = Event(nomination_id=nomination.id, kind=EventKind.MOVED, note=event_note("Reopened."))
    session.add(later)
    session.commit()
    assert later.note.id > max(event_id for event_id, _ in notes)
    with pytest.raises(DBAPIError, match="events are append-only"), engine.begin() as new:
        new.execute(text("UPDATE events SET note_id = NULL"))


def test_upgrading_takes_each_nominations_last_move_from_its_history(engine, session):
    """0029: a nomination's last move is the day of its latest "moved" event; one never moved keeps none, and
    counts from its submission."""
    moved, imported_only = make_nomination(session), make_nomination(session)
    session.commit()
    migrate.downgrade(engine, "0028")
    with engine.begin() as old:
        for nomination_id, kind, at in ((moved.id, "moved", "2026-03-04 09:00:00"),
                                        (moved.id, "moved", "2026-05-06 23:30:00"),
                                        (moved.id, "imported", "2026-07-01 08:00:00"),
                                        (imported_only.id, "imported", "2026-07-01 08:00:00")):
            old.execute(text("INSERT INTO events (nomination_id, at, kind, to_state) "
                             "VALUES (:n, :at, :kind, 'proposed')"), {"n": nomination_id, "at": at, "kind": kind})
    migrate.upgrade(engine)
    with engine.connect() as new:
        found = dict(new.execute(text("SELECT id, moved_on FROM nominations")).all())
    assert {str(found[moved.id]), found[imported_only.id]} == {"2026-05-06", None}
