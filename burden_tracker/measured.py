"""How much a retirement moved its EHR metric: a difference in differences against the departments it did not
affect, with an interval from placebo inference. Pure Python: no database.

For a retirement taking effect in month M, the before window is the `window` months ending the month before M
and the after window the `window` months starting the month after M (M itself is skipped: it holds both). A
group's level over a window pools its departments' months, numerators and denominators summed, so a busy
department weighs as much as its hours (when one gave only its figures as values, each department counts once).

    effect = (affected after - affected before) - (comparison after - comparison before)

Each comparison department is then treated in turn as if it had been the affected one, against the others; the
spread of those placebo effects is what the metric does on its own. Low and High are the effect minus the upper
and the lower placebo effect: their 5th and 95th percentiles with nine or more comparison departments, their full
range (said so) with four to eight, and no interval with fewer. When the data cannot carry a figure, the answer
says why, never a number.
"""

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

# A department's month of one metric: (numerator, denominator), or a value alone.
Month = tuple[float, float] | float
Series = Mapping[date, Month]

WINDOW_MONTHS = 3
FEWEST_FOR_PERCENTILES = 9
FEWEST_FOR_A_RANGE = 4
PERCENTILE_INTERVAL, PLACEBO_RANGE = "5th to 95th percentile of placebo effects", "full range of placebo effects"


@dataclass(frozen=True)
class Measured:
    """The measured effect of one retirement, in the metric's own units; or why there is none."""

    effect: float | None = None
    low: float | None = None
    high: float | None = None
    interval: str | None = None  # how Low and High were found, or why there are none
    before: float | None = None
    after: float | None = None
    comparison_before: float | None = None
    comparison_after: float | None = None
    why_not: str | None = None  # set when there is no effect at all


def months_around(retired_on: date, window: int = WINDOW_MONTHS) -> tuple[list[date], list[date]]:
    """The before and after windows' months (first days), the month of the retirement left out."""
    month = retired_on.replace(day=1)
    return ([_shift(month, -n) for n in range(window, 0, -1)], [_shift(month, n) for n in range(1, window + 1)])


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def level(series: list[Series], months: list[date]) -> float | None:
    """A group of departments over some months; None unless every department has every month. Numerators and
    denominators are pooled; once any department gave only values, each department counts once, by its own level."""
    if not series or any(month not in one for one in series for month in months):
        return None
    pairs = [[one[month] for month in months] for one in series]
    if all(isinstance(pair, tuple) for months_of_one in pairs for pair in months_of_one):
        denominator = sum(pair[1] for months_of_one in pairs for pair in months_of_one)
        return sum(pair[0] for months_of_one in pairs for pair in months_of_one) / denominator if denominator else None
    return statistics.fmean(statistics.fmean(_value(pair) for pair in months_of_one) for months_of_one in pairs)


def month_levels(series: list[Series], months: list[date]) -> list[float | None]:
    """Each month's level of the departments that have it, pooled as level() pools them; None where none has."""
    levels = []
    for month in months:
        given = [one[month] for one in series if month in one]
        if given and all(isinstance(pair, tuple) for pair in given):
            levels.append(sum(pair[0] for pair in given) / sum(pair[1] for pair in given))
        else:
            levels.append(statistics.fmean(_value(pair) for pair in given) if given else None)
    return levels


def _value(month: Month) -> float:
    return month[0] / month[1] if isinstance(month, tuple) else month


def measure(affected: list[Series], comparison: list[Series], retired_on: date, *, today: date,
            window: int = WINDOW_MONTHS) -> Measured:
    """The effect of a retirement on its affected departments, against the comparison departments."""
    before, after = months_around(retired_on, window)
    if after[-1] >= today.replace(day=1):
        return Measured(why_not=f"the after window is not over: it ends with {after[-1]:%B %Y}")
    usable = [one for one in comparison if all(month in one for month in before + after)]
    treated_before, treated_after = level(affected, before), level(affected, after)
    if treated_before is None or treated_after is None:
        return Measured(why_not=f"the affected departments lack some of the {2 * window} months around it")
    if not usable:
        return Measured(why_not="no comparison department has every month of both windows")
    comparison_before, comparison_after = level(usable, before), level(usable, after)
    effect = (treated_after - treated_before) - (comparison_after - comparison_before)
    low, high, interval = _interval(effect, usable, before, after)
    return Measured(effect, low, high, interval, treated_before, treated_after, comparison_before, comparison_after)


def _interval(effect: float, comparison: list[Series], before: list[date], after: list[date]):
    count = len(comparison)
    if count < FEWEST_FOR_A_RANGE:
        return None, None, f"no interval: {count} comparison department{'s' if count != 1 else ''}, fewer than " \
                           f"{FEWEST_FOR_A_RANGE}"
    placebos = [change - others for change, others in _placebo_changes(comparison, before, after)]
    if count >= FEWEST_FOR_PERCENTILES:
        lower, upper = _percentile(placebos, 0.05), _percentile(placebos, 0.95)
        return effect - upper, effect - lower, PERCENTILE_INTERVAL
    return effect - max(placebos), effect - min(placebos), PLACEBO_RANGE


def _placebo_changes(comparison: list[Series], before: list[date], after: list[date]) -> list[tuple[float, float]]:
    """For each comparison department: its change between the windows, and the change of all the others pooled
    without it, as level() pools them. Where every month is a ratio, the others' sums are the group's less the
    department's own: one pass over the departments rather than one over all of them for each."""
    if not all(isinstance(one[month], tuple) for one in comparison for month in before + after):
        return [(level([pretend], after) - level([pretend], before),
                 level(others, after) - level(others, before))
                for index, pretend in enumerate(comparison)
                for others in [comparison[:index] + comparison[index + 1:]]]
    sums = [(_summed(one, before), _summed(one, after)) for one in comparison]
    total = [(sum(own[side][0] for own in sums), sum(own[side][1] for own in sums)) for side in (0, 1)]

    def without(own, side):
        return (total[side][0] - own[side][0]) / (total[side][1] - own[side][1])

    return [(own[1][0] / own[1][1] - own[0][0] / own[0][1], without(own, 1) - without(own, 0)) for own in sums]


def _summed(series: Series, months: list[date]) -> tuple[float, float]:
    """A department's numerators and denominators summed over some months."""
    return sum(series[month][0] for month in months), sum(series[month][1] for month in months)


def _percentile(values: list[float], share: float) -> float:
    """Linear between the nearest ranks, as spreadsheets' PERCENTILE.INC does."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
