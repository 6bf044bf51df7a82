"""The first page, as a person sees it in Chromium on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_nominations_list_shows_the_demo_at_phone_and_desktop_width(page, live_server, screenshot, sign_in_as,
                                                                         screen):
    name, width = screen
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/")
    expect(page).to_have_url(live_server + "/nominations")
    expect(page.get_by_role("heading", name="Nominations")).to_be_visible()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(50)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, "the page itself must not scroll sideways; the table scrolls in its box"
    screenshot(f"nominations-{name}")


def test_paging_moves_through_the_list(page, live_server, sign_in_as):
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/nominations")
    first_title = page.locator("tbody tr").first.inner_text()
    page.get_by_role("link", name="Older").click()
    expect(page).to_have_url(live_server + "/nominations?page=2")
    assert page.locator("tbody tr").first.inner_text() != first_title
    page.get_by_role("link", name="Newer").click()
    expect(page.locator("tbody tr").first).to_have_text(first_title)


def test_htmx_is_served_locally_and_loads(page, live_server):
    page.goto(live_server + "/login")
    assert page.evaluate("window.htmx && window.htmx.version").startswith("2.")
