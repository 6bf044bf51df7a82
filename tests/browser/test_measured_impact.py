"""Measured impact in Chromium, on a phone's screen and a desktop's, with the demo's EHR metrics: a board member
names the metric while evaluating; the ICU's retirement shows its effect, chart and numbers; Wins marks it; the
dashboard shows the share measured and each department's work outside of work."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import State
from burden_tracker.models import Nomination
from burden_tracker.queries.measured_impact import affected_department_ids
from tests.support.pages import SCREENSHOTS

pytestmark = pytest.mark.browser
ICU_FLOWSHEETS = "Intensive Care Unit: full fall-risk score recomputed every shift for stable patients"


def fits(page, width: int) -> None:
    wide = page.evaluate("[...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > "
                         f"{width} + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide


def test_a_measured_retirement_shows_on_its_page_on_wins_and_on_the_dashboard(page, live_server, live_db, sign_in_as,
                                                                              screen):
    name, width = screen
    nomination_id = live_db.scalar(select(Nomination.id).where(Nomination.title == ICU_FLOWSHEETS))
    live_db.rollback()
    sign_in_as("executive@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    measured = page.locator("#measured")
    expect(measured.get_by_role("heading", name="Measured in the EHR")).to_be_visible()
    expect(measured).to_contain_text(re.compile(r"Flowsheet time fell by 1\d\.\d\d minutes per shift"))
    expect(measured).to_contain_text(re.compile(r"About [\d,]+ clinician-hours a year given back, measured"))
    expect(measured.get_by_role("img", name="Flowsheet time by month in the affected departments and the "
                                             "comparison")).to_be_visible()
    measured.get_by_text("The numbers").click()
    expect(measured.get_by_role("rowheader", name=re.compile(r"\d{4}-\d\d \(retired\)"))).to_be_visible()
    fits(page, width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    measured.screenshot(path=str(SCREENSHOTS / f"measured-{name}.png"))

    page.get_by_role("link", name="Wins").click()
    win = page.locator("article.win", has_text=ICU_FLOWSHEETS)
    shown = 1
    while not win.count() and page.get_by_role("link", name="Older").count():
        page.get_by_role("link", name="Older").click()
        shown += 1
        expect(page.locator("#win-list nav")).to_contain_text(f"Page {shown}")  # the list swapped in place
    expect(win.locator(".measured-mark")).to_contain_text(re.compile(r"Measured: Flowsheet time fell by 1\d\.\d\d "
                                                                     r"minutes per shift, about [\d,]+ hours a year"))
    fits(page, width)

    page.get_by_role("link", name="Dashboard").click()
    section = page.locator(".measured-in-ehr")
    expect(section).to_contain_text(re.compile(r"4 retirements by .*\s+are measured in hours: \d+%"))
    expect(section.get_by_role("img", name="Work outside of work in Intensive Care Unit by month")).to_be_visible()
    expect(section.locator("figure", has_text="Pharmacy")).to_contain_text("it counts fewer than 5 clinicians")
    fits(page, width)
    section.screenshot(path=str(SCREENSHOTS / f"dashboard-measured-{name}.png"))


def test_a_board_member_names_the_metric_and_departments_while_evaluating(page, live_server, live_db, sign_in_as):
    nomination_id = live_db.scalar(select(Nomination.id).where(Nomination.state == State.PROPOSED)
                                   .order_by(Nomination.id))
    live_db.rollback()
    sign_in_as("board@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    panel = page.locator("#board-panel")
    panel.get_by_label("Evaluation note (the submitter sees it)").fill("Timed on two units.")
    panel.get_by_label("EHR metric it should move").select_option("Flowsheet time")
    panel.get_by_label("Departments it affects").select_option(["Surgery", "Intensive Care Unit"])
    panel.get_by_role("button", name="Evaluate", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Evaluated.")
    expect(page.locator("dl.facts")).to_contain_text("EHR metric it should moveFlowsheet time")
    nomination = live_db.get(Nomination, nomination_id)
    assert nomination.measured_metric == "Flowsheet time"
    assert len(affected_department_ids(session=live_db, nomination=nomination)) == 2
    live_db.rollback()
