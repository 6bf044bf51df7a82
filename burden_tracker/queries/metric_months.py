"""One EHR metric's months for every department, as measuring reads them: (numerator, denominator) pairs, or the
department's figure given as a value, and the clinicians each month counted."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from ..ehr_metrics import METRICS
from ..models import DepartmentMonth


@dataclass
class MetricMonths:
    """One metric's months of every department: (numerator, denominator) pairs, or values in ratio terms."""

    series: dict[int, dict[date, object]] = field(default_factory=lambda: defaultdict(dict))
    clinicians: dict[int, dict[date, int | None]] = field(default_factory=lambda: defaultdict(dict))


_IMPORTED = select(func.max(DepartmentMonth.imported_at), func.count()).where(
    DepartmentMonth.metric == bindparam("metric"))
# Each worker keeps the months of each metric it has read, while the metric's rows are those it read them from:
# a measured nomination's page needs every department's months of its metric, more rows than the rest of the page
# reads together, and they change only when an admin imports. An import stamps every row it writes with its time
# and replaces rows whole, so the latest stamp and the count of rows tell whether the kept copy still holds.
_KEPT: dict[tuple[str, str], tuple[tuple, MetricMonths]] = {}


def metric_months(session: Session, key: str) -> MetricMonths:
    stamp = tuple(session.connection().execute(_IMPORTED, {"metric": key}).one())
    place = (str(session.get_bind().url), key)
    kept = _KEPT.get(place)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    data = _read(session, key)
    _KEPT[place] = (stamp, data)
    return data


def _read(session: Session, key: str) -> MetricMonths:
    per = METRICS[key].per
    data = MetricMonths()
    month = DepartmentMonth
    query = select(month.department_id, month.month, month.numerator, month.denominator, month.value,
                   month.clinicians).where(month.metric == key)
    for department, when, numerator, denominator, value, clinicians in session.connection().execute(query):
        # A department's figure given as a value is in the metric's unit; measured.py works in numerator ÷
        # denominator, so the value is brought to those terms.
        data.series[department][when] = (numerator, denominator) if value is None else value / per
        data.clinicians[department][when] = clinicians
    return data
