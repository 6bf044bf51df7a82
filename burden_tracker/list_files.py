"""A list as people take it away: /nominations and /board as a CSV file or an Excel workbook, with every row
their filters find, in the page's order (queries/list_exports.py).

What a person typed never becomes a formula. In the workbook it is written as quote-prefixed text (export.put);
a CSV file holds no types, so text that a spreadsheet program would read as a formula (=, +, -, @, a tab or a
line break first) gets an apostrophe in front, as OWASP advises against CSV injection. Numbers stay numbers.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openpyxl import Workbook

from .export import Column, ContinuedSheet, as_text, cell, header_cell, is_formula_like
from .queries.list_exports import ListedRow


@dataclass(frozen=True)
class ListColumn:
    header: str
    value: Callable[[ListedRow], object]
    kind: str = "text"  # as export.Column: text, id, count, hours, date
    width: float = 14
    total: bool = False


NOMINATION_COLUMNS = [
    ListColumn("#", lambda listed: listed.row.id, "id", 8),
    ListColumn("Title", lambda listed: listed.row.title, width=48),
    ListColumn("Department", lambda listed: listed.row.department, width=22),
    ListColumn("Category", lambda listed: listed.row.category, width=18),
    ListColumn("State", lambda listed: listed.row.state.value, width=12),
    ListColumn("Submitted", lambda listed: listed.row.submitted_on, "date", 12),
    ListColumn("Submitted by", lambda listed: listed.submitter, width=24),
    ListColumn("Supporters", lambda listed: listed.row.supporters, "count", 11, total=True),
    ListColumn("Hours a year", lambda listed: round(listed.row.annual_hours, 1), "hours", 13, total=True),
]
BOARD_COLUMNS = [
    *NOMINATION_COLUMNS,
    ListColumn("Owner", lambda listed: listed.row.owner or "", width=22),
    ListColumn("Days waiting", lambda listed: listed.row.age_days if listed.row.waiting else None, "count", 12),
    ListColumn("Due", lambda listed: listed.row.due_on, "date", 12),
    ListColumn("Overdue", lambda listed: "overdue" if listed.row.overdue else "", width=10),
]


def write_csv(rows: Iterable[ListedRow], columns: list[ListColumn], destination) -> int:
    """UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8, to a binary file. Returns the rows."""
    text = io.TextIOWrapper(destination, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([column.header for column in columns])
    written = 0
    for listed in rows:
        writer.writerow([_csv_value(column.value(listed)) for column in columns])
        written += 1
    text.flush()
    text.detach()  # the caller keeps the file open, to send it
    return written


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        text = as_text(value)
        return f"'{text}" if is_formula_like(text) else text
    return value


def write_workbook(rows: Iterable[ListedRow], columns: list[ListColumn], destination, *, title: str,
                   about: list[tuple[str, str]]) -> int:
    """The rows on one sheet (continued on more past Excel's rows), with totals, and an "About this list" sheet
    saying what was asked for."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Burden Tracker"
    workbook.properties.title = f"Burden Tracker: {title}"
    sheet = ContinuedSheet(workbook, title, [Column(c.header, c.header, c.kind, c.width, c.total) for c in columns])
    for listed in rows:
        sheet.add([column.value(listed) for column in columns])
    sheet.finish("No nominations match these filters.")
    notes = workbook.create_sheet("About this list")
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 24, 60
    for label, value in about:
        notes.append([header_cell(notes, label), cell(notes, value)])
    workbook.save(destination)
    return sheet.rows
