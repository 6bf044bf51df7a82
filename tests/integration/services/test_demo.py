"""The demo data set: realistic, in every state, loaded through the importer."""

from datetime import date, timedelta

from sqlalchemy import func, select

from burden_tracker.enums import AffectedRole, State
from burden_tracker.hours import Quarter
from burden_tracker.models import (
    Comment,
    Department,
    DepartmentMonth,
    Event,
    Nomination,
    Settings,
    Supporter,
    User,
    Vote,
)
from burden_tracker.queries.measured_impact import measured_impacts
from burden_tracker.queries.users import demo_logins, find_user
from burden_tracker.services.demo import DEMO_PASSWORD, load_demo
from burden_tracker.services.users import password_matches


def counts_by(session, column) -> dict:
    return dict(session.execute(select(column, func.count()).group_by(column)).all())


def test_the_demo_looks_like_a_first_year_of_a_real_program(session):
    assert load_demo(session=session) == 200

    states = counts_by(session, Nomination.state)
    assert set(states) == set(State)
    decided_for_removal = states[State.RETIRED]
    assert 0.38 <= decided_for_removal / 200 <= 0.45
    roles = counts_by(session, Nomination.affected_role)
    assert roles[AffectedRole.NURSE] + roles[AffectedRole.PHYSICIAN] > 120
    assert session.scalar(select(func.count()).select_from(Department)) >= 12
    assert session.scalar(select(func.count()).where(Nomination.anonymous.is_(True))) > 5
    for model in (Supporter, Comment, Vote):
        assert session.scalar(select(func.count()).select_from(model)) > 100


def test_demo_dates_span_the_last_six_quarters_ending_today(session):
    today = date(2027, 3, 1)
    load_demo(session=session, today=today)
    first, last = session.execute(select(func.min(Nomination.submitted_on), func.max(Nomination.submitted_on))).one()
    assert today - timedelta(days=14) <= last <= today
    assert Quarter.containing(first) >= Quarter.containing(today).last(6)[0]
    assert session.scalar(select(func.max(Nomination.retired_on))) <= today


def test_the_demo_runs_on_a_health_systems_own_clocks(session):
    load_demo(session=session, today=date(2027, 3, 1))
    assert session.get(Settings, 1).time_zone == "America/Chicago"


def test_every_demo_nomination_has_its_history(session):
    load_demo(session=session)
    without_history = select(func.count()).select_from(Nomination).where(
        ~select(Event.id).where(Event.nomination_id == Nomination.id).exists())
    assert session.scalar(without_history) == 0


def test_demo_accounts_sign_in_with_the_printed_password_and_cover_every_role(session):
    load_demo(session=session)
    logins = dict(demo_logins(session=session))
    assert {"staff@demo.test", "board@demo.test", "executive@demo.test", "admin@demo.test"} <= set(logins)
    assert password_matches(find_user(session=session, email="board@demo.test"), DEMO_PASSWORD)
    frontline = session.scalars(select(User).where(User.active.is_(False))).all()
    assert frontline and all(u.password_hash is None for u in frontline)


def test_the_demo_has_two_years_of_ehr_metrics_and_retirements_measured_against_them(session):
    today = date(2026, 12, 6)
    load_demo(session=session, today=today)
    months = session.execute(select(func.min(DepartmentMonth.month), func.max(DepartmentMonth.month),
                                    func.count(func.distinct(DepartmentMonth.department_id)))).one()
    assert months == (date(2024, 12, 1), date(2026, 11, 1), 12)
    impacts = {impact.title: impact for impact in measured_impacts(session=session, today=today)}
    flowsheets = impacts["Intensive Care Unit: full fall-risk score recomputed every shift for stable patients"]
    assert flowsheets.measured.high < 0, "a clear fall in flowsheet time"
    assert 200 <= flowsheets.measured.before <= 260, "near the published 227 minutes a shift"
    no_change = impacts["Surgery: hospital course written twice: discharge summary and AVS"]
    assert no_change.measured.low <= 0 <= no_change.measured.high
    recent = impacts["Full fall-risk score recomputed every shift for stable patients (Surgery)"]
    assert recent.measured.why_not.startswith("the after window is not over")
    assert sum(impact.measured.effect is not None and impact.measured.high < 0 for impact in impacts.values()) == 3
