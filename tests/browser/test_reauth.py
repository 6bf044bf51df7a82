"""Asked again in Chromium: an admin whose sign-in is more than ten minutes old changes someone's roles, confirms
their password first, and is brought back to the same page to send the change again."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from burden_tracker.db import open_session
from burden_tracker.models import UserSession, utc_now
from burden_tracker.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_an_admin_confirms_it_is_them_before_changing_roles(page, live_app, live_server, sign_in_as, screen):
    sign_in_as("admin@demo.test")
    with open_session(live_app.extensions["db_engine"]) as session:  # as if signed in eleven minutes ago
        session.execute(update(UserSession).values(proved_at=utc_now() - timedelta(minutes=11)))
        session.commit()
    page.goto(live_server + "/admin/users?q=board%40demo.test")
    page.get_by_role("link", name="board@demo.test").first.click()
    page.get_by_label("Executive").check()
    page.get_by_role("button", name="Save roles").click()

    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(page.get_by_text("it was not done")).to_be_visible()
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    page.get_by_label("Executive").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Roles saved.")).to_be_visible()
    expect(page.get_by_label("Executive")).to_be_checked()
