"""One site's dashboard in Chromium, as executive@demo.test uses it in the demo's health system of two sites: the site
chosen in place (and without JavaScript), its own figures and workbook, and readable at phone and desktop width."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.models import Site
from burden_tracker.queries import reporting
from tests.support.pages import mark_the_document, still_the_same_document, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def riverbend(live_db):
    """The demo's second site: its id, and its figures and the whole system's for the quarter before this one."""
    quarter = reporting.current_quarter(session=live_db).previous()
    site_id = live_db.scalar(select(Site.id).where(Site.name == "Riverbend Clinics"))
    figures = {where: reporting.quarter_figures(session=live_db, quarter=quarter, site_id=where)
               for where in (None, site_id)}
    live_db.rollback()
    return quarter, site_id, figures


def tile(page, label: str):
    return page.locator(".tiles.counts > div").filter(has=page.get_by_text(label, exact=True)).locator("dd")


def test_an_executive_chooses_a_site_in_place_and_sees_its_own_figures_and_workbook(
        page, live_server, sign_in_as, riverbend):
    quarter, site_id, figures = riverbend
    sign_in_as("executive@demo.test")
    page.goto(f"{live_server}/dashboard?quarter={quarter}")
    page.wait_for_load_state()
    expect(tile(page, "Received")).to_have_text(f"{figures[None].received:,}")
    mark_the_document(page)

    page.get_by_label("Site", exact=True).focus()
    page.get_by_label("Site", exact=True).select_option(label="Riverbend Clinics")
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={quarter}&site={site_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard {quarter} Riverbend Clinics")
    expect(page).to_have_title(f"Dashboard {quarter} · Riverbend Clinics · Burden Tracker")
    expect(tile(page, "Received")).to_have_text(f"{figures[site_id].received:,}")
    expect(tile(page, "Retired (effective)")).to_have_text(f"{figures[site_id].retired:,}")
    expect(page.locator("#departments tbody th")).to_have_text(["Behavioral Health", "Primary Care"])
    expect(page.get_by_role("link", name="Download the workbook for Riverbend Clinics (.xlsx)")).to_have_attribute(
        "href", f"/reports/{quarter}.xlsx?site={site_id}")
    expect(page.get_by_label("Site", exact=True)).to_be_focused()  # the keyboard's place is kept
    assert still_the_same_document(page)

    page.get_by_role("link", name=f"Previous quarter, {quarter.previous()}").click()
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={quarter.previous()}&site={site_id}")
    page.get_by_label("Site", exact=True).select_option(label="Whole health system")
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={quarter.previous()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard {quarter.previous()}")


def test_the_site_is_chosen_without_javascript(sign_in_without_javascript, live_server, riverbend):
    quarter, site_id, figures = riverbend
    page = sign_in_without_javascript("executive@demo.test")
    page.goto(f"{live_server}/dashboard?quarter={quarter}")
    page.get_by_label("Site", exact=True).select_option(label="Riverbend Clinics")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server}/dashboard?quarter={quarter}&site={site_id}")
    expect(tile(page, "Received")).to_have_text(f"{figures[site_id].received:,}")


def test_a_sites_dashboard_reads_well_at_phone_and_desktop_width(page, live_server, sign_in_as, screenshot,
                                                                 riverbend, screen):
    name, width = screen
    quarter, site_id, _figures = riverbend
    sign_in_as("executive@demo.test")
    page.goto(f"{live_server}/dashboard?quarter={quarter}&site={site_id}")
    for summary in page.locator("#dashboard-body summary").all():
        summary.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(f"dashboard-site-{name}")
