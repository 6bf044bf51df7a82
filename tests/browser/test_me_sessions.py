"""Your sessions in Chromium: signed in on two browsers, a person signs the other one out from the Account page,
on a phone's screen and a desktop's."""

import pytest
from playwright.sync_api import expect

from tests.support.pages import signed_in

pytestmark = pytest.mark.browser


def test_a_person_signs_their_other_browser_out(browser, page, live_server, screen):
    other = browser.new_context(user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) "
                                           "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/604.1")
    phone = signed_in(other.new_page(), live_server, "board@demo.test")
    signed_in(page, live_server, "board@demo.test")
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Where you are signed in")).to_be_visible()
    expect(page.get_by_role("heading", name="Safari on iPhone")).to_be_visible()
    expect(page.get_by_text("(this browser)")).to_be_visible()
    page.get_by_role("button", name="Sign out Safari on iPhone", exact=False).click()
    expect(page.get_by_text("That session is signed out.")).to_be_visible()
    expect(page.get_by_role("heading", name="Safari on iPhone")).to_have_count(0)
    phone.goto(live_server + "/board")
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    other.close()
