"""/admin/metrics: the metrics with the names vendors give them, what has been imported, a name an admin adds or
takes back (refused beside its field when it is taken), and the template, which the import reads back."""

import re
from io import BytesIO

from openpyxl import load_workbook

from burden_tracker.enums import AuditKind, Role
from burden_tracker.metrics_template import COLUMNS
from burden_tracker.models import AuditEntry, MetricName
from burden_tracker.services.importer import Table
from burden_tracker.services.metrics_import import import_metrics
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
