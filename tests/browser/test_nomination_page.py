"""A nomination's page in Chromium: comment and "me too" in place, withdraw, phone and desktop."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import State
from burden_tracker.models import Comment, Nomination, Notification, User
from tests.support import pages
from tests.support.pages import SCREENSHOTS, violations

pytestmark = pytest.mark.browser


def proposed_nomination(db, *, submitted_by: str, mine: bool) -> int:
    user_id = db.scalar(select(User.id).where(User.email == submitted_by))
    mine_or_not = Nomination.submitter_id == user_id if mine else Nomination.submitter_id != user_id
    nomination_id = db.scalar(select(Nomination.id).where(Nomination.state == State.PROPOSED, mine_or_not,
                                                          Nomination.anonymous.is_(False)).order_by(Nomination.id))
    db.rollback()
    return nomination_id


def test_comment_and_me_too_update_the_page_in_place(live_server, live_db, sign_in_as, screenshot, screen):
    name, _width = screen
    nomination_id = proposed_nomination(live_db, submitted_by="staff@demo.test", mine=False)
    page = sign_in_as("staff@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads

    page.get_by_role("textbox", name="Comment").fill("Same on 4 West: <b>twice</b> a shift.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#comments")).to_contain_text("Same on 4 West: <b>twice</b> a shift.")

    page.get_by_label("Times a week for you").fill("0")
    page.get_by_role("button", name="Me too").click()
    expect(page.locator("#support")).to_contain_text("must be more than 0")
    page.get_by_label("Times a week for you").fill("10")
    page.get_by_role("button", name="Me too").click()
    expect(page.locator("#support")).to_contain_text("You support this nomination.")
    expect(page.locator("#support .supporters")).to_contain_text("Sam Rivera")  # staff@demo.test, now named

    assert page.evaluate("window.loadedOnce") is True
    assert live_db.scalars(select(Comment.body).where(Comment.nomination_id == nomination_id)).all()[-1] == (
        "Same on 4 West: <b>twice</b> a shift.")
    live_db.rollback()
    page.locator("#support").scroll_into_view_if_needed()
    screenshot(f"nomination-supporters-{name}")

    page.get_by_role("button", name="Take back my “me too”").click()  # changed their mind
    expect(page.get_by_role("button", name="Me too")).to_be_visible()
    expect(page.locator("#support")).not_to_contain_text("Sam Rivera")
    assert page.evaluate("window.loadedOnce") is True


def test_the_submitter_withdraws_a_proposed_nomination_once_they_confirm(live_server, live_db, sign_in_as,
                                                                         screenshot, page, screen):
    name, width = screen
    nomination_id = proposed_nomination(live_db, submitted_by="staff@demo.test", mine=True)
    sign_in_as("staff@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    screenshot(f"nomination-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Withdraw my nomination").click()
    confirm = page.get_by_role("button", name="Yes, withdraw it")
    expect(page.locator("#withdraw")).to_contain_text("Withdrawing closes it for good")
    confirm.scroll_into_view_if_needed()
    screenshot(f"nomination-withdraw-asked-{name}")
    page.get_by_role("button", name="Withdraw my nomination").click()  # changed their mind: it folds away
    expect(confirm).to_be_hidden()
    live_db.rollback()
    assert live_db.get(Nomination, nomination_id).state is State.PROPOSED
    live_db.rollback()
    page.get_by_role("button", name="Withdraw my nomination").click()
    confirm.click()
    expect(page.get_by_role("status")).to_contain_text("You withdrew your nomination.")
    expect(page.locator("header .state").first).to_have_text("withdrawn")
    expect(page.get_by_role("button", name="Withdraw my nomination")).to_have_count(0)


def test_the_submitter_edits_their_proposed_nomination(live_server, live_db, sign_in_as, screenshot, page, screen):
    name, width = screen
    nomination_id = proposed_nomination(live_db, submitted_by="staff@demo.test", mine=True)
    sign_in_as("staff@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    page.get_by_role("button", name="Edit my nomination").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your nomination")
    page.wait_for_load_state()  # the heading shows before the deferred htmx has started on the page
    page.get_by_label("Times a week", exact=True).fill("12")
    expect(page.locator("#estimate-preview")).to_contain_text("12 a week")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"nomination-edit-{name}")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("p.notice[role=status]")).to_contain_text("Saved: estimate")
    expect(page.locator("#timeline li").last).to_contain_text("Sam Rivera: Edited: estimate")
    expect(page.locator("#estimate")).to_contain_text("× 12 times a week")


def test_a_comment_is_edited_by_its_author_and_hidden_by_the_board(browser, live_server, live_db, screen):
    name, width = screen
    nomination_id = proposed_nomination(live_db, submitted_by="staff@demo.test", mine=False)
    address = f"{live_server}/nominations/{nomination_id}"
    author_context, board_context = (browser.new_context(viewport={"width": width, "height": 900}) for _ in range(2))
    try:
        author = pages.signed_in(author_context.new_page(), live_server, "staff@demo.test")
        author.goto(address)
        author.get_by_role("textbox", name="Comment").fill("Room 12's patient has the same alert.")
        author.get_by_role("button", name="Add comment").click()
        mine = author.locator("#comments article.comment").last
        mine.get_by_text("Edit", exact=True).click()
        mine.get_by_label("Your comment").fill("The same alert fires on our unit.")
        mine.get_by_role("button", name="Save comment").click()
        mine = author.locator("#comments article.comment").last
        expect(mine).to_contain_text("The same alert fires on our unit.")
        expect(mine.locator("footer")).to_contain_text("edited")

        board = pages.signed_in(board_context.new_page(), live_server, "board@demo.test")
        board.goto(address)
        theirs = board.locator("#comments article.comment").last
        theirs.get_by_text("Hide", exact=True).click()
        theirs.get_by_label("Why hide it? (its author reads this)").fill("It could identify a patient.")
        theirs.get_by_role("button", name="Hide the comment").click()
        expect(board.locator("#comments article.comment").last).to_contain_text("Hidden by the board")

        author.reload()
        mine = author.locator("#comments article.comment").last
        expect(mine).to_contain_text("Hidden by the board: It could identify a patient.")
        mine.scroll_into_view_if_needed()
        assert author.evaluate("document.documentElement.scrollWidth") <= width
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        author.screenshot(path=str(SCREENSHOTS / f"comment-hidden-author-{name}.png"))
    finally:
        author_context.close()
        board_context.close()


def test_at_and_a_name_offers_colleagues_and_tells_the_one_mentioned(page, live_server, live_db, sign_in_as,
                                                                       screen):
    name, width = screen
    nomination_id = proposed_nomination(live_db, submitted_by="staff@demo.test", mine=False)
    sign_in_as("staff@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    field = page.get_by_role("textbox", name="Comment")
    field.press_sequentially("Same on nights, @Pri", delay=20)
    offered = page.get_by_role("option", name="Priya Nair, RN")
    expect(offered).to_be_visible()
    expect(field).to_have_attribute("aria-activedescendant", re.compile(r"^body-mentions-0$"))
    assert violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#comments").screenshot(path=str(SCREENSHOTS / f"comment-mention-{name}.png"))
    field.press("Enter")
    expect(field).to_have_value("Same on nights, @Priya Nair, RN ")
    expect(page.get_by_role("listbox", name="People to mention")).to_be_hidden()
    field.press_sequentially("what do you see?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#comments")).to_contain_text("Same on nights, @Priya Nair, RN what do you see?")
    nurse = live_db.scalar(select(User.id).where(User.email == "nurse@demo.test"))
    told = live_db.scalars(select(Notification.message).where(Notification.user_id == nurse)
                           .order_by(Notification.id.desc())).first()
    live_db.rollback()
    assert told.startswith("Sam Rivera mentioned you in a comment on “")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
