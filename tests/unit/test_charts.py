"""Where a chart of a metric by month falls: a month with no figure breaks its line, the grid names the highest
and lowest figures, a shared scale places equal figures equally, and a marked month outside the chart is left out."""

from datetime import date

from burden_tracker.charts import LEFT, RIGHT, WIDTH, figure, month_chart

MONTHS = [date(2026, month, 1) for month in range(1, 7)]


def test_a_month_without_a_figure_breaks_the_line_into_runs():
    chart = month_chart(MONTHS, [[1.0, 1.2, None, 1.1, 1.0, None]], [date(2026, 4, 1)])
    [line] = chart.lines
    assert len(line.runs) == 2 and [len(run.split()) for run in line.runs] == [2, 2]
    assert len(line.dots) == 4
    assert chart.marks == [(f"{LEFT + 3 * (WIDTH - LEFT - RIGHT) / 5:.1f}", date(2026, 4, 1))]
    assert [label for _y, label in chart.grid] == ["1.20", "1.00"]


def test_a_shared_scale_places_equal_figures_at_the_same_height():
    one = month_chart(MONTHS, [[1.0] * 6], [], scale=(0.5, 2.0))
    other = month_chart(MONTHS, [[1.0, 2.0, 0.5, 1.0, 1.0, 1.0]], [], scale=(0.5, 2.0))
    assert one.lines[0].dots[0][1] == other.lines[0].dots[0][1]
    assert month_chart(MONTHS, [[None] * 6], [date(2025, 1, 1)]).marks == []


def test_figures_lose_decimals_as_they_grow():
    assert [figure(value) for value in (1.234, 12.34, 227.4)] == ["1.23", "12.3", "227"]
