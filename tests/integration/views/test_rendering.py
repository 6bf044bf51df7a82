"""Moments shown on the organization's clocks (the time_zone setting), on every page that shows one, and the
security trail's days read on the same clocks."""

from datetime import UTC, datetime

import pytest

from burden_tracker.enums import AuditKind, Role
from burden_tracker.models import AuditEntry, Comment, Notification, Settings
from tests.support.factories import make_nomination, make_user
from tests.support.web import sign_in

# 03:30 UTC on 2 October is still the evening of 1 October in Chicago, on daylight time.
LATE_EVENING = datetime(2026, 10, 2, 3, 30, tzinfo=UTC)


@pytest.fixture
def in_chicago(session):
    session.get(Settings, 1).time_zone = "America/Chicago"
    session.commit()


def signed_in(app, session, *roles):
    person = make_user(session, *roles, can_sign_in=True)
    client = app.test_client()
    sign_in(client, person.email)
    return client, person


def test_a_comment_shows_when_it_was_written_on_the_organizations_clocks(app, session, in_chicago):
    client, nurse = signed_in(app, session, Role.STAFF)
    nomination = make_nomination(session, submitter=nurse)
    session.add(Comment(nomination_id=nomination.id, author_id=nurse.id, body="Still charted twice.",
                        created_at=LATE_EVENING))
    session.commit()
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert '<time datetime="2026-10-01T22:30:00-05:00">2026-10-01 22:30 CDT</time>' in page
    assert " UTC" not in page


def test_a_notice_shows_when_it_came_on_the_organizations_clocks(app, session, in_chicago):
    client, nurse = signed_in(app, session, Role.STAFF)
    session.add(Notification(user_id=nurse.id, message="Your nomination was evaluated.", created_at=LATE_EVENING))
    session.commit()
    page = client.get("/notices").get_data(as_text=True)
    assert "2026-10-01 22:30 CDT" in page


def test_the_security_trail_reads_its_days_on_the_organizations_clocks(app, session, in_chicago):
    client, _admin = signed_in(app, session, Role.ADMIN)
    session.add(AuditEntry(kind=AuditKind.RESET_ASKED, email="night@hospital.test", at=LATE_EVENING))
    session.commit()
    first = client.get("/admin/audit?since=2026-10-01&until=2026-10-01").get_data(as_text=True)
    second = client.get("/admin/audit?since=2026-10-02&until=2026-10-02").get_data(as_text=True)
    assert "night@hospital.test" in first and "2026-10-01 22:30:00 CDT" in first
    assert "night@hospital.test" not in second
