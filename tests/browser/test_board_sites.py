"""Sites in Chromium: an admin limits board2@demo.test to a second site on their page, and board2 then sees only
that site's nominations on the queue and has no board panel on another site's nomination."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from burden_tracker.db import open_session
from burden_tracker.models import Department, Nomination, Site, User
from tests.support.pages import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def kona(live_app) -> dict:
    """A second site, Kona Community Hospital, holding the demo's Pharmacy; the ids of a nomination there and of
    one elsewhere."""
    with open_session(live_app.extensions["db_engine"]) as session:
        site = Site(name="Kona Community Hospital")
        session.add(site)
        session.flush()
        pharmacy = session.scalar(select(Department.id).where(Department.name == "Pharmacy"))
        session.execute(update(Department).where(Department.id == pharmacy).values(site_id=site.id))
        there = session.scalar(select(Nomination.id).where(Nomination.department_id == pharmacy))
        elsewhere = session.scalar(select(Nomination.id).where(Nomination.department_id != pharmacy))
        session.commit()
        return {"site": site.id, "there": there, "elsewhere": elsewhere}


def test_a_board_member_limited_to_a_site_sees_and_decides_only_there(page, live_server, sign_in_as, sign_in_elsewhere,
                                                                      live_db, kona, screen):
    sign_in_as("admin@demo.test")
    board2 = live_db.scalar(select(User.id).where(User.email == "board2@demo.test"))
    live_db.rollback()
    page.goto(f"{live_server}/admin/users/{board2}")
    sites = page.get_by_role("group", name="As a board member, decides for")
    expect(page.get_by_text("None ticked: every site.")).to_be_visible()
    sites.get_by_label("Kona Community Hospital").check()
    page.get_by_role("button", name="Save roles and sites").click()
    expect(page.get_by_role("status")).to_contain_text("Roles saved.")
    expect(page.get_by_label("Kona Community Hospital")).to_be_checked()
    assert violations(page) == []

    member = sign_in_elsewhere("board2@demo.test")
    member.goto(live_server + "/board?state=all")
    departments = member.locator('#board-list td[data-label="Department"]')
    expect(departments.first).to_have_text("Pharmacy")
    assert set(departments.all_inner_texts()) == {"Pharmacy"}
    expect(member.get_by_label("Site", exact=True)).to_have_count(0)  # one site of theirs: nothing to choose

    member.goto(f"{live_server}/nominations/{kona['there']}")
    expect(member.get_by_role("heading", name="Review board")).to_be_visible()
    member.goto(f"{live_server}/nominations/{kona['elsewhere']}")
    expect(member.get_by_role("heading", level=1)).to_be_visible()
    expect(member.get_by_role("heading", name="Review board")).to_have_count(0)
