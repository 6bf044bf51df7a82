"""A comment after it was written: its author edits it for fifteen minutes, marked edited; a board member hides it
with a reason its author alone is told and reads; others read only that the board hid it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from burden_tracker.enums import EventKind, Role
from burden_tracker.errors import DomainError
from burden_tracker.models import Event, Notification, utc_now
from burden_tracker.queries.details import nomination_details
from burden_tracker.services.comments import edit_comment, hide_comment
from burden_tracker.services.nominations import comment
from tests.support.factories import make_nomination, make_user


@pytest.fixture
def written(session):
    nurse, chair = make_user(session, name="Priya Nair"), make_user(session, Role.STAFF, Role.BOARD, name="Dr. Chen")
    nomination = make_nomination(session)
    note = comment(session=session, nomination_id=nomination.id, author=nurse, body="Same on 4 West.")
    return nurse, chair, nomination, note


def shown(session, nomination, viewer):
    return nomination_details(session=session, nomination_id=nomination.id, viewer=viewer).comments[0]


def test_its_author_edits_a_comment_for_fifteen_minutes_and_it_is_marked_edited(session, written):
    nurse, _chair, nomination, note = written
    assert shown(session, nomination, nurse).editable
    edit_comment(session=session, nomination_id=nomination.id, comment_id=note.id, author=nurse,
                 body="Same on 4 West, twice a shift.")
    entry = shown(session, nomination, nurse)
    assert (entry.text, entry.edited) == ("Same on 4 West, twice a shift.", True)
    with pytest.raises(DomainError, match="edited for 15 minutes"):
        edit_comment(session=session, nomination_id=nomination.id, comment_id=note.id, author=nurse, body="Later.",
                     now=utc_now() + timedelta(minutes=16))
    with pytest.raises(DomainError, match="Only the person who wrote"):
        edit_comment(session=session, nomination_id=nomination.id, comment_id=note.id, author=make_user(session),
                     body="Not mine.")
    assert not shown(session, nomination, make_user(session)).editable


def test_a_hidden_comment_keeps_its_words_for_its_author_and_the_board_only(session, written):
    nurse, chair, nomination, note = written
    hide_comment(session=session, nomination_id=nomination.id, comment_id=note.id, actor=chair,
                 reason="It names a patient's room.")
    mine, board, others = (shown(session, nomination, viewer) for viewer in (nurse, chair, make_user(session)))
    assert (mine.text, mine.hidden_reason, mine.editable) == ("Same on 4 West.", "It names a patient's room.", False)
    assert (board.text, board.hidden_reason) == ("Same on 4 West.", "It names a patient's room.")
    assert (others.text, others.hidden_reason, others.hidden) == (None, None, True)
    event = session.scalars(select(Event).where(Event.nomination_id == nomination.id)).one()
    assert (event.kind, event.actor_id, event.note_text) == (EventKind.COMMENT_HIDDEN, chair.id, "Hid a comment.")
    told = session.scalars(select(Notification.message).where(Notification.user_id == nurse.id)).all()
    assert told[-1] == f"The board hid your comment on “{nomination.title}”: It names a patient's room."


def test_only_the_board_hides_and_always_says_why(session, written):
    nurse, chair, nomination, note = written
    with pytest.raises(DomainError, match="Only board members"):
        hide_comment(session=session, nomination_id=nomination.id, comment_id=note.id, actor=nurse, reason="Mine.")
    with pytest.raises(DomainError, match="Say why"):
        hide_comment(session=session, nomination_id=nomination.id, comment_id=note.id, actor=chair, reason="  ")
    assert shown(session, nomination, make_user(session)).text == "Same on 4 West."
