"""The quarterly workbook of docs/product.md ("Quarterly Excel report"), written with openpyxl.

The workbook is written in write-only mode: rows stream from the database to a temporary file a
batch at a time, so memory does not grow with the program. Every figure comes from the reports'
queries (queries/reporting.py and queries/report_rows.py); totals are SUM formulas over the rows
they total. The Summary's figures are stored as numbers, so a viewer that does not recalculate (a phone, a mail
preview, pandas) shows them, and each has beside it a formula that checks it against the SUM of its sheet's rows:
an executive can trace each number to its rows and each row to the Assumptions sheet.

Every string goes through as_text before openpyxl sees it and is written as text, never as a formula.

One module of more than 300 lines, because a change to the workbook touches its columns, its sheets and its
cells together: a new figure is a column here, a formula on the Summary and a row on the Assumptions sheet, and
the text safety (as_text) is tested through the workbook it protects. The cell writer serves nothing else.
"""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import Enum

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import Result
from sqlmodel import Session

from . import hours
from .enums import EventKind, State
from .hours import Quarter
from .queries import executive, quarter_report, report_groups, reporting, restatements
from .queries.measured_impact import Impact, measured_impacts

EXCEL_MAX_TEXT = 32_767  # UTF-16 code units, as Excel counts them
# What XML 1.0 (and so a worksheet) cannot hold: most control characters, lone surrogates, U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_LIKE = ("=", "+", "-", "@", "\t", "\r", "\n")
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
PROGRESS_EVERY = 1_000
EXCEL_ROWS = 1_048_576  # the most rows a sheet holds in Excel (and LibreOffice)
ROWS_PER_SHEET = EXCEL_ROWS - 2  # records on one sheet: the header row above them, the totals row below


def as_text(value) -> str:
    """Text a person typed, made safe for a cell: line breaks as Excel writes them, characters a
    worksheet cannot hold replaced, and no longer than a cell holds."""
    text = str(value)  # a StrEnum's (a state's, a role's) is its text
    # The usual case, checked in C: every character below (line breaks, tabs, the rest) is unprintable.
    if text.isprintable() and len(text) <= EXCEL_MAX_TEXT // 2:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ILLEGAL.sub(REPLACEMENT, text)
    return text if len(text) <= EXCEL_MAX_TEXT // 2 else _cut_to_fit(text)


def _cut_to_fit(text: str) -> str:
    """Characters beyond the Basic Multilingual Plane (emoji) take two of Excel's units."""
    if _excel_length(text) <= EXCEL_MAX_TEXT:
        return text
    kept, units = [], 0
    for character in text:
        units += 2 if ord(character) > 0xFFFF else 1
        if units > EXCEL_MAX_TEXT - 1:  # room for the ellipsis
            break
        kept.append(character)
    return "".join(kept) + "…"


def _excel_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def is_formula_like(text: str) -> bool:
    """Text a spreadsheet program could take for a formula if someone edited the cell."""
    return text.startswith(_FORMULA_LIKE)


class Formula(str):
    """A formula we wrote ourselves; the only strings that may become formulas."""


FORMATS = {
    "text": "General", "id": "0", "count": "#,##0", "number": "#,##0.0##", "hours": "#,##0.0",
    "money": '"$"#,##0.00', "fte": "0.00", "percent": "0.0%", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm",
}


class Column:
    def __init__(self, header: str, key: str, kind: str = "text", width: float = 12, total: bool = False):
        self.header, self.key, self.kind, self.width, self.total = header, key, kind, width, total


class Sheet:
    """One write-only sheet: a bold frozen header row, filters on it, one row per record, and a
    totals row of SUM formulas under the columns that have totals."""

    def __init__(self, workbook: Workbook, title: str, columns: list[Column]):
        self.ws = _RowsOfCells(workbook, title)
        workbook._add_sheet(self.ws)  # what create_sheet() does, with our kind of sheet
        self.title, self.columns, self.rows = title, columns, 0
        for index, column in enumerate(columns, 1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self.ws.freeze_panes = "A2"
        for_print(self.ws, pages_down=0)
        self.ws.print_title_rows = "1:1"  # the header row on every printed page
        self.ws.append([header_cell(self.ws, column.header) for column in columns])

        # One styled cell per column, filled anew for every row: append() writes a row out before it
        # returns, and building and styling a new cell for each value was where much of the export's time went.
        self.cells = [_ColumnCell(self.ws, column.kind) for column in columns]

    def add(self, values) -> None:
        """One record's row, its values in the order of the columns."""
        self.ws.append([cell.holding(value) for cell, value in zip(self.cells, values, strict=True)])
        self.rows += 1

    def add_record(self, record) -> None:
        self.add([getattr(record, column.key) for column in self.columns])

    def finish(self, empty_message: str) -> int | None:
        """Write the totals row (when any column has one) and return its row number."""
        if self.rows == 0:
            self.ws.append([None, cell(self.ws, empty_message)])
        last = self.rows + 1 if self.rows else 2
        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{last}"
        if not any(column.total for column in self.columns):
            return None
        totals = [cell(self.ws, Formula(f"=SUM({letter}2:{letter}{last})"), column.kind)
                  if column.total else None for letter, column in self._lettered()]
        totals[next(i for i, column in enumerate(self.columns) if not column.total)] = header_cell(self.ws, "Total")
        self.ws.append(totals)
        self.totals_row = last + 1
        return self.totals_row

    def data_range(self, key: str) -> str:
        """The column of `key` over the record rows, for a formula elsewhere."""
        letter = self._letter(key)
        return f"{quote_sheetname(self.title)}!${letter}$2:${letter}${max(self.rows + 1, 2)}"

    def ref(self, key: str, row: int) -> str:
        """An absolute reference to this sheet's cell in the column of `key`, for a formula elsewhere."""
        return f"{quote_sheetname(self.title)}!${self._letter(key)}${row}"

    def _letter(self, key: str) -> str:
        return next(letter for letter, column in self._lettered() if column.key == key)

    def _lettered(self):
        return [(get_column_letter(index), column) for index, column in enumerate(self.columns, 1)]


class ContinuedSheet:
    """The records of one list on as many sheets as Excel's rows need: "Pipeline", then "Pipeline (2)", … with the
    same columns, each part with its own totals row. Formulas elsewhere add the parts together."""

    def __init__(self, workbook: Workbook, title: str, columns: list[Column]):
        self.workbook, self.title, self.columns = workbook, title, columns
        self.parts = [Sheet(workbook, title, columns)]

    def add(self, values) -> None:
        if self.parts[-1].rows == ROWS_PER_SHEET:
            self.parts.append(Sheet(self.workbook, f"{self.title} ({len(self.parts) + 1})", self.columns))
        self.parts[-1].add(values)

    def finish(self, empty_message: str) -> None:
        for part in self.parts:
            part.finish(empty_message)

    @property
    def rows(self) -> int:
        return sum(part.rows for part in self.parts)

    def over_rows(self, function: str, key: str, *arguments: str) -> str:
        """`function` of the column of `key` over the record rows, added up over the parts: COUNT(…)+COUNT(…)."""
        extra = "".join(f",{argument}" for argument in arguments)
        return "+".join(f"{function}({part.data_range(key)}{extra})" for part in self.parts)

    def total(self, key: str) -> str:
        """The column's totals over every part: its totals cell, or theirs added in brackets."""
        cells = [part.ref(key, part.totals_row) for part in self.parts]
        return cells[0] if len(cells) == 1 else f"({'+'.join(cells)})"


def for_print(ws, pages_down: int) -> None:
    """Landscape, one page wide and `pages_down` pages long (0: as many as it takes). Set before the first row: a
    write-only sheet writes these settings out with its first row."""
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, pages_down


def _headed_for_print(workbook: Workbook, quarter: Quarter, site: str | None) -> None:
    """Each printed page says what it is and which page of how many (written with the sheet's last row)."""
    of_site = f", {as_text(site)}".replace("&", "&&") if site else ""  # & begins a header's codes (&P: the page)
    for ws in workbook.worksheets:
        ws.oddHeader.center.text = f"Burden Tracker {quarter}{of_site} ({quarter.months()}): {ws.title}"
        ws.oddFooter.center.text = "Page &P of &N"


class _RowsOfCells(WriteOnlyWorksheet):
    """A write-only worksheet whose rows hold only cells, or None for an empty one.

    WriteOnlyWorksheet.append() first tries every item of a row as a plain value: for a cell that is
    a failed type lookup and an exception that formats the cell's repr, then a new scratch cell after
    each styled one. At a million cells that cost as much as writing them, and a row of cells needs
    none of it, so this overrides the one step of openpyxl (3.1) that does it; the tests read back
    every kind of cell, so a change in openpyxl shows there."""

    def __init__(self, parent, title):
        super().__init__(parent, title)
        self.next_row = 1  # the number the next appended row will have, for a formula or chart that refers to it

    def append(self, row):
        super().append(row)
        self.next_row += 1

    def _values_to_row(self, cells, row_idx):
        for col_idx, made in enumerate(cells, 1):
            if made is not None:
                made.row, made.column = row_idx, col_idx
                yield made


class _ColumnCell(Cell):
    """The one cell of a data column: styled once for the column's kind and refilled for every row.

    Costs of openpyxl's public path are paid once per column here instead of once per value: the
    writer asks a styled cell whether it has a style and for its style id, which hashes the style into
    the workbook's list of styles (a column's style never changes, so both are kept), and the value
    setter works out each value's type (a column's type is known: text goes through as_text and is
    typed as text, as put() does)."""

    __slots__ = ("has_style", "style_id", "convert")

    def __init__(self, ws, kind: str):
        super().__init__(ws)
        _style(self, kind)
        self.data_type = {"text": "s", "date": "d", "datetime": "d"}.get(kind, "n")
        self.convert = {"text": as_text, "datetime": _naive}.get(kind)
        self.has_style, self.style_id = True, Cell.style_id.fget(self)

    def holding(self, value) -> Cell | None:
        if value is None:
            return None
        self._value = value if self.convert is None else self.convert(value)
        return self


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)  # times are UTC


def column_cell(ws, kind: str) -> Cell:
    """An empty cell styled for one kind of value."""
    return _style(WriteOnlyCell(ws), kind)


def _style(made: Cell, kind: str) -> Cell:
    """Text is quote-prefixed, so that editing a cell in Excel does not turn text that looks like a
    formula into one either; every other kind has its number format."""
    if kind == "text":
        made.quotePrefix = True
    else:
        made.number_format = FORMATS[kind]
    return made


def put(target: Cell, value) -> Cell | None:
    """The one way a value reaches a cell. Strings are sanitised and typed as text; only a Formula
    we wrote ourselves becomes a formula."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, Formula):
        target.value = str(value)
    elif isinstance(value, str):
        target.value, target.data_type = as_text(value), "s"  # "s" after: the setter makes "=..." a formula
    else:
        target.value = _naive(value) if isinstance(value, datetime) else value
    return target


def cell(ws, value, kind: str = "text") -> Cell | None:
    text = isinstance(value, str) and not isinstance(value, Formula)
    return put(column_cell(ws, "text" if text else kind), value)


def text_cell(ws, value) -> Cell:
    return cell(ws, str(value))


def header_cell(ws, text: str) -> Cell:
    made = text_cell(ws, text)
    made.font = Font(bold=True)
    made.alignment = Alignment(wrap_text=True, vertical="top")
    return made


def _columns(*specs) -> list[Column]:
    return [Column(*spec) for spec in specs]


def _classified(*extra) -> list[Column]:
    """ID and title, what the nomination is about, then the given columns."""
    return _columns(("ID", "id", "id", 8), ("Title", "title", "text", 40), ("Department", "department", "text", 22),
                    ("Category", "category", "text", 16), ("Affected role", "affected_role", "text", 16),
                    ("Source of the requirement", "source", "text", 22), *extra)


ESTIMATE = (("Minutes per occurrence", "minutes", "number", 12), ("Occurrences per week", "per_week", "number", 12),
            ("Clinicians affected", "clinicians", "count", 12))
RETIRED = _classified(
    ("Submitted on", "submitted_on", "date", 12), ("Retired on", "retired_on", "date", 12),
    ("What changed", "what_changed", "text", 50), *ESTIMATE, ("Hours a year", "annual_hours", "hours", 14, True),
    ("Days counted in the quarter", "days_counted", "count", 12),
    ("Hours realized in the quarter", "realized_hours", "hours", 14, True),
    ("Hourly rate (USD)", "hourly_rate", "money", 12),
    ("Cost realized in the quarter (USD)", "realized_cost", "money", 16, True),
    ("Hours projected to the quarter's end", "projected_hours", "hours", 14, True),
    ("Cost a year (USD)", "annual_cost", "money", 16, True))
PIPELINE = _classified(
    ("State at the quarter's end", "state", "text", 12), ("Submitted on", "submitted_on", "date", 12),
    ("Age at the quarter's end or today (days)", "age_days", "count", 12),
    ("Supporters", "supporters", "count", 11, True),
    *ESTIMATE, ("Potential hours a year", "annual_hours", "hours", 14, True), ("FTE", "fte", "fte", 10, True),
    ("Hourly rate (USD)", "hourly_rate", "money", 12),
    ("Potential cost a year (USD)", "annual_cost", "money", 16, True))
RETIRING_SOON = _classified(
    ("Decided (UTC)", "decided_at", "datetime", 17), ("Effective (retired on)", "retired_on", "date", 12),
    ("What will change", "what_changed", "text", 50), *ESTIMATE,
    ("Hours a year from then", "annual_hours", "hours", 14, True), ("Hourly rate (USD)", "hourly_rate", "money", 12),
    ("Cost a year from then (USD)", "annual_cost", "money", 16, True))
GROUPED = _columns(
    ("Name", "label", "text", 28), ("Received", "received", "count", 11, True),
    ("Evaluated", "evaluated", "count", 11, True), ("Decided to retire", "decided_to_retire", "count", 11, True),
    ("Retired (effective)", "retired", "count", 11, True),
    ("Rejected", "rejected", "count", 11, True), ("Retired by the quarter's end", "retired_by_end", "count", 13, True),
    ("Open at the quarter's end", "open_at_end", "count", 13, True),
    ("Hours realized in the quarter", "realized_hours", "hours", 14, True),
    ("Hours a year retired by the quarter's end", "annualized_hours", "hours", 16, True),
    ("FTE retired", "annualized_fte", "fte", 10, True),
    ("Potential hours a year (open)", "potential_hours", "hours", 16, True),
    ("Cost realized in the quarter (USD)", "realized_cost", "money", 16, True),
    ("Cost a year retired (USD)", "annualized_cost", "money", 16, True))
DECISIONS = _columns(
    ("When (UTC)", "at", "datetime", 17), ("Nomination", "nomination_id", "id", 11), ("Title", "title", "text", 40),
    ("From", "from_state", "text", 11), ("To", "to_state", "text", 11), ("Who", "who", "text", 24),
    ("Note", "note", "text", 60), ("Kind", "kind", "text", 10))
HISTORY = _columns(
    ("Quarter", "quarter", "text", 12), ("Received", "received", "count", 11), ("Evaluated", "evaluated", "count", 11),
    ("Decided to retire", "decided_to_retire", "count", 11), ("Retired (effective)", "retired", "count", 11),
    ("Rejected", "rejected", "count", 11),
    ("Open at the end", "open_at_end", "count", 11), ("Hours realized", "realized_hours", "hours", 14),
    ("Hours a year retired by the end", "annualized_hours", "hours", 16), ("FTE retired", "annualized_fte", "fte", 10),
    ("Cost realized (USD)", "realized_cost", "money", 16))

MEASURED = _columns(
    ("Nomination", "nomination_id", "id", 11), ("Title", "title", "text", 40), ("Retired on", "retired_on", "date", 12),
    ("Metric", "metric", "text", 14), ("Departments", "departments", "text", 28), ("Before", "before", "number", 10),
    ("After", "after", "number", 10), ("Comparison before", "comparison_before", "number", 12),
    ("Comparison after", "comparison_after", "number", 12), ("Effect", "effect", "number", 10),
    ("Low", "low", "number", 10), ("High", "high", "number", 10),
    ("Hours a year measured", "hours_measured", "hours", 14, True),
    ("Hours a year estimated", "hours_estimated", "hours", 14, True),
    ("Why there is no figure, or no interval", "why_not", "text", 60))


class _Record:
    """A group's or a quarter's figures as a row: its name, then each figure by attribute."""

    def __init__(self, figures: reporting.Figures, **names):
        self.figures, self.names = figures, names

    def __getattr__(self, key):
        return self.names[key] if key in self.names else getattr(self.figures, key)


def write_workbook(*, session: Session, quarter: Quarter, destination, generated_by: str,
                   progress: Callable[[int], None] | None = None, today: date | None = None,
                   site_id: int | None = None) -> None:
    """Write the quarter's workbook to a path or a binary file, of the health system or of one site: as it was
    closed, or as of today on the organization's clocks. Raises quarter_report.NotClosedBySite for a site of a
    quarter closed before each site's report was kept with it."""
    report = quarter_report.report_for(session=session, quarter=quarter, today=today, site_id=site_id)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Burden Tracker"
    workbook.properties.title = as_text(report_title(report))
    summary = _RowsOfCells(workbook, "Summary")
    workbook._add_sheet(summary)  # first: the Summary opens the workbook
    counted = _Counter(progress)

    def rows(sheet: str):
        return quarter_report.rows(session=session, report=report, sheet=sheet)

    retired = _fill(ContinuedSheet(workbook, "Retired", RETIRED), rows("retired"),
                    counted, f"Nothing was retired on or before {quarter.last_day:%-d %B %Y}.")
    pipeline = _fill(ContinuedSheet(workbook, "Pipeline", PIPELINE), rows("pipeline"),
                     counted, f"Nothing was open at the end of {quarter}.")
    soon = _fill(ContinuedSheet(workbook, "Retiring soon", RETIRING_SOON), rows("soon"), counted,
                 f"No retirement decided by {quarter.last_day:%-d %B %Y} takes effect after it.")
    if "site" in report.breakdowns:  # not in a quarter closed before sites were counted: its workbook stays so
        _fill_groups(workbook, "By site", report, "site")
    by_department = _fill_groups(workbook, "By department", report, "department")
    _fill_groups(workbook, "By category", report, "category")
    decisions = _fill(ContinuedSheet(workbook, "Decisions", DECISIONS), rows("decisions"),
                      counted, f"No decisions were taken in {quarter}.")
    measured = _fill_measured(workbook, measured_impacts(session=session, today=report.today, site_id=site_id),
                              quarter)
    if report.restated:
        _write_restatements(workbook, report.restated)
    fte_hours_cell = _write_assumptions(workbook, report, generated_by)
    _write_summary(summary, report, (retired, pipeline, soon, by_department, decisions, measured), fte_hours_cell)
    _headed_for_print(workbook, quarter, report.site)
    workbook.save(destination)


def workbook_file_name(quarter: Quarter, site_id: int | None = None, site: str | None = None) -> str:
    """burden-tracker-2026-Q3.xlsx, or burden-tracker-2026-Q3-queen-s-medical-center.xlsx for a site's."""
    if site_id is None:
        return f"burden-tracker-{quarter}.xlsx"
    named = re.sub("[^a-z0-9]+", "-", (site or "").lower()).strip("-")
    return f"burden-tracker-{quarter}-{named or f'site-{site_id}'}.xlsx"


def report_title(report: quarter_report.QuarterReport) -> str:
    """The workbook's name for people: its quarter, and its site when it is one site's."""
    return f"Burden Tracker quarterly report {report.quarter}" + (f": {report.site}" if report.site else "")


class _Counter:
    def __init__(self, progress):
        self.progress, self.pending = progress, 0

    def one(self):
        self.pending += 1
        if self.progress and self.pending == PROGRESS_EVERY:
            self.progress(self.pending)
            self.pending = 0

    def flush(self):
        if self.progress and self.pending:
            self.progress(self.pending)
        self.pending = 0


def _fill(sheet: ContinuedSheet, rows: Result, counted: _Counter, empty_message: str) -> ContinuedSheet:
    keys = list(rows.keys())
    if keys != [column.key for column in sheet.columns]:
        raise ValueError(f"The {sheet.title} sheet's columns are not those of its query: {keys}")
    for row in rows:
        sheet.add(row)
        counted.one()
    counted.flush()
    sheet.finish(empty_message)
    return sheet


def _fill_measured(workbook, impacts: list[Impact], quarter: Quarter) -> Sheet:
    """Each retirement by the quarter's end linked to an EHR metric: measured as of the report's day, beside its
    estimate, which stays the figure the other sheets count."""
    sheet = Sheet(workbook, "Measured impact", MEASURED)
    sheet.impacts = [impact for impact in impacts if impact.retired_on <= quarter.last_day]  # for the Summary
    for impact in sheet.impacts:
        m = impact.measured
        sheet.add([impact.nomination_id, impact.title, impact.retired_on, impact.metric.key,
                   "; ".join(impact.departments), m.before, m.after, m.comparison_before, m.comparison_after,
                   m.effect, m.low, m.high, impact.hours_measured, impact.hours_estimated,
                   m.why_not or impact.why_no_hours or (m.interval if m.low is None else None)])
    sheet.finish(f"No retirement by {quarter.last_day:%-d %B %Y} is linked to an EHR metric.")
    return sheet


def _fill_groups(workbook, title, report: quarter_report.QuarterReport, by: str) -> Sheet:
    groups = report.breakdowns[by]
    sheet = Sheet(workbook, title, GROUPED)
    sheet.groups = groups  # the Summary ranks them for its chart
    for group in groups:
        sheet.add_record(_Record(group.figures, label=group.label))
    sheet.finish(f"No {by} has been added yet.")
    return sheet


FORMULAS = (
    ("weekly hours", "minutes per occurrence × occurrences per week × clinicians affected ÷ 60"),
    ("hours a year", "weekly hours × working weeks per year"),
    ("hours realized in a quarter", "hours a year × (days of the quarter on or after the retired on date) ÷ 365: "
                                    "retired before the quarter, all its days count; retired after it, none"),
    ("FTE", "hours a year ÷ FTE hours per year"),
    ("cost", "hours (realized in the quarter, or a year) × the hourly rate of the affected role"),
    ("estimate used", "the review board's validated estimate once a nomination is evaluated, else the submitter's"),
    ("potential hours", "hours a year of the nominations proposed or evaluated at the quarter's end"),
    ("retired in the quarter", "its effective date (retired on) falls in the quarter; a retirement decided in "
                               "the quarter that takes effect after it counts in the quarter it takes effect"),
    ("the quarter under way", "hours realized count its days through yesterday; hours projected count every "
                              "day to its end for what is retired now; ages and the pipeline are as of today. "
                              "A quarter that has not begun realizes nothing"),
    ("dates and times", "days and quarters begin at midnight in the organization's time zone; decisions are "
                        "listed in UTC; estimates and hourly rates are those in force when the workbook was "
                        "generated"),
)


def _write_assumptions(workbook, report: quarter_report.QuarterReport, generated_by: str) -> str:
    """Every setting and formula behind the figures; returns the cell holding the FTE hours per year."""
    quarter, assumed, today = report.quarter, report.assumed, report.today
    ws = workbook.create_sheet("Assumptions")
    for_print(ws, pages_down=0)
    ws.print_title_rows = "1:1"
    for letter, width in zip("AB", (40, 100), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    rows = [
        ("Quarter", str(quarter), "text"), ("Months", quarter.months(long=True), "text"),
        ("First day", quarter.first_day, "date"),
        ("Last day", quarter.last_day, "date"), ("Days in the quarter", quarter.days, "count"),
        _closed_or_not(report),
        ("Fiscal year starts in month", assumed.fiscal_year_start_month, "count"),
        ("Time zone of the organization", assumed.time_zone, "text"), ("Today there", today, "date"),
        _counted_through(quarter, today),
        ("Working weeks per year", assumed.working_weeks_per_year, "number"),
        ("FTE hours per year", assumed.fte_hours_per_year, "number"),
        ("Days per year (hours realized)", hours.DAYS_PER_YEAR, "count"),
        *((f"Hourly rate (USD): {role.value}", rate, "money") for role, rate in report.rates.items()),
        ("Quorum (share of active board members)", assumed.quorum_fraction, "number"),
        ("Overdue after (days unmoved, without a due day)", assumed.stale_after_days, "count"),
        *((f"Formula: {name}", text, "text") for name, text in FORMULAS),
        *_made(report, generated_by),
    ]
    ws.append([header_cell(ws, "Setting"), header_cell(ws, "Value")])
    for label, value, kind in rows:
        ws.append([text_cell(ws, label), cell(ws, value, kind)])
    fte_row = 2 + next(i for i, (label, _, _) in enumerate(rows) if label == "FTE hours per year")
    return f"Assumptions!$B${fte_row}"


def _closed_or_not(report: quarter_report.QuarterReport) -> tuple:
    if report.closed:
        return "Closed", "yes: every value is as it was when the quarter was closed", "text"
    return "Closed", "not closed: these figures may change", "text"


def _made(report: quarter_report.QuarterReport, generated_by: str) -> list[tuple]:
    """Who made these figures and when: the closing, for a closed quarter, so that its workbook never changes."""
    if report.closed:
        return [("Closed at (UTC)", _naive(report.closed.at).replace(microsecond=0), "datetime"),
                ("Closed by", report.closed.by, "text"), ("Burden Tracker version", report.version, "text")]
    return [("Generated at (UTC)", datetime.now(UTC).replace(microsecond=0), "datetime"),
            ("Generated by", generated_by, "text"), ("Burden Tracker version", report.version, "text")]


def _counted_through(quarter: Quarter, today: date) -> tuple:
    through = quarter.realized_through(today)
    if through < quarter.first_day:
        return "Hours realized counted through", "nothing yet: the quarter has not begun", "text"
    return "Hours realized counted through", through, "date"


def _write_summary(ws, report: quarter_report.QuarterReport, sheets: tuple, fte_hours_cell: str) -> None:
    retired, pipeline, soon, by_department, decisions, measured = sheets
    quarter, today, quarters = report.quarter, report.today, report.history
    for letter, width in zip("ABCDEFGHIJ", (56, 16, 12, 12, 12, 12, 14, 16, 10, 16), strict=True):
        ws.column_dimensions[letter].width = width
    for_print(ws, pages_down=1)  # printed for a meeting: the Summary on one page
    ws.append([header_cell(ws, report_title(report))])
    ws.append([text_cell(ws, f"{quarter.first_day:%-d %B %Y} to {quarter.last_day:%-d %B %Y}. {report.standing}")])
    ws.append([])
    checks = _Checks(retired, pipeline, soon, by_department, fte_hours_cell)
    _write_headline(ws, _headline(quarter, today, quarters[-1][1], checks))
    ws.append([])
    _write_compared(ws, quarters, under_way=today <= quarter.last_day)
    _write_target_and_basis(ws, report.target, report.figures, measured.impacts)
    _write_outcomes(ws, report.breakdowns.get("outcome"))
    ws.append([])
    _write_largest_wins(ws, report.wins)
    if report.restated:
        ws.append([])
        _write_restated(ws, report.restated)
    ws.append([])
    ws.append([header_cell(ws, "How to read these figures")])
    for line in executive.HOW_TO_READ:
        ws.append([text_cell(ws, line)])
    ws.append([])
    _write_moves(ws, report.moves, report.revisions, decisions)
    ws.append([])
    _write_history_and_charts(ws, quarters, by_department)


def _headline(quarter: Quarter, today: date, figures: reporting.Figures, checks: "_Checks") -> list[tuple]:
    """(label, value, kind, check) for each headline figure."""
    return [
        ("Nominations received in the quarter", figures.received, "count", checks.grouped("received")),
        ("Evaluated in the quarter", figures.evaluated, "count", checks.grouped("evaluated")),
        ("Decided to retire in the quarter", figures.decided_to_retire, "count", checks.grouped("decided_to_retire")),
        ("Retired in the quarter (effective)", figures.retired, "count", checks.grouped("retired")),
        ("Rejected in the quarter", figures.rejected, "count", checks.grouped("rejected")),
        ("Open pipeline at the quarter's end", figures.open_at_end, "count", checks.counted(checks.pipeline)),
        ("Retired by the quarter's end", figures.retired_by_end, "count", checks.counted(checks.retired)),
        *_realized_rows(quarter, today, figures, checks),
        ("Hours a year from everything retired by the quarter's end", figures.annualized_hours, "hours",
         checks.total(checks.retired, "annual_hours")),
        ("FTE of those hours", figures.annualized_fte, "fte", checks.fte(checks.retired, "annual_hours")),
        ("Cost realized in the quarter (USD)", figures.realized_cost, "money",
         checks.total(checks.retired, "realized_cost")),
        ("Cost a year of everything retired (USD)", figures.annualized_cost, "money",
         checks.total(checks.retired, "annual_cost")),
        ("Potential hours a year in the open pipeline", figures.potential_hours, "hours",
         checks.total(checks.pipeline, "annual_hours")),
        ("Potential FTE in the open pipeline", figures.potential_fte, "fte",
         checks.fte(checks.pipeline, "annual_hours")),
        ("Retiring soon: decided by the quarter's end, effective after it", figures.retiring_soon, "count",
         checks.counted(checks.soon)),
        ("Hours a year retiring soon, from their effective dates", figures.retiring_soon_hours, "hours",
         checks.total(checks.soon, "annual_hours")),
    ]


def _write_headline(ws, headline: list[tuple]) -> None:
    """Each figure stored as a number, with its check beside it."""
    ws.append([header_cell(ws, "Figure"), header_cell(ws, "Value"), header_cell(ws, "Check")])
    for label, value, kind, check in headline:
        row = ws.next_row
        ws.append([text_cell(ws, label), cell(ws, value, kind), cell(ws, Formula(check.format(value=f"B{row}")))])


def _write_history_and_charts(ws, quarters: list[tuple], by_department: Sheet) -> None:
    """The last quarters side by side; then the departments ranked, with the two charts, or why there are none."""
    ws.append([header_cell(ws, f"The last {len(quarters)} quarters")])
    header_row = ws.next_row
    ws.append([header_cell(ws, column.header) for column in HISTORY])
    for past, past_figures in quarters:
        record = _Record(past_figures, quarter=str(past))
        ws.append([cell(ws, getattr(record, column.key), column.kind) for column in HISTORY])
    ws.append([])
    if not any(past_figures.annualized_hours for _, past_figures in quarters):
        ws.append([text_cell(ws, "No retirements yet: the charts of hours given back appear with the first.")])
        return
    ranked_row = ws.next_row
    ranked = _write_ranked_departments(ws, by_department.groups)
    _add_charts(ws, header_row, len(quarters), ranked_row, ranked)


def _write_ranked_departments(ws, groups: list) -> int:
    """The departments that give back hours, most first, for the chart beside them; returns how many."""
    ranked = sorted((group for group in groups if group.figures.annualized_hours),
                    key=lambda group: (-group.figures.annualized_hours, group.label.casefold()))
    ws.append([header_cell(ws, "Department, most hours first"),
               header_cell(ws, "Hours a year retired by the quarter's end")])
    for group in ranked:
        ws.append([text_cell(ws, group.label), cell(ws, group.figures.annualized_hours, "hours")])
    return len(ranked)


def _write_compared(ws, quarters: list[tuple], under_way: bool) -> None:
    """The quarter beside the one before it, the change, and the fiscal year so far. A quarter not yet over is
    said to be so far: its figures are to date, the one before it whole."""
    (quarter, now), (previous_quarter, before) = quarters[-1], quarters[-2]
    year = executive.year_to_date(quarters)
    ws.append([header_cell(ws, "Against the previous quarter, and the fiscal year to date"),
               header_cell(ws, f"{quarter} to date" if under_way else str(quarter)),
               header_cell(ws, str(previous_quarter)), header_cell(ws, "Change"),
               header_cell(ws, f"{quarter.year_label} to date")])
    for label, key, kind in executive.COMPARED:
        this, that = getattr(now, key), getattr(before, key)
        ws.append([text_cell(ws, label), cell(ws, this, kind), cell(ws, that, kind), cell(ws, this - that, kind),
                   cell(ws, getattr(year, key), kind)])


def _write_target_and_basis(ws, target, figures: reporting.Figures, impacts: list[Impact]) -> None:
    """Progress against the annual target, and the hours a year by the basis of their estimate; measured hours
    stand beside the estimates of the same retirements, never in the headline."""
    if target:
        rows = [("Annual target: hours to realize in the fiscal year", target.hours, "hours"),
                ("Realized toward it, fiscal year to date", target.realized, "hours"),
                ("Share of the target reached", target.share, "percent")]
    else:
        rows = [("Annual target", "none set (an admin sets one on the settings page)", "text")]
    rows += [
        ("Hours a year retired, on the board's validated estimate", figures.annualized_hours_board, "hours"),
        ("Hours a year retired, on the submitter's estimate alone", figures.annualized_hours_submitter, "hours"),
        ("Potential hours a year, on the board's validated estimate", figures.potential_hours_board, "hours"),
        ("Potential hours a year, on the submitter's estimate alone", figures.potential_hours_submitter, "hours"),
    ]
    counted = [impact for impact in impacts if impact.hours_measured is not None]
    if counted:
        rows += [(f"Hours a year measured from EHR-use data, {len(counted)} retirement"
                  f"{'s' if len(counted) != 1 else ''} (the Measured impact sheet)",
                  sum(impact.hours_measured for impact in counted), "hours"),
                 ("Hours a year estimated for the same retirements",
                  sum(impact.hours_estimated for impact in counted), "hours")]
    else:
        rows.append(("Hours a year measured from EHR-use data", "none: no retirement is measured in hours yet",
                     "text"))
    for label, value, kind in rows:
        ws.append([text_cell(ws, label), cell(ws, value, kind)])


def _write_outcomes(ws, outcomes: list | None) -> None:
    """How the burdens retired by the quarter's end were resolved, with the hours a year of each; none for a
    quarter closed before outcomes were recorded, whose workbook stays as it was."""
    if outcomes is None:
        return
    for group in (group for group in outcomes if group.figures.retired_by_end):
        count = group.figures.retired_by_end
        how = ("their outcome not recorded" if group.label == report_groups.OUTCOME_NOT_RECORDED
               else f"resolved as {group.label}")
        ws.append([text_cell(ws, f"Hours a year retired, {how} ({count} retirement{'s' if count != 1 else ''})"),
                   cell(ws, group.figures.annualized_hours, "hours")])


def _write_restated(ws, restated: list) -> None:
    """Each closed quarter a later change altered: the figure as closed, as it would be now, and the change."""
    ws.append([header_cell(ws, "Restatements of closed quarters (the changes: the Restatements sheet)"),
               header_cell(ws, "As closed"), header_cell(ws, "Now"), header_cell(ws, "Change")])
    for quarter in restated:
        for name, as_closed, now in quarter.differing():
            kind = restatements.kind_of(name)
            ws.append([text_cell(ws, f"{quarter.quarter}: {restatements.FIGURE_LABELS[name]}"),
                       cell(ws, as_closed, kind), cell(ws, now, kind), cell(ws, now - as_closed, kind)])


RESTATEMENTS = _columns(
    ("Quarter", "quarter", "text", 12), ("Recorded (UTC)", "at", "datetime", 17),
    ("Nomination", "nomination_id", "id", 11), ("Title", "title", "text", 36), ("What changed", "change", "text", 36),
    *((restatements.FIGURE_LABELS[name], name, restatements.kind_of(name), 12, True)
      for name in restatements.RESTATED))


def _write_restatements(workbook, restated: list) -> None:
    """Every change that altered a closed quarter, with what it moved: the Summary's restatements, row by row."""
    sheet = Sheet(workbook, "Restatements", RESTATEMENTS)
    for quarter in restated:
        for change in quarter.changes:
            sheet.add([str(quarter.quarter), change.at, change.nomination_id, change.title, change.change,
                       *(change.difference.get(name, 0) for name in restatements.RESTATED)])
    sheet.finish("No closed quarter has changed.")


def _write_largest_wins(ws, wins: list) -> None:
    """The quarter's largest retirements by hours a year."""
    ws.append([header_cell(ws, "The quarter's largest wins"), header_cell(ws, "Hours a year"),
               header_cell(ws, "Retired on"), header_cell(ws, "Department")])
    for win in wins:
        ws.append([text_cell(ws, win.title), cell(ws, win.annual_hours, "hours"), cell(ws, win.retired_on, "date"),
                   text_cell(ws, win.department)])
    if not wins:
        ws.append([text_cell(ws, "Nothing took effect in this quarter.")])


MOVED_TO = {State.PROPOSED: "To proposed (arrived by import, or reopened)", State.EVALUATED: "To evaluated",
            State.RETIRED: "To retired (decided; effective on its retired on date)", State.REJECTED: "To rejected",
            State.DUPLICATE: "To duplicate (merged)", State.WITHDRAWN: "To withdrawn"}


def _write_moves(ws, moved: dict, revisions: int, decisions: ContinuedSheet) -> None:
    """Every row of the Decisions sheet, counted by the state it moved to (and the revisions, which move nothing),
    each count beside a check against that sheet."""
    ws.append([header_cell(ws, "Moves in the quarter, as the Decisions sheet lists them"), header_cell(ws, "Moves"),
               header_cell(ws, "Check")])
    for state, label in MOVED_TO.items():
        counted = decisions.over_rows("COUNTIF", "to_state", f'"{state.value}"')
        ws.append([text_cell(ws, label), cell(ws, moved[state], "count"),
                   cell(ws, Formula(f"={counted}=B{ws.next_row}"))])
    ws.append([text_cell(ws, "All moves"), cell(ws, sum(moved.values()), "count"),
               cell(ws, Formula(f"={decisions.over_rows('COUNTA', 'to_state')}=B{ws.next_row}"))])
    revised = decisions.over_rows("COUNTIF", "kind", f'"{EventKind.REVISED.value}"')
    ws.append([text_cell(ws, "Revisions of an estimate or classification (no move)"), cell(ws, revisions, "count"),
               cell(ws, Formula(f"={revised}=B{ws.next_row}"))])


def _realized_rows(quarter: Quarter, today: date, figures: reporting.Figures, checks: "_Checks") -> list[tuple]:
    """Hours realized; and, for a quarter not yet over, that it is to date, and what is projected to its end."""
    realized = checks.total(checks.retired, "realized_hours")
    if quarter.last_day < today:
        return [("Hours realized in the quarter", figures.realized_hours, "hours", realized)]
    through = quarter.realized_through(today)
    so_far = f"through {through:%-d %B %Y}" if through >= quarter.first_day else "none: it has not begun"
    return [(f"Hours realized in the quarter to date ({so_far})", figures.realized_hours, "hours", realized),
            ("Hours projected to the quarter's end, from what is retired now", figures.projected_hours, "hours",
             checks.total(checks.retired, "projected_hours"))]


class _Checks:
    """Formulas that tie a Summary figure, stored as a number, to the sheet whose rows it sums; each is TRUE when
    they agree. `{value}` stands for the figure's own cell."""

    def __init__(self, retired: ContinuedSheet, pipeline: ContinuedSheet, soon: ContinuedSheet,
                 by_department: Sheet, fte_hours_cell: str):
        self.retired, self.pipeline, self.soon, self.by_department = retired, pipeline, soon, by_department
        self.fte_hours_cell = fte_hours_cell

    def grouped(self, key: str) -> str:
        return f"={{value}}={self.by_department.ref(key, self.by_department.totals_row)}"

    def counted(self, sheet: ContinuedSheet) -> str:
        return f"={{value}}={sheet.over_rows('COUNT', 'id')}"

    def total(self, sheet: ContinuedSheet, key: str) -> str:
        return f"=ABS({{value}}-{sheet.total(key)})<{TOLERANCE}"

    def fte(self, sheet: ContinuedSheet, key: str) -> str:
        return f"=ABS({{value}}-{sheet.total(key)}/{self.fte_hours_cell})<{TOLERANCE}"


# A stored figure and its sheet's SUM, each of floating-point sums, agree to far better than this; a real
# difference (a row left out) is at least a fraction of an hour a year.
TOLERANCE = 0.001


def _add_charts(ws, header_row: int, quarters: int, ranked_row: int, departments_ranked: int) -> None:
    realized_column = 1 + next(i for i, column in enumerate(HISTORY) if column.key == "realized_hours")
    by_quarter = _bar_chart("Hours realized by quarter", "hours")
    by_quarter.add_data(Reference(ws, min_col=realized_column, min_row=header_row, max_row=header_row + quarters),
                        titles_from_data=True)
    by_quarter.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + quarters))
    ws.add_chart(by_quarter, "D4")

    last = ranked_row + departments_ranked
    departments = _bar_chart("Hours a year retired, by department", "hours a year")
    departments.type = "bar"  # horizontal: department names are long
    departments.x_axis.scaling.orientation = "maxMin"  # the first row, the most hours, at the top
    departments.height = max(7.5, 1.0 * departments_ranked)  # cm: room for every name
    departments.add_data(Reference(ws, min_col=2, min_row=ranked_row, max_row=last), titles_from_data=True)
    departments.set_categories(Reference(ws, min_col=1, min_row=ranked_row + 1, max_row=last))
    ws.add_chart(departments, f"D{ranked_row}")


def _bar_chart(title: str, unit: str) -> BarChart:
    chart = BarChart()
    chart.title, chart.y_axis.title, chart.legend = title, unit, None
    chart.width = 18
    chart.y_axis.number_format = "#,##0"
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides both axes unless told
    return chart
