"""The Wins page in Chromium: reached from the nav, each win links to its nomination, paging swaps only the list,
and it reads well and passes axe on a phone and a desktop."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import State
from burden_tracker.models import Nomination
from tests.support.pages import violations

pytestmark = pytest.mark.browser


def newest_win(live_db) -> tuple[int, str]:
    row = live_db.execute(select(Nomination.id, Nomination.title).where(Nomination.state == State.RETIRED)
                          .order_by(Nomination.retired_on.desc(), Nomination.id.desc())).first()
    live_db.rollback()
    return row.id, row.title


def test_wins_open_from_the_nav_and_each_links_to_its_nomination(page, live_server, live_db, sign_in_as):
    win_id, title = newest_win(live_db)
    sign_in_as("staff@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Wins").click()
    expect(page).to_have_url(re.compile(r"/wins$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wins")
    expect(page.get_by_text(re.compile(r"burdens retired so far"))).to_be_visible()
    first = page.locator("#win-list article").first
    expect(first.get_by_role("heading", level=2)).to_have_text(title)
    expect(first).to_contain_text("Retired on")
    expect(first).to_contain_text(re.compile(r"Gives back (about [\d,]+ hours?|less than an hour) a year"))
    first.get_by_role("link", name=title).click()
    expect(page).to_have_url(re.compile(rf"/nominations/{win_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_older_wins_swap_in_place_under_the_headline(page, live_server, sign_in_as):
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/wins")
    page.evaluate("window.stillTheSameDocument = true")
    first_title = page.locator("#win-list h2").first.inner_text()
    page.get_by_role("link", name="Older").click()
    expect(page).to_have_url(re.compile(r"/wins\?page=2$"))
    expect(page.get_by_role("link", name="Newer")).to_be_visible()
    expect(page.locator("#win-list h2").first).not_to_have_text(first_title)
    expect(page.get_by_text(re.compile(r"burdens retired so far"))).to_be_visible()
    assert page.evaluate("window.stillTheSameDocument === true")


def test_wins_read_well_and_pass_axe_at_phone_and_desktop_width(page, live_server, sign_in_as, screenshot, screen):
    name, width = screen
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/wins")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"wins-{name}")
    page.locator("#win-list article").nth(2).scroll_into_view_if_needed()
    screenshot(f"wins-{name}-list")
    assert violations(page) == [], "/wins"
