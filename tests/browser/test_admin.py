"""Administration in Chromium as admin@demo.test: a mistaken setting, a new user's invite link, renaming in place."""

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import AuditKind
from burden_tracker.models import AuditEntry, Department, Settings, User
from tests.support.pages import SCREENSHOTS, violations

pytestmark = pytest.mark.browser
PASSWORD = "a brand new password"


def test_a_mistaken_setting_is_told_beside_its_field_and_the_fixed_one_is_saved(page, live_server, sign_in_as,
                                                                                 live_db, screenshot):
    sign_in_as("admin@demo.test")
    page.goto(live_server + "/admin/settings")
    weeks = page.get_by_label("Working weeks a year")
    weeks.fill("60")
    page.get_by_label("Nurse").fill("52.50")
    page.get_by_role("button", name="Save settings").click()

    expect(page.locator("#working_weeks_per_year-error")).to_have_text("Must be at most 53")
    expect(weeks).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Nurse")).to_have_value("52.50")  # what was typed stays
    weeks.scroll_into_view_if_needed()
    screenshot("admin-settings-mistake")

    weeks.fill("48")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_have_text(
        "Settings saved: working weeks 46 → 48; hourly rate nurse 47 → 52.5.")
    assert live_db.get(Settings, 1).working_weeks_per_year == 48
    live_db.rollback()


def test_a_new_user_sets_a_password_through_the_copied_invite_link_and_signs_in(page, live_server, sign_in_as,
                                                                                 browser, screenshot):
    sign_in_as("admin@demo.test")
    page.goto(live_server + "/admin/users/new")
    page.get_by_label("Email").fill("new.nurse@demo.test")
    page.get_by_label("Name").fill("Ada Osei, RN")
    page.get_by_label("Staff").check()
    page.get_by_label("Board").check()
    page.get_by_role("button", name="Add user").click()

    expect(page).to_have_url(re.compile(r"/admin/users/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Osei, RN")
    link = page.get_by_role("textbox", name="Invite link").input_value()
    page.wait_for_load_state()  # the deferred copy-button.js listens only once the page has loaded
    assert re.fullmatch(re.escape(live_server) + r"/invite/[\w-]{40,}", link)
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()

    invited = browser.new_context()
    try:
        newcomer = invited.new_page()
        newcomer.goto(link)
        newcomer.get_by_label("New password").fill(PASSWORD)
        newcomer.get_by_label("The same password again").fill(PASSWORD)
        newcomer.get_by_role("button", name="Set password").click()
        welcome = newcomer.locator("p.notice[role=status]")
        expect(welcome).to_contain_text("Your password is set, and you are signed in.")
        expect(newcomer.get_by_role("link", name="Nominate")).to_be_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for width in (375, 1280):
            newcomer.set_viewport_size({"width": width, "height": 800})
            newcomer.screenshot(path=str(SCREENSHOTS / f"invite-signed-in-{width}.png"))
        newcomer.goto(link)
        expect(newcomer.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    finally:
        invited.close()


def test_a_department_is_renamed_in_place(page, live_server, sign_in_as, live_db, screenshot):
    department_id = live_db.scalars(select(Department.id).where(Department.name == "Surgery")).one()
    live_db.rollback()
    sign_in_as("admin@demo.test")
    page.goto(live_server + "/admin/departments")
    page.get_by_role("link", name="Rename Surgery").click()
    name = page.locator(f"#departments-{department_id}").get_by_role("textbox", name="Name")
    expect(name).to_be_focused()
    name.fill("Oncology")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#departments-{department_id}")).to_contain_text("Another department already has this name")
    screenshot("admin-rename-in-place")
    name = page.locator(f"#departments-{department_id}").get_by_role("textbox", name="Name")
    name.fill("General Surgery")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#departments-{department_id} .name")).to_have_text("General Surgery")
    page.get_by_role("button", name="Deactivate General Surgery").click()
    expect(page.locator(f"#departments-{department_id}")).to_contain_text("inactive")
    assert live_db.get(Department, department_id).active is False
    live_db.rollback()


def test_deactivating_a_person_asks_first(page, live_server, sign_in_as, live_db, screenshot, screen):
    name, width = screen
    nurse_id = live_db.scalars(select(User.id).where(User.email == "nurse@demo.test")).one()
    live_db.rollback()
    sign_in_as("admin@demo.test")
    page.goto(f"{live_server}/admin/users/{nurse_id}")
    page.get_by_role("button", name="Deactivate Priya Nair, RN").click()
    confirm = page.get_by_role("button", name="Yes, deactivate")
    expect(page.locator("#deactivate")).to_contain_text("cannot sign in until an admin activates them again")
    confirm.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"admin-deactivate-asked-{name}")
    assert live_db.get(User, nurse_id).active is True, "asking changes nothing"
    live_db.rollback()
    confirm.click()
    expect(page.get_by_role("button", name="Activate")).to_be_visible()
    assert live_db.get(User, nurse_id).active is False
    live_db.rollback()


def test_the_admin_pages_fit_a_phone_and_a_desktop_without_serious_accessibility_faults(
        page, live_server, sign_in_as, live_db, screenshot, screen):
    name, width = screen
    imported = live_db.scalars(select(User.id).where(User.active.is_(False), User.password_hash.is_(None))).first()
    live_db.rollback()
    sign_in_as("admin@demo.test")
    for path, shot in [("/admin", "overview"), ("/admin/users", "users"), ("/admin/departments", "departments"),
                       ("/admin/settings", "settings")]:
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert violations(page) == [], path
        screenshot(f"admin-{shot}-{name}")
    page.goto(f"{live_server}/admin/users/{imported}")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("textbox", name="Invite link")).to_be_visible()
    page.wait_for_load_state("load")  # its stylesheet applied: on a busy machine the text can show before it is
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    screenshot(f"admin-user-invite-{name}")
    page.get_by_role("heading", name="Account").scroll_into_view_if_needed()
    screenshot(f"admin-user-account-{name}")


@pytest.mark.parametrize("width", [375, 1280])
def test_an_admin_reads_the_security_trail_and_narrows_it_to_refused_sign_ins(page, live_server, sign_in_as, browser,
                                                                               live_db, screenshot, width):
    guesser = browser.new_context()
    try:
        other = guesser.new_page()
        other.goto(live_server + "/login")
        other.get_by_label("Email").fill("board2@demo.test")
        other.get_by_label("Password").fill("not the password")
        other.get_by_role("button", name="Sign in").click()
        expect(other.locator("#password-error")).to_be_visible()
    finally:
        guesser.close()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as("admin@demo.test")
    # Stored once the answer has gone and its connection is done with: the guesser's browser is closed.
    stored(live_db, AuditKind.SIGN_IN_REFUSED)
    page.goto(live_server + "/admin")
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Security trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Security trail")
    trail = page.get_by_role("region", name="Security trail")
    expect(trail.locator("tbody tr").filter(has_text="sign-in refused")).to_contain_text("board2@demo.test")

    page.wait_for_load_state()
    page.get_by_label("What happened").select_option("sign-in refused")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/admin/audit\?.*kind=sign-in(%20|\+)refused"))
    expect(trail.locator("tbody tr")).to_have_count(1)
    expect(trail.locator("tbody tr")).to_contain_text("board2@demo.test")
    assert violations(page) == []
    screenshot(f"admin-security-trail-{width}")


def stored(live_db, *kinds, seconds: float = 10) -> None:
    """Waits until the trail holds a line of each kind: a request's lines are stored once its answer has gone."""
    deadline = time.monotonic() + seconds
    while True:
        found = set(live_db.scalars(select(AuditEntry.kind).where(AuditEntry.kind.in_(kinds))))
        live_db.rollback()
        if found == set(kinds) or time.monotonic() > deadline:
            assert found == set(kinds)
            return
        time.sleep(0.05)
