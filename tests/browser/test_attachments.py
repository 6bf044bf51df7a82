"""A screenshot on a nomination, as people meet it: the warning before upload, a file refused beside the field,
a file seen by its uploader and the board until a board member releases it, then by everyone."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.db import open_session
from burden_tracker.enums import State
from burden_tracker.models import Nomination, User
from tests.support.files import pdf_bytes, png_bytes
from tests.support.pages import SCREENSHOTS, signed_in, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def open_nomination(live_app) -> int:
    """A proposed nomination that nurse@demo.test did not submit."""
    with open_session(live_app.extensions["db_engine"]) as session:
        nurse = session.scalars(select(User).where(User.email == "nurse@demo.test")).one()
        return session.scalars(select(Nomination.id).where(
            Nomination.state == State.PROPOSED, Nomination.submitter_id != nurse.id).order_by(Nomination.id)).first()


def _choose(page, name: str, data: bytes, media_type: str) -> None:
    page.get_by_label("Add a screenshot or PDF").set_input_files(
        {"name": name, "mimeType": media_type, "buffer": data})
    page.get_by_role("button", name="Add the file").click()


def test_a_screenshot_waits_for_the_board_and_is_then_seen_by_everyone(page, browser, live_server, screen,
                                                                      screenshot, open_nomination):
    name, width = screen
    address = f"{live_server}/nominations/{open_nomination}"
    signed_in(page, live_server, "nurse@demo.test").goto(address)
    page.wait_for_load_state()  # the deferred htmx has started: the form is sent in place
    files = page.locator("#attachments")
    expect(files.get_by_text("Never include patient details.")).to_be_visible()

    _choose(page, "order screen.png", pdf_bytes(), "image/png")
    expect(files.get_by_role("alert")).to_have_text(
        "order screen.png is a PDF, but its name says a PNG image. Rename it, or choose another file.")
    expect(page.get_by_label("Add a screenshot or PDF")).to_have_attribute("aria-invalid", "true")
    expect(files.locator("li.attachment")).to_have_count(0)
    screenshot(f"attachment-refused-{name}")

    _choose(page, "whole screen.png", b"\x89PNG\r\n\x1a\n" + bytes(11 * 1024 * 1024), "image/png")
    expect(files.locator("[data-upload-problem]")).to_have_text(
        "whole screen.png is larger than 10 MB. Crop the screenshot, or save the PDF with fewer pages.")
    expect(files.locator("li.attachment")).to_have_count(0)  # not even sent

    _choose(page, "order screen.png", png_bytes(640, 360, colour=(30, 90, 160)), "image/png")
    expect(page.get_by_text("Your file is added.")).to_be_visible()
    added = files.locator("li.attachment")
    expect(added).to_contain_text("order screen.png")
    expect(added).to_contain_text("Not released yet: only you and the board can see it.")
    page.wait_for_function("image => image.complete", arg=added.locator("img").element_handle())  # loaded, or refused
    assert added.locator("img").evaluate("image => image.naturalWidth") == 640
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    screenshot(f"attachment-waiting-{name}")

    colleague = signed_in(browser.new_page(), live_server, "staff@demo.test")
    colleague.goto(address)
    expect(colleague.locator("#attachments li.attachment")).to_have_count(0)

    chair = signed_in(browser.new_page(), live_server, "board@demo.test")
    chair.set_viewport_size(page.viewport_size)
    chair.goto(address)
    chair.wait_for_load_state()
    chair.get_by_role("button", name="Release to everyone: it shows no patient").click()
    expect(chair.get_by_text("The file is released")).to_be_visible()  # in place, or after the page reloads

    colleague.reload()
    shown = colleague.locator("#attachments li.attachment")
    expect(shown).to_contain_text("order screen.png")
    expect(shown).not_to_contain_text("Not released yet")
    colleague.set_viewport_size(page.viewport_size)
    colleague.locator("#attachments").scroll_into_view_if_needed()
    colleague.screenshot(path=str(SCREENSHOTS / f"attachment-released-{name}.png"))


def test_without_script_a_pdf_is_added_and_removed_by_its_uploader(sign_in_without_javascript, live_server,
                                                                   open_nomination):
    page = sign_in_without_javascript("nurse@demo.test")
    page.goto(f"{live_server}/nominations/{open_nomination}")
    _choose(page, "Discharge form.pdf", pdf_bytes(), "application/pdf")
    expect(page.get_by_text("Your file is added.")).to_be_visible()
    files = page.locator("#attachments")
    expect(files.get_by_role("link", name="Discharge form.pdf")).to_have_attribute("download", "")

    files.get_by_text("Remove", exact=True).click()
    files.get_by_role("button", name="Yes, remove Discharge form.pdf").click()
    expect(page.get_by_text("The file is removed.")).to_be_visible()
    expect(page.locator("#attachments li.attachment")).to_have_count(0)
    expect(page.locator("#timeline")).to_contain_text("Removed a file.")
