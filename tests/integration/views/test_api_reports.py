"""/api/v1/reports (a quarter's figures as its dashboard counts them, and its workbook) and /api/v1/metrics (the EHR
vendor's export imported or only checked), with the roles their pages ask, on SQLite and PostgreSQL."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from burden_tracker import hours
from burden_tracker.enums import Role, State
from burden_tracker.models import DepartmentMonth
from burden_tracker.queries import reporting
from burden_tracker.services.closing import close_quarter
from tests.support.api import PROBLEM, bearer
from tests.support.factories import make_department, make_nomination, make_site, make_user
from tests.support.web import count

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT = ("Provider Identifier,Department,ReportingPeriodStartDate,ReportingPeriodEndDate,Metric,Numerator,"
          "Denominator\n"
          "P1,Surgery,2026-01-01,2026-01-31,WOW8,2.5,40\n"
          "P2,Surgery,2026-01-01,2026-01-31,WOW8,1.5,40\n")


@pytest.fixture
def q3_program(session):
    make_nomination(session, state=State.RETIRED, submitted_on=date(2026, 7, 6), retired_on=date(2026, 8, 1))
    make_nomination(session, state=State.RETIRED, submitted_on=date(2025, 11, 3), retired_on=date(2026, 2, 1),
                    clinicians_affected=1_500)
    for day in (date(2026, 7, 1), date(2026, 9, 30)):
        make_nomination(session, submitted_on=day, clinicians_affected=3_000)


def test_an_executive_reads_the_quarters_figures_as_the_dashboard_counts_them(client, session, token, q3_program):
    answer = client.get("/api/v1/reports/2026-Q3", headers=bearer(token(Role.EXECUTIVE)))
    assert answer.status_code == 200
    report = answer.get_json()
    assert (report["quarter"], report["first_day"], report["last_day"], report["closed_at"]) == (
        "2026-Q3", "2026-07-01", "2026-09-30", None)
    figures = report["figures"]
    assert (figures["received"], figures["retired"], figures["retired_by_end"], figures["open_at_end"]) == (
        3, 1, 2, 2)
    counted = reporting.quarter_figures(session=session, quarter=hours.Quarter(2026, 3))
    assert figures["annualized_hours"] == pytest.approx(counted.annualized_hours)
    assert figures["realized_hours"] == pytest.approx(counted.realized_hours)
    [department] = report["breakdowns"]["department"]
    assert department["label"] == "Emergency Department" and department["figures"]["received"] == 3
    assert report["workbook"] == "http://localhost/api/v1/reports/2026-Q3/workbook"


def test_one_sites_figures_and_workbook_are_asked_with_site(client, session, token, q3_program):
    kuakini = make_site(session, "Kuakini Medical Center")
    clinic = make_department(session, "Kapolei clinic", site=kuakini)
    make_nomination(session, submitted_on=date(2026, 8, 3), department_id=clinic.id)
    kuakini_id, headers = kuakini.id, bearer(token(Role.EXECUTIVE))

    report = client.get(f"/api/v1/reports/2026-Q3?site={kuakini_id}", headers=headers).get_json()
    assert report["site"] == "Kuakini Medical Center" and report["figures"]["received"] == 1
    assert [group["label"] for group in report["breakdowns"]["department"]] == ["Kapolei clinic"]
    assert report["workbook"] == f"http://localhost/api/v1/reports/2026-Q3/workbook?site={kuakini_id}"
    assert client.get("/api/v1/reports/2026-Q3", headers=headers).get_json()["figures"]["received"] == 4
    with client.get(report["workbook"], headers=headers) as answer:
        assert answer.status_code == 200 and "kuakini-medical-center" in answer.headers["Content-Disposition"]
        title = load_workbook(BytesIO(answer.data))["Summary"]["A1"].value
    assert title == "Burden Tracker quarterly report 2026-Q3: Kuakini Medical Center"
    for address in ("/api/v1/reports/2026-Q3?site=99999", "/api/v1/reports/2026-Q3/workbook?site=nope"):
        refused = client.get(address, headers=headers)
        assert refused.status_code == 404 and refused.mimetype == PROBLEM, address
        assert "is not one of the health system's sites" in refused.get_json()["detail"]


def test_a_closed_quarter_says_when_it_was_closed(client, session, token, q3_program):
    admin = make_user(session, Role.ADMIN)
    close_quarter(session=session, quarter=hours.Quarter(2026, 3), actor_id=admin.id, closed_by="Ada Admin")
    report = client.get("/api/v1/reports/2026-Q3", headers=bearer(token(Role.BOARD))).get_json()
    assert report["closed_at"] is not None and report["figures"]["received"] == 3


def test_the_workbook_comes_with_the_same_token(client, token, q3_program):
    with client.get("/api/v1/reports/2026-Q3/workbook", headers=bearer(token(Role.EXECUTIVE))) as answer:
        assert (answer.status_code, answer.mimetype) == (200, XLSX)
        assert "burden-tracker-2026-Q3.xlsx" in answer.headers["Content-Disposition"]
        workbook = load_workbook(BytesIO(answer.get_data()), read_only=True)
    assert "Summary" in workbook.sheetnames
    workbook.close()


@pytest.mark.parametrize("address", ["/api/v1/reports/2026-Q3", "/api/v1/reports/2026-Q3/workbook"])
def test_staff_may_not_read_reports_and_no_such_quarter_is_404(client, token, address):
    with client.get(address, headers=bearer(token(Role.STAFF))) as refused:
        assert (refused.status_code, refused.mimetype) == (403, PROBLEM)
    with client.get(address.replace("2026-Q3", "2026-Q9"), headers=bearer(token(Role.EXECUTIVE))) as missing:
        assert (missing.status_code, missing.mimetype) == (404, PROBLEM)
    assert "2026-Q9" in missing.get_json()["detail"]


def send_export(client, secret, body: str, *, dry_run: bool = False, kind="text/csv"):
    return client.post(f"/api/v1/metrics?dry_run={'true' if dry_run else 'false'}", data=body.encode(),
                       headers=bearer(secret, **{"Content-Type": kind}))


def test_an_admin_checks_then_imports_the_vendors_export(client, session, token):
    make_department(session, "Surgery")
    admin = token(Role.ADMIN, scope="write")
    checked = send_export(client, admin, EXPORT, dry_run=True)
    assert checked.status_code == 200
    assert checked.get_json() == {"shape": "long", "rows": 2, "figures": 1, "dry_run": True, "warnings": []}
    assert count(session, DepartmentMonth) == 0
    imported = send_export(client, admin, EXPORT)
    assert imported.get_json()["dry_run"] is False
    assert count(session, DepartmentMonth) == 1


def test_an_export_with_bad_rows_names_each_and_imports_nothing(client, session, token):
    make_department(session, "Surgery")
    bad = EXPORT + "P3,Nowhere,2026-01-01,2026-01-31,WOW8,1,40\n"
    answer = send_export(client, token(Role.ADMIN, scope="write"), bad)
    assert (answer.status_code, answer.mimetype) == (422, PROBLEM)
    assert answer.get_json()["fields"] == {"row 4, department": "no department is named 'Nowhere'"}
    assert count(session, DepartmentMonth) == 0


def test_only_admins_import_and_only_a_csv_or_a_workbook(client, token):
    assert send_export(client, token(Role.BOARD, scope="write"), EXPORT).status_code == 403
    wrong = send_export(client, token(Role.ADMIN, scope="write"), EXPORT, kind="application/json")
    assert (wrong.status_code, wrong.mimetype) == (415, PROBLEM)
