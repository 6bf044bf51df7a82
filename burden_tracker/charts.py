"""Where a chart of a metric by month falls in its SVG box: the lines, their dots, the grid and the marked months.
Pure: the templates draw what this computes (templates/charts/_month_chart.html), so that a page with several
charts does its arithmetic in Python rather than in Jinja, and a number is formatted once."""

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 400, 190, 44, 10, 12, 30
PLOT = HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Line:
    runs: list[str]  # each unbroken run of months as an SVG points list; a month with no figure breaks the line
    dots: list[tuple[str, str]]


@dataclass(frozen=True)
class MonthChart:
    lines: list[Line]  # in the order of the series given
    grid: list[tuple[str, str]]  # (y, label) of the highest and the lowest figure
    marks: list[tuple[str, date]]  # (x, month) of each marked month shown


def figure(value: float) -> str:
    """A figure as an axis shows it: fewer decimals the larger it is."""
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def month_chart(months: list[date], series: list[list[float | None]], marked: list[date],
                scale: tuple[float, float] | None = None) -> MonthChart:
    shown = [value for values in series for value in values if value is not None]
    low, high = scale or ((min(shown), max(shown)) if shown else (0.0, 1.0))
    pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    bottom, top = low - pad, high + pad
    step = (WIDTH - LEFT - RIGHT) / ((len(months) - 1) or 1)

    def y(value: float) -> str:
        return f"{TOP + (top - value) / (top - bottom) * PLOT:.1f}"

    def x(index: int) -> str:
        return f"{LEFT + index * step:.1f}"

    lines = []
    for values in series:
        runs, run, dots = [], [], []
        for index, value in enumerate(values):
            if value is None:
                runs, run = runs + [" ".join(run)] if len(run) > 1 else runs, []
                continue
            run.append(f"{x(index)},{y(value)}")
            dots.append((x(index), y(value)))
        lines.append(Line(runs + [" ".join(run)] if len(run) > 1 else runs, dots))
    grid = [(y(value), figure(value)) for value in ((high, low) if high != low else (high,))]
    return MonthChart(lines, grid, [(x(months.index(month)), month) for month in marked if month in months])
