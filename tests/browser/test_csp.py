"""The Content-Security-Policy in Chromium: every main page, for each role, loads without one violation, and
what htmx does in place (the live estimate, paging, the board's filters and votes, the quarter picker, the
invite link's Copy button) still works under it. A control shows the watch would catch a violation."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import State
from burden_tracker.models import Nomination

pytestmark = pytest.mark.browser

# Runs before each document's own scripts (an init script is not subject to the page's policy).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
document.addEventListener("htmx:evalDisallowedError", (e) =>
  window.__violations.push(`htmx wanted eval on ${e.target.outerHTML.slice(0, 80)}`));
"""
SETTLE = "() => new Promise((done) => setTimeout(() => done(window.__violations), 100))"


@pytest.fixture
def reported(page):
    """Everything the browser said against the policy so far: console messages over every document this page
    showed, script errors, and the current document's securitypolicyviolation events."""
    said = []
    page.on("console", lambda message: said.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.on("pageerror", lambda error: said.append(f"script error: {error}"))
    page.add_init_script(LISTEN)
    return lambda: said + page.evaluate(SETTLE)


@pytest.fixture
def visit(page, live_server, reported):
    """Open a page and check that it loaded with nothing refused."""

    def go(path: str):
        page.goto(live_server + path)
        assert reported() == [], path
        return page

    return go


def first_id_in(live_db, state: State) -> int:
    found = live_db.scalar(select(Nomination.id).where(Nomination.state == state).order_by(Nomination.id))
    live_db.rollback()
    return found


def test_the_watch_catches_an_inline_script_and_style_and_the_policy_blocks_them(page, visit):
    visit("/login")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
        document.body.insertAdjacentHTML("beforeend", '<p style="color: red">injected</p>');
    }""")
    found = page.evaluate(SETTLE)
    assert any(v.startswith("script-src-elem blocked inline") for v in found), found
    assert any(v.startswith("style-src-attr blocked inline") for v in found), found
    assert page.evaluate("window.__ran") is None


def test_sign_in_and_error_pages_load_clean(page, visit, sign_in_as, reported):
    visit("/login")
    sign_in_as("staff@demo.test")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    visit("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("There is no such page")
    assert reported() == []


def test_staff_pages_and_their_in_place_updates_work_under_the_policy(page, visit, sign_in_as, reported, live_db):
    nomination_id = first_id_in(live_db, State.PROPOSED)
    sign_in_as("staff@demo.test")
    for path in ("/mine", "/notices", "/wins", f"/nominations/{nomination_id}", "/me/tokens", "/api/v1/docs"):
        visit(path)

    visit("/nominations?sort=hours")
    page.evaluate("window.stillTheSameDocument = true")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?sort=hours&page=2$"))
    expect(page.get_by_role("status")).to_contain_text("Nominations 51–")
    assert page.evaluate("window.stillTheSameDocument") is True

    visit("/nominations/new")
    page.get_by_label("Minutes each time").fill("0.4")
    page.get_by_label("Times a week").fill("36")
    page.get_by_label("People who do it").fill("900")
    expect(page.locator("#estimate-preview")).to_contain_text("About 9,900 clinician-hours a year, 4.8 FTE.")
    assert reported() == []


def test_board_pages_and_the_board_panel_work_under_the_policy(page, visit, sign_in_as, reported, live_db):
    proposed, evaluated = first_id_in(live_db, State.PROPOSED), first_id_in(live_db, State.EVALUATED)
    sign_in_as("board@demo.test")
    visit("/board")
    page.get_by_label("State", exact=True).select_option("evaluated")
    expect(page).to_have_url(re.compile(r"/board\?state=evaluated"))

    visit(f"/nominations/{proposed}")
    panel = page.locator("#board-panel")
    panel.get_by_label("Minutes each time", exact=True).fill("0")
    panel.get_by_role("button", name="Evaluate", exact=True).click()
    expect(panel.locator("#evaluate-minutes_per_occurrence-error")).to_have_text("Must be more than 0")

    visit(f"/nominations/{evaluated}")
    expect(page.locator("#tally")).to_be_visible()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#votes")).to_contain_text("Your vote: approve")
    assert reported() == []


def test_the_dashboard_charts_draw_and_the_quarter_changes_in_place(page, visit, sign_in_as, reported):
    sign_in_as("executive@demo.test")
    visit("/dashboard")
    charts = page.locator("svg.chart")
    expect(charts.first).to_be_visible()
    for chart in charts.all():
        box = chart.bounding_box()
        assert box["width"] > 100 and box["height"] > 50
    bars = page.locator("svg.chart rect").evaluate_all(
        "rects => rects.map(r => [r.getBBox().height, getComputedStyle(r).fill])")
    assert any(height > 0 for height, _fill in bars)
    assert all(fill != "rgb(0, 0, 0)" for _height, fill in bars), "the stylesheet's colours reach the bars"

    picker = page.get_by_label("Quarter", exact=True)
    shown = picker.input_value()
    other = next(value for value in picker.locator("option").evaluate_all("os => os.map(o => o.value)")
                 if value != shown)
    picker.select_option(other)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard {other}")
    assert reported() == []


def test_admin_pages_and_the_invite_links_copy_button_work_under_the_policy(page, visit, sign_in_as, reported):
    sign_in_as("admin@demo.test")
    for path in ("/admin", "/admin/users", "/admin/departments", "/admin/categories", "/admin/settings",
                 "/admin/jobs", "/admin/webhooks"):
        visit(path)
    visit("/admin/users/new")
    page.get_by_label("Email").fill("csp.check@demo.test")
    page.get_by_label("Name").fill("Casey Check")
    page.get_by_label("Staff").check()
    page.get_by_role("button", name="Add user").click()
    expect(page).to_have_url(re.compile(r"/admin/users/\d+$"))
    page.wait_for_load_state()  # the URL changes before the deferred copy-button.js listens
    page.get_by_role("textbox", name="Invite link").focus()
    assert page.evaluate("document.activeElement.selectionEnd - document.activeElement.selectionStart") > 40
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert reported() == []
