"""The kept figures of the dashboard's quarters stay equal to the figures counted from the whole history, through
every kind of change the product writes, on SQLite and PostgreSQL; a change made around the services is noticed."""

from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import select

from burden_tracker import hours
from burden_tracker.enums import Role
from burden_tracker.models import KeptQuarter, Nomination, Site
from burden_tracker.queries import kept_figures, quarter_report, report_groups, reporting, wins
from burden_tracker.queries.admin import settings_values
from burden_tracker.queries.reference import organization_today
from burden_tracker.schemas import NominationIn
from burden_tracker.services.admin import move_department, update_settings
from burden_tracker.services.closing import close_quarter
from burden_tracker.services.importer import import_table
from burden_tracker.services.keeping import keep_current_quarters
from burden_tracker.services.nominations import nominate
from burden_tracker.services.revisions import revise_nomination
from burden_tracker.services.sheet_files import Table
from burden_tracker.services.transitions import move_nomination
from burden_tracker.workflow import Move
from tests.support.factories import as_it_stands, make_nomination, make_user, retire_through_the_board
from tests.support.reporting_data import build_program, cardiology_moved_to


@pytest.fixture
def program(session):
    return build_program(session)


@pytest.fixture
def board(session):
    return make_user(session, Role.STAFF, Role.BOARD, name="Dr. Alex Chen")


def window(session) -> list[hours.Quarter]:
    return reporting.current_quarter(session=session).last(reporting.HISTORY_QUARTERS)


def assert_kept_as_counted(session) -> None:
    """Every kept quarter is current, and each of its figures, groups, pipeline states and moves is the one counted
    from the whole history: the health system's, and each site's."""
    today, quarters = organization_today(session=session), window(session)
    assert kept_figures.current(session=session, quarters=quarters) == set(quarters)
    sites = session.scalars(select(Site.id)).all()
    for site_id in (None, *(sites if len(sites) > 1 else [])):  # a lone site's figures are the system's
        assert_site_kept_as_counted(session, today, quarters, site_id)
    whole = kept_figures.figures_of(session=session, quarters=quarters, today=today)
    per_site = [kept_figures.figures_of(session=session, quarters=quarters, today=today, site_id=site_id)
                for site_id in sites]
    for quarter in quarters:  # the sites add up to the health system
        assert asdict(whole[quarter]) == pytest.approx(
            {name: sum(asdict(site[quarter])[name] for site in per_site) for name in asdict(whole[quarter])})
    for day in (today, quarters[-1].first_day, quarters[-1].last_day, quarters[0].last_day):  # Wins' headline
        kept, counted = (wins.retired_by(session=session, day=day), wins.retired_by_counted(session=session, day=day))
        as_kept = kept_figures.retired_by_outcome(session=session, quarter=hours.Quarter.containing(day), day=day)
        assert as_kept.keys() == {str(getattr(outcome, "value", outcome)) for outcome in counted}, day  # read kept
        assert {outcome: count for outcome, (count, _) in kept.items()} == {
            outcome: count for outcome, (count, _) in counted.items()}, day
        assert {outcome: hours for outcome, (_, hours) in kept.items()} == pytest.approx(
            {outcome: hours for outcome, (_, hours) in counted.items()}), day


def assert_site_kept_as_counted(session, today, quarters, site_id) -> None:
    where = {"site_id": site_id}
    kept = kept_figures.figures_of(session=session, quarters=quarters, today=today, **where)
    counted = reporting.figures_of(session=session, quarters=quarters, today=today, **where)
    for quarter, figures in zip(quarters, counted, strict=True):
        assert asdict(kept[quarter]) == pytest.approx(asdict(figures)), (quarter, site_id)
        kept_breakdowns = kept_figures.breakdowns(session=session, quarter=quarter, today=today, **where)
        for by in report_groups.GROUPINGS:
            from_kept = kept_breakdowns[by]
            from_history = reporting.breakdown(session=session, quarter=quarter, by=by, today=today, **where)
            assert [g.label for g in from_kept] == [g.label for g in from_history], (quarter, by, site_id)
            for a, b in zip(from_kept, from_history, strict=True):
                assert asdict(a.figures) == pytest.approx(asdict(b.figures)), (quarter, by, a.label, site_id)
        assert kept_figures.pipeline_by_state(session=session, quarter=quarter, today=today, **where) == (
            pytest.approx(reporting.pipeline_by_state(session=session, quarter=quarter, today=today, **where)))
        assert kept_figures.moves_by_target(session=session, quarter=quarter, **where) == (
            reporting.moves_by_target(session=session, quarter=quarter, **where),
            reporting.revisions_during(session=session, quarter=quarter, **where))


def move(session, nomination_id, how, actor, **fields):
    version = session.get(Nomination, nomination_id).version
    return move_nomination(session=session, nomination_id=nomination_id, move=how, actor=actor,
                           expected_version=version, fields=fields)


def test_the_kept_figures_follow_every_kind_of_change_the_product_writes(session, program, board):
    cardiology_moved_to(session, program, "Queen's Medical Center")  # two sites: each one's report is kept too
    assert keep_current_quarters(session=session, today=organization_today(session=session)) == window(session)
    assert_kept_as_counted(session)

    staff = make_user(session)
    new = nominate(session=session, submitter=staff, data=NominationIn(
        title="Second signature on every restraint order", description="Signed twice.", category="task",
        department="Cardiology", affected_role="nurse", minutes_per_occurrence=2, occurrences_per_week=5,
        clinicians_affected=30, requirement_source="internal policy"))
    assert_kept_as_counted(session)

    move(session, new.id, Move.EVALUATE, board, minutes_per_occurrence=3, occurrences_per_week=5,
         clinicians_affected=40, confirmed_source="Internal policy", note="Seen on two units.")
    assert_kept_as_counted(session)

    # Decided today, effective later in the quarter under way: no day of it is realized yet
    retire_through_the_board(session, new, date(2026, 12, 28))
    assert_kept_as_counted(session)

    retire_through_the_board(session, program.evaluated_late, date(2026, 8, 3))  # back-dated into a past quarter
    assert_kept_as_counted(session)

    revise_nomination(session=session, nomination_id=program.mid.id, actor=board,
                      expected_version=session.get(Nomination, program.mid.id).version,
                      values=as_it_stands(session.get(Nomination, program.mid.id), clinicians_affected=450,
                                          affected_role="physician",
                                          department_id=program.before.department_id))  # to Cardiology
    assert_kept_as_counted(session)

    move(session, program.proposed.id, Move.EVALUATE, board, minutes_per_occurrence=1, occurrences_per_week=20,
         clinicians_affected=50, confirmed_source="Internal policy", note="As submitted.")
    move(session, program.proposed.id, Move.REOPEN, board, note="How many units chart it?")
    move(session, program.proposed.id, Move.REJECT, board, note="Required by the state.")
    assert_kept_as_counted(session)

    headers = ["title", "description", "category", "department", "affected_role", "minutes_per_occurrence",
               "occurrences_per_week", "clinicians_affected", "requirement_source", "submitted_on", "status",
               "retired_on"]
    row = ("Daily census faxed to the state", "Faxed by hand every morning.", "task", "Cardiology", "nurse", 5, 7, 4,
           "internal policy", date(2026, 7, 2), "retired", date(2026, 9, 1))
    assert import_table(session=session, table=Table(headers, [(2, row)]), source="history.xlsx").ok
    assert_kept_as_counted(session)


def test_a_change_made_around_the_services_leaves_the_kept_quarters_behind_and_reports_count_it(session, program):
    keep_current_quarters(session=session, today=organization_today(session=session))
    q3 = hours.Quarter(2026, 3)
    before = quarter_report.live_report(session=session, quarter=q3).figures.received

    make_nomination(session, submitted_on=date(2026, 8, 12))  # as a script or a restore would write it

    assert kept_figures.current(session=session, quarters=window(session)) == set()
    assert quarter_report.live_report(session=session, quarter=q3).figures.received == before + 1
    assert keep_current_quarters(session=session, today=organization_today(session=session)) == window(session)
    assert_kept_as_counted(session)


@pytest.mark.parametrize("changed", [{"rate_nurse": 61.5}, {"working_weeks_per_year": 44},
                                     {"time_zone": "Pacific/Honolulu"}])
def test_a_new_setting_or_rate_counts_the_kept_figures_afresh_as_it_is_saved(session, program, changed):
    keep_current_quarters(session=session, today=organization_today(session=session))
    admin = make_user(session, Role.ADMIN)
    values = settings_values(session=session) | {"annual_target_hours": None}
    assert update_settings(session=session, actor_id=admin.id, values={**values, **changed})
    assert_kept_as_counted(session)


def test_a_department_moved_to_another_site_counts_the_kept_figures_afresh_as_it_is_saved(session, program):
    keep_current_quarters(session=session, today=organization_today(session=session))
    queens = Site(name="Queen's Medical Center")
    session.add(queens)
    session.commit()
    move_department(session=session, actor_id=make_user(session, Role.ADMIN).id,
                    department_id=program.before.department_id, site_id=queens.id)
    assert_kept_as_counted(session)
    by_site = {g.label: g.figures.retired_by_end for g in kept_figures.breakdowns(
        session=session, quarter=hours.Quarter(2026, 3), today=organization_today(session=session))["site"]}
    assert by_site == {"Main site": 3, "Queen's Medical Center": 1}  # Cardiology's retirement went with it


def test_a_closed_quarter_is_not_counted_again_but_read_as_stored(session, program):
    admin = make_user(session, Role.ADMIN)
    close_quarter(session=session, quarter=hours.Quarter(2026, 3), actor_id=admin.id, closed_by="Ada")
    kept = keep_current_quarters(session=session, today=organization_today(session=session))
    assert hours.Quarter(2026, 3) not in kept and len(kept) == reporting.HISTORY_QUARTERS - 1
    assert session.scalars(select(KeptQuarter.quarter).where(KeptQuarter.quarter == "2026-Q3")).all() == []
