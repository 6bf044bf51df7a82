"""Browse and search in Chromium: the list changes in place, the address keeps the filters, history works."""

import csv
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.support.pages import expect_every, expect_summary_kept, mark_the_document, still_the_same_document

pytestmark = pytest.mark.browser


def rows(page):
    return page.locator("#nomination-list tbody tr")


def test_filters_change_the_list_in_place_and_the_address_keeps_them(page, live_server, sign_in_as):
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/nominations")
    mark_the_document(page, "nomination-summary")
    page.get_by_label("State").select_option("retired")
    expect(page).to_have_url(re.compile(r"/nominations\?state=retired$"))
    expect_every(rows(page).locator('td[data-label="State"]'), "retired")
    page.get_by_label("Department").select_option(label="Pharmacy")
    expect(page).to_have_url(re.compile(r"/nominations\?state=retired&department=\d+$"))
    expect(rows(page)).to_have_count(2)
    expect_every(rows(page).locator('td[data-label="Department"]'), "Pharmacy")
    expect_summary_kept(page, "Nominations 1–2, newest first.")


def test_typing_a_search_narrows_the_list_in_place(page, live_server, sign_in_as, screenshot, screen):
    name, _width = screen
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/nominations")
    mark_the_document(page, "nomination-summary")
    page.get_by_label("Search titles and descriptions").press_sequentially("Sepsis", delay=30)
    expect(page).to_have_url(re.compile(r"\?q=Sepsis$"))
    expect(rows(page)).to_have_count(6)
    page.get_by_label("Search titles and descriptions").fill("no such burden anywhere")
    expect(page.locator("#nomination-summary")).to_have_text("No nominations match.")
    expect(page.locator("#nomination-list")).not_to_contain_text("No nominations match.")
    expect(page.locator("#nomination-list")).to_contain_text("Try other words or fewer filters")
    screenshot(f"search-no-match-{name}")
    assert still_the_same_document(page)


def test_back_and_forward_restore_the_earlier_filters(page, live_server, sign_in_as):
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/nominations")
    state = page.get_by_label("State")
    state.select_option("retired")
    expect(page).to_have_url(re.compile(r"state=retired"))
    page.get_by_label("Sort").select_option("hours")
    expect(page).to_have_url(re.compile(r"state=retired&sort=hours"))
    state.select_option("rejected")
    expect(page).to_have_url(re.compile(r"state=rejected&sort=hours"))

    page.go_back()
    expect(page).to_have_url(re.compile(r"state=retired&sort=hours$"))
    expect(page.get_by_label("State")).to_have_value("retired")
    expect(page.get_by_label("Sort")).to_have_value("hours")
    expect_every(rows(page).locator('td[data-label="State"]'), "retired")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?state=retired$"))
    expect(page.get_by_label("Sort")).to_have_value("newest")

    page.go_forward()
    expect(page.get_by_label("Sort")).to_have_value("hours")  # one step at a time, as a person clicks
    page.go_forward()
    expect(page).to_have_url(re.compile(r"state=rejected&sort=hours$"))
    expect(page.get_by_label("State")).to_have_value("rejected")
    expect_every(rows(page).locator('td[data-label="State"]'), "rejected")


def test_a_bookmarked_address_opens_the_filtered_list(page, live_server, sign_in_as):
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/nominations?state=evaluated&sort=supporters")
    expect(page.get_by_label("State")).to_have_value("evaluated")
    expect(page.get_by_label("Sort")).to_have_value("supporters")
    expect(rows(page)).to_have_count(20)
    supporters = [int(text) for text in rows(page).locator('td[data-label="Supporters"]').all_inner_texts()]
    assert supporters == sorted(supporters, reverse=True)


def test_paging_keeps_the_filters(page, live_server, sign_in_as):
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/nominations?state=retired&sort=hours")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?state=retired&sort=hours&page=2$"))
    expect(page.get_by_role("status")).to_contain_text("Nominations 51–84, most hours first.")
    expect_every(rows(page).locator('td[data-label="State"]'), "retired")


def test_the_filters_work_without_javascript(sign_in_without_javascript, live_server):
    page = sign_in_without_javascript("staff@demo.test")
    page.goto(live_server + "/nominations")
    page.get_by_label("State").select_option("rejected")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"state=rejected"))
    expect(rows(page)).to_have_count(36)


def test_the_filtered_list_reads_well_at_phone_and_desktop_width(page, live_server, sign_in_as, screenshot, screen):
    name, width = screen
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/nominations")
    page.get_by_label("State").select_option("retired")
    expect(page).to_have_url(re.compile(r"state=retired"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"browse-{name}")
    page.locator("#nomination-list").scroll_into_view_if_needed()
    screenshot(f"browse-{name}-list")


def test_each_state_has_its_own_colour_beside_its_name_and_the_focus_ring_shows(
        page, live_server, sign_in_as, screenshot, screen):
    name, _width = screen
    sign_in_as("staff@demo.test")
    colours = {}
    for state in ("proposed", "evaluated", "retired", "rejected", "duplicate", "withdrawn"):
        page.goto(f"{live_server}/nominations?state={state}")
        badge = rows(page).first.locator(".state")
        expect(badge).to_have_text(state)
        colours[state] = badge.evaluate("b => getComputedStyle(b).backgroundColor")
    assert len(set(colours.values())) == 6, colours
    page.goto(live_server + "/nominations")
    page.keyboard.press("Tab")  # the skip link first, then the header's links
    page.keyboard.press("Tab")
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] == "solid" and ring[1] >= 3
    screenshot(f"states-and-focus-{name}")


def test_the_filtered_list_downloads_as_csv_and_as_a_workbook(page, live_server, sign_in_as, screenshot, screen,
                                                              tmp_path):
    name, _width = screen
    sign_in_as("staff@demo.test")
    page.goto(live_server + "/nominations")
    page.get_by_label("State").select_option("retired")
    expect(page).to_have_url(re.compile(r"/nominations\?state=retired$"))
    titles = rows(page).locator("td.title").all_inner_texts()
    page.locator(".downloads").scroll_into_view_if_needed()
    screenshot(f"list-downloads-{name}")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV file").click()
    saved = tmp_path / csv_download.value.suggested_filename
    csv_download.value.save_as(saved)
    assert re.fullmatch(r"nominations-\d{4}-\d\d-\d\d\.csv", saved.name)
    lines = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert {line[4] for line in lines[1:]} == {"retired"}
    assert [line[1] for line in lines[1:len(titles) + 1]] == titles, "the first page's rows, in its order"
    with page.expect_download() as workbook_download:
        page.get_by_role("link", name="Excel workbook").click()
    workbook = tmp_path / workbook_download.value.suggested_filename
    workbook_download.value.save_as(workbook)
    sheet = openpyxl.load_workbook(workbook)["Nominations"]
    assert sheet.max_row == len(lines) + 1, "the same rows, and a totals row"
