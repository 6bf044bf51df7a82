"""One site's quarterly workbook: its own rows, departments and figures, live or as the quarter was closed; the sites'
workbooks add up to the health system's, and LibreOffice recomputes every check of a site's TRUE."""

from datetime import date

import openpyxl
import pytest

from burden_tracker import hours
from burden_tracker.enums import Role, State
from burden_tracker.export import write_workbook
from burden_tracker.models import Department
from burden_tracker.services.closing import close_quarter
from tests.support.factories import make_nomination, make_user, retire_through_the_board
from tests.support.reporting_data import build_program, cardiology_moved_to
from tests.support.spreadsheets import recalculated_by_libreoffice

Q3 = hours.Quarter(2026, 3)
ROW_SHEETS = ("Retired", "Pipeline", "Retiring soon", "Decisions")


@pytest.fixture
def sites(session):
    """The reporting program, its Cardiology at a second site named like a formula: (main site's id, the other's)."""
    program = build_program(session)
    main, other = cardiology_moved_to(session, program, "=HYPERLINK(\"http://x\") & Queen's")
    make_nomination(session, state=State.RETIRED, title="Cardiology's September win", submitted_on=date(2026, 7, 1),
                    retired_on=date(2026, 9, 2), department_id=program.before.department_id, clinicians_affected=400)
    return main, other


def export(session, path, site_id=None, quarter=Q3):
    write_workbook(session=session, quarter=quarter, destination=path, generated_by="Test Runner", site_id=site_id)
    return path


def listed(path, sheet: str) -> list[int]:
    """The nomination ids a sheet lists, in order (its totals rows left out)."""
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    column = rows[0].index("ID" if "ID" in rows[0] else "Nomination")
    return [row[column] for row in rows[1:] if isinstance(row[column], int)]


def test_a_sites_workbook_lists_only_its_own_nominations_and_the_sites_add_up(session, sites, tmp_path):
    main, other = sites
    whole = export(session, tmp_path / "whole.xlsx")
    parts = {site: export(session, tmp_path / f"site-{site}.xlsx", site) for site in sites}
    for sheet in ROW_SHEETS:
        everyone = listed(whole, sheet)
        assert sorted(listed(parts[main], sheet) + listed(parts[other], sheet)) == sorted(everyone), sheet
    assert len(listed(parts[other], "Retired")) == 2 and "Retired" in openpyxl.load_workbook(parts[other]).sheetnames
    departments = [row[0] for row in openpyxl.load_workbook(parts[other])["By department"].iter_rows(
        min_row=2, values_only=True) if row[0]]
    assert "Cardiology" in departments and "Emergency Department" not in departments


def test_a_sites_workbook_is_named_after_it_as_text_and_its_checks_recompute_true(session, sites, tmp_path):
    _, other = sites
    path = export(session, tmp_path / "other.xlsx", other)
    workbook = openpyxl.load_workbook(path)
    title = workbook["Summary"]["A1"]
    assert title.value == "Burden Tracker quarterly report 2026-Q3: =HYPERLINK(\"http://x\") & Queen's"
    assert title.data_type == "s"
    assert workbook.properties.title == title.value
    assert "& &&" not in workbook["Summary"].oddHeader.center.text  # written once, and & doubled in the header
    assert "&& Queen's" in workbook["Summary"].oddHeader.center.text
    summary = recalculated_by_libreoffice(path, tmp_path)["Summary"]
    checks = [cell for row in summary for cell in row if cell in ("TRUE", "FALSE")]
    assert len(checks) > 15 and set(checks) == {"TRUE"}


def test_a_closed_quarters_site_workbook_lists_the_sites_rows_as_closed(session, sites, tmp_path):
    main, other = sites
    close_quarter(session=session, quarter=Q3, actor_id=make_user(session, Role.ADMIN).id, closed_by="Ada Admin")
    before = {site: {sheet: listed(export(session, tmp_path / f"{site}.xlsx", site), sheet) for sheet in ROW_SHEETS}
              for site in sites}
    waiting = make_nomination(session, state=State.EVALUATED, submitted_on=date(2026, 6, 3),
                              department_id=session.scalar(Department.__table__.select().with_only_columns(
                                  Department.id).where(Department.site_id == other).limit(1)))
    retire_through_the_board(session, waiting, date(2026, 8, 1))  # back-dated into the closed quarter

    for site in sites:
        path = export(session, tmp_path / f"after-{site}.xlsx", site)
        assert {sheet: listed(path, sheet) for sheet in ROW_SHEETS} == before[site]
        assert openpyxl.load_workbook(path)["Summary"]["A2"].value.endswith(
            "every figure is as it was when the quarter was closed.")
    assert before[main]["Retired"] and before[other]["Retired"]
    summary = recalculated_by_libreoffice(export(session, tmp_path / "closed.xlsx", other), tmp_path)["Summary"]
    checks = [cell for row in summary for cell in row if cell in ("TRUE", "FALSE")]
    assert len(checks) > 15 and set(checks) == {"TRUE"}


def test_the_command_line_writes_a_sites_workbook_named_after_it_and_refuses_a_site_we_lack(
        runner, session, sites, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session.commit()  # the command line's own session writes on SQLite
    written = runner.invoke(args=["export", "--quarter", "2026-Q3", "--site", "main SITE"])
    assert written.exit_code == 0, written.output
    assert "Wrote the 2026-Q3 workbook of Main site to burden-tracker-2026-Q3-main-site.xlsx." in written.output
    assert openpyxl.load_workbook(tmp_path / "burden-tracker-2026-Q3-main-site.xlsx")["Summary"]["A1"].value == (
        "Burden Tracker quarterly report 2026-Q3: Main site")
    refused = runner.invoke(args=["export", "--quarter", "2026-Q3", "--site", "Kuakini"])
    assert refused.exit_code != 0 and "There is no site named “Kuakini”." in refused.output
    assert sorted(path.name for path in tmp_path.glob("*.xlsx")) == ["burden-tracker-2026-Q3-main-site.xlsx"]
