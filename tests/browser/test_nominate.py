"""Nominating in Chromium: a mistake told beside its field, the estimate while typing, "me too" for a duplicate."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def open_form(page, live_server, sign_in_as):
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/nominations/new")
    return page


def fill_numbers(page, minutes: str, per_week: str, people: str):
    page.get_by_label("Minutes each time").fill(minutes)
    page.get_by_label("Times a week", exact=True).fill(per_week)
    page.get_by_label("People who do it").fill(people)


def test_a_mistake_is_told_beside_its_field_and_the_fixed_nomination_is_stored(page, live_server, sign_in_as,
                                                                               screenshot):
    open_form(page, live_server, sign_in_as)
    title = "Discharge checklist printed and signed twice"
    page.get_by_label("Title").fill(title)
    page.get_by_label("What is done today").fill("Nurses print the checklist, sign it, then sign it again in the EHR.")
    page.get_by_label("Category").select_option("documentation")
    page.get_by_label("Department").select_option("Surgery")
    page.get_by_label("Who does it").select_option("nurse")
    fill_numbers(page, "500", "10", "40")
    page.get_by_role("button", name="Send nomination").click()

    minutes = page.get_by_label("Minutes each time")
    expect(page.locator("#minutes_per_occurrence-error")).to_have_text("Must be at most 480")
    expect(minutes).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title")).to_have_value(title)
    minutes.scroll_into_view_if_needed()
    screenshot("nominate-mistake")

    minutes.fill("5")
    page.get_by_role("button", name="Send nomination").click()
    expect(page).to_have_url(re.compile(r"/nominations/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_the_estimate_preview_follows_the_numbers_as_they_are_typed(page, live_server, sign_in_as):
    open_form(page, live_server, sign_in_as)
    preview = page.locator("#estimate-preview")
    expect(preview).to_have_attribute("aria-live", "polite")
    expect(preview).to_contain_text("Fill in “Minutes each time”, “Times a week” and “People who do it”")

    page.get_by_label("Minutes each time").fill("0.4")
    expect(preview).to_contain_text("Fill in “Times a week” and “People who do it”")
    fill_numbers(page, "0.4", "36", "900")
    expect(preview).to_contain_text("About 9,900 clinician-hours a year, 4.8 FTE.")
    page.get_by_label("People who do it").fill("9000")
    expect(preview).to_contain_text("About 99,000 clinician-hours a year, 47.8 FTE.")
    page.get_by_label("Minutes each time").fill("100")
    expect(preview).to_contain_text("more than 40 hours a week for one person")


def test_a_title_like_an_open_nomination_offers_it_and_me_too_supports_it(page, live_server, sign_in_as):
    open_form(page, live_server, sign_in_as)
    page.get_by_label("Title").press_sequentially("sepsis screening alert", delay=20)
    offered = page.locator("#similar li").filter(has_text="Labor and Delivery: sepsis screening alert fires")
    expect(offered).to_be_visible()
    expect(page.locator("#similar")).to_have_attribute("aria-live", "polite")

    offered.get_by_label("Times a week for you").fill("4")
    offered.get_by_role("button", name="Me too").click()
    expect(offered).to_contain_text("You support this")
    expect(offered.get_by_role("button", name="Me too")).to_have_count(0)

    offered.get_by_role("link").click()
    expect(page.get_by_text("You support this nomination.")).to_be_visible()


def test_the_form_fits_a_phone_and_a_desktop_without_sideways_scrolling(page, live_server, sign_in_as, screenshot,
                                                                        screen):
    name, width = screen
    open_form(page, live_server, sign_in_as)
    screenshot(f"nominate-{name}")
    page.get_by_label("Title").fill("Fall risk score every shift")
    fill_numbers(page, "0.4", "36", "900")
    expect(page.locator("#similar li").first).to_be_visible()
    expect(page.locator("#estimate-preview")).to_contain_text("About 9,900")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    send = page.get_by_role("button", name="Send nomination")
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    page.get_by_label("Title").scroll_into_view_if_needed()
    screenshot(f"nominate-{name}-typed")


def test_the_new_nomination_shows_its_submission_and_plain_numbers(page, live_server, sign_in_as, screenshot, screen):
    name, width = screen
    open_form(page, live_server, sign_in_as)
    page.get_by_label("Title").fill("Wound photo uploaded twice")
    page.get_by_label("What is done today").fill("Nurses upload the wound photo to the EHR and again to the portal.")
    page.get_by_label("Category").select_option("documentation")
    page.get_by_label("Department").select_option("Surgery")
    page.get_by_label("Who does it").select_option("nurse")
    fill_numbers(page, "3", "15", "40")
    page.get_by_role("button", name="Send nomination").click()
    expect(page).to_have_url(re.compile(r"/nominations/\d+$"))
    expect(page.locator("#estimate")).to_contain_text("3 minutes × 15 times a week × 40 people ÷ 60 = 30 hours a week; "
                                                      "× 46 working weeks = 1,380 hours a year.")
    history = page.locator("#timeline li")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Priya Nair, RN: Submitted.")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#estimate").scroll_into_view_if_needed()
    screenshot(f"new-nomination-estimate-{name}")
    page.locator("#timeline").scroll_into_view_if_needed()
    screenshot(f"new-nomination-history-{name}")


def test_similar_nominations_match_whole_words_not_parts_of_them(page, live_server, sign_in_as, screenshot, screen):
    name, _width = screen
    open_form(page, live_server, sign_in_as)
    page.get_by_label("Title").press_sequentially("attestation", delay=20)
    expect(page.locator("#similar li").filter(has_text="teaching-physician attestation").first).to_be_visible()
    page.get_by_label("Title").fill("")
    page.get_by_label("Title").press_sequentially("Glucose test", delay=20)
    expect(page.locator("#similar li").filter(has_text="Glucose")).to_have_count(0)
    page.wait_for_load_state("networkidle")  # the last suggestion request has answered
    expect(page.locator("#similar")).not_to_contain_text("attestation")  # "test" is no part of "attestation"
    screenshot(f"nominate-similar-whole-words-{name}")
