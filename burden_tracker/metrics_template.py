"""The workbook an admin downloads from /admin/metrics and fills in when the vendor's export is in neither of the
shapes the import reads: its columns, an example row, and a sheet naming the metrics with their units."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from .ehr_metrics import METRICS

COLUMNS = ("Department", "Month", "Metric", "Numerator", "Denominator", "Value", "Clinicians")
EXAMPLE = ("Emergency Department", "2026-01", "WOW8", 412.5, 3300, None, 14)


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Metrics by month"
    sheet.append(COLUMNS)
    sheet.append(EXAMPLE)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet["B2"].number_format = "@"  # the month stays as typed, 2026-01, not a date Excel guesses
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFG", (28, 10, 16, 12, 13, 9, 11), strict=True):
        sheet.column_dimensions[column].width = width
    names = book.create_sheet("Metric names")
    names.append(("Metric", "What it measures", "Unit", "Numerator", "Denominator"))
    for cell in names[1]:
        cell.font = Font(bold=True)
    for metric in METRICS.values():
        names.append((metric.key, metric.name, metric.unit, metric.numerator, metric.denominator))
    names.column_dimensions["B"].width = 80
    out = BytesIO()
    book.save(out)
    return out.getvalue()
