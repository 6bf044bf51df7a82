"""The workbook's Measured impact sheet: one row per retirement by the quarter's end linked to an EHR metric,
with the figures of the nomination's page, or why there is none; the Summary puts the measured hours beside the
estimates of the same retirements. Opened by openpyxl and recomputed by LibreOffice."""

from datetime import date

import openpyxl
import pytest

from burden_tracker import hours
from burden_tracker.export import MEASURED, write_workbook
from burden_tracker.queries.measured_impact import measured_impacts
from tests.support.metrics import TODAY, departments, import_months, retired
from tests.support.spreadsheets import recalculated_by_libreoffice, row_labelled

Q3 = hours.Quarter(2026, 3)


def test_the_measured_impact_sheet_lists_each_linked_retirement_and_the_summary_sets_it_beside_the_estimate(
        session, tmp_path):
    ids = departments(session, 10)
    import_months(session, "WOW8", ids, effect={ids[0]: -0.5})
    retired(session, ids[0], title="=HYPERLINK(\"http://x\") measured")
    retired(session, ids[1], metric="IB-Time8", title="Linked, no data")
    retired(session, ids[2], on=date(2026, 10, 20), title="After the quarter")
    path = tmp_path / "q3.xlsx"
    write_workbook(session=session, quarter=Q3, destination=path, generated_by="Test Runner", today=TODAY)
    impact = next(i for i in measured_impacts(session=session, today=TODAY) if i.title.endswith("measured"))

    sheet = openpyxl.load_workbook(path)["Measured impact"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [column.header for column in MEASURED]
    by_title = {row[1]: row for row in rows[1:3]}
    assert set(by_title) == {"=HYPERLINK(\"http://x\") measured", "Linked, no data"}, "written as text"
    measured = by_title["=HYPERLINK(\"http://x\") measured"]
    assert measured[3:5] == ("WOW8", "Department 00")
    assert measured[9] == pytest.approx(impact.measured.effect) and measured[12] == pytest.approx(
        impact.hours_measured)
    assert by_title["Linked, no data"][9] is None
    assert by_title["Linked, no data"][14] == "the affected departments lack some of the 6 months around it"

    recomputed = recalculated_by_libreoffice(path, tmp_path)
    totals = row_labelled(recomputed["Measured impact"], "Total")
    assert float(totals[12]) == pytest.approx(impact.hours_measured, abs=0.05)
    summary = recomputed["Summary"]
    measured_row = row_labelled(summary, "Hours a year measured from EHR-use data, 1 retirement (the Measured "
                                         "impact sheet)")
    assert float(measured_row[1].replace(",", "")) == pytest.approx(impact.hours_measured, abs=0.05)
    estimated_row = row_labelled(summary, "Hours a year estimated for the same retirements")
    assert float(estimated_row[1].replace(",", "")) == pytest.approx(impact.hours_estimated, abs=0.05)
