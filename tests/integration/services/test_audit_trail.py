"""Admins read the security trail on /admin/audit: sign-ins, refusals, rate limits, 403s, CSRF refusals and
admin changes, filtered by person, kind and day, paged, and purged after the retention period.

Each request below is closed as a WSGI server closes it once sent: that is when its lines are stored.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from burden_tracker.enums import AuditKind, Role
from burden_tracker.models import AuditEntry, Settings
from burden_tracker.services.audit_trail import purge
from tests.support.factories import make_nomination, make_user
from tests.support.web import PASSWORD, csrf_token


@pytest.fixture
def nurse(session):
    return make_user(session, name="Nora Nightingale", email="nora@example.org", can_sign_in=True)


@pytest.fixture
def admin(session):
    return make_user(session, Role.ADMIN, name="Ada Admin", email="ada@example.org", can_sign_in=True)


def sent(response) -> int:
    with response:
        return response.status_code


def sign_in(client, email: str, password: str = PASSWORD) -> int:
    return sent(client.post("/login", data={"email": email, "password": password,
                                            "csrf_token": csrf_token(client, "/login")}))


def trail(client, **query) -> str:
    response = client.get("/admin/audit", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rows(page: str) -> list[str]:
    """Each line of the trail's table as its cells' text, joined by |."""
    body = page[page.index("<tbody>"):page.index("</tbody>")] if "<tbody>" in page else ""
    return [" | ".join(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_sign_ins_refusals_and_admin_changes_are_listed_newest_first(app, client, session, nurse, admin):
    assert sign_in(client, nurse.email, "not the password") == 422
    assert sign_in(client, nurse.email) == 302
    assert sent(client.get("/admin")) == 403
    assert sent(client.post("/nominations/new", data={"title": "no token"})) == 400
    admin_client = app.test_client()
    assert sign_in(admin_client, admin.email) == 302
    assert sent(admin_client.post("/admin/departments", data={"name": "Radiology",
                                                              "csrf_token": csrf_token(admin_client, "/admin")})) == 303

    lines = rows(trail(admin_client))
    nora, ada = ["Nora Nightingale", "nora@example.org"], ["Ada Admin", "ada@example.org"]
    assert [line.split(" | ")[1:4] for line in lines] == [
        ["admin change", *ada], ["sign-in ok", *ada], ["csrf refused", *nora], ["forbidden", *nora],
        ["sign-in ok", *nora], ["sign-in refused", "—", "nora@example.org"]]
    assert "Department: added “Radiology”" in lines[0] and "POST /nominations/new" in lines[2]
    assert "GET /admin" in lines[3] and "127.0.0.1" in lines[3]


def test_the_trail_filters_by_person_kind_and_day(app, client, session, nurse, admin):
    sign_in(client, nurse.email, "not the password")
    sign_in(client, nurse.email)
    admin_client = app.test_client()
    sign_in(admin_client, admin.email)
    today = datetime.now(UTC).date()

    assert {line.split(" | ")[3] for line in rows(trail(admin_client, person="nightingale"))} == {"nora@example.org"}
    refused = rows(trail(admin_client, kind="sign-in refused"))
    assert len(refused) == 1 and "nora@example.org" in refused[0]
    assert len(rows(trail(admin_client, since=today.isoformat(), until=today.isoformat()))) == 3
    assert rows(trail(admin_client, until=(today - timedelta(days=1)).isoformat())) == []
    page = trail(admin_client, kind="no such kind", since="yesterday")
    assert "Not understood, so not applied: kind, since." in page and len(rows(page)) == 3


def test_a_long_trail_is_paged(app, session, admin):
    start = datetime.now(UTC) - timedelta(hours=1)
    session.execute(insert(AuditEntry), [{"at": start + timedelta(seconds=n), "kind": AuditKind.SIGN_IN_REFUSED,
                                          "email": f"guess{n}@example.org"} for n in range(60)])
    session.commit()
    client = app.test_client()
    sign_in(client, admin.email)
    first = trail(client)
    assert len(rows(first)) == 50 and 'rel="next"' in first and "guess0@example.org" not in first
    second = trail(client, page=2)
    assert len(rows(second)) == 11 and "guess0@example.org" in rows(second)[-1]  # 61 with the admin's sign-in


def test_a_line_about_a_nomination_does_not_say_which(app, client, session, nurse):
    nomination = make_nomination(session, submitter=nurse, anonymous=True)
    sign_in(client, nurse.email)
    assert sent(client.post(f"/nominations/{nomination.id}/withdraw", data={"version": "1"})) == 400
    paths = set(session.scalars(select(AuditEntry.path).where(AuditEntry.kind == AuditKind.CSRF_REFUSED)))
    session.commit()
    assert paths == {"/nominations/<int:nomination_id>/withdraw"}


def test_lines_older_than_the_retention_period_are_purged(session):
    now = datetime.now(UTC)
    session.execute(insert(AuditEntry), [{"at": now - timedelta(days=days), "kind": AuditKind.SIGN_IN_OK}
                                         for days in (401, 399, 31, 1)])
    assert purge(session=session, now=now) == 1  # the default keeps 400 days
    session.get(Settings, 1).audit_retention_days = 30
    assert purge(session=session, now=now) == 2
    session.commit()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_an_admin_sets_how_long_the_trail_is_kept(app, session, admin):
    client = app.test_client()
    sign_in(client, admin.email)
    page = client.get("/admin/settings").get_data(as_text=True)
    values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', page))
    values |= {"fiscal_year_start_month": "1", "audit_retention_days": "10"}
    refused = client.post("/admin/settings", data=values)
    assert refused.status_code == 422
    assert 'id="audit_retention_days-error" class="field-error">Must be at least 30<' in refused.get_data(as_text=True)
    assert sent(client.post("/admin/settings", data=values | {"audit_retention_days": "90"})) == 303
    assert session.get(Settings, 1).audit_retention_days == 90
    session.commit()
