"""The demo's EHR-use metrics: 24 months for each department, through the same import as a vendor's file.

The levels follow published figures: EHR time about 5.2 hours per 8 hours of scheduled patient time (the median
among 573 physicians), work outside of work about 1.2, note time about 2; time in flowsheets 227 minutes per
12-hour nursing shift, which UCHealth brought to 209. Departments share a month-to-month swing and each has its
own noise, from a fixed seed. Five retired nominations are linked to a metric: three moved it clearly, one did
not move it at all, and one is too recent to judge.
"""

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlmodel import Session

from ..ehr_metrics import METRICS
from ..measured import months_around
from ..models import AffectedDepartment, Department, Nomination
from .metrics_import import import_metrics
from .sheet_files import Table

MONTHS = 24
SEED = 20260


@dataclass(frozen=True)
class Level:
    """A metric's typical level per department, its spread between departments, and its noise month to month."""

    typical: float
    spread: float
    noise: float
    # What the denominator counts a month (scheduled hours, shifts, weeks): for each clinician, or for the
    # department as a whole.
    each_a_month: float
    per_clinician: bool = True


LEVELS = {
    "EHR-Time8": Level(5.2, 0.6, 0.08, 130),
    "WOW8": Level(1.2, 0.3, 0.05, 130),
    "Note-Time8": Level(2.0, 0.3, 0.04, 130),
    "Flowsheet time": Level(227, 12, 2.5, 13),
    "Alert firings": Level(1500, 250, 30, 4.35, per_clinician=False),  # a department's firings a week
}

# (title, metric, change from the month after its retirement, other departments affected)
LINKED = (
    ("Intensive Care Unit: full fall-risk score recomputed every shift for stable patients", "Flowsheet time", -18,
     ()),
    ("Emergency Department: opioid risk alert on every short post-operative prescription", "Alert firings", -420,
     ()),
    ("Cardiology: ten-point review of systems in every progress note", "Note-Time8", -0.3, ()),
    ("Surgery: hospital course written twice: discharge summary and AVS", "WOW8", 0, ()),
    ("Full fall-risk score recomputed every shift for stable patients (Surgery)", "Flowsheet time", -15, ()),
)


def add_demo_metrics(*, session: Session, today: date) -> int:
    """Links the demo's retirements to their metrics and imports 24 months ending last month. Returns the number
    of department months imported."""
    departments = dict(session.execute(select(Department.id, Department.name).order_by(Department.name)).all())
    linked = _link(session)
    months = _months(today)
    rng = random.Random(SEED)
    rows = []
    for key, level in LEVELS.items():
        swing = {month: rng.gauss(0, level.noise * 1.5) for month in months}
        for department_id, name in departments.items():
            rows.extend(_department_rows(rng, key, level, name, months, swing,
                                         _changes(linked, key, department_id)))
    report = import_metrics(session=session, table=Table(
        ["Department", "Month", "Metric", "Numerator", "Denominator", "Clinicians"],
        [(number, row) for number, row in enumerate(rows, start=2)]))
    if not report.ok:
        raise RuntimeError("The demo's metrics do not import: " + "; ".join(map(str, report.errors[:5])))
    return report.figures


def _link(session: Session) -> list[tuple[Nomination, str, float, set[int]]]:
    linked = []
    for title, metric, change, others in LINKED:
        nomination = session.execute(select(Nomination).where(Nomination.title == title)).scalar()
        if nomination is None or nomination.retired_on is None:
            continue
        nomination.measured_metric = metric
        if others:
            session.execute(insert(AffectedDepartment), [{"nomination_id": nomination.id, "department_id": d}
                                                         for d in {nomination.department_id, *others}])
        linked.append((nomination, metric, change, {nomination.department_id, *others}))
    session.commit()
    return linked


def _months(today: date) -> list[date]:
    last_month = months_around(today.replace(day=1), 1)[0][0]
    return months_around(last_month, MONTHS - 1)[0] + [last_month]


def _changes(linked, key: str, department_id: int) -> list[tuple[date, float]]:
    """(from which month, by how much) for each linked retirement of this metric in this department."""
    return [(months_around(nomination.retired_on, 1)[1][0], change) for nomination, metric, change, affected
            in linked if metric == key and department_id in affected]


def _department_rows(rng, key, level: Level, name: str, months, swing, changes) -> list[tuple]:
    clinicians = 4 if name == "Pharmacy" else rng.randint(12, 60)  # Pharmacy: too few to show on its own
    base = level.typical + rng.gauss(0, level.spread)
    rows = []
    for month in months:
        value = base + swing[month] + rng.gauss(0, level.noise)
        value = max(0.0, value + sum(change for start, change in changes if month >= start))
        people = clinicians if level.per_clinician else 1
        denominator = round(people * level.each_a_month * rng.uniform(0.95, 1.05), 2)
        numerator = value * denominator / METRICS[key].per
        rows.append((name, f"{month:%Y-%m}", key, round(numerator, 3), denominator, clinicians))
    return rows
