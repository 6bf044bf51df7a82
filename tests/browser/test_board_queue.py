"""The triage queue in Chromium as board@demo.test uses it: filters, counts and sorts in place, history, overdue."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from burden_tracker.enums import State
from burden_tracker.models import Department, Nomination, User
from tests.support.pages import (
    expect_every,
    expect_summary_kept,
    mark_the_document,
    settled,
    still_the_same_document,
    violations,
)

pytestmark = pytest.mark.browser


def rows(page):
    return page.locator("#board-list tbody tr")


def cells(page, column: str):
    return rows(page).locator(f'td[data-label="{column}"]')


def days(page) -> list[int]:
    return [int(re.search(r"(\d+) days?", text)[1]) for text in cells(page, "Age").all_inner_texts()]


def test_filters_and_sorting_change_the_queue_in_place_and_the_address_keeps_them(page, live_server, sign_in_as):
    sign_in_as("board@demo.test")
    page.goto(live_server + "/board")
    expect(page.get_by_role("status")).to_contain_text("Nominations 1–50 of 66, most hours first.")
    hours = [int(text.replace(",", "")) for text in cells(page, "Hours a year").all_inner_texts()]
    assert hours == sorted(hours, reverse=True)
    mark_the_document(page, "queue-summary")

    page.get_by_label("Department", exact=True).select_option(label="Pharmacy")
    expect(page).to_have_url(re.compile(r"/board\?department=\d+$"))
    expect_every(cells(page, "Department"), "Pharmacy")
    open_count = page.get_by_role("navigation", name="Nominations by state").get_by_role("link").first
    expect(open_count).to_contain_text(re.compile(rf"Open {rows(page).count()}\b"))

    page.get_by_label("Sort").select_option("age")
    expect(page).to_have_url(re.compile(r"/board\?department=\d+&sort=age$"))
    expect_summary_kept(page, "oldest first.")
    assert days(page) == sorted(days(page), reverse=True)


def test_a_count_shows_its_state_and_sets_the_state_filter(page, live_server, sign_in_as):
    sign_in_as("board@demo.test")
    page.goto(live_server + "/board?sort=supporters")
    mark_the_document(page, "queue-summary")
    counts = page.get_by_role("navigation", name="Nominations by state")
    counts.get_by_role("link", name=re.compile(r"^Evaluated 20\b")).click()
    expect(page).to_have_url(re.compile(r"/board\?state=evaluated&sort=supporters$"))
    expect(page.get_by_label("State", exact=True)).to_have_value("evaluated")
    expect(rows(page)).to_have_count(20)
    expect_every(cells(page, "State"), "evaluated")
    expect(counts.locator("[aria-current=true]")).to_contain_text("Evaluated")
    assert still_the_same_document(page)


def test_the_owner_filter_finds_a_board_members_nominations(page, live_server, live_db, sign_in_as):
    owner_id = live_db.scalar(select(User.id).where(User.email == "board2@demo.test"))
    owned = live_db.scalars(select(Nomination.id).where(Nomination.state == State.PROPOSED)
                            .order_by(Nomination.id).limit(3)).all()
    live_db.execute(update(Nomination).where(Nomination.id.in_(owned)).values(owner_id=owner_id))
    live_db.commit()
    sign_in_as("board@demo.test")
    page.goto(live_server + "/board")
    page.get_by_label("Owner", exact=True).select_option(label="Linda Okoro, RN")
    expect(page).to_have_url(re.compile(rf"/board\?owner={owner_id}$"))
    expect(rows(page)).to_have_count(3)
    expect_every(cells(page, "Owner"), "Linda Okoro, RN")
    page.get_by_label("Owner", exact=True).select_option("none")
    expect(page).to_have_url(re.compile(r"/board\?owner=none$"))
    expect(page.get_by_role("status")).to_contain_text("Nominations 1–50 of 63,")


def test_back_and_forward_restore_the_earlier_queue(page, live_server, sign_in_as):
    sign_in_as("board@demo.test")
    page.goto(live_server + "/board")
    page.get_by_label("State", exact=True).select_option("retired")
    expect(page).to_have_url(re.compile(r"\?state=retired$"))
    page.get_by_label("Sort").select_option("age")
    expect(page).to_have_url(re.compile(r"\?state=retired&sort=age$"))
    page.get_by_label("State", exact=True).select_option("rejected")
    expect(page).to_have_url(re.compile(r"\?state=rejected&sort=age$"))

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?state=retired&sort=age$"))
    expect(page.get_by_label("State", exact=True)).to_have_value("retired")
    expect(page.get_by_label("Sort")).to_have_value("age")
    expect_every(cells(page, "State"), "retired")

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?state=retired$"))
    expect(page.get_by_label("Sort")).to_have_value("hours")
    expect(page.get_by_label("State", exact=True)).to_have_value("retired")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/board$"))
    expect(page.get_by_label("State", exact=True)).to_have_value("open")
    expect(page.get_by_label("Sort")).to_have_value("hours")

    for state, sort in (("retired", "hours"), ("retired", "age"), ("rejected", "age")):
        page.go_forward()  # each step brings the whole page back: wait for it before the next
        expect(page.get_by_label("State", exact=True)).to_have_value(state)
        expect(page.get_by_label("Sort")).to_have_value(sort)
    expect(page).to_have_url(re.compile(r"\?state=rejected&sort=age$"))
    expect(page.get_by_label("State", exact=True)).to_have_value("rejected")
    expect_every(cells(page, "State"), "rejected")


def test_overdue_rows_stand_out_in_words_not_colour_alone(page, live_server, sign_in_as):
    sign_in_as("board@demo.test")
    page.goto(live_server + "/board")
    overdue = page.locator("#board-list tbody tr.overdue")
    expect(overdue.first).to_be_visible()
    expect(overdue.first.locator(".overdue-flag")).to_have_text("Overdue")
    for age in overdue.locator('td[data-label="Age"]').all_text_contents():
        assert int(re.fullmatch(r"Overdue waiting (\d+) days", age)[1]) > 30
    for age in page.locator('#board-list tbody tr:not(.overdue) td[data-label="Age"]').all_text_contents():
        assert int(re.fullmatch(r"waiting (\d+) days?", age)[1]) <= 30
    page.get_by_label("Age", exact=True).select_option("overdue")
    expect(page).to_have_url(re.compile(r"\?age=overdue$"))
    expect(page.get_by_role("status")).to_contain_text("of 51,")
    expect(page.locator("#board-list tbody tr:not(.overdue)")).to_have_count(0)


def test_the_keyboard_changes_a_filter_and_keeps_its_place(page, live_server, sign_in_as):
    sign_in_as("board@demo.test")
    page.goto(live_server + "/board")
    page.get_by_label("Sort").focus()
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"\?sort=supporters$"))
    expect(page.get_by_role("status")).to_contain_text("most supporters first.")
    expect(page.get_by_label("Sort")).to_be_focused()
    settled(page)  # the answer swaps the filters too: a key pressed before that lands on the form being replaced
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"\?sort=age$"))
    expect(page.get_by_role("status")).to_contain_text("oldest first.")
    expect(page.get_by_label("Sort")).to_be_focused()


def test_the_filters_work_without_javascript(sign_in_without_javascript, live_server, live_db):
    pharmacy = live_db.scalar(select(Department.id).where(Department.name == "Pharmacy"))
    live_db.rollback()
    page = sign_in_without_javascript("board@demo.test")
    page.goto(live_server + "/board")
    page.get_by_label("Department", exact=True).select_option(str(pharmacy))
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"department={pharmacy}"))
    expect_every(cells(page, "Department"), "Pharmacy")


def test_the_queue_reads_well_at_phone_and_desktop_width(page, live_server, sign_in_as, screenshot, screen):
    name, width = screen
    sign_in_as("board@demo.test")
    page.goto(live_server + "/board")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    screenshot(f"board-queue-{name}")
    rows(page).first.scroll_into_view_if_needed()
    screenshot(f"board-queue-{name}-rows")


def test_assigned_to_me_is_one_click_from_the_queue(page, live_server, live_db, sign_in_as, screenshot, screen):
    name, width = screen
    owner_id = live_db.scalar(select(User.id).where(User.email == "board2@demo.test"))
    owned = live_db.scalars(select(Nomination.id).where(Nomination.state == State.PROPOSED)
                            .order_by(Nomination.id).limit(2)).all()
    live_db.execute(update(Nomination).where(Nomination.id.in_(owned)).values(owner_id=owner_id))
    live_db.commit()
    sign_in_as("board2@demo.test")
    page.goto(live_server + "/board")
    page.get_by_role("link", name="Assigned to me").click()
    expect(page).to_have_url(re.compile(rf"/board\?owner={owner_id}$"))
    expect(rows(page)).to_have_count(2)
    expect(page.get_by_role("link", name="Assigned to me")).to_have_attribute("aria-current", "page")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"board-assigned-to-me-{name}")


def test_the_board_schedules_ticked_nominations_and_reads_what_was_refused(page, live_server, sign_in_as,
                                                                          screenshot, screen):
    name, width = screen
    sign_in_as("board@demo.test")
    page.goto(live_server + "/board?state=all")
    proposed = rows(page).filter(has=page.locator('td[data-label="State"]', has_text="proposed")).first
    retired = rows(page).filter(has=page.locator('td[data-label="State"]', has_text="retired")).first
    proposed_title, retired_title = (row.locator("td.title").inner_text() for row in (proposed, retired))
    proposed.get_by_role("checkbox").check()
    retired.get_by_role("checkbox").check()
    page.get_by_text("Give the ticked nominations an owner or a due day").click()
    page.get_by_label("Their new owner").select_option(label="Linda Okoro, RN")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"board-schedule-{name}")
    page.get_by_role("button", name="Give them this owner").click()

    expect(page).to_have_url(re.compile(r"/board\?state=all$"))
    notices = page.locator("main p.notice")
    expect(notices.first).to_have_text("Changed 1 nomination.")
    expect(notices.nth(1)).to_contain_text(f"“{retired_title}”, because it is retired: it gets an owner only "
                                           "while it waits for the board.")
    owned = rows(page).filter(has=page.get_by_role("link", name=proposed_title, exact=True))
    expect(owned.locator('td[data-label="Owner"]')).to_have_text("Linda Okoro, RN")
    screenshot(f"board-schedule-done-{name}")

    owned.get_by_role("checkbox").check()
    page.get_by_text("Give the ticked nominations an owner or a due day").click()
    page.get_by_label("Due for evaluation on").fill("2099-01-15")
    page.get_by_role("button", name="Set this due day").click()
    expect(page.locator("main p.notice").first).to_have_text("Changed 1 nomination.")
    expect(rows(page).filter(has=page.get_by_role("link", name=proposed_title, exact=True))
           .locator('td[data-label="Age"]')).to_contain_text("due 2099-01-15")
