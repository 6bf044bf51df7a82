"""The dashboard in Chromium as executive@demo.test uses it: reached from the nav, the quarter changed in place
(with and without JavaScript), and readable by eye, keyboard and screen reader at phone and desktop width."""

import pytest
from playwright.sync_api import expect

from burden_tracker.queries import reporting
from tests.support.pages import SCREENSHOTS, mark_the_document, still_the_same_document, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def quarters(live_db):
    """The current quarter and the one before it, as the app counts them; and the reports' figures for each."""
    current = reporting.current_quarter(session=live_db)
    previous = current.previous()
    figures = {quarter: reporting.quarter_figures(session=live_db, quarter=quarter) for quarter in (current, previous)}
    live_db.rollback()
    return current, previous, figures


def tile(page, label: str):
    return page.locator(".tiles.counts > div").filter(has=page.get_by_text(label, exact=True)).locator("dd")


def realized(page):
    return page.locator(".tiles.hours .realized strong")


def test_the_picker_changes_the_quarter_in_place_and_the_address_keeps_it(page, live_server, sign_in_as, quarters):
    current, previous, figures = quarters
    sign_in_as("executive@demo.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(live_server + "/dashboard")
    page.wait_for_load_state()  # the address changes before the deferred htmx has started on the page
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard {current}")
    expect(tile(page, "Received")).to_have_text(f"{figures[current].received:,}")
    mark_the_document(page)

    page.get_by_label("Quarter", exact=True).select_option(str(previous))
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={previous}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard {previous}")
    expect(page).to_have_title(f"Dashboard {previous} · Burden Tracker")
    expect(tile(page, "Received")).to_have_text(f"{figures[previous].received:,}")
    expect(tile(page, "Open at quarter end")).to_have_text(f"{figures[previous].open_at_end:,}")
    expect(realized(page)).to_have_text(f"{figures[previous].realized_hours:,.0f}")
    expect(page.get_by_role("link", name="Download the workbook (.xlsx)")).to_have_attribute(
        "href", f"/reports/{previous}.xlsx")
    assert still_the_same_document(page)

    page.get_by_role("link", name=f"Next quarter, {current}").click()
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={current}")
    expect(tile(page, "Received")).to_have_text(f"{figures[current].received:,}")
    expect(page.get_by_label("Quarter", exact=True)).to_have_value(str(current))
    assert still_the_same_document(page)

    page.go_back()
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={previous}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard {previous}")
    expect(page.get_by_label("Quarter", exact=True)).to_have_value(str(previous))


def test_the_keyboard_changes_the_quarter_and_keeps_its_place(page, live_server, sign_in_as, quarters):
    current, previous, _figures = quarters
    sign_in_as("executive@demo.test")
    page.goto(live_server + "/dashboard")
    page.get_by_label("Quarter", exact=True).focus()
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={previous}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard {previous}")
    expect(page.get_by_label("Quarter", exact=True)).to_be_focused()


def test_the_picker_works_without_javascript(sign_in_without_javascript, live_server, quarters):
    _current, previous, figures = quarters
    page = sign_in_without_javascript("executive@demo.test")
    page.goto(live_server + "/dashboard")
    page.get_by_label("Quarter", exact=True).select_option(str(previous))
    page.get_by_role("button", name="Show").click()
    # the site chosen (the whole health system: none) comes along, as a form sends every field
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={previous}&site=")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard {previous}")
    expect(tile(page, "Received")).to_have_text(f"{figures[previous].received:,}")


def test_a_chart_shows_its_numbers_in_a_table_on_request(page, live_server, sign_in_as, quarters):
    _current, previous, figures = quarters
    sign_in_as("executive@demo.test")
    page.goto(f"{live_server}/dashboard?quarter={previous}")
    chart = page.get_by_role("img", name=f"Hours realized per quarter, {previous.last(8)[0]} to {previous}", exact=True)
    expect(chart).to_be_visible()
    numbers = page.locator("figure").filter(has=chart).locator("details table")
    expect(numbers).to_be_hidden()
    page.locator("figure").filter(has=chart).get_by_text("Show the numbers").click()
    expect(numbers.locator("tbody tr")).to_have_count(8)
    last = numbers.locator("tbody tr").last
    expect(last.get_by_role("rowheader")).to_have_text(str(previous))
    expect(last.get_by_role("cell")).to_have_text(f"{figures[previous].realized_hours:,.0f}")


def test_the_dashboard_reads_well_at_phone_and_desktop_width(page, live_server, sign_in_as, screenshot, quarters,
                                                             screen):
    name, width = screen
    _current, previous, _figures = quarters
    sign_in_as("executive@demo.test")
    page.goto(f"{live_server}/dashboard?quarter={previous}")
    for summary in page.locator("#dashboard-body summary").all():
        summary.click()  # open every "Show the numbers" and folded table, so axe checks them too
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "only tables scroll sideways, in their box"
    assert violations(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(f"dashboard-{name}")
    for part in ("#history-heading", "#breakdown-heading", "#pipeline-heading"):
        page.evaluate(f"document.querySelector('{part}').scrollIntoView()")
        screenshot(f"dashboard-{name}-{part[1:].removesuffix('-heading')}")


def test_a_table_cut_off_by_a_phone_says_it_scrolls_sideways(page, live_server, sign_in_as, quarters, screen):
    name, width = screen
    _current, previous, _figures = quarters
    sign_in_as("executive@demo.test")
    page.goto(f"{live_server}/dashboard?quarter={previous}")
    for table in page.locator("#dashboard-body table").all():
        if not table.is_visible():
            continue
        box = table.locator("xpath=..")
        cut_off = table.evaluate("t => t.scrollWidth > t.parentElement.clientWidth + 1")
        hint = box.get_attribute("aria-describedby")
        if cut_off:
            assert hint, f"a table cut off at {width} px says nothing: {table.get_attribute('id')}"
            expect(page.locator(f"#{hint}")).to_be_visible()
            expect(page.locator(f"#{hint}")).to_contain_text("scroll the table sideways")
        elif hint:
            expect(page.locator(f"#{hint}")).to_be_hidden()
    page.locator("#breakdown-heading").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-scroll-hint-{name}.png"))
