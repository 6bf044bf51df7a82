"""EHR metrics for tests: departments with months of a metric that share a swing, a known effect injected after
a retirement, and retired nominations linked to the metric."""

import random
from datetime import date

from sqlalchemy import insert

from burden_tracker.enums import State
from burden_tracker.models import AffectedDepartment, DepartmentMonth, utc_now
from tests.support.factories import make_department, make_nomination

TODAY = date(2026, 12, 6)
RETIRED_ON = date(2026, 6, 15)
MONTHS = [date(2026, month, 1) for month in range(1, 12)]
SCHEDULED = 1600.0  # scheduled hours a month in each department: 10 clinicians


def departments(session, count: int) -> list[int]:
    return [make_department(session, f"Department {n:02}").id for n in range(count)]


def import_months(session, metric: str, ids: list[int], *, effect: dict[int, float] | None = None,
                  clinicians: int | None = 10, seed: int = 7, values_only: bool = False,
                  months: list[date] | None = None) -> None:
    """WOW8 about 1.0 hour per 8 scheduled hours, sharing a month-to-month swing; `effect` moves a department
    from the month after RETIRED_ON on, by that many hours per 8 scheduled hours."""
    rng = random.Random(seed)
    swing = {month: rng.gauss(0, 0.05) for month in MONTHS}
    rows = []
    for department in ids:
        base = rng.uniform(0.8, 1.2)
        for month in months or MONTHS:
            per_8 = base + swing[month] + rng.gauss(0, 0.02)
            if effect and department in effect and month > RETIRED_ON:
                per_8 += effect[department]
            numerator = per_8 / 8 * SCHEDULED
            rows.append({"department_id": department, "metric": metric, "month": month, "clinicians": clinicians,
                         "numerator": None if values_only else numerator,
                         "denominator": None if values_only else SCHEDULED,
                         "value": per_8 if values_only else None, "imported_at": utc_now()})
    session.execute(insert(DepartmentMonth), rows)
    session.commit()


def retired(session, department: int, metric="WOW8", on=RETIRED_ON, affected=(), **values):
    nomination = make_nomination(session, state=State.RETIRED, department_id=department, retired_on=on,
                                 measured_metric=metric, title=values.pop("title", f"Retired in {department}"),
                                 **values)
    session.add_all(AffectedDepartment(nomination_id=nomination.id, department_id=d) for d in affected)
    session.commit()
    return nomination
