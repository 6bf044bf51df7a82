"""/admin/metrics in Chromium as admin@demo.test, on a phone's screen and a desktop's: the metrics and their names,
a vendor's name added, and the template downloaded."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_admin_adds_a_vendors_name_and_downloads_the_template(page, live_server, sign_in_as, screen):
    sign_in_as("admin@demo.test")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="EHR metrics").click()
    expect(page.get_by_role("heading", name="EHR metrics")).to_be_visible()
    expect(page.get_by_role("rowheader", name="WOW8", exact=False)).to_be_visible()
    page.get_by_label("Name in the vendor's export").fill("After-hours time per 8h")
    page.get_by_label("Is the metric").select_option("WOW8")
    page.get_by_role("button", name="Add the name").click()
    expect(page.get_by_text("The import now reads 'After-hours time per 8h' as WOW8.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove the name After-hours time per 8h")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="this template").click()
    assert download.value.suggested_filename == "burden-tracker-metrics-template.xlsx"
