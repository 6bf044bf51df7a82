"""What /admin/metrics shows: each canonical metric with the vendor names it goes by, and what has been imported."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from ..ehr_metrics import METRICS, Metric
from ..models import Department, DepartmentMonth, DepartmentName, MetricName


@dataclass(frozen=True)
class MetricShown:
    metric: Metric
    names: list[str]  # the vendor names besides its own, in order
    departments: int  # with anything imported
    first_month: date | None
    last_month: date | None


def metrics_shown(*, session: Session) -> list[MetricShown]:
    names = defaultdict(list)
    for row in session.exec(select(MetricName).order_by(MetricName.name)):
        if row.name != row.metric:
            names[row.metric].append(row.name)
    imported = {metric: (departments, first, last) for metric, departments, first, last in session.exec(
        select(DepartmentMonth.metric, func.count(func.distinct(DepartmentMonth.department_id)),
               func.min(DepartmentMonth.month), func.max(DepartmentMonth.month)).group_by(DepartmentMonth.metric))}
    return [MetricShown(metric, names[key], *imported.get(key, (0, None, None))) for key, metric in METRICS.items()]


def department_names_shown(*, session: Session) -> list[tuple[str, str]]:
    """(the vendor's name, our department's) for each name an admin added, by the vendor's name."""
    return list(session.exec(select(DepartmentName.name, Department.name)
                             .join(Department, Department.id == DepartmentName.department_id)
                             .order_by(DepartmentName.name)))


def department_owning_name(*, session: Session, name: str) -> str | None:
    """The department whose own name this is, in any case; None when it is none's."""
    return session.exec(select(Department.name).where(func.lower(Department.name) == name.lower())).first()
