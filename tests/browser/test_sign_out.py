"""Signing out in Chromium: the server answers Clear-Site-Data, and the browser keeps nothing of the session: no
cookie of the site but the device cookie, handed back to it by the sign-in page, and no storage. An installation
that shares its domain with other signed-in sites clears storage only."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NURSE = "nurse@demo.test"
SIGNED_OUT_PAGE = re.compile(r".*/login\?signed_out=yes&device=[A-Za-z0-9_-]{32}")


def leave_traces(page) -> None:
    """What a script or an extension might keep of the session: a cookie the app never names, and storage."""
    page.evaluate("document.cookie = 'draft=Pain%20score%20charted%20twice; path=/; max-age=3600'")
    page.evaluate("localStorage.setItem('draft', 'Pain score charted twice')")


def sign_out(page) -> dict:
    """Clicks Sign out; returns the headers of the sign-out's own answer (the 303, before its redirect)."""
    with page.expect_response(lambda response: response.url.endswith("/logout")) as answer:
        page.get_by_role("button", name="Sign out").click()
    return answer.value.all_headers()


def cookies_of(page) -> dict[str, str]:
    return {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}


def sign_in_and_leave_traces(page, live_server, sign_in_as) -> dict[str, str]:
    """Signs the nurse in and leaves what a session leaves behind; returns the cookies as they were then."""
    sign_in_as(NURSE)
    expect(page).to_have_url(live_server + "/nominations")
    signed_in = cookies_of(page)
    leave_traces(page)
    return signed_in


def test_signing_out_leaves_no_cookie_or_storage_of_the_session_and_says_so(page, live_server, sign_in_as):
    signed_in = sign_in_and_leave_traces(page, live_server, sign_in_as)

    headers = sign_out(page)

    assert headers["clear-site-data"] == '"cookies", "storage"'
    expect(page).to_have_url(SIGNED_OUT_PAGE)
    expect(page.get_by_text("You are signed out.")).to_have_count(1)
    assert page.evaluate("localStorage.length") == 0
    # Chromium leaves the tab's own sessionStorage: htmx keeps no copy of a page there (historyCacheSize 0).
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    cookies = cookies_of(page)
    assert "draft" not in cookies, "Chromium cleared the site's cookies, not only the ones the app expires by name"
    assert cookies.get("session") != signed_in["session"], "only the new sign-in page's own cookie, if any"
    assert set(cookies) <= {"session", "device"}
    page.goto(live_server + "/nominations")
    expect(page).to_have_url(live_server + "/login?next=%2Fnominations")


def test_where_cookies_are_kept_signing_out_clears_storage_and_ends_the_session(page, live_server, live_app,
                                                                                 sign_in_as):
    live_app.config["SIGN_OUT_CLEARS_COOKIES"] = False
    signed_in = sign_in_and_leave_traces(page, live_server, sign_in_as)

    headers = sign_out(page)

    assert headers["clear-site-data"] == '"storage"'
    expect(page).to_have_url(live_server + "/login?signed_out=yes")
    expect(page.get_by_text("You are signed out.")).to_have_count(1)
    assert page.evaluate("localStorage.length") == 0
    cookies = cookies_of(page)
    assert cookies["draft"] == "Pain%20score%20charted%20twice"  # what another site of the domain would keep
    assert cookies["device"] == signed_in["device"]
    assert cookies.get("session") != signed_in["session"]
    page.goto(live_server + "/nominations")
    expect(page).to_have_url(live_server + "/login?next=%2Fnominations")
