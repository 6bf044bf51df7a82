"""Learning from the field in Chromium, as nurse@demo.test: the burden cards other health systems shared (the demo
imports six) are searched and filtered on /commons, one is nominated here from its page, and a card matching what
is typed is offered on the nomination form."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.pages import violations

pytestmark = pytest.mark.browser


def test_a_card_found_on_commons_becomes_a_nomination_here_linked_to_it(page, live_server, sign_in_as, screen):
    sign_in_as("nurse@demo.test")
    page.get_by_role("link", name="Elsewhere").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retired elsewhere")
    page.wait_for_load_state()  # htmx (deferred) listens to the filters once the page has loaded
    cards = page.locator("#card-list li")
    expect(cards).to_have_count(6)
    page.get_by_label("How it was resolved").select_option("removed")
    expect(cards).to_have_count(3)
    page.get_by_label("Search the cards").fill("wound")
    expect(cards).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/commons\?q=wound&outcome=removed$"))  # a search one can bookmark
    expect(page.locator("#card-summary")).to_have_text("Cards 1–1, the latest retired first. Every card")  # said once
    assert violations(page) == []
    page.get_by_role("link", name="Wound photos printed and signed for the chart").click()
    expect(page.get_by_text("Photos are taken in the EHR's media app")).to_be_visible()
    expect(page.get_by_text("Riverbend Health (demo)", exact=False)).to_be_visible()
    assert violations(page) == []

    page.get_by_role("button", name="Nominate it here").click()
    expect(page.get_by_label("Title")).to_have_value("Wound photos printed and signed for the chart")
    expect(page.get_by_label("Who does it")).to_have_value("nurse")
    expect(page.get_by_label("Department")).to_have_value("")  # the nominator's own to choose
    expect(page.get_by_label("Minutes each time")).to_have_value("")
    page.get_by_role("button", name="Send nomination").click()
    expect(page.locator("#department-error")).to_have_text("Is required")
    expect(page.get_by_text("Begun from")).to_be_visible()  # the card is kept through a refused try
    page.get_by_label("Department").select_option("Surgery")
    page.get_by_label("Minutes each time").fill("3")
    page.get_by_label("Times a week", exact=True).fill("10")
    page.get_by_label("People who do it").fill("60")
    page.get_by_role("button", name="Send nomination").click()
    expect(page).to_have_url(re.compile(r"/nominations/\d+$"))
    assert "Riverbend" not in page.locator("main").inner_text()  # nothing of the other system comes with it
    page.get_by_role("link", name="Wound photos printed and signed for the chart").click()
    expect(page.get_by_role("heading", name="Nominated here from this card")).to_be_visible()
    expect(page.locator("main li").filter(has_text="proposed")).to_have_count(1)


def test_a_card_matching_what_is_typed_is_offered_and_begins_the_form_again(page, live_server, sign_in_as):
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/nominations/new")
    page.get_by_label("Title").press_sequentially("Tobacco alert fires at every visit", delay=5)
    offered = page.locator(".cards-offered")
    expect(offered).to_contain_text("Retired at another health system")
    expect(offered).to_contain_text("The alert fires once a year per patient")
    offered.get_by_role("link", name="Nominate it from this card instead").first.click()
    expect(page.get_by_label("Title")).to_have_value("Tobacco-use alert at every clinic visit")
    expect(page.get_by_label("Who does it")).to_have_value("physician")
    page.get_by_label("Title").press_sequentially(" in clinic", delay=5)  # the card it began from is not offered
    expect(page.locator("#similar .similar").first).to_be_visible()
    expect(page.locator(".cards-offered")).not_to_contain_text("Tobacco-use alert at every clinic visit")
