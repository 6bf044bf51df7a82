"""Closing and reopening a quarter from the dashboard, and what the dashboard then shows: the figures as closed,
and the restatements of closed quarters beside the next quarter's figures."""

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from sqlalchemy import update

from burden_tracker.enums import Role, State
from burden_tracker.hours import Quarter
from burden_tracker.models import QuarterClosing, Restatement, Settings
from burden_tracker.queries import reporting
from tests.support.factories import make_nomination, make_user, retire_through_the_board
from tests.support.reporting_data import build_program
from tests.support.web import count, csrf_token, sign_in

Q3 = Quarter(2026, 3)
_TAG = re.compile(r"<[^>]+>")


def text_of(html: str) -> str:
    return unescape(" ".join(_TAG.sub(" ", html).split()))


@pytest.fixture
def admin(client, session):
    build_program(session)
    sign_in(client, make_user(session, Role.ADMIN, name="Ada Admin", can_sign_in=True).email)
    return client


def post(client, address: str, **fields):
    return client.post(address, data={**fields, "csrf_token": csrf_token(client, "/dashboard?quarter=2026-Q3")})


def test_an_admin_closes_a_past_quarter_and_its_page_says_so(admin, session):
    response = post(admin, "/dashboard/2026-Q3/close")
    assert response.status_code == 303 and response.location.endswith("/dashboard?quarter=2026-Q3")
    page = text_of(admin.get("/dashboard?quarter=2026-Q3").get_data(as_text=True))
    assert "2026-Q3 was closed." in page
    assert "Closed on" in page and "by Ada Admin: every figure is as it was when the quarter was closed." in page
    assert "Reopen 2026-Q3…" in page and "Close 2026-Q3…" not in page
    assert count(session, QuarterClosing) == 1


def test_a_quarter_not_over_is_refused_with_the_reason_and_nothing_is_stored(admin, session):
    current = reporting.current_quarter(session=session)
    session.rollback()
    response = post(admin, f"/dashboard/{current.key}/close")
    assert response.status_code == 422
    assert f"{current} is not over" in text_of(response.get_data(as_text=True))
    assert count(session, QuarterClosing) == 0


def test_reopening_without_a_reason_is_refused_beside_the_field(admin, session):
    post(admin, "/dashboard/2026-Q3/close")
    response = post(admin, "/dashboard/2026-Q3/reopen", reason="  ")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<small id="reason-error" class="field-error">Say why the quarter is reopened', page)
    assert 'aria-invalid="true"' in page and "<details class=\"reopen\" open>" in page
    assert count(session, QuarterClosing, reopened_at=None) == 1

    response = post(admin, "/dashboard/2026-Q3/reopen", reason="A retirement was dated in the wrong month.")
    assert response.status_code == 303
    page = text_of(admin.get("/dashboard?quarter=2026-Q3").get_data(as_text=True))
    assert "2026-Q3 was reopened." in page and "Not closed: these figures may change." in page


def test_only_past_quarters_offer_closing_and_only_to_admins(admin, client, session):
    current = reporting.current_quarter(session=session)
    session.rollback()
    assert "Close 2026-Q3…" in admin.get("/dashboard?quarter=2026-Q3").get_data(as_text=True)
    assert "Close " not in text_of(admin.get(f"/dashboard?quarter={current.key}").get_data(as_text=True))
    admin.post("/logout", data={"csrf_token": csrf_token(admin, "/dashboard")})
    sign_in(client, make_user(session, Role.EXECUTIVE, can_sign_in=True).email)
    page = text_of(client.get("/dashboard?quarter=2026-Q3").get_data(as_text=True))
    assert "Not closed: these figures may change." in page and "Close 2026-Q3…" not in page


def test_the_next_quarter_shows_the_restatement_of_the_closed_one(admin, session):
    waiting = make_nomination(session, state=State.EVALUATED, title="Fax <b>cover</b> sheet signed twice",
                              submitted_on=date(2026, 6, 3))
    as_closed = reporting.quarter_figures(session=session, quarter=Q3)
    session.rollback()  # on SQLite a reading transaction would hold off the app's write
    post(admin, "/dashboard/2026-Q3/close")
    retire_through_the_board(session, waiting, date(2026, 8, 1))
    html = admin.get("/dashboard?quarter=2026-Q4").get_data(as_text=True)
    page = text_of(html)
    assert "Restatements of closed quarters" in page
    assert f"Retired (effective) {as_closed.retired} {as_closed.retired + 1} 1" in page
    assert "Fax &lt;b&gt;cover&lt;/b&gt; sheet" in html  # what people typed stays text
    assert (f"#{waiting.id} Fax <b>cover</b> sheet signed twice , moved from evaluated to retired, effective 1 August"
            in page)
    closed_page = text_of(admin.get("/dashboard?quarter=2026-Q3").get_data(as_text=True))
    assert "Restatements of closed quarters" not in closed_page
    assert f"Retired (effective) {as_closed.retired}" in closed_page


def test_a_restatement_is_dated_on_the_organizations_clocks(admin, session):
    settings = session.get(Settings, 1)
    settings.time_zone = "America/Chicago"
    session.commit()
    waiting = make_nomination(session, state=State.EVALUATED, title="Fax cover sheet signed twice",
                              submitted_on=date(2026, 6, 3))
    session.rollback()
    post(admin, "/dashboard/2026-Q3/close")
    retire_through_the_board(session, waiting, date(2026, 8, 1))
    session.execute(update(Restatement).values(at=datetime(2026, 12, 2, 3, 30, tzinfo=UTC)))  # 21:30 on the 1st there
    session.commit()
    page = text_of(admin.get("/dashboard?quarter=2026-Q4").get_data(as_text=True))
    assert f"1 December 2026: #{waiting.id} Fax cover sheet signed twice" in page
