"""/admin/metrics: the metrics with the names vendors give them, what has been imported, a name an admin adds or
takes back (refused beside its field when it is taken), and the template, which the import reads back."""

import re
from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from sqlmodel import select

from burden_tracker.enums import AuditKind, Role
from burden_tracker.metrics_template import COLUMNS
from burden_tracker.models import AuditEntry, Department, DepartmentMonth, MetricName
from burden_tracker.services.metrics_import import import_metrics
from burden_tracker.services.sheet_files import Table
from tests.support.factories import make_department, make_user
from tests.support.spreadsheets import recalculated_by_libreoffice
from tests.support.web import count, csrf_token, sign_in


def admin_client(client, session):
    sign_in(client, make_user(session, Role.ADMIN, can_sign_in=True).email)
    return client


def test_an_admin_adds_their_vendors_name_and_the_import_reads_it(client, session):
    admin_client(client, session)
    make_department(session, "Surgery")
    token = csrf_token(client, "/admin/metrics")
    added = client.post("/admin/metrics", data={"csrf_token": token, "name": "Time After Hours (min/8h)",
                                                "metric": "WOW8"}, follow_redirects=True)
    assert "The import now reads &#39;Time After Hours (min/8h)&#39; as WOW8." in added.get_data(as_text=True)
    assert count(session, AuditEntry, kind=AuditKind.ADMIN_CHANGE) == 1
    report = import_metrics(session=session, table=Table(
        ["Department", "Month", "Metric", "Numerator", "Denominator"],
        [(2, ("Surgery", "2026-01", "time after hours (min/8h)", 1, 8))]))
    assert report.ok


def test_a_name_already_taken_is_refused_beside_its_field(client, session):
    admin_client(client, session)
    token = csrf_token(client, "/admin/metrics")
    before = count(session, MetricName)
    answer = client.post("/admin/metrics", data={"csrf_token": token, "name": "bpa firings", "metric": "WOW8"})
    assert answer.status_code == 422
    assert re.search(r'id="name-error"[^>]*>Already names Alert firings', answer.get_data(as_text=True))
    assert count(session, MetricName) == before


def test_a_metrics_own_name_stays(client, session):
    admin_client(client, session)
    token = csrf_token(client, "/admin/metrics")
    answer = client.post("/admin/metrics/names/remove", data={"csrf_token": token, "name": "WOW8"},
                         follow_redirects=True)
    assert "WOW8 is the metric&#39;s own name: it stays." in answer.get_data(as_text=True)
    removed = client.post("/admin/metrics/names/remove", data={"csrf_token": token, "name": "BPA Firings"},
                          follow_redirects=True)
    assert "The import no longer reads &#39;BPA Firings&#39; as a metric." in removed.get_data(as_text=True)
    assert count(session, MetricName, name="BPA Firings") == 0 and count(session, MetricName, name="WOW8") == 1


def test_the_template_is_a_workbook_the_import_reads(client, session, tmp_path):
    admin_client(client, session)
    make_department(session, "Emergency Department")
    answer = client.get("/admin/metrics/template.xlsx")
    assert answer.headers["Content-Disposition"] == 'attachment; filename="burden-tracker-metrics-template.xlsx"'
    sheet = load_workbook(BytesIO(answer.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    report = import_metrics(session=session, dry_run=True, table=Table(list(rows[0]), [(2, rows[1])]))
    assert report.ok and report.shape == "template" and report.figures == 1
    (tmp_path / "template.xlsx").write_bytes(answer.data)
    opened = recalculated_by_libreoffice(tmp_path / "template.xlsx", tmp_path)
    assert opened["Metrics by month"][:2] == [list(COLUMNS), ["Emergency Department", "2026-01", "WOW8", "412.5",
                                                              "3300", "", "14"]]


# Uploading an export from the page.

LONG_CSV = ("Provider Identifier,Department,ReportingPeriodStartDate,ReportingPeriodEndDate,Metric,Numerator,"
            "Denominator\n"
            "P1,Surgery,2026-01-01,2026-01-31,WOW8,2.5,40\n"
            "P2,Surgery,2026-01-01,2026-01-31,WOW8,1.5,40\n")


def upload(client, token, name: str, content: bytes, **fields):
    return client.post("/admin/metrics/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (BytesIO(content), name), **fields})


def test_an_uploaded_export_is_imported_and_shown(client, session):
    admin_client(client, session)
    make_department(session, "Surgery")
    token = csrf_token(client, "/admin/metrics")
    answer = upload(client, token, "signal-2026-01.csv", LONG_CSV.encode())
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Imported 2 rows (long shape) as 1 figure: one per department, month and metric." in page
    assert "1 department, 2026-01 to 2026-01" in page
    assert count(session, DepartmentMonth) == 1
    assert session.get(DepartmentMonth, (session.exec(select(Department.id)).one(), "WOW8", date(2026, 1, 1))) \
        .clinicians == 2


def test_only_checking_an_upload_imports_nothing(client, session):
    admin_client(client, session)
    make_department(session, "Surgery")
    token = csrf_token(client, "/admin/metrics")
    answer = upload(client, token, "signal.csv", LONG_CSV.encode(), dry_run="y")
    assert answer.status_code == 200
    page = " ".join(answer.get_data(as_text=True).split())
    assert "The file can be imported: 2 rows (long shape) as 1 figure" in page
    assert count(session, DepartmentMonth) == 0


def test_an_upload_with_bad_rows_lists_each_and_imports_nothing(client, session):
    admin_client(client, session)
    make_department(session, "Surgery")
    token = csrf_token(client, "/admin/metrics")
    bad = LONG_CSV + "P3,Nowhere,2026-01-01,2026-01-31,WOW8,1,40\nP4,Surgery,2026-01-01,2026-02-03,WOW8,x,40\n"
    answer = upload(client, token, "signal.csv", bad.encode())
    page = " ".join(answer.get_data(as_text=True).split())
    assert answer.status_code == 422
    assert "Nothing was imported: 2 rows of the long sheet have errors." in page
    assert re.search(r"<td>4</td><td>department</td><td>no department is named &#39;Nowhere&#39;</td>", page)
    assert re.search(r"<td>5</td><td>reportingperiodenddate</td><td>the period must lie within one calendar", page)
    assert re.search(r"<td>5</td><td>numerator</td><td>&#39;x&#39; is not a number</td>", page)
    assert count(session, DepartmentMonth) == 0


def test_a_file_that_is_no_sheet_is_refused_beside_the_field(client, session):
    admin_client(client, session)
    token = csrf_token(client, "/admin/metrics")
    for name, content, message in (
            ("notes.txt", b"hello", "notes.txt: import reads .xlsx or .csv (UTF-8) files"),
            ("broken.xlsx", b"PK not really", "broken.xlsx could not be opened as an Excel workbook"),
            ("../../etc/passwd.csv", b"\xff\xfe", "passwd.csv is not UTF-8 text")):
        answer = upload(client, token, name, content)
        assert answer.status_code == 422, name
        assert re.search(r'id="file-error"[^>]*>' + re.escape(message), answer.get_data(as_text=True)), name
    missing = client.post("/admin/metrics/import", data={"csrf_token": token})
    assert missing.status_code == 422
    assert re.search(r'id="file-error"[^>]*>Choose the file to import.', missing.get_data(as_text=True))
    assert count(session, DepartmentMonth) == 0


def test_uploads_have_their_own_limit_and_other_forms_take_no_file(client, session, app):
    admin_client(client, session)
    make_department(session, "Surgery")
    token = csrf_token(client, "/admin/metrics")
    # Smaller limits than the real ones, so that the test client keeps the bodies in memory.
    forms_limit = app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_FORM_MEMORY_SIZE"] = 64 * 1024
    padded = LONG_CSV.encode() + b"P9,Surgery,2026-01-01,2026-01-31,WOW8,0,1\n" * (forms_limit // 40)
    assert len(padded) > forms_limit
    assert upload(client, token, "large.csv", padded).status_code == 303, "a file larger than a form is taken"
    app.config["UPLOAD_MAX_BYTES"] = forms_limit
    assert upload(client, token, "large.csv", padded).status_code == 413
    other = client.post("/admin/metrics", content_type="multipart/form-data",
                        data={"csrf_token": token, "name": (BytesIO(b"WOW"), "name.txt"), "metric": "WOW8"})
    assert other.status_code == 400, "a file sent to a form that takes none is refused"
    twice = client.post("/admin/metrics/import", content_type="multipart/form-data",
                        data={"csrf_token": token, "file": [(BytesIO(b"a"), "a.csv"), (BytesIO(b"b"), "b.csv")]})
    assert twice.status_code == 400


def test_a_vendors_name_for_a_department_is_read_by_the_import_and_can_be_taken_back(client, session):
    admin_client(client, session)
    surgery = make_department(session, "Surgery")
    token = csrf_token(client, "/admin/metrics")
    refused = client.post("/admin/metrics/departments", data={"csrf_token": token, "department_name": "SURG 4W",
                                                                 "department_id": "999999"})
    assert refused.status_code == 422
    assert re.search(r'id="department_id-error"[^>]*>Choose one of the departments', refused.get_data(as_text=True))
    added = client.post("/admin/metrics/departments", data={"csrf_token": token, "department_name": "SURG 4W",
                                                               "department_id": str(surgery.id)},
                        follow_redirects=True)
    page = added.get_data(as_text=True)
    assert "The import now reads &#39;SURG 4W&#39; as one of our departments." in page and "SURG 4W → Surgery" in page
    report = import_metrics(session=session, table=Table(
        ["Department", "Month", "Metric", "Numerator", "Denominator"], [(2, ("surg 4w", "2026-01", "WOW8", 1, 8))]))
    assert report.ok and count(session, DepartmentMonth, department_id=surgery.id) == 1
    taken = client.post("/admin/metrics/departments", data={"csrf_token": token, "department_name": "Surg 4w",
                                                               "department_id": str(surgery.id)})
    assert re.search(r'id="department_name-error"[^>]*>Already names another department', taken.get_data(as_text=True))
    client.post("/admin/metrics/departments/remove", data={"csrf_token": token, "name": "SURG 4W"})
    again = import_metrics(session=session, table=Table(
        ["Department", "Month", "Metric", "Numerator", "Denominator"], [(2, ("surg 4w", "2026-02", "WOW8", 1, 8))]))
    assert [str(error) for error in again.errors] == ["row 2, department: no department is named 'surg 4w'"]


def test_only_an_admin_may_send_a_file_at_all(client, session):
    sign_in(client, make_user(session, Role.STAFF, can_sign_in=True).email)
    token = csrf_token(client, "/nominations")
    answer = upload(client, token, "signal.csv", LONG_CSV.encode())
    assert answer.status_code == 400, "the file is refused as the form is read, before it is written anywhere"


def test_a_departments_own_name_needs_no_vendors_name(client, session):
    admin_client(client, session)
    make_department(session, "Surgery")
    oncology = make_department(session, "Oncology")
    token = csrf_token(client, "/admin/metrics")
    answer = client.post("/admin/metrics/departments", data={"csrf_token": token, "department_name": "surgery",
                                                                "department_id": str(oncology.id)})
    assert answer.status_code == 422
    assert re.search(r'id="department_name-error"[^>]*>Is the department Surgery&#39;s own name',
                     answer.get_data(as_text=True))
