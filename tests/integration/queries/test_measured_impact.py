"""Measured impact from imported EHR metrics, on both databases: a known effect injected after a retirement is
recovered within its interval and turned into hours a year through the scheduled hours; the windows, the
comparison departments and the fewest clinicians shown each say why when there is no figure."""

from datetime import date

import pytest

from burden_tracker.measured import PERCENTILE_INTERVAL
from burden_tracker.models import DepartmentMonth
from burden_tracker.queries.measured_impact import NO_DENOMINATORS, impact_of, measured_impacts
from burden_tracker.services.metrics_import import import_metrics
from burden_tracker.services.sheet_files import Table
from tests.support.factories import make_nomination
from tests.support.metrics import MONTHS, TODAY, departments, import_months, retired


def test_an_injected_effect_is_recovered_within_its_interval_and_in_hours(session):
    ids = departments(session, 12)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5})
    nomination = retired(session, ids[0])
    [impact] = measured_impacts(session=session, today=TODAY)
    measured = impact.measured
    assert impact.nomination_id == nomination.id and impact.departments == ["Department 00"]
    assert measured.interval == PERCENTILE_INTERVAL
    assert measured.low <= -0.5 <= measured.high
    assert measured.effect == pytest.approx(-0.5, abs=0.1)
    # Half an hour less per 8 scheduled hours, over 1,600 scheduled hours a month: 100 hours a month.
    assert impact.hours_measured == pytest.approx(1200, rel=0.2)
    assert impact.hours_low <= 1200 <= impact.hours_high
    assert impact.hours_estimated == pytest.approx(0.5 * 36 * 200 / 60 * 46)


def test_no_effect_gives_an_interval_around_zero_and_no_hours_to_speak_of(session):
    """One data set; how often the interval covers the truth over 200 of them is tests/unit/test_measured.py's."""
    ids = departments(session, 12)
    import_months(session, "WOW8", ids, seed=11)
    retired(session, ids[3])
    [impact] = measured_impacts(session=session, today=TODAY)
    assert impact.measured.low <= 0 <= impact.measured.high
    assert abs(impact.hours_measured) < 200


def test_affected_departments_are_pooled_and_a_department_with_its_own_retirement_is_no_comparison(session):
    ids = departments(session, 12)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.4, ids[1]: -0.4, ids[2]: -0.9})
    retired(session, ids[0], affected=[ids[0], ids[1]], title="Two departments")
    retired(session, ids[2], on=date(2026, 5, 20), title="Its own, a month earlier")
    impacts = {impact.title: impact for impact in measured_impacts(session=session, today=TODAY)}
    both = impacts["Two departments"]
    assert both.departments == ["Department 00", "Department 01"]
    # Were Department 02 a comparison, its fall of 0.9 would hide most of the effect.
    assert both.measured.effect == pytest.approx(-0.4, abs=0.1)


def test_without_a_figure_it_says_why(session):
    ids = departments(session, 3)
    import_months(session, "WOW8", ids)
    import_months(session, "IB-Time8", ids[:1])
    import_months(session, "Note-Time8", ids, clinicians=3)
    retired(session, ids[0], on=date(2026, 10, 2), title="Too recent")
    retired(session, ids[0], metric="IB-Time8", title="Alone")
    retired(session, ids[0], metric="Note-Time8", title="Few people")
    retired(session, ids[1], on=date(2026, 1, 20), title="Too early")
    why = {impact.title: impact.measured.why_not for impact in measured_impacts(session=session, today=TODAY)}
    assert why["Too recent"] == "the after window is not over: it ends with January 2027"
    assert why["Alone"] == "no comparison department has every month of both windows"
    assert why["Few people"].startswith("the affected departments count fewer than 5 clinicians in March 2026")
    assert why["Too early"] == "the affected departments lack some of the 6 months around it"


def test_with_three_comparison_departments_there_is_an_effect_but_no_interval(session):
    ids = departments(session, 4)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5})
    retired(session, ids[0])
    [impact] = measured_impacts(session=session, today=TODAY)
    assert impact.measured.effect == pytest.approx(-0.5, abs=0.15)
    assert impact.measured.low is None and impact.measured.interval.startswith("no interval: 3 comparison")


def test_figures_given_as_values_measure_the_effect_but_not_its_hours(session):
    ids = departments(session, 10)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5}, values_only=True)
    retired(session, ids[0])
    [impact] = measured_impacts(session=session, today=TODAY)
    assert impact.measured.effect == pytest.approx(-0.5, abs=0.1)
    assert impact.hours_measured is None and impact.why_no_hours == NO_DENOMINATORS


def test_the_chart_shows_both_groups_by_month_and_hides_a_month_of_too_few_clinicians(session):
    ids = departments(session, 10)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5})
    session.get(DepartmentMonth, (ids[0], "WOW8", date(2026, 2, 1))).clinicians = 4
    session.commit()
    nomination = retired(session, ids[0])
    impact, chart = impact_of(session=session, nomination=nomination, today=TODAY)
    assert chart.months == MONTHS and chart.marked == date(2026, 6, 1)
    assert chart.affected[1] is None, "February counts 4 clinicians: not shown on its own"
    assert chart.affected[0] == pytest.approx(1.0, abs=0.35) and chart.affected[10] < chart.comparison[10]
    assert impact.comparison_ids == tuple(ids[1:])
    assert impact_of(session=session, nomination=make_nomination(session), today=TODAY) is None


def test_a_metric_imported_again_is_measured_afresh(session):
    """Each worker keeps a metric's months while they stand: an import that replaces them is read at once."""
    ids = departments(session, 10)
    import_months(session, "WOW8", ids)
    nomination = retired(session, ids[0])
    before = measured_impacts(session=session, today=TODAY)[0].measured.effect
    names = {id_: f"Department {n:02}" for n, id_ in enumerate(ids)}
    report = import_metrics(session=session, table=Table(
        ["Department", "Month", "Metric", "Numerator", "Denominator", "Clinicians"],
        [(number, (names[ids[0]], f"2026-{month:02}", "WOW8", 0.2 * 200, 1600, 10))
         for number, month in enumerate(range(7, 10), start=2)]))
    assert report.ok
    after = measured_impacts(session=session, today=TODAY)[0]
    assert after.nomination_id == nomination.id
    assert after.measured.after == pytest.approx(0.2 * 200 / 1600 * 8)
    assert after.measured.effect < before - 0.5


def test_a_comparison_too_small_to_show_is_not_shown_through_the_measurement(session):
    """Its figures would stand on their own as the comparison's: one small department's people."""
    ids = departments(session, 2)
    import_months(session, "WOW8", ids[:1])
    import_months(session, "WOW8", ids[1:], clinicians=3, seed=9)
    retired(session, ids[0])
    [impact] = measured_impacts(session=session, today=TODAY)
    assert impact.measured.effect is None and impact.measured.comparison_before is None
    assert impact.measured.why_not.startswith("the comparison departments count fewer than 5 clinicians")


def test_a_small_department_is_not_the_comparison_alone_when_the_larger_one_lacks_a_month(session):
    ids = departments(session, 3)
    import_months(session, "WOW8", ids[:1])
    import_months(session, "WOW8", ids[1:2], clinicians=3, seed=9)
    import_months(session, "WOW8", ids[2:], months=[month for month in MONTHS if month != date(2026, 8, 1)])
    retired(session, ids[0])
    [impact] = measured_impacts(session=session, today=TODAY)
    assert impact.measured.why_not.startswith("the comparison departments count fewer than 5 clinicians")


def test_figures_whose_clinicians_are_not_counted_are_not_measured(session):
    ids = departments(session, 6)
    import_months(session, "WOW8", ids, clinicians=None)
    retired(session, ids[0])
    [impact] = measured_impacts(session=session, today=TODAY)
    assert impact.measured.why_not.startswith("the affected departments' clinicians are not counted in March 2026")


def test_a_month_missing_inside_the_chart_stays_a_gap(session):
    ids = departments(session, 6)
    import_months(session, "WOW8", ids, months=[month for month in MONTHS if month != date(2026, 2, 1)])
    nomination = retired(session, ids[0])
    _impact, chart = impact_of(session=session, nomination=nomination, today=TODAY)
    assert chart.months == MONTHS and chart.affected[1] is None and chart.comparison[1] is None
