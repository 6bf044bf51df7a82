"""The board revises a nomination's estimate and classification with a reason, on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import select

from burden_tracker import hours
from burden_tracker.enums import EventKind, RequirementSource, Role, State
from burden_tracker.errors import DomainError, StaleVersion
from burden_tracker.models import Category, Event, EventChange, Nomination, Notification, Restatement
from burden_tracker.queries import quarter_report, reporting
from burden_tracker.services.closing import close_quarter
from burden_tracker.services.nominations import support
from burden_tracker.services.revisions import revise_nomination
from tests.support.factories import (
    as_it_stands,
    limit_to_sites,
    make_department,
    make_nomination,
    make_site,
    make_user,
)
from tests.support.reporting_data import build_program
from tests.support.web import count

Q3 = hours.Quarter(2026, 3)


@pytest.fixture
def board(session):
    return make_user(session, Role.BOARD, name="Dr. Alex Chen")


def revise(session, nomination, board, **changes):
    return revise_nomination(session=session, nomination_id=nomination.id, actor=board,
                             expected_version=nomination.version, values=as_it_stands(nomination, **changes))


def test_a_revision_records_each_old_and_new_value_and_the_reason_and_tells_followers(session, board):
    nomination = make_nomination(session, state=State.EVALUATED, minutes_per_occurrence=2, occurrences_per_week=10,
                                 clinicians_affected=60)
    follower = make_user(session)
    support(session=session, nomination_id=nomination.id, user=follower, occurrences_per_week=3)
    oncology = make_department(session, "Oncology")

    said = revise(session, nomination, board, minutes_per_occurrence=3, department_id=oncology.id)

    assert said == ["estimate 2 min × 10 a week × 60 people → 3 min × 10 a week × 60 people",
                    "department Emergency Department → Oncology"]
    revised = session.get(Nomination, nomination.id)
    assert revised.estimate == (3, 10, 60) and revised.department_id == oncology.id
    assert revised.minutes_per_occurrence == 2  # the submitter's own estimate is kept beside the board's
    event = session.scalars(select(Event).where(Event.kind == EventKind.REVISED)).one()
    assert event.actor_id == board.id and event.note_text == (
        "Revised: estimate 2 min × 10 a week × 60 people → 3 min × 10 a week × 60 people; department Emergency "
        "Department → Oncology. Why: Checked with the unit managers.")
    changes = session.scalars(select(EventChange).where(EventChange.event_id == event.id)).all()
    assert [(c.field, c.old_value, c.new_value) for c in changes] == [
        ("estimate", "2 min × 10 a week × 60 people", "3 min × 10 a week × 60 people"),
        ("department", "Emergency Department", "Oncology")]
    [notice] = session.scalars(select(Notification).where(Notification.user_id == follower.id)).all()
    assert "was revised by the board: estimate 2 min" in notice.message


def test_revising_only_the_classification_leaves_a_proposed_nomination_on_the_submitters_estimate(session, board):
    nomination = make_nomination(session)
    form = session.scalars(select(Category).where(Category.name == "form")).one()
    revise(session, nomination, board, category_id=form.id, requirement_source="payer")
    revised = session.get(Nomination, nomination.id)
    assert revised.board_minutes_per_occurrence is None and revised.category_id == form.id
    assert revised.confirmed_source == RequirementSource.PAYER and revised.state == State.PROPOSED


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"reason": "   "}, "reason", "Say why: the history keeps the reason beside the change."),
    ({"minutes_per_occurrence": 480, "occurrences_per_week": 1000}, "minutes_per_occurrence", "more than 40 hours"),
    ({"clinicians_affected": "many"}, "clinicians_affected", "must be a whole number"),
    ({"department_id": 999_999}, "department_id", "Choose one from the list."),
    ({"affected_role": "astronaut"}, "affected_role", "must be one of"),
])
def test_a_refused_revision_says_why_beside_the_field_and_changes_nothing(session, board, changes, field, message):
    nomination = make_nomination(session, state=State.RETIRED, retired_on=date(2026, 8, 1))
    with pytest.raises(DomainError) as refused:
        revise(session, nomination, board, **{"minutes_per_occurrence": 1, **changes})
    assert message in refused.value.fields[field]
    session.rollback()
    assert count(session, Event, kind=EventKind.REVISED) == 0
    assert session.get(Nomination, nomination.id).board_minutes_per_occurrence == 0.5


def test_a_withdrawn_nomination_an_unchanged_one_a_stale_page_and_staff_are_refused(session, board):
    withdrawn = make_nomination(session, state=State.WITHDRAWN)
    with pytest.raises(DomainError, match="A withdrawn nomination cannot be revised"):
        revise(session, withdrawn, board, minutes_per_occurrence=1)
    open_one = make_nomination(session)
    with pytest.raises(DomainError, match="every value is as it was"):
        revise(session, open_one, board)
    with pytest.raises(StaleVersion):
        revise_nomination(session=session, nomination_id=open_one.id, actor=board,
                          expected_version=open_one.version - 1, values=as_it_stands(open_one, clinicians_affected=9))
    with pytest.raises(DomainError, match="Only board members"):
        revise(session, open_one, make_user(session), clinicians_affected=9)
    assert count(session, Event, kind=EventKind.REVISED) == 0


def test_a_revision_of_what_a_closed_quarter_counted_is_its_restatement(session, board):
    program = build_program(session)
    admin = make_user(session, Role.ADMIN)
    close_quarter(session=session, quarter=Q3, actor_id=admin.id, closed_by="Ada Admin")
    as_closed = quarter_report.report_for(session=session, quarter=Q3).figures

    revise(session, session.get(Nomination, program.mid.id), board, clinicians_affected=1800)

    assert quarter_report.report_for(session=session, quarter=Q3).figures == as_closed
    [restatement] = session.scalars(select(Restatement)).all()
    assert restatement.change == "revised: estimate 0.5 min × 36 a week × 900 people → 0.5 min × 36 a week × " \
                                 "1,800 people"
    [restated] = quarter_report.live_report(session=session, quarter=Q3.next()).restated
    now = reporting.quarter_figures(session=session, quarter=Q3)
    assert restated.now.annualized_hours == pytest.approx(now.annualized_hours)
    assert restated.now.realized_hours == pytest.approx(now.realized_hours) != as_closed.realized_hours


def test_a_board_member_of_one_site_cannot_move_a_nomination_to_another_sites_department(session, board):
    queens, kona = make_site(session, "Queen's"), make_site(session, "Kona")
    nomination = make_nomination(session, department_id=make_department(session, "Queen's ED", site=queens).id)
    elsewhere = make_department(session, "Kona ED", site=kona).id
    limit_to_sites(session, board, queens)
    with pytest.raises(DomainError) as refused:
        revise(session, nomination, board, department_id=elsewhere, reason="Wrong ward.")
    assert refused.value.fields == {"department_id": "is at a site you do not decide for"}
    session.rollback()
    assert session.get(Nomination, nomination.id).department_id != elsewhere
    limit_to_sites(session, board, kona)  # once they decide there too, they may
    revise(session, nomination, board, department_id=elsewhere, reason="Wrong ward.")
    assert session.get(Nomination, nomination.id).department_id == elsewhere
