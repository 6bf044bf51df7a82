"""In Chromium: a board member finds patient details in a comment and redacts it with the keyboard; the page, as
staff see it, keeps the history of the redaction and loses the words."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.models import Comment, Nomination, User
from burden_tracker.services.redaction import redact
from tests.support.pages import violations

pytestmark = pytest.mark.browser
TYPED = "Same here: DOB 03/14/1961 for the patient in bed 4."


@pytest.fixture
def comment_with_details(live_db):
    """A demo nomination with a comment that should never have been typed; returns the nomination's id."""
    nomination_id = live_db.scalar(select(Nomination.id).order_by(Nomination.id))
    author_id = live_db.scalar(select(User.id).where(User.email == "nurse@demo.test"))
    live_db.add(Comment(nomination_id=nomination_id, author_id=author_id, body=TYPED))
    live_db.commit()
    return nomination_id


@pytest.mark.parametrize("width", [375, 1280])
def test_a_board_member_redacts_a_comment_and_staff_never_see_it_again(page, live_server, sign_in_as,
                                                                       comment_with_details, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("board@demo.test")
    page.goto(f"{live_server}/nominations/{comment_with_details}")
    expect(page.get_by_text(TYPED, exact=True)).to_be_visible()

    summary = page.get_by_text("Redact a text", exact=True)
    summary.focus()
    page.keyboard.press("Enter")
    choice = page.get_by_label("Text to redact")
    expect(choice).to_be_visible()
    assert violations(page) == []
    label = choice.locator("option", has_text="DOB 03/14/1961").inner_text()
    choice.select_option(label=label)
    screenshot(f"redact-{width}")
    page.get_by_role("button", name="Redact for good").press("Enter")

    expect(page.get_by_text("Redacted a comment. The history says who and when")).to_be_visible()
    expect(page.get_by_text(TYPED, exact=True)).to_have_count(0)
    expect(page.locator("#timeline")).to_contain_text("Redacted a comment.")
    page.get_by_role("button", name="Sign out").click()
    sign_in_as("nurse@demo.test")
    page.goto(f"{live_server}/nominations/{comment_with_details}")
    expect(page.locator("#timeline")).to_contain_text("Redacted a comment.")
    assert "03/14/1961" not in page.content()


def test_a_text_another_board_member_redacted_meanwhile_is_told_beside_the_field(
        page, live_server, live_db, sign_in_as, comment_with_details):
    sign_in_as("board@demo.test")
    page.goto(f"{live_server}/nominations/{comment_with_details}")
    page.get_by_text("Redact a text", exact=True).click()
    choice = page.get_by_label("Text to redact")
    choice.select_option(label=choice.locator("option", has_text="DOB 03/14/1961").inner_text())
    colleague = live_db.scalars(select(User).where(User.email == "board2@demo.test")).one()
    comment_id = live_db.scalar(select(Comment.id).where(Comment.body == TYPED))
    redact(session=live_db, nomination_id=comment_with_details, key=f"comment-{comment_id}", actor=colleague)

    page.get_by_role("button", name="Redact for good").click()

    expect(page.locator("#redact-text-error")).to_have_text("Choose a text from the list.")
    expect(page.get_by_label("Text to redact")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text(TYPED, exact=True)).to_have_count(0)
