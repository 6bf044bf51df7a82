"""The measured effect of a retirement: the windows around it, pooling without averaging averages, the effect
recovered when one is injected, and an interval from placebo inference that covers the true effect (none, or
the one injected) in at least 80% of 200 simulated data sets. Pure: no database."""

import random
from datetime import date

import pytest

from burden_tracker.measured import PERCENTILE_INTERVAL, PLACEBO_RANGE, level, measure, months_around

RETIRED_ON = date(2026, 6, 15)
TODAY = date(2026, 12, 6)
MONTHS = [date(2026, month, 1) for month in range(1, 12)]


def simulated(rng: random.Random, comparisons: int, effect: float) -> tuple[list[dict], list[dict]]:
    """Departments whose metric shares a month-to-month swing, each with its own level and noise; the affected
    one moves by `effect` from the month after the retirement on."""
    swing = {month: rng.gauss(0, 0.03) for month in MONTHS}

    def department(affected: bool) -> dict:
        base = rng.uniform(0.5, 0.9)
        series = {}
        for month in MONTHS:
            ratio = base + swing[month] + rng.gauss(0, 0.03) + (effect if affected and month > RETIRED_ON else 0)
            hours = rng.uniform(300, 900)
            series[month] = (ratio * hours, hours)
        return series

    return [department(True)], [department(False) for _ in range(comparisons)]


def test_the_windows_skip_the_month_of_the_retirement():
    assert months_around(RETIRED_ON) == ([date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)],
                                         [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)])
    assert months_around(date(2026, 1, 31), 2) == ([date(2025, 11, 1), date(2025, 12, 1)],
                                                   [date(2026, 2, 1), date(2026, 3, 1)])


def test_a_group_pools_numerators_and_denominators_never_averages_of_averages():
    busy = {date(2026, 1, 1): (90.0, 900.0)}
    quiet = {date(2026, 1, 1): (50.0, 100.0)}
    assert level([busy, quiet], [date(2026, 1, 1)]) == pytest.approx(140 / 1000)  # not (0.1 + 0.5) / 2


def test_an_injected_effect_is_recovered_within_its_interval():
    affected, comparison = simulated(random.Random(7), comparisons=12, effect=-0.15)
    found = measure(affected, comparison, RETIRED_ON, today=TODAY)
    assert found.interval == PERCENTILE_INTERVAL
    assert found.low <= -0.15 <= found.high
    assert found.effect == pytest.approx(-0.15, abs=0.06)
    assert found.high < 0  # an effect this size stands out from what the metric does on its own


@pytest.mark.parametrize("effect", [0.0, -0.1])
def test_the_interval_covers_the_true_effect_in_at_least_80_percent_of_200_data_sets(effect):
    rng = random.Random(2026)
    covered = 0
    for _ in range(200):
        affected, comparison = simulated(rng, comparisons=rng.randint(9, 20), effect=effect)
        found = measure(affected, comparison, RETIRED_ON, today=TODAY)
        covered += found.low <= effect <= found.high
    assert covered >= 160


@pytest.mark.parametrize(("comparisons", "interval"), [
    (9, PERCENTILE_INTERVAL), (8, PLACEBO_RANGE), (4, PLACEBO_RANGE),
    (3, "no interval: 3 comparison departments, fewer than 4"),
    (1, "no interval: 1 comparison department, fewer than 4"),
])
def test_how_the_interval_is_found_depends_on_the_comparison_departments(comparisons, interval):
    affected, comparison = simulated(random.Random(comparisons), comparisons, effect=-0.1)
    found = measure(affected, comparison, RETIRED_ON, today=TODAY)
    assert found.effect is not None and found.interval == interval
    assert (found.low is None) == interval.startswith("no interval")


def test_no_figure_when_the_data_cannot_carry_one():
    affected, comparison = simulated(random.Random(1), 10, effect=0)
    assert measure(affected, comparison, RETIRED_ON, today=date(2026, 9, 20)).why_not == \
        "the after window is not over: it ends with September 2026"
    gap = {month: pair for month, pair in affected[0].items() if month != date(2026, 4, 1)}
    assert measure([gap], comparison, RETIRED_ON, today=TODAY).why_not == \
        "the affected departments lack some of the 6 months around it"
    assert measure(affected, [gap], RETIRED_ON, today=TODAY).why_not == \
        "no comparison department has every month of both windows"
    assert measure(affected, [], RETIRED_ON, today=TODAY).effect is None


def test_departments_that_gave_only_values_count_once_each():
    month = date(2026, 1, 1)
    assert level([{month: 0.4}, {month: (60.0, 100.0)}], [month]) == pytest.approx(0.5)


def test_the_placebos_pool_the_other_departments_as_level_does():
    """The placebo effects come from the group's sums less each department's own: the same figures as pooling
    the others afresh for each, with level()."""
    rng = random.Random(5)
    affected, comparison = simulated(rng, 12, -0.1)
    before, after = months_around(RETIRED_ON)
    placebos = []
    for index, pretend in enumerate(comparison):
        others = comparison[:index] + comparison[index + 1:]
        placebos.append((level([pretend], after) - level([pretend], before))
                        - (level(others, after) - level(others, before)))
    ordered = sorted(placebos)
    measured = measure(affected, comparison, RETIRED_ON, today=TODAY)
    lower = ordered[0] + (ordered[1] - ordered[0]) * (0.05 * 11 - 0)
    upper = ordered[10] + (ordered[11] - ordered[10]) * (0.95 * 11 - 10)
    assert measured.high == pytest.approx(measured.effect - lower)
    assert measured.low == pytest.approx(measured.effect - upper)
