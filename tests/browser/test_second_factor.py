"""The demo admin's first sign-in in Chromium, as `make run` serves it: the password, then enrolling a phone from
the key shown as text beside the QR code, the recovery codes once, and the code asked at the next sign-in."""

from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from burden_tracker.models import utc_now
from burden_tracker.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def password_step(page, live_server: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("admin@demo.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_demo_admin_enrols_at_first_sign_in_and_is_asked_for_a_code_after(page, live_app, live_server, screen):
    live_app.config["SECOND_FACTOR_FOR_ADMINS"] = True  # as `make run` serves it
    password_step(page, live_server)
    expect(page.get_by_role("heading", name="Add a second factor")).to_be_visible()
    expect(page.get_by_role("img", name="A QR code that adds Burden Tracker to an authenticator app")).to_be_visible()
    secret = page.locator("#second-factor-key").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("button", name="I have kept them: continue").click()
    expect(page.get_by_role("link", name="Admin")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    password_step(page, live_server)
    expect(page.get_by_role("heading", name="Your code")).to_be_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-error")).to_contain_text("That code did not work")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(utc_now() + timedelta(seconds=30)))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Admin")).to_be_visible()
