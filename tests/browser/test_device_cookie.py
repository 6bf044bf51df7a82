"""In Chromium: the device cookie outlives signing out, though the sign-out clears every cookie of the site (the
sign-in page it leads to sets the cookie again, once), and with it the person still signs in while someone
elsewhere has made their account wait."""

import re

import pytest
from playwright.sync_api import expect

from burden_tracker import limits
from burden_tracker.services.demo import DEMO_PASSWORD
from tests.support.web import sign_in

pytestmark = pytest.mark.browser

NURSE = "nurse@demo.test"
SIGNED_OUT_PAGE = re.compile(r".*/login\?signed_out=yes&device=[A-Za-z0-9_-]{32}")


def hold_the_account(app, email: str) -> None:
    """Someone on another computer guesses until the account waits."""
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "10.6.6.6"
    for _ in range(5):
        assert sign_in(guesser, email, "Winter2026!").status_code == 422
    assert sign_in(guesser, email, DEMO_PASSWORD).status_code == 429


def nonce(app, cookie: str) -> str | None:
    """What the cookie holds for the nurse's account: the same nonce means the same exemption."""
    with app.app_context():
        return limits.device_nonce(cookie, NURSE)


def sign_out(page) -> str:
    """Clicks Sign out and waits for the sign-in page; returns the address the sign-out led to."""
    with page.expect_response(lambda response: response.url.endswith("/logout")) as answer:
        page.get_by_role("button", name="Sign out").click()
    assert answer.value.all_headers()["clear-site-data"] == '"cookies", "storage"'
    expect(page).to_have_url(SIGNED_OUT_PAGE)
    return page.url


def test_signing_out_keeps_the_device_cookie_and_drops_the_session(page, live_server, live_app, sign_in_as):
    sign_in_as(NURSE)
    expect(page).to_have_url(live_server + "/nominations")
    before = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert before["device"]["httpOnly"] and before["device"]["sameSite"] == "Lax"
    page.evaluate("localStorage.setItem('draft', 'Pain score charted twice')")

    sign_out(page)

    assert page.evaluate("localStorage.length") == 0
    after = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert after["device"]["httpOnly"] and after["device"]["sameSite"] == "Lax"
    assert nonce(live_app, after["device"]["value"]) == nonce(live_app, before["device"]["value"]) is not None
    assert after.get("session", {}).get("value") != before["session"]["value"]
    page.goto(live_server + "/nominations")
    expect(page).to_have_url(live_server + "/login?next=%2Fnominations")


def test_a_known_browser_signs_in_while_the_account_waits_for_everyone_else(page, live_server, live_app,
                                                                            sign_in_as):
    sign_in_as(NURSE)
    expect(page).to_have_url(live_server + "/nominations")
    sign_out(page)
    hold_the_account(live_app, NURSE)

    sign_in_as(NURSE)
    expect(page).to_have_url(live_server + "/nominations")

    page.context.clear_cookies()  # the same person on a browser the account has not seen
    sign_in_as(NURSE)
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins for this account. Try again in 15")


def test_the_sign_in_page_hands_the_device_cookie_back_only_once(page, browser, live_server, sign_in_as):
    sign_in_as(NURSE)
    expect(page).to_have_url(live_server + "/nominations")
    signed_out_page = sign_out(page)
    assert "device" in {cookie["name"] for cookie in page.context.cookies()}

    elsewhere = browser.new_context()  # whoever finds the address in a log or the history, later
    try:
        replayed = elsewhere.new_page()
        replayed.goto(signed_out_page)
        expect(replayed.get_by_text("You are signed out.")).to_have_count(1)
        assert "device" not in {cookie["name"] for cookie in elsewhere.cookies()}
    finally:
        elsewhere.close()
