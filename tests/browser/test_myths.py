"""The regulatory-myth library in Chromium: an admin writes an entry and publishes it, and a nurse typing a nomination
is offered it and opens it."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.pages import violations

pytestmark = pytest.mark.browser


def test_an_entry_written_and_published_is_offered_while_a_nomination_is_typed(page, live_server, sign_in_as,
                                                                              sign_in_elsewhere, screen):
    sign_in_as("admin@demo.test")
    page.goto(live_server + "/admin/myths/new")
    page.get_by_label("What people believe is required").fill("Every wound photo must be printed and signed.")
    page.get_by_label("What the rule actually says").fill(
        "No rule asks for a printed copy; the photo in the record, with who took it and when, is the record.")
    page.get_by_label("Citation").fill("Hospital records policy 12.4")
    page.get_by_label("Address of the source").fill("not a web address")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#source_url-error")).to_have_text("Must be a web address starting https:// (or http://)")
    expect(page.get_by_label("Citation")).to_have_value("Hospital records policy 12.4")  # what was typed stays
    page.get_by_label("Address of the source").fill("https://policies.hospital.test/records/12-4")
    page.get_by_label("More words a nomination about it might use").fill("wound photo print signature")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published")
    assert violations(page) == []

    nurse = sign_in_elsewhere("nurse@demo.test")
    nurse.goto(live_server + "/nominations/new")
    nurse.get_by_label("Title").fill("Printing every wound photo")
    nurse.get_by_label("What is done today").press_sequentially("We print each photo and sign it", delay=5)
    offered = nurse.get_by_role("link", name="Every wound photo must be printed and signed.")
    expect(offered).to_be_visible()
    offered.click()
    expect(nurse).to_have_url(re.compile(r"/myths/\d+$"))
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("Every wound photo must be printed and signed.")
