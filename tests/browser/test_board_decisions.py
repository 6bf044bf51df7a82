"""Two board members on one nomination, each in their own browser: votes land live, one retires it, the
other's stale retire is told who changed it, and the submitter finds the notice."""

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import exists, select

from burden_tracker.db import open_session
from burden_tracker.enums import State, VoteChoice
from burden_tracker.models import Event, Nomination, User, Vote
from burden_tracker.services.revisions import revise_nomination
from burden_tracker.services.votes import cast_vote
from tests.support import pages
from tests.support.factories import as_it_stands
from tests.support.pages import SCREENSHOTS

pytestmark = pytest.mark.browser
POLL = 12_000  # the tally is polled every 5 s
REJECTION = "Required by the state board of nursing:\nthe daily weight stays for every admission."
WHAT_CHANGED = "The 4 a.m. weight is ordered only for patients on diuretics or with heart failure."


@pytest.fixture
def ready_for_the_vote(live_app):
    """An evaluated demo nomination of nurse@ or staff@ on which board@ and board2@ have not voted; board3@
    approves it first, so that their two approvals make quorum (more than half of five). Returns ids, not objects."""
    with open_session(live_app.extensions["db_engine"]) as session:
        people = dict(session.execute(select(User.email, User.id)).all())
        voted_already = exists().where(Vote.nomination_id == Nomination.id,
                                       Vote.voter_id.in_([people["board@demo.test"], people["board2@demo.test"]]))
        nomination = session.scalars(select(Nomination).where(
            Nomination.state == State.EVALUATED, ~voted_already,
            Nomination.submitter_id.in_([people["nurse@demo.test"], people["staff@demo.test"]]),
        ).order_by(Nomination.id)).first()
        cast_vote(session=session, nomination_id=nomination.id, voter=session.get(User, people["board3@demo.test"]),
                  choice=VoteChoice.APPROVE)
        submitter = session.get(User, nomination.submitter_id).email
        return nomination.id, nomination.title, submitter


@pytest.fixture
def signed_in(browser, live_server):
    """A new browser context (its own cookies) signed in as a demo account; all closed at the end."""
    contexts = []

    def sign_in(email: str, width: int):
        contexts.append(browser.new_context(viewport={"width": width, "height": 900}))
        return pages.signed_in(contexts[-1].new_page(), live_server, email)

    yield sign_in
    for context in contexts:
        context.close()


def retire(page):
    panel = page.locator("#board-panel")
    panel.get_by_text("Retire it").click()
    panel.get_by_label("Effective date").fill(date.today().isoformat())
    panel.get_by_role("radio", name="Reduced").check()
    panel.get_by_label("What was changed").fill(WHAT_CHANGED)
    panel.get_by_role("button", name="Retire", exact=True).click()


def test_two_board_members_vote_live_one_retires_and_the_others_stale_retire_is_refused(
        signed_in, live_server, live_app, ready_for_the_vote):
    nomination_id, title, submitter = ready_for_the_vote
    address = f"{live_server}/nominations/{nomination_id}"
    chen = signed_in("board@demo.test", 1280)
    okoro = signed_in("board2@demo.test", 375)
    for page in (chen, okoro):
        page.goto(address)
        page.evaluate("window.loadedOnce = true")  # gone if the page reloads
        expect(page.locator("#tally")).to_contain_text("1 of 5 board members have voted; no quorum yet.")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chen.locator("#board-panel").screenshot(path=str(SCREENSHOTS / "board-panel-desktop.png"))
    okoro.locator("#board-panel").screenshot(path=str(SCREENSHOTS / "board-panel-phone.png"))
    for page, width in ((chen, 1280), (okoro, 375)):
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    chen.get_by_role("button", name="Approve", exact=True).click()
    expect(chen.locator("#votes")).to_contain_text("Your vote: approve")
    expect(okoro.locator("#tally")).to_contain_text("2 of 5 board members have voted", timeout=POLL)
    expect(okoro.locator('#tally [data-count="approve"]')).to_have_text("2")

    okoro.get_by_role("button", name="Approve", exact=True).click()
    expect(okoro.locator("#tally")).to_contain_text("3 of 5 board members have voted; quorum reached.")
    expect(chen.locator("#tally")).to_contain_text("The vote has passed.", timeout=POLL)
    assert chen.evaluate("window.loadedOnce") is True and okoro.evaluate("window.loadedOnce") is True

    retire(chen)
    expect(chen.get_by_role("status")).to_contain_text("Retired. Well done.")
    expect(chen.locator("header .state").first).to_have_text("retired")
    expect(chen.locator("dt", has_text="How it was resolved")).to_be_visible()
    expect(chen.locator("dd", has_text="Reduced: it is done less often, or takes less time")).to_be_visible()

    retire(okoro)
    expect(okoro.get_by_role("alert")).to_contain_text("This nomination was changed by Dr. Alex Chen at")
    expect(okoro.locator("#board-panel form[action$='/retire']")).to_have_count(0)
    okoro.locator("#board-panel").screenshot(path=str(SCREENSHOTS / "board-panel-conflict-phone.png"))

    with open_session(live_app.extensions["db_engine"], read_only=True) as session:
        moves = session.scalars(select(Event.to_state).where(Event.nomination_id == nomination_id)
                                .where(Event.from_state == State.EVALUATED)).all()
        assert moves == [State.RETIRED]

    reader = signed_in(submitter, 1280)
    reader.get_by_role("link", name="Notices").click()
    expect(reader.locator("ul.notices li").first).to_contain_text(f"“{title}” moved from evaluated to retired.")
    reader.locator("ul.notices li").first.get_by_role("link").click()
    expect(reader.locator("dl.facts")).to_contain_text(WHAT_CHANGED)
    expect(reader.locator("#board-panel")).to_have_count(0)


@pytest.mark.parametrize("width", [375, 1280])
def test_a_board_member_evaluates_in_place_and_finds_a_duplicate_by_typing(
        signed_in, live_server, live_db, width):
    nomination_id = live_db.scalar(select(Nomination.id).where(Nomination.state == State.PROPOSED)
                                   .order_by(Nomination.id))
    live_db.rollback()
    page = signed_in("board@demo.test", width)
    page.goto(f"{live_server}/nominations/{nomination_id}")
    page.evaluate("window.loadedOnce = true")
    panel = page.locator("#board-panel")

    panel.get_by_text("Mark as a duplicate").click()
    panel.get_by_label("Find the nomination that stays").press_sequentially("sepsis", delay=30)
    expect(panel.locator("#duplicate-candidates input[type=radio]").first).to_be_visible()
    expect(panel.locator("#duplicate-candidates")).to_contain_text("sepsis")
    states = panel.locator("#duplicate-candidates .state").all_inner_texts()
    assert states and not {"duplicate", "withdrawn"} & set(states), states  # only nominations that can stay
    first = panel.locator("#duplicate-candidates label").first
    radio, state = first.locator("input").bounding_box(), first.locator(".state").bounding_box()
    title_top = first.evaluate("label => label.querySelector('span').getBoundingClientRect().top")
    assert abs(radio["y"] - title_top) < 12, "the radio button sits on the title's first line"
    assert state["y"] >= radio["y"] + radio["height"] - 2, "the state is drawn below the title, not over it"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.locator("#decision-mark_duplicate").screenshot(path=str(SCREENSHOTS / f"duplicate-picker-{width}.png"))

    panel.get_by_label("Minutes each time", exact=True).fill("0")
    panel.get_by_role("button", name="Evaluate", exact=True).click()
    expect(panel.locator("#evaluate-minutes_per_occurrence-error")).to_have_text("Must be more than 0")
    expect(panel.locator("#evaluate-note-error")).to_have_text("Evaluation note is required.")
    assert page.evaluate("window.loadedOnce") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / f"board-panel-evaluate-{width}.png"))

    panel.get_by_label("Minutes each time", exact=True).fill("2")
    panel.get_by_label("Evaluation note (the submitter sees it)").fill("Timed on two units: about 2 minutes.")
    panel.get_by_role("button", name="Evaluate", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Evaluated. The board can vote on it now.")
    expect(page.locator("header .state").first).to_have_text("evaluated")
    expect(page.locator("#votes")).to_contain_text("You have not voted yet.")


@pytest.mark.parametrize("width", [375, 1280])
def test_retiring_waits_for_the_vote_and_a_stale_rejection_keeps_its_note(
        signed_in, live_server, live_app, ready_for_the_vote, width):
    nomination_id, _title, _submitter = ready_for_the_vote
    page = signed_in("board@demo.test", width)
    page.goto(f"{live_server}/nominations/{nomination_id}")
    panel = page.locator("#board-panel")
    expect(panel.locator(".move-waiting")).to_contain_text(
        "Retire: waits for the board's vote to pass. 1 of 5 board members have voted, not yet a quorum.")
    expect(panel.get_by_text("Retire it")).to_have_count(0)

    panel.get_by_text("Reject it").click()
    panel.locator("#decision-reject").get_by_label("Rationale").fill(REJECTION)
    with open_session(live_app.extensions["db_engine"]) as session:  # meanwhile, a colleague revises it
        nomination = session.get(Nomination, nomination_id)
        colleague = session.scalars(select(User).where(User.email == "board2@demo.test")).one()
        revise_nomination(session=session, nomination_id=nomination_id, actor=colleague,
                          expected_version=nomination.version,
                          values={**as_it_stands(nomination), "clinicians_affected": 90})
    panel.locator("#decision-reject").get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("What you typed is kept below")
    expect(panel.locator("#decision-reject").get_by_label("Rationale")).to_have_value(REJECTION)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    panel.screenshot(path=str(SCREENSHOTS / f"board-panel-kept-after-conflict-{width}.png"))

    panel.locator("#decision-reject").get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Rejected; the submitter sees the rationale.")
