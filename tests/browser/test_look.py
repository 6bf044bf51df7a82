"""Looks like a product: a logo and favicon, a colour for each role beside its name, a print stylesheet for a
nomination and the dashboard, and an empty list that says what to do first."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import State
from burden_tracker.models import Nomination
from tests.support.pages import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_the_logo_heads_every_page_and_is_the_favicon(page, live_server, sign_in_as, screen):
    name, _width = screen
    sign_in_as("staff@demo.test")
    logo = page.locator("header .brand img")
    expect(logo).to_be_visible()
    page.wait_for_function("image => image.complete", arg=logo.element_handle())  # loaded, or refused
    assert logo.evaluate("image => image.naturalWidth > 0"), "the logo loaded under the CSP"
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server + icon).headers["content-type"].startswith("image/svg+xml")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("header").screenshot(path=str(SCREENSHOTS / f"header-logo-{name}.png"))


def test_each_role_has_its_own_colour_beside_its_name(page, live_server, sign_in_as, screen):
    name, _width = screen
    sign_in_as("admin@demo.test")
    page.goto(live_server + "/admin/users")
    colours = {}
    for role in ("staff", "board", "executive", "admin"):
        badge = page.locator(f"#user-list .role-{role}").first
        expect(badge).to_have_text(role)
        colours[role] = badge.evaluate("b => getComputedStyle(b).backgroundColor")
    assert len(set(colours.values())) == 4, colours
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#user-list").screenshot(path=str(SCREENSHOTS / f"admin-roles-{name}.png"))


def test_a_nomination_and_the_dashboard_print_without_the_controls(page, live_server, live_db, sign_in_as):
    nomination_id = live_db.scalar(select(Nomination.id).where(Nomination.state == State.EVALUATED))
    live_db.rollback()
    sign_in_as("board@demo.test")
    for path, kept in ((f"/nominations/{nomination_id}", "#estimate"), ("/dashboard", "#dashboard-body")):
        page.goto(live_server + path)
        page.emulate_media(media="print")
        expect(page.locator("header nav")).to_be_hidden()
        expect(page.locator(kept)).to_be_visible()
        assert page.locator("main button:visible, main form:visible").count() == 0, path
        if path.startswith("/nominations/"):
            expect(page.locator("#board-panel")).to_be_hidden()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(SCREENSHOTS / f"print-{path.strip('/').replace('/', '-')}.pdf"))
        page.emulate_media(media="screen")
        expect(page.locator("header nav")).to_be_visible()


def test_an_empty_list_says_what_to_do_first(page, live_server, sign_in_as, screen):
    name, _width = screen
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/nominations?q=no+such+burden+anywhere")
    empty = page.locator("#nomination-list .empty-state")
    expect(empty).to_be_visible()
    expect(empty.get_by_role("link", name="clear the filters")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"empty-list-{name}.png"))
