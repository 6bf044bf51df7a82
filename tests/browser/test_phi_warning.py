"""Patient details in free text, in Chromium: typed into a nomination, a comment or a board note, a date of birth,
a record number, a Social Security number, a phone number, an email address or a patient's name gets a plain
warning beside the field, and no request carries that text until the person sends the form themselves. Ordinary
work text (times, durations, ratios, years, "30 patients a day") gets none. The patterns are checked in the page,
as the page loads them, against a table of examples."""

import io
import re
from urllib.parse import unquote_plus

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from burden_tracker.enums import State
from burden_tracker.models import Nomination
from tests.support.pages import HTMX_CANCELLED, violations

pytestmark = pytest.mark.browser

TAIL = " Nominations and comments are about work, never patients: please remove it."
SAMPLES = {  # what is typed: the words the warning then uses for it
    "DOB 03/14/1962": "a patient's date of birth",
    "MRN 12345678": "a medical record or account number",
    "123-45-6789": "a Social Security number",
    "(555) 123-4567": "a phone number",
    "j.smith@example.com": "an email address",
    "patient John Smith": "a patient's name",
}
DATE_OF_BIRTH, RECORD, SSN, PHONE, EMAIL, NAME = ("date of birth", "record number", "social security number",
                                                  "phone number", "email address", "patient name")

# The table the patterns answer to, in the page: text, and what it holds.
EXAMPLES = [
    ("DOB 03/14/1962", [DATE_OF_BIRTH]),
    ("dob: 3/14/62", [DATE_OF_BIRTH]),
    ("born 1962-03-14", [DATE_OF_BIRTH]),
    ("Date of birth March 14, 1962", [DATE_OF_BIRTH]),
    ("birthdate is 14 March 1962", [DATE_OF_BIRTH]),
    ("Seen on 03/14/1962 in clinic", [DATE_OF_BIRTH]),  # a full date long before any current work
    ("MRN 12345678", [RECORD]),
    ("MRN: A1234567", [RECORD]),
    ("medical record number 1234567", [RECORD]),
    ("MR# 7654321", [RECORD]),
    ("acct# 99812345", [RECORD]),
    ("123-45-6789", [SSN]),
    ("123 45 6789", [SSN]),
    ("SSN 123456789", [SSN]),
    ("(555) 123-4567", [PHONE]),
    ("555-123-4567", [PHONE]),
    ("555.123.4567", [PHONE]),
    ("+1 555 123 4567", [PHONE]),
    ("1-555-123-4567", [PHONE]),
    ("j.smith@example.com", [EMAIL]),
    ("patient John Smith", [NAME]),
    ("the patient O'Brien's chart", [NAME]),
    ("pt Lopez refused the second scan", [NAME]),
    ("Pt. Maria Lopez", [NAME]),
    ("Patient: Maria Lopez", [NAME]),
    ("patient Mrs. Smith", [NAME]),
    ("Mrs. Smith in bed 4", [NAME]),
    ("Pt. Maria Lopez, DOB 3/14/62, call (555) 123-4567", [DATE_OF_BIRTH, PHONE, NAME]),
    # Work text, as people write it.
    ("30 patients a day", []),
    ("Takes 2 minutes at 10:30 each morning, 5 times a shift", []),
    ("Ratio 1:4 on nights; 3/4 of shifts; 24/7 coverage", []),
    ("In 2019 the form was added; since the 03/01/2025 go-live it prints twice", []),
    ("Effective 2024-07-01 the policy changed", []),
    ("Call x4321 or ext. 4321, pager 4-3210, unit line 123-4567", []),
    ("BP 120/80 rechecked every 15 min; 0.5 mg PRN", []),
    ("Verify name and DOB at every med pass", []),
    ("The MRN field is 8 digits long and retyped twice", []),
    ("Patient Safety reviews every fall twice", []),
    ("Patient Portal messages are answered twice", []),
    ("Patient Care Technicians chart vitals twice", []),
    ("Patient Whiteboard Updates Are Manual", []),
    ("Sepsis screening alert fires 3 times per patient per shift", []),
    ("the patient Epic banner shows allergies twice", []),
    ("each pt. Then nurses recheck the band", []),
    ("PT evaluation ordered twice for every knee", []),
    ("Printed in 12 pt Arial on form 4-3210", []),
    ("Joint Commission MM.04.01.01 requires an indication on PRN orders", []),
    ("Dr. Patel asks Mr. Jones from IT for a second login", []),
]

# Requests made while typing also wait while such a detail is still on its way: most of a number, the start
# of a name, an address after its @. Finished work text does not wait.
ON_THE_WAY = [("Consent asks for 123-45-67", True), ("call 555-123-", True), ("DOB 03/1", True),
              ("MRN 12", True), ("patient Jo", True), ("Pt. Maria L", True), ("Mrs. S", True),
              ("write to jsmith@", True), ("Patient Safety huddle", False), ("Fall risk score every 4 hours", False),
              ("Form 4-3210 printed twice", False)]

WORK_TEXT = [text for text, kinds in EXAMPLES if not kinds]
CLEAN = "Asked again at discharge, every time."


def typed(sample: str) -> str:
    return f"Asked again at discharge: {sample}, every time."


def warning_for(page, field_id: str):
    return page.locator(f"#{field_id}-phi")


@pytest.fixture
def problems(page):
    """Console errors and script errors on the page, which there must be none of (htmx's note of a request it
    replaced with a newer one aside)."""
    seen = []
    page.on("console", lambda message: seen.append(message.text)
            if message.type == "error" and not message.text.startswith(HTMX_CANCELLED) else None)
    page.on("pageerror", lambda error: seen.append(f"script error: {error}"))
    return seen


@pytest.fixture
def heard(live_app):
    """Every request the test server received, as its access log would have it plus the body:
    (method, decoded path and query, decoded body)."""
    received = []
    serve = live_app.wsgi_app

    def record(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        query = environ.get("QUERY_STRING", "")
        received.append((environ["REQUEST_METHOD"], environ["PATH_INFO"] + ("?" + unquote_plus(query) if query else ""),
                         unquote_plus(body.decode("utf-8", "replace"))))
        return serve(environ, start_response)

    live_app.wsgi_app = record
    yield received
    live_app.wsgi_app = serve


def first_id_in(live_db, state: State) -> int:
    found = live_db.scalar(select(Nomination.id).where(Nomination.state == state).order_by(Nomination.id))
    live_db.rollback()
    return found


def assert_beside_its_field(warning, field_id: str):
    """Straight under the field, or under its own error and hint, and aligned with it."""
    before, gap, indent = warning.evaluate("""w => {
        const before = w.previousElementSibling, field = document.getElementById(w.id.replace(/-phi$/, ""));
        return [before.id, w.getBoundingClientRect().top - before.getBoundingClientRect().bottom,
                w.getBoundingClientRect().left - field.getBoundingClientRect().left];
    }""")
    assert before in (field_id, f"{field_id}-error", f"{field_id}-hint") and 0 <= gap < 24 and indent == 0, (
        field_id, before, gap, indent)


def each_kind_warns_and_clears(page, field_id: str):
    field, warning = page.locator(f"#{field_id}"), warning_for(page, field_id)
    for sample, words in SAMPLES.items():
        field.fill(typed(sample))
        expect(warning).to_have_text(f"This looks like {words}.{TAIL}")
        assert_beside_its_field(warning, field_id)
        field.fill(CLEAN)
        expect(warning).to_be_empty()


def test_the_patterns_in_the_page_find_each_kind_and_leave_work_text_alone(page, live_server):
    page.goto(live_server + "/login")
    found = page.evaluate("examples => examples.map(([text]) => window.phiWarning.kindsIn(text))", EXAMPLES)
    assert dict(zip([text for text, _ in EXAMPLES], found, strict=True)) == dict(EXAMPLES)
    held = page.evaluate("examples => examples.map(([text]) => window.phiWarning.heldBack(text))", ON_THE_WAY)
    assert dict(zip([text for text, _ in ON_THE_WAY], held, strict=True)) == dict(ON_THE_WAY)
    assert page.evaluate("window.phiWarning.warningText(['social security number', 'phone number'])") == (
        "This looks like a Social Security number and a phone number. Nominations and comments are about work, "
        "never patients: please remove them.")


def test_each_kind_typed_into_the_nomination_form_warns_beside_its_field_and_clears(page, live_server, sign_in_as,
                                                                                   problems):
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/nominations/new")
    for field_id in ("title", "description", "suggested_change"):
        each_kind_warns_and_clears(page, field_id)
    for text in WORK_TEXT:
        page.locator("#description").fill(text)
        expect(warning_for(page, "description")).to_be_empty()
    assert problems == []


def test_each_kind_typed_into_a_comment_warns_and_a_person_may_still_send_it(page, live_server, live_db, sign_in_as,
                                                                            heard, problems):
    nomination_id = first_id_in(live_db, State.PROPOSED)
    sign_in_as("staff@demo.test")
    page.goto(f"{live_server}/nominations/{nomination_id}")
    each_kind_warns_and_clears(page, "body")

    # A false alarm is the person's to judge: the warning never stops the button.
    comment = "Same here. Call the unit at (555) 123-4567 for the old form."
    heard.clear()
    page.locator("#body").fill(comment)
    expect(warning_for(page, "body")).to_have_text(f"This looks like a phone number.{TAIL}")
    assert not any("123-4567" in line for request in heard for line in request)
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#comments")).to_contain_text(comment)
    assert [method for method, _path, body in heard if "123-4567" in body] == ["POST"]
    expect(warning_for(page, "body")).to_be_empty()  # the fresh comment box htmx swapped in
    assert problems == []


def test_each_kind_typed_into_the_boards_fields_warns_beside_it_and_clears(page, live_server, live_db, sign_in_as,
                                                                          problems):
    proposed, evaluated = first_id_in(live_db, State.PROPOSED), first_id_in(live_db, State.EVALUATED)
    sign_in_as("board@demo.test")
    page.goto(f"{live_server}/nominations/{proposed}")
    panel = page.locator("#board-panel")
    panel.get_by_text("Reject it").click()
    for field_id in ("evaluate-note", "reject-note", "board-note-body"):
        each_kind_warns_and_clears(page, field_id)

    page.goto(f"{live_server}/nominations/{evaluated}")
    panel.get_by_text("Retire it").click()
    panel.get_by_text("Reopen it").click()
    for field_id in ("retire-note", "reopen-note"):
        each_kind_warns_and_clears(page, field_id)
    assert problems == []


def test_a_note_refused_for_another_field_comes_back_with_its_warning(page, live_server, live_db, sign_in_as,
                                                                     problems):
    proposed = first_id_in(live_db, State.PROPOSED)
    sign_in_as("board@demo.test")
    page.goto(f"{live_server}/nominations/{proposed}")
    panel = page.locator("#board-panel")
    panel.locator("#evaluate-note").fill("Checked with pt Lopez on 4 West.")
    panel.get_by_label("Minutes each time", exact=True).fill("0")
    panel.get_by_role("button", name="Evaluate", exact=True).click()
    expect(panel.locator("#evaluate-minutes_per_occurrence-error")).to_have_text("Must be more than 0")
    expect(warning_for(page, "evaluate-note")).to_have_text(f"This looks like a patient's name.{TAIL}")
    assert [problem for problem in problems if "status of 422" not in problem] == []  # the refusal itself


def test_while_the_title_holds_an_ssn_no_request_carries_it_until_the_form_is_sent(page, live_server, sign_in_as,
                                                                                   heard, problems):
    sent = []
    page.on("request", lambda r: sent.append(f"{r.method} {unquote_plus(r.url)} {unquote_plus(r.post_data or '')}"))
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/nominations/new")
    heard.clear()
    title = page.get_by_label("Title")

    # Typed with a pause in the middle of the number, as people do: the similar-nominations search is asked
    # after each pause, and must not take the number's first digits either.
    title.press_sequentially("Registration asks again for 123-45-67", delay=15)
    page.wait_for_timeout(700)
    title.press_sequentially("89", delay=15)
    expect(warning_for(page, "title")).to_have_text(f"This looks like a Social Security number.{TAIL}")
    page.wait_for_timeout(700)
    # The estimate still follows its numbers meanwhile: it never carried the title.
    page.get_by_label("Minutes each time").fill("2")
    page.get_by_label("Times a week", exact=True).fill("10")
    page.get_by_label("People who do it").fill("40")
    expect(page.locator("#estimate-preview")).to_contain_text("About")
    page.wait_for_timeout(700)
    before = list(sent)
    assert [request for request in before if "123-4" in request] == []
    assert [request for request in heard if any("123-4" in part for part in request)] == []
    assert any("/nominations/estimate" in path for _method, path, _body in heard)

    # Without the number the search is asked again: the watch above would have seen it.
    with page.expect_request(lambda r: "/nominations/similar" in r.url and "title=Registration" in r.url):
        title.fill("Registration asks again for the insurance card")
    expect(warning_for(page, "title")).to_be_empty()

    # The person decides: sent with the number, it travels in the form's own POST, and only there.
    title.fill("Registration asks again for SSN 123-45-6789")
    page.wait_for_timeout(700)
    heard.clear()
    page.get_by_label("What is done today").fill("Front desk asks for it at every visit.")
    page.get_by_label("Category").select_option("documentation")
    page.get_by_label("Department").select_option("Surgery")
    page.get_by_label("Who does it").select_option("nurse")
    page.get_by_role("button", name="Send nomination").click()
    expect(page).to_have_url(re.compile(r"/nominations/\d+$"))
    assert [(method, path) for method, path, body in heard if "123-45-6789" in path + body] == [
        ("POST", "/nominations/new")]
    assert problems == []


def test_the_warning_is_announced_and_describes_its_field(page, live_server, sign_in_as):
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/nominations/new")
    title, warning = page.get_by_label("Title"), warning_for(page, "title")
    expect(warning).to_have_attribute("aria-live", "polite")
    title.fill("Fax the consent to 555-123-4567 again")
    expect(warning).to_have_text(f"This looks like a phone number.{TAIL}")
    expect(title).to_have_attribute("aria-describedby", "title-hint title-phi")
    expect(title).to_have_accessible_description(re.compile(r"Pain score charted twice.*This looks like a phone"))
    expect(title).not_to_have_attribute("aria-invalid", "true")  # a warning, not a mistake
    title.fill("Fax the consent again")
    expect(warning).to_be_empty()
    expect(title).to_have_attribute("aria-describedby", "title-hint")

    description = page.get_by_label("What is done today")
    description.fill("Pt. Maria Lopez is asked twice")
    expect(description).to_have_accessible_description(f"This looks like a patient's name.{TAIL}")
    description.fill("Asked twice")
    expect(description).not_to_have_attribute("aria-describedby", re.compile("."))


def test_the_warning_shows_on_a_phone_and_a_desktop(page, live_server, sign_in_as, screenshot, screen):
    name, width = screen
    sign_in_as("nurse@demo.test")
    page.goto(live_server + "/nominations/new")
    page.get_by_label("Title").fill("Registration asks for SSN 123-45-6789 at every visit")
    page.get_by_label("What is done today").fill("Front desk copies Mrs. Smith in bed 4 and DOB 03/14/1962 by hand.")
    warning = warning_for(page, "title")
    expect(warning).to_be_visible()
    expect(warning_for(page, "description")).to_contain_text("a patient's date of birth and a patient's name")
    box = warning.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    page.get_by_label("Title").scroll_into_view_if_needed()
    screenshot(f"phi-warning-{name}")
