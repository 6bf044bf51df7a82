"""Importing the EHR vendor's usage metrics (.xlsx first sheet, or UTF-8 .csv): all or nothing.

Three shapes, told apart by their headers (matched as for nominations): long, as vendors export it (one row per
provider or department and reporting period); wide, as vendors' workbooks are laid out (`Department`, `Metric`,
then a column per month; a ratio as two rows, "WOW8 numerator" and "WOW8 denominator"; a row of values alone is
the department's figure, which cannot be pooled or turned into hours unless a `Scheduled hours` row gives the
department's scheduled hours; `Clinicians` and `Scheduled hours` rows serve all its metrics); and the template.
Rows are added up to department × month × metric (numerators and denominators summed, never an average of averages;
distinct providers counted, never stored). Every bad row is reported and nothing written; a month imported again
replaces it."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, delete, insert
from sqlmodel import Session, select

from ..ehr_metrics import METRICS, month_of, name_key
from ..errors import DomainError
from ..models import Department, DepartmentMonth, DepartmentName, MetricName, utc_now
from .import_rows import RowError, column_key
from .sheet_files import Table
from .workbooks import forget as forget_workbooks

LONG, TEMPLATE, WIDE = "long", "template", "wide"
SHAPES = {  # the columns each shape must have; a wide sheet has months for the rest
    LONG: ("department", "reportingperiodstartdate", "reportingperiodenddate", "metric"),
    TEMPLATE: ("department", "month", "metric"),
    WIDE: ("department", "metric"),
}
PARTS = ("numerator", "denominator")  # a wide sheet's metric row may be one part of a ratio: "WOW8 numerator"
# A wide sheet's rows of a department's clinicians and scheduled hours each month, which serve all its metrics.
CLINICIANS, SCHEDULED = DEPARTMENT_ROWS = ("clinicians", "scheduledhours")
OPTIONAL = ("provideridentifier", "numerator", "denominator", "value", "clinicians")
SHAPES_IN_WORDS = ("Department, ReportingPeriodStartDate, ReportingPeriodEndDate and Metric (as vendors export "
                   "it), Department and Metric then a column per month (2026-01), or Department, Month and Metric "
                   "(the template)")


@dataclass
class MetricsReport:
    shape: str
    rows: int = 0
    figures: int = 0  # department × month × metric
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Figure:
    """One department's month of one metric, as the rows add up to it."""

    numerator: float = 0.0
    denominator: float = 0.0
    value: float | None = None
    providers: set = field(default_factory=set)
    clinicians: int = 0
    rows: list[int] = field(default_factory=list)

    def as_row(self, department_id: int, metric: str, month: date, now: datetime) -> dict:
        key = {"department_id": department_id, "metric": metric, "month": month, "imported_at": now}
        if self.value is not None:
            return key | {"numerator": None, "denominator": None, "value": self.value,
                          "clinicians": self.clinicians or None}
        return key | {"numerator": self.numerator, "denominator": self.denominator, "value": None,
                      "clinicians": len(self.providers) + self.clinicians or None}


def import_metrics(*, session: Session, table: Table, dry_run: bool = False) -> MetricsReport:
    columns = {column_key(header): index for index, header in enumerate(table.headers) if header is not None}
    months = {index: month_of(header) for index, header in enumerate(table.headers) if month_of(header)}
    shape = next((shape for shape, needed in SHAPES.items() if all(c in columns for c in needed)
                  and (shape != WIDE or months)), None)
    if shape is None:
        raise DomainError(f"These columns are not an EHR metrics sheet: it needs {SHAPES_IN_WORDS}.")
    report = MetricsReport(shape=shape, dry_run=dry_run)
    known = set(SHAPES[shape]) | (set() if shape == WIDE else set(OPTIONAL))
    report.warnings.extend(f"column {header!r} is not one the import reads; it was ignored"
                           for index, header in enumerate(table.headers)
                           if header is not None and column_key(header) not in known and index not in months)
    reader = _Reader(session, shape, columns)
    for number, cells in table.rows:
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        report.rows += 1
        if shape == WIDE:
            reader.read_wide(number, cells, months, report.errors)
        else:
            reader.read(number, cells, report.errors)
    report.errors.extend(reader.finish_wide() if shape == WIDE else reader.clashes())
    report.warnings.extend(reader.warnings)
    report.figures = len(reader.figures)
    if report.errors or dry_run:
        session.rollback()
        return report
    _replace(session, reader.figures)
    forget_workbooks(session)  # their Measured impact sheets were measured on the metrics replaced
    session.commit()
    return report


class _Reader:
    def __init__(self, session: Session, shape: str, columns: dict[str, int]):
        self.shape, self.columns = shape, columns
        self.metrics = {row.name_key: row.metric for row in session.exec(select(MetricName))}
        self.departments = {name.casefold(): department_id for department_id, name
                            in session.exec(select(Department.id, Department.name))}
        self.departments |= dict(session.exec(select(DepartmentName.name_key, DepartmentName.department_id)).all())
        self.figures: dict[tuple[int, str, date], _Figure] = defaultdict(_Figure)
        self.wide: dict[tuple[int, str, date], dict] = defaultdict(dict)  # each part: (number, row)
        self.warnings: list[str] = []

    def cell(self, cells: tuple, column: str):
        index = self.columns.get(column)
        value = cells[index] if index is not None and index < len(cells) else None
        return value.strip() if isinstance(value, str) else value

    def read(self, row: int, cells: tuple, errors: list[RowError]) -> None:
        faults: list[RowError] = []
        department = self._department(row, cells, faults)
        metric = self._metric(row, cells, faults)
        month = self._month(row, cells, faults)
        unreadable = len(faults)
        numbers = {name: self._number(row, cells, name, faults) for name in OPTIONAL[1:]}
        provider = self.cell(cells, "provideridentifier")
        if len(faults) == unreadable:  # how the numbers go together is told once each can be read
            self._check_numbers(row, numbers, provider, faults)
        errors.extend(faults)
        if faults:
            return
        figure = self.figures[(department, metric, month)]
        figure.rows.append(row)
        if numbers["numerator"] is None:
            figure.value = numbers["value"]
        else:
            figure.numerator += numbers["numerator"]
            figure.denominator += numbers["denominator"]
        if provider not in (None, ""):
            figure.providers.add(str(provider))
        elif numbers["clinicians"] is not None:
            figure.clinicians += int(numbers["clinicians"])

    def read_wide(self, row: int, cells: tuple, months: dict[int, date], errors: list[RowError]) -> None:
        """A row of a wide sheet: one metric (or one part of its ratio, or the clinicians) for each month."""
        faults: list[RowError] = []
        department = self._department(row, cells, faults)
        label = str(self.cell(cells, "metric") or "")
        name, _, part = label.rpartition(" ")
        if part.casefold() not in PARTS:
            name, part = label, "value"
        metric = name_key(name) if name_key(name) in DEPARTMENT_ROWS else self._metric(row, (name,), faults, column=0)
        for index, month in months.items():
            number = self._number(row, cells, f"{month:%Y-%m}", faults, index=index)
            if number is not None and department is not None and metric is not None:
                self.wide[(department, metric, month)][part.casefold()] = (number, row)
        errors.extend(faults)

    def finish_wide(self) -> list[RowError]:
        """The parts of each month put together: a numerator needs its denominator, a value stands alone."""
        errors, unscheduled = [], set()
        for (department, metric, month), parts in self.wide.items():
            if metric in DEPARTMENT_ROWS:
                continue
            numerator, denominator, value = (parts.get(part) for part in ("numerator", "denominator", "value"))
            clinicians = self.wide.get((department, CLINICIANS, month), {}).get("value")
            figure = self.figures[(department, metric, month)]
            figure.clinicians = int(clinicians[0]) if clinicians else 0
            if value and (numerator or denominator):
                errors.append(RowError(value[1], f"{month:%Y-%m}", "the month has a value and a numerator or "
                                                                   "denominator row too: give one or the other"))
            elif value:
                scheduled = self.wide.get((department, SCHEDULED, month), {}).get("value")
                if scheduled and scheduled[0] > 0 and METRICS[metric].denominator == "scheduled hours":
                    figure.numerator = value[0] / METRICS[metric].per * scheduled[0]
                    figure.denominator = scheduled[0]
                else:
                    figure.value = value[0]
                    unscheduled.add(metric)
            elif not (numerator and denominator):
                given = numerator or denominator
                errors.append(RowError(given[1], f"{month:%Y-%m}", f"no {'denominator' if numerator else 'numerator'}"
                                                                   " row gives this month"))
            elif denominator[0] == 0:
                errors.append(RowError(denominator[1], f"{month:%Y-%m}", "must be more than 0"))
            else:
                figure.numerator, figure.denominator = numerator[0], denominator[0]
        self.warnings.extend(f"{metric} is given as the departments' figures alone, with no row of its "
                             f"{METRICS[metric].denominator} (for a metric per scheduled hour: a Scheduled hours "
                             "row): it can be measured, but the hours it stands for will not be computed"
                             for metric in sorted(unscheduled))
        return sorted(errors, key=lambda error: (error.row, error.column))

    def clashes(self) -> list[RowError]:
        """A department's figure given as a Value cannot stand beside other rows for the same month."""
        return [RowError(figure.rows[1], "value", f"the department's figure for this month and metric is given "
                                                  f"as a Value on row {figure.rows[0]}: a value cannot be added to "
                                                  "other rows")
                for figure in self.figures.values() if figure.value is not None and len(figure.rows) > 1]

    def _department(self, row, cells, faults) -> int | None:
        name = self.cell(cells, "department")
        if name in (None, ""):
            faults.append(RowError(row, "department", "is empty"))
            return None
        found = self.departments.get(str(name).strip().casefold())
        if found is None:
            faults.append(RowError(row, "department", f"no department is named {name!r}"))
        return found

    def _metric(self, row, cells, faults, column: str | int = "metric") -> str | None:
        name = cells[column] if isinstance(column, int) else self.cell(cells, column)
        found = self.metrics.get(name_key(name)) if name not in (None, "") else None
        if found is None or found not in METRICS:
            faults.append(RowError(row, "metric", f"{name!r} is not a metric Burden Tracker knows by that name"
                                   if name not in (None, "") else "is empty"))
            return None
        return found

    def _month(self, row, cells, faults) -> date | None:
        if self.shape == TEMPLATE:
            month = month_of(self.cell(cells, "month"))
            if month is None:
                faults.append(RowError(row, "month", "is not a month: write it like 2026-01"))
            return month
        start = _day(self.cell(cells, "reportingperiodstartdate"))
        end = _day(self.cell(cells, "reportingperiodenddate"))
        for column, day in (("reportingperiodstartdate", start), ("reportingperiodenddate", end)):
            if day is None:
                faults.append(RowError(row, column, "is not a date: write it like 2026-01-31"))
        if start is None or end is None:
            return None
        if end < start:
            faults.append(RowError(row, "reportingperiodenddate", "is before the period's start"))
        elif (start.year, start.month) != (end.year, end.month):
            faults.append(RowError(row, "reportingperiodenddate", "the period must lie within one calendar month"))
        return start.replace(day=1)

    def _number(self, row, cells, column, faults, index: int | None = None) -> float | None:
        """The cell of `column` (a wide sheet's month column by its index) as a number of 0 or more."""
        value = self.cell(cells, column) if index is None else (cells[index] if index < len(cells) else None)
        value = value.strip() if isinstance(value, str) else value
        if value in (None, ""):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            faults.append(RowError(row, column, f"{value!r} is not a number"))
            return None
        if number != number or number in (float("inf"), float("-inf")) or number < 0:
            faults.append(RowError(row, column, "must be a number of 0 or more"))
            return None
        return number

    @staticmethod
    def _check_numbers(row, numbers, provider, faults) -> None:
        numerator, denominator, value = numbers["numerator"], numbers["denominator"], numbers["value"]
        if (numerator is None) != (denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            faults.append(RowError(row, missing, "is empty: a numerator needs its denominator, and the other way"))
        elif numerator is not None and denominator == 0:
            faults.append(RowError(row, "denominator", "must be more than 0"))
        elif numerator is None and value is None:
            faults.append(RowError(row, "numerator", "is empty: give Numerator and Denominator, or the "
                                                     "department's Value"))
        elif numerator is None and provider not in (None, ""):
            faults.append(RowError(row, "value", "a provider's row needs Numerator and Denominator: a value alone "
                                                 "cannot be added up"))
        if numbers["clinicians"] is not None and numbers["clinicians"] != int(numbers["clinicians"]):
            faults.append(RowError(row, "clinicians", "must be a whole number"))


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


def _replace(session: Session, figures: dict[tuple[int, str, date], _Figure]) -> None:
    """Each department's month of each metric in the file replaces what was imported for it before."""
    now = utc_now()
    rows = [figure.as_row(department, metric, month, now) for (department, metric, month), figure in figures.items()]
    if not rows:
        return
    table = DepartmentMonth.__table__
    connection = session.connection()
    connection.execute(delete(table).where(table.c.department_id == bindparam("d"), table.c.metric == bindparam("m"),
                                           table.c.month == bindparam("mo")),
                       [{"d": row["department_id"], "m": row["metric"], "mo": row["month"]} for row in rows])
    connection.execute(insert(table), rows)
