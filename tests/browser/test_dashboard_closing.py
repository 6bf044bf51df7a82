"""An admin closes last quarter from the dashboard in Chromium, after a confirmation, with the keyboard; a reopen
without a reason is refused beside its field; both read well at phone and desktop width."""

import pytest
from playwright.sync_api import expect

from burden_tracker.queries import reporting
from tests.support.pages import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def last_quarter(live_db):
    quarter = reporting.current_quarter(session=live_db).previous()
    live_db.rollback()
    return quarter


def test_an_admin_closes_last_quarter_after_confirming_and_reopens_it_with_a_reason(page, live_server, sign_in_as,
                                                                                  screenshot, screen, last_quarter):
    name, width = screen
    sign_in_as("admin@demo.test")
    page.goto(f"{live_server}/dashboard?quarter={last_quarter.key}")
    expect(page.locator(".standing")).to_have_text("Not closed: these figures may change.")
    confirm = page.get_by_role("button", name=f"Yes, close {last_quarter}")
    expect(confirm).to_be_hidden()  # nothing closes on one click
    page.get_by_text(f"Close {last_quarter}…").focus()
    page.keyboard.press("Enter")
    expect(confirm).to_be_visible()
    assert violations(page) == []
    confirm.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text(f"{last_quarter} was closed.")).to_be_visible()
    expect(page.locator(".standing")).to_contain_text("by Morgan Lee: every figure is as it was when the quarter "
                                                      "was closed.")
    page.get_by_text(f"Reopen {last_quarter}…").click()
    page.get_by_role("button", name=f"Reopen {last_quarter}").click()
    reason = page.get_by_label("Why reopen it?")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#reason-error")).to_have_text(
        "Say why the quarter is reopened: it is kept with the quarter's history.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    screenshot(f"dashboard-reopen-refused-{name}")
    reason.fill("A retirement was dated in the wrong month.")
    page.get_by_role("button", name=f"Reopen {last_quarter}").click()
    expect(page.get_by_text(f"{last_quarter} was reopened.")).to_be_visible()
    expect(page.locator(".standing")).to_have_text("Not closed: these figures may change.")
