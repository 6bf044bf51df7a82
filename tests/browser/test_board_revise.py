"""A board member revises a retired nomination's estimate on its page in Chromium: refused in place without a
reason, then kept in the history with its old and new values; readable at phone and desktop width."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import State
from burden_tracker.models import Nomination
from tests.support.pages import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def retired(live_db):
    nomination = live_db.scalars(select(Nomination).where(Nomination.state == State.RETIRED)
                                 .order_by(Nomination.id)).first()
    people = nomination.estimate[2]
    live_db.rollback()
    return nomination.id, people


def test_a_board_member_revises_an_estimate_with_a_reason(page, live_server, sign_in_as, screen, screenshot,
                                                          retired):
    name, width = screen
    nomination_id, people = retired
    sign_in_as("board@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    page.get_by_text("Revise the estimate or classification").click()
    clinicians = page.locator("#revise-clinicians_affected")
    expect(clinicians).to_have_value(str(people))
    clinicians.fill(str(people * 2))
    page.get_by_role("button", name="Revise", exact=True).click()

    reason = page.get_by_label("Why revise it? (the history shows it)")
    expect(reason).to_have_attribute("aria-invalid", "true")  # refused in place: the panel came back
    expect(page.locator("#revise-note-error")).to_have_text("Say why: the history keeps the reason beside the change.")
    expect(clinicians).to_have_value(str(people * 2))  # what was typed stays
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    screenshot(f"revise-refused-{name}")

    reason.fill("Both campuses chart it, not one.")
    page.get_by_role("button", name="Revise", exact=True).click()
    expect(page.get_by_text("Revised: estimate", exact=False).first).to_be_visible()
    history = page.locator("#timeline")
    expect(history).to_contain_text(f"× {people:,} people → ")
    expect(history).to_contain_text("Why: Both campuses chart it, not one.")
