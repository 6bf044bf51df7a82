"""/admin/jobs in Chromium as admin@demo.test, on a phone's screen and a desktop's: no worker is running in these
tests, which the page says, and a job that failed its last try is listed until the admin clears the list."""

import pytest
from playwright.sync_api import expect

from burden_tracker.db import open_session
from burden_tracker.services.failed_jobs import keep_failure

pytestmark = pytest.mark.browser


def test_an_admin_sees_a_failed_job_and_that_no_worker_runs_then_clears_the_list(page, live_app, live_server,
                                                                                   sign_in_as, screen, screenshot):
    with open_session(live_app.extensions["db_engine"]) as session:
        keep_failure(session=session, job="email_person", tries=6,
                     error="JobFailed: The mail server did not take 'Burden Tracker: set your password'.")
    sign_in_as("admin@demo.test")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Jobs").click()
    expect(page.get_by_role("heading", name="Jobs", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("No worker has said it runs in the last few minutes")
    row = page.get_by_role("row", name="Email one person")
    expect(row).to_contain_text("The mail server did not take 'Burden Tracker: set your password'.")
    expect(row).to_contain_text("6")
    screenshot(f"admin-jobs-{screen[0]}")
    page.get_by_role("button", name="Clear the list: they are dealt with").click()
    expect(page.get_by_text("Cleared 1 failed job from the list.")).to_be_visible()
    expect(page.get_by_text("No job has failed its last try.")).to_be_visible()
