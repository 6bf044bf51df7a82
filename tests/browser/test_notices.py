"""Closing the loop as staff@demo.test sees it: a board decision, the unread count, Notices, Mine."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.db import open_session
from burden_tracker.enums import State
from burden_tracker.models import Nomination, User
from burden_tracker.queries.notices import unread_count
from burden_tracker.services.nominations import comment
from burden_tracker.services.transitions import move_nomination
from burden_tracker.workflow import Move

pytestmark = pytest.mark.browser
RATIONALE = "Required by the state board of nursing; the board checked the rule text."


@pytest.fixture
def rejected(live_app):
    """The board rejects one of staff@demo.test's proposed nominations; returns it and Sam's unread count."""
    with open_session(live_app.extensions["db_engine"]) as session:
        staff = session.scalars(select(User).where(User.email == "staff@demo.test")).one()
        board = session.scalars(select(User).where(User.email == "board@demo.test")).one()
        nomination = session.scalars(select(Nomination).where(
            Nomination.submitter_id == staff.id, Nomination.state == State.PROPOSED).order_by(Nomination.id)).first()
        move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=board,
                        expected_version=nomination.version, fields={"note": RATIONALE})
        return nomination, unread_count(session=session, user_id=staff.id)


def test_staff_sees_the_boards_decision_in_notices_and_follows_it_to_the_nomination(
        page, live_server, sign_in_as, screenshot, rejected, screen):
    name, width = screen
    nomination, unread = rejected
    assert unread >= 1
    sign_in_as("staff@demo.test")
    notices_link = page.get_by_role("link", name="Notices")
    expect(notices_link.get_by_label(f"{unread} unread")).to_have_text(str(unread))
    notices_link.click()
    expect(page.get_by_role("heading", name="Notices")).to_be_visible()
    notice = page.locator("ul.notices li").first
    expect(notice).to_contain_text("New")
    expect(notice).to_contain_text(f"“{nomination.title}” moved from proposed to rejected.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"notices-{name}")

    notice.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server}/nominations/{nomination.id}")
    expect(page.get_by_role("heading", name=nomination.title)).to_be_visible()
    expect(page.get_by_text(RATIONALE).first).to_be_visible()

    page.get_by_role("link", name="Notices").click()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("All read.")).to_be_visible()
    expect(page.locator("#notices-link .badge")).to_have_count(0)
    expect(page.locator("ul.notices strong.new")).to_have_count(0)

    page.get_by_role("link", name="Mine").click()
    expect(page.get_by_role("heading", name="My nominations")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text=nomination.title)
    expect(row).to_contain_text("submitted")
    expect(row).to_contain_text("rejected")
    expect(row).to_contain_text(RATIONALE)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"mine-{name}")


def test_an_executive_follows_a_nomination_is_told_of_a_comment_and_reading_it_clears_the_notice(
        page, live_server, live_app, sign_in_as, screenshot, screen):
    name, width = screen
    with open_session(live_app.extensions["db_engine"]) as session:
        nomination_id = session.scalar(select(Nomination.id).where(Nomination.state == State.PROPOSED)
                                       .order_by(Nomination.id.desc()))
        nurse = session.scalars(select(User).where(User.email == "nurse@demo.test")).one()
    sign_in_as("executive@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    page.get_by_role("button", name="Follow").click()
    expect(page.locator("#follow")).to_contain_text("You follow this nomination")
    screenshot(f"follow-{name}")
    with open_session(live_app.extensions["db_engine"]) as session:
        comment(session=session, nomination_id=nomination_id, author=session.get(User, nurse.id),
                body="We chart it twice on nights too.")
    page.goto(live_server + "/notices")
    notice = page.locator("ul.notices li.unread").filter(has_text="New comment on")
    expect(notice).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    notice.get_by_role("link").click()
    expect(page.locator("#comments")).to_contain_text("We chart it twice on nights too.")
    page.goto(live_server + "/notices")
    expect(page.locator("ul.notices li.unread").filter(has_text="New comment on")).to_have_count(0)
