"""Passwords in Chromium: "Forgot your password?" from the sign-in page, the emailed link (through a real SMTP
server), a refused easy password and a good one; then changing it from the Account pages."""

import re
import time

import pytest
from playwright.sync_api import expect

from burden_tracker.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
NEW = "ward seven pager beeps"


def test_a_forgotten_password_is_chosen_again(page, live_app, live_server, inbox, screen):
    live_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@hospital.test",
                           BASE_URL=live_server + "/")
    page.goto(live_server + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("board@demo.test")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_text("If an account here uses that email")).to_be_visible()
    link = _emailed_link(inbox, "board@demo.test")
    page.goto(link)
    page.get_by_label("New password").fill("password")
    page.get_by_label("The same password again").fill("password")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.locator("#password-error")).to_contain_text("top-10 common password")
    page.get_by_label("New password").fill(NEW)
    page.get_by_label("The same password again").fill(NEW)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("Your new password is set")).to_be_visible()
    page.get_by_label("Email").fill("board@demo.test")
    page.get_by_label("Password").fill(NEW)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _emailed_link(inbox, to: str) -> str:
    """The link in the email, once it has arrived: it is sent after the answer."""
    for _ in range(100):
        if inbox.to(to):
            return re.search(r"http://\S+/login/reset/\S+", inbox.to(to)[0].get_content())[0]
        time.sleep(0.1)
    raise AssertionError(f"no email to {to}")


def test_a_person_changes_their_password(page, live_server, sign_in_as):
    sign_in_as("admin@demo.test")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Password").click()
    page.get_by_label("Your current password").fill("not it")
    page.get_by_label("New password").fill(NEW)
    page.get_by_label("The same password again").fill(NEW)
    page.get_by_role("button", name="Change the password").click()
    expect(page.locator("#current-error")).to_have_text("Is not your current password")
    page.get_by_label("Your current password").fill(DEMO_PASSWORD)
    page.get_by_label("New password").fill(NEW)
    page.get_by_label("The same password again").fill(NEW)
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()
