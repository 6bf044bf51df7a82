"""The submitter edits their nomination while it is proposed: the history records each edit, followers are told when
the estimate changes, and nobody else, no later state and no stale page can edit it."""

import pytest
from sqlalchemy import select

from burden_tracker.enums import EventKind, Role, State
from burden_tracker.errors import DomainError, StaleVersion
from burden_tracker.models import Event, EventChange, Notification
from burden_tracker.queries.details import nomination_details
from burden_tracker.schemas import NominationIn
from burden_tracker.services.editing import edit_nomination
from burden_tracker.services.nominations import support
from burden_tracker.services.revisions import revise_nomination
from tests.support.factories import as_it_stands, make_department, make_nomination, make_user


def as_typed(nomination, **changes) -> NominationIn:
    values = {"title": nomination.title, "description": nomination.description, "category": "task",
              "department": "Emergency Department", "affected_role": "nurse", "requirement_source": "internal policy",
              "minutes_per_occurrence": 0.5, "occurrences_per_week": 36, "clinicians_affected": 200}
    return NominationIn.model_validate({**values, **changes})


@pytest.fixture
def nurse(session):
    return make_user(session, name="Priya Nair")


def test_an_edit_of_the_estimate_is_recorded_and_told_to_followers(session, nurse):
    nomination = make_nomination(session, submitter=nurse)
    follower = make_user(session)
    support(session=session, nomination_id=nomination.id, user=follower, occurrences_per_week=10)
    said = edit_nomination(session=session, nomination_id=nomination.id, editor=nurse, expected_version=1,
                           data=as_typed(nomination, title="Pain score charted in two rows", clinicians_affected=250))
    assert said == ["title", "estimate 0.5 min × 36 a week × 200 people → 0.5 min × 36 a week × 250 people"]
    event = session.scalars(select(Event).where(Event.nomination_id == nomination.id)).one()
    assert (event.kind, event.actor_id, event.note_text) == (
        EventKind.EDITED, nurse.id, f"Edited: {'; '.join(said)}.")
    assert [(c.field, c.old_value, c.new_value) for c in session.scalars(select(EventChange))] == [
        ("estimate", "0.5 min × 36 a week × 200 people", "0.5 min × 36 a week × 250 people")]
    assert session.scalars(select(Notification.message).where(Notification.user_id == follower.id)).all() == [
        "“Pain score charted in two rows” has a new estimate from its submitter: "
        "0.5 min × 36 a week × 200 people → 0.5 min × 36 a week × 250 people."]
    assert (nomination.title, nomination.clinicians_affected, nomination.version) == (
        "Pain score charted in two rows", 250, 2)


def test_an_edit_of_words_alone_tells_nobody_and_keeps_no_copy_of_the_old_text(session, nurse):
    nomination = make_nomination(session, submitter=nurse)
    follower = make_user(session)
    support(session=session, nomination_id=nomination.id, user=follower, occurrences_per_week=10)
    edit_nomination(session=session, nomination_id=nomination.id, editor=nurse, expected_version=1,
                    data=as_typed(nomination, description="Patient Jane Doe's score, charted twice."))
    assert session.scalars(select(EventChange)).all() == [], "a redaction could not reach a copy kept here"
    assert session.scalars(select(Notification).where(Notification.user_id == follower.id)).all() == []


def test_an_anonymous_submitter_who_edits_stays_unnamed_in_the_history(session, nurse):
    nomination = make_nomination(session, submitter=nurse, anonymous=True)
    edit_nomination(session=session, nomination_id=nomination.id, editor=nurse, expected_version=1,
                    data=as_typed(nomination, department=make_department(session, "Surgery").name))
    reader = make_user(session)
    history = nomination_details(session=session, nomination_id=nomination.id, viewer=reader).events
    assert [(entry.who, entry.text) for entry in history][-1] == (
        "the submitter (anonymous)", "Edited: department Emergency Department → Surgery.")


@pytest.mark.parametrize("state", [State.EVALUATED, State.RETIRED, State.REJECTED, State.WITHDRAWN])
def test_once_the_board_takes_it_up_it_is_not_edited(session, nurse, state):
    nomination = make_nomination(session, submitter=nurse, state=state)
    with pytest.raises(DomainError, match="can no longer"):
        edit_nomination(session=session, nomination_id=nomination.id, editor=nurse, expected_version=1,
                        data=as_typed(nomination, title="Another title entirely"))


def test_nobody_but_the_submitter_edits_and_a_stale_page_is_refused(session, nurse):
    nomination = make_nomination(session, submitter=nurse)
    with pytest.raises(DomainError, match="Only the person who submitted"):
        edit_nomination(session=session, nomination_id=nomination.id, editor=make_user(session), expected_version=1,
                        data=as_typed(nomination, title="Someone else's title"))
    with pytest.raises(StaleVersion):
        edit_nomination(session=session, nomination_id=nomination.id, editor=nurse, expected_version=0,
                        data=as_typed(nomination, title="A title from an old page"))
    with pytest.raises(DomainError, match="Nothing was changed"):
        edit_nomination(session=session, nomination_id=nomination.id, editor=nurse, expected_version=1,
                        data=as_typed(nomination))
    assert session.scalars(select(Event)).all() == []


def test_once_the_board_has_revised_it_the_submitter_no_longer_edits_it(session, nurse):
    nomination = make_nomination(session, submitter=nurse)
    chair = make_user(session, Role.STAFF, Role.BOARD)
    revise_nomination(session=session, nomination_id=nomination.id, actor=chair, expected_version=1,
                      values={**as_it_stands(nomination), "department_id": make_department(session, "Surgery").id})
    with pytest.raises(DomainError, match="The board has taken up"):
        edit_nomination(session=session, nomination_id=nomination.id, editor=nurse, expected_version=2,
                        data=as_typed(nomination, department="Emergency Department"))
    assert nomination_details(session=session, nomination_id=nomination.id, viewer=nurse).viewer_may_edit is False
