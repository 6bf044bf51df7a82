"""Script in what people type never runs, in Chromium: a nomination, a comment, a board note and a department
name carrying payloads are shown as text on every page and htmx fragment that shows them.

A payload that ran would set window.__pwned, open a dialog (alert), or, stopped by the Content-Security-Policy,
leave an error in the console; an injected <img src=x> would fail to load, also in the console. None may happen.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import State
from burden_tracker.models import Department, Nomination
from tests.support.pages import HTMX_CANCELLED

pytestmark = pytest.mark.browser

TITLE = '<script>window.__pwned="title"</script><img src=x onerror=alert("title")>'
DESCRIPTION = '"><svg onload=alert("description")> {{7*7}} javascript:alert("description")'
CHANGE = "<iframe src=\"javascript:alert('change')\"></iframe>"
COMMENT = '<img src=x onerror="window.__pwned=\'comment\'">'
BOARD_NOTE = "</textarea><script>alert('board note')</script>"
DEPARTMENT = '<img src=x onerror=alert("department")>Surgery'
SEARCH = '"><script>alert("search")</script>'


# htmx logs, as errors, a request it cancelled itself: each estimate field sends one after 300 ms still, and a
# newer one replaces an older still in flight (hx-sync). A failed answer is logged as htmx:responseError.
def is_error(message) -> bool:
    return message.type == "error" and not message.text.startswith(HTMX_CANCELLED)


@pytest.fixture
def ran(page):
    """What the page did that only an injected script would: dialogs, console errors, script errors, __pwned."""
    seen = []

    def on_dialog(dialog):
        seen.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: seen.append(f"console: {message.text}") if is_error(message) else None)
    page.on("pageerror", lambda error: seen.append(f"script error: {error}"))

    def since_last_asked() -> list[str]:
        page.wait_for_timeout(100)  # an image's onerror fires once its load has failed
        pwned = page.evaluate("window.__pwned")
        found = seen + ([f"window.__pwned = {pwned!r}"] if pwned is not None else [])
        seen.clear()
        return found

    return since_last_asked


def test_the_watch_sees_markup_that_would_run(page, live_server, sign_in_as, ran):
    """The control: markup put in the page as HTML (what an unescaped payload is) is seen."""
    sign_in_as("nurse@demo.test")
    assert ran() == []
    page.evaluate("""() => document.querySelector("main")
                          .insertAdjacentHTML("beforeend", '<img src=x onerror=alert(1)>')""")
    assert ran() != []


def switch_to(page, sign_in_as, email: str):
    page.context.clear_cookies()
    return sign_in_as(email)


def test_script_in_a_nomination_its_comment_and_a_board_note_never_runs(page, live_server, sign_in_as, live_db,
                                                                        ran):
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/nominations/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What is done today").fill(DESCRIPTION)
    page.get_by_label("Category").select_option("documentation")
    page.get_by_label("Department").select_option("Surgery")
    page.get_by_label("Who does it").select_option("nurse")
    page.get_by_label("Minutes each time").fill("2")
    page.get_by_label("Times a week", exact=True).fill("10")
    page.get_by_label("People who do it").fill("40")
    page.get_by_label("What would you change?").fill(CHANGE)
    expect(page.locator("#estimate-preview")).to_contain_text("About 610")
    page.get_by_role("button", name="Send nomination").click()
    expect(page).to_have_url(re.compile(r"/nominations/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("article")).to_contain_text(DESCRIPTION)
    expect(page.locator("article")).to_contain_text(CHANGE)
    assert ran() == []
    nomination = page.url

    page.get_by_role("textbox", name="Comment").fill(COMMENT)
    page.get_by_role("button", name="Add comment").click()  # swapped in place by htmx
    expect(page.locator("#comments")).to_contain_text(COMMENT)
    assert ran() == []

    page.goto(live_server + "/nominations/new")  # the similar nominations, an htmx fragment, offer it as text
    page.get_by_label("Title").press_sequentially("pwned onerror alert", delay=10)
    expect(page.locator("#similar li").filter(has_text=TITLE)).to_be_visible()
    for path in ["/nominations", "/mine", "/nominations?q=" + SEARCH]:
        page.goto(live_server + path)
        assert ran() == [], path
    expect(page.get_by_role("searchbox").or_(page.get_by_label("Search"))).to_have_value(SEARCH)

    switch_to(page, sign_in_as, "board@demo.test")
    page.goto(nomination)
    note = page.get_by_role("textbox", name="Private note (board members only)")
    note.fill(BOARD_NOTE)
    note.locator("xpath=ancestor::form").get_by_role("button").click()
    expect(page.locator("body")).to_contain_text(BOARD_NOTE)
    for path in ["/board", nomination]:
        page.goto(path if path.startswith("http") else live_server + path)
        assert ran() == [], path
    expect(page.locator("body")).to_contain_text(BOARD_NOTE)
    nomination_id = int(nomination.rsplit("/", 1)[1])
    assert live_db.get(Nomination, nomination_id).title == TITLE  # stored as typed, shown as text
    live_db.rollback()


def test_script_in_a_department_name_never_runs(page, live_server, sign_in_as, live_db, ran):
    department_id = live_db.scalars(select(Department.id).where(Department.name == "Surgery")).one()
    retired = live_db.scalars(select(Nomination.id).where(Nomination.state == State.RETIRED,
                                                          Nomination.department_id == department_id)).first()
    live_db.rollback()
    sign_in_as("admin@demo.test")
    page.goto(live_server + "/admin/departments")
    page.get_by_role("link", name="Rename Surgery").click()
    page.locator(f"#departments-{department_id}").get_by_role("textbox", name="Name").fill(DEPARTMENT)
    page.get_by_role("button", name="Save").click()  # the line comes back by htmx
    expect(page.locator(f"#departments-{department_id} .name")).to_have_text(DEPARTMENT)
    for path in ["/admin/departments", "/admin"]:
        page.goto(live_server + path)
        assert ran() == [], path

    switch_to(page, sign_in_as, "executive@demo.test")
    page.goto(live_server + "/dashboard")
    expect(page.locator("table#departments")).to_contain_text(DEPARTMENT)
    assert ran() == []
    for path in ["/nominations", f"/nominations?department={department_id}", "/wins",
                 f"/nominations/{retired}" if retired else "/wins"]:
        page.goto(live_server + path)
        assert ran() == [], path
    page.goto(live_server + f"/nominations?department={department_id}")
    expect(page.locator("body")).to_contain_text(DEPARTMENT)

    switch_to(page, sign_in_as, "board@demo.test")
    page.goto(live_server + "/nominations/new")
    expect(page.get_by_label("Department").locator("option", has_text=DEPARTMENT)).to_have_count(1)
    page.goto(live_server + "/board?state=all")
    expect(page.locator("body")).to_contain_text(DEPARTMENT)
    assert ran() == []
