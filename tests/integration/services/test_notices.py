"""Who follows a nomination and is told of it: its submitter and supporters unless they stop, anyone else who
chooses to; the new owner of an evaluation; and opening a nomination reads the notices about it."""

from sqlalchemy import select

from burden_tracker.enums import Role
from burden_tracker.models import Notification
from burden_tracker.queries.notices import people_following
from burden_tracker.services.nominations import comment, support
from burden_tracker.services.notices import follow, mark_read_about
from burden_tracker.services.transitions import move_nomination
from burden_tracker.workflow import Move
from tests.support.factories import make_nomination, make_user


def told(session, user) -> list[str]:
    return list(session.scalars(select(Notification.message).where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def test_submitter_and_supporters_follow_until_they_stop_and_anyone_may_start(session):
    submitter, supporter, reader = make_user(session), make_user(session), make_user(session, Role.EXECUTIVE)
    nomination = make_nomination(session, submitter=submitter)
    support(session=session, nomination_id=nomination.id, user=supporter, occurrences_per_week=3)
    assert people_following(session=session, nomination=nomination) == {submitter.id, supporter.id}
    follow(session=session, nomination_id=nomination.id, user=reader, following=True)
    follow(session=session, nomination_id=nomination.id, user=supporter, following=False)
    assert people_following(session=session, nomination=nomination) == {submitter.id, reader.id}
    comment(session=session, nomination_id=nomination.id, author=submitter, body="More detail.")
    assert told(session, reader) == [f"New comment on “{nomination.title}”."]
    assert told(session, supporter) == []
    follow(session=session, nomination_id=nomination.id, user=supporter, following=True)  # changed their mind again
    assert supporter.id in people_following(session=session, nomination=nomination)


def test_the_new_owner_of_an_evaluation_is_told(session):
    chair, owner = make_user(session, Role.STAFF, Role.BOARD), make_user(session, Role.STAFF, Role.BOARD)
    nomination = make_nomination(session)
    move_nomination(session=session, nomination_id=nomination.id, move=Move.EVALUATE, actor=chair,
                    expected_version=1, fields={"minutes_per_occurrence": 1, "occurrences_per_week": 5,
                                                "clinicians_affected": 10, "confirmed_source": "payer",
                                                "note": "Timed it.", "owner_id": str(owner.id)})
    assert told(session, owner) == [f"You are now the owner of “{nomination.title}”: its evaluation is yours to lead."]


def test_opening_a_nomination_reads_only_the_notices_about_it(session):
    submitter, colleague = make_user(session), make_user(session)
    first, second = make_nomination(session, submitter=submitter), make_nomination(session, submitter=submitter)
    for nomination in (first, second):
        comment(session=session, nomination_id=nomination.id, author=colleague, body="Same here.")
    assert mark_read_about(session=session, user_id=submitter.id, nomination_id=first.id) == 1
    unread = session.scalars(select(Notification.nomination_id).where(Notification.user_id == submitter.id,
                                                                      Notification.read_at.is_(None))).all()
    assert unread == [second.id]


def test_a_mention_tells_the_person_once_and_names_an_anonymous_author_as_the_submitter(session):
    submitter = make_user(session, name="Secret Submitter")
    colleague, follower = make_user(session, name="Priya Nair"), make_user(session, name="Sam Rivera")
    nomination = make_nomination(session, submitter=submitter, anonymous=True)
    support(session=session, nomination_id=nomination.id, user=follower, occurrences_per_week=2)
    comment(session=session, nomination_id=nomination.id, author=submitter,
            body="@Priya Nair and @Sam Rivera, do you see it too?")
    mention = f"the submitter (anonymous) mentioned you in a comment on “{nomination.title}”."
    assert told(session, colleague) == [mention]
    assert told(session, follower) == [mention], "a follower who is mentioned gets the mention, not both"
