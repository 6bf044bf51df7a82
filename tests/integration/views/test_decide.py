"""The board's panel through the web: evaluate, votes and the tally, each decision, notes, stale pages."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from burden_tracker.enums import EventKind, RequirementSource, Role, State, VoteChoice
from burden_tracker.models import BoardNote, Event, Nomination, Supporter, Vote
from burden_tracker.queries.measured_impact import affected_department_ids
from burden_tracker.services.revisions import revise_nomination
from burden_tracker.services.transitions import move_nomination
from burden_tracker.services.votes import cast_vote
from burden_tracker.workflow import MOVES, Actor, Move, moves_offered
from tests.support.factories import as_it_stands, make_department, make_duplicate_pair, make_nomination, make_user
from tests.support.web import HTMX, count, csrf_token, sign_in

ROUTES = {Move.EVALUATE: "evaluate", Move.REOPEN: "reopen", Move.RETIRE: "retire", Move.REJECT: "reject",
          Move.MARK_DUPLICATE: "duplicate"}
EVALUATION = {"minutes_per_occurrence": "1.5", "occurrences_per_week": "30", "clinicians_affected": "120",
              "confirmed_source": "EHR build or default", "note": "Timed on 4 West: 90 seconds each."}


def retiring(retired_on, note: str = "Row removed.", outcome: str = "removed") -> dict:
    """The retire form's fields."""
    return {"retired_on": retired_on, "outcome": outcome, "note": note}


@pytest.fixture
def chair(session):
    return make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True, name="Dr. Alex Chen")


@pytest.fixture
def colleague(session):
    return make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True, name="Linda Okoro")


@pytest.fixture
def board_client(client, chair):
    sign_in(client, chair.email)
    return client


def post(client, nomination: Nomination, route: str, data: dict, headers=HTMX):
    token = csrf_token(client, f"/nominations/{nomination.id}")
    return client.post(f"/nominations/{nomination.id}/{route}", headers=headers,
                       data={"csrf_token": token, **data})


def decide(client, nomination: Nomination, move: Move, data: dict, version: int = 1):
    return post(client, nomination, ROUTES[move], {"version": str(version), **data})


def reloaded(session, nomination: Nomination) -> Nomination:
    session.refresh(nomination)
    session.commit()  # on SQLite an open transaction would hold the lock the app needs
    return nomination


def pass_the_vote(session, nomination: Nomination, *members):
    for member in members:
        cast_vote(session=session, nomination_id=nomination.id, voter=member, choice=VoteChoice.APPROVE)


def decision_forms(page: str) -> set[str]:
    return set(re.findall(r'action="/nominations/\d+/(evaluate|reopen|retire|reject|duplicate)"', page))


# The panel and who sees it


@pytest.mark.parametrize("state", list(State))
def test_board_is_offered_exactly_the_moves_the_workflow_allows_from_each_state(board_client, session, state):
    nomination = make_nomination(session, state=state)
    page = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    allowed = {ROUTES[move] for move in moves_offered(state, {Actor.BOARD}) if not MOVES[move].needs_passed_vote}
    assert decision_forms(page) == allowed  # retiring waits for a vote, and none has passed here
    assert 'id="board-panel"' in page


@pytest.mark.parametrize("state", list(State))
def test_staff_are_offered_no_board_move_and_see_no_board_panel(staff_client, session, state):
    nomination = make_nomination(session, state=state)
    page = staff_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert decision_forms(page) == set()
    assert 'id="board-panel"' not in page and "Review board" not in page


def test_a_board_member_who_submitted_it_gets_the_board_moves_and_keeps_withdraw_on_the_page(client, session, chair):
    sign_in(client, chair.email)
    nomination = make_nomination(session, submitter=chair)
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert decision_forms(page) == {"evaluate", "reject", "duplicate"}
    assert "Withdraw my nomination" in page


def test_the_whole_page_drawn_after_a_comment_or_a_stale_withdrawal_keeps_the_board_panel(client, session, chair):
    sign_in(client, chair.email)
    nomination = make_nomination(session, submitter=chair)
    token = csrf_token(client, f"/nominations/{nomination.id}")
    comment = {"csrf_token": token, "body": "Seen on 4 West too."}
    whole = client.post(f"/nominations/{nomination.id}/comments", data=comment).get_data(as_text=True)
    assert 'id="board-panel"' in whole and "Seen on 4 West too." in whole
    in_place = client.post(f"/nominations/{nomination.id}/comments", headers=HTMX, data=comment)
    assert in_place.status_code == 200 and 'id="board-panel"' not in in_place.get_data(as_text=True)
    stale = client.post(f"/nominations/{nomination.id}/withdraw", headers=HTMX,
                        data={"csrf_token": token, "version": "0"})
    assert stale.status_code == 409 and 'id="board-panel"' in stale.get_data(as_text=True)


def test_staff_never_see_board_notes_and_their_board_posts_are_refused(client, session, chair):
    nomination = make_nomination(session, state=State.EVALUATED)
    session.add(BoardNote(nomination_id=nomination.id, author_id=chair.id, body="Compliance says keep quiet"))
    session.commit()
    sign_in(client, make_user(session, Role.STAFF, can_sign_in=True).email)
    assert "Compliance says keep quiet" not in client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    for route in ("evaluate", "reopen", "retire", "reject", "duplicate", "votes", "board-notes"):
        assert post(client, nomination, route, {"version": "1", "choice": "approve", "body": "x"}).status_code == 403
    for route in ("tally", "duplicate-candidates?q=pain"):
        assert client.get(f"/nominations/{nomination.id}/{route}").status_code == 403
    assert count(session, Vote) == 0 and count(session, BoardNote) == 1
    assert reloaded(session, nomination).version == 1


def test_board_notes_are_added_in_place_escaped_and_only_for_the_board(board_client, session, chair):
    nomination = make_nomination(session)
    response = post(board_client, nomination, "board-notes", {"body": "<b>Ask</b> compliance first"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and fragment.lstrip().startswith('<div id="board-notes"')
    assert "&lt;b&gt;Ask&lt;/b&gt; compliance first" in fragment and "Dr. Alex Chen" in fragment
    empty = post(board_client, nomination, "board-notes", {"body": "  "})
    assert empty.status_code == 422 and "Write a note first." in empty.get_data(as_text=True)
    assert session.scalars(select(BoardNote.body)).all() == ["<b>Ask</b> compliance first"]


# Evaluate


def test_evaluate_is_prefilled_from_the_submitters_estimate_and_source(board_client, session, chair):
    nomination = make_nomination(session, minutes_per_occurrence=0.5, occurrences_per_week=36,
                                 clinicians_affected=200, requirement_source=RequirementSource.PAYER)
    page = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    for name, value in (("minutes_per_occurrence", "0.5"), ("occurrences_per_week", "36"),
                        ("clinicians_affected", "200")):
        assert re.search(rf'<input [^>]*id="evaluate-{name}" [^>]*value="{value}"', page)
    assert '<option selected value="payer">payer</option>' in page
    assert f'<option selected value="{chair.id}">Dr. Alex Chen</option>' in page


def test_evaluating_stores_the_boards_estimate_source_note_and_owner(board_client, session, colleague):
    nomination = make_nomination(session, minutes_per_occurrence=0.5)
    response = decide(board_client, nomination, Move.EVALUATE, {**EVALUATION, "owner_id": str(colleague.id)})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == f"/nominations/{nomination.id}"
    evaluated = reloaded(session, nomination)
    assert evaluated.state is State.EVALUATED and evaluated.version == 2
    assert (evaluated.minutes_per_occurrence, evaluated.estimate) == (0.5, (1.5, 30, 120))
    assert evaluated.confirmed_source is RequirementSource.EHR_BUILD
    assert evaluated.evaluation_note == "Timed on 4 West: 90 seconds each."
    assert evaluated.owner_id == colleague.id
    page = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Evaluated. The board can vote on it now." in page and "The board's validated estimate." in page


@pytest.mark.parametrize("field,value,message", [
    ("note", "  ", "Evaluation note is required."),
    ("minutes_per_occurrence", "", "Minutes per occurrence is required."),
    ("minutes_per_occurrence", "abc", "Must be a number"),
    ("clinicians_affected", "0", "Must be at least 1"),
    ("minutes_per_occurrence", "200", "More than 40 hours a week"),
    ("confirmed_source", "my boss", "Must be one of"),
    ("owner_id", "999999", "Not a valid choice."),
    ("measured_metric", "Happiness", "Is not a metric Burden Tracker measures"),
    ("affected_departments", "999999", "Names a department that does not exist"),
    ("affected_departments", "²", "Names a department that does not exist"),
])
def test_a_bad_evaluation_is_refused_beside_its_field_and_changes_nothing(board_client, session, field, value,
                                                                          message):
    nomination = make_nomination(session)
    response = decide(board_client, nomination, Move.EVALUATE, {**EVALUATION, field: value})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 422 and fragment.lstrip().startswith("<section id=\"board-panel\"")
    error = re.search(rf'<small id="evaluate-{field}-error" class="field-error">([^<]*)</small>', fragment)
    assert error and message in error[1]
    unchanged = reloaded(session, nomination)
    assert (unchanged.state, unchanged.version, unchanged.board_minutes_per_occurrence) == (State.PROPOSED, 1, None)
    assert count(session, Event) == 0



def test_the_board_names_the_metric_and_the_departments_a_retirement_should_move(board_client, session, chair,
                                                                                 colleague):
    nomination = make_nomination(session)
    surgery, oncology = make_department(session, "Surgery"), make_department(session, "Oncology")
    panel = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    own = re.search(r'<select[^>]*id="evaluate-affected_departments".*?</select>', panel, re.S)[0]
    assert re.search(rf'<option selected value="{nomination.department_id}">', own), "its own department first"
    decide(board_client, nomination, Move.EVALUATE, {**EVALUATION, "measured_metric": "Flowsheet time",
                                                     "affected_departments": [str(surgery.id), str(oncology.id)]})
    evaluated = reloaded(session, nomination)
    assert evaluated.measured_metric == "Flowsheet time"
    assert affected_department_ids(session=session, nomination=evaluated) == sorted([surgery.id, oncology.id])
    pass_the_vote(session, evaluated, chair, colleague)
    panel = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    retire = re.search(r'<select[^>]*id="retire-measured_metric".*?</select>', panel, re.S)[0]
    assert '<option selected value="Flowsheet time">' in retire, "the retire form starts from the board's choice"


# Votes


def test_the_vote_that_passes_opens_the_retirement_in_place(board_client, session, colleague):
    nomination = make_nomination(session, state=State.EVALUATED)
    cast_vote(session=session, nomination_id=nomination.id, voter=colleague, choice=VoteChoice.APPROVE)
    fragment = post(board_client, nomination, "votes", {"choice": "approve"}).get_data(as_text=True)
    assert '<div id="retire-slot" hx-swap-oob="true">' in fragment
    assert decision_forms(fragment) == {"retire"}, "only the retirement is redrawn: notes typed elsewhere stay"
    fragment = post(board_client, nomination, "votes", {"choice": "abstain"}).get_data(as_text=True)
    assert "Approvals must outnumber rejections: 1 to 0" not in fragment and decision_forms(fragment) == set()
    fragment = post(board_client, nomination, "votes", {"choice": "reject"}).get_data(as_text=True)
    assert decision_forms(fragment) == set() and "Approvals must outnumber rejections: 1 to 1" in fragment


def test_votes_are_one_per_member_changeable_and_tallied(board_client, session, chair, colleague):
    nomination = make_nomination(session, state=State.EVALUATED)
    cast_vote(session=session, nomination_id=nomination.id, voter=colleague, choice=VoteChoice.REJECT)
    first = post(board_client, nomination, "votes", {"choice": "approve"})
    assert first.status_code == 200 and first.get_data(as_text=True).lstrip().startswith('<div id="votes"')
    changed = post(board_client, nomination, "votes", {"choice": "abstain"}).get_data(as_text=True)
    assert "Your vote: <strong>abstain</strong>" in changed
    assert re.search(r'Approve <strong data-count="approve">0</strong>', changed)
    assert re.search(r'Reject <strong data-count="reject">1</strong>', changed)
    assert re.search(r'Abstain <strong data-count="abstain">1</strong>', changed)
    assert "2 of 2 board members have voted; quorum reached." in changed and "The vote has not passed." in changed
    assert session.scalars(select(Vote.choice).where(Vote.voter_id == chair.id)).all() == [VoteChoice.ABSTAIN]


def test_the_polled_tally_shows_other_members_votes_quorum_and_the_outcome(board_client, session, chair,
                                                                         colleague):
    nomination = make_nomination(session, state=State.EVALUATED)
    third = make_user(session, Role.BOARD)
    before = board_client.get(f"/nominations/{nomination.id}/tally?passed=0").get_data(as_text=True)
    assert "0 of 3 board members have voted; no quorum yet." in before and 'hx-trigger="every 5s"' in before
    assert 'id="retire-slot"' not in before, "nothing else changes while the outcome stays"
    pass_the_vote(session, nomination, colleague, third)
    after = board_client.get(f"/nominations/{nomination.id}/tally?passed=0").get_data(as_text=True)
    assert "2 of 3 board members have voted; quorum reached." in after and "The vote has passed." in after
    assert '<div id="retire-slot" hx-swap-oob="true">' in after and decision_forms(after) == {"retire"}
    assert "/tally?passed=1" in after


def test_a_double_clicked_vote_leaves_one_row(board_client, session):
    nomination = make_nomination(session, state=State.EVALUATED)
    for _ in range(2):
        assert post(board_client, nomination, "votes", {"choice": "approve"}).status_code == 200
    assert count(session, Vote, nomination_id=nomination.id) == 1


def test_votes_close_with_the_decision(board_client, session, colleague):
    nomination = make_nomination(session, state=State.EVALUATED)
    pass_the_vote(session, nomination, colleague)
    move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=colleague,
                    expected_version=1, fields={"note": "Payer requires it."})
    refused = post(board_client, nomination, "votes", {"choice": "reject"})
    assert refused.status_code == 422 and "Votes are taken on evaluated nominations" in refused.get_data(as_text=True)
    tally = board_client.get(f"/nominations/{nomination.id}/tally").get_data(as_text=True)
    assert "hx-trigger" not in tally and "1 of 2 board members have voted" in tally


# Decisions, each with its required fields


def test_board_cannot_retire_before_the_vote_passes_and_is_told_why(board_client, session):
    nomination = make_nomination(session, state=State.EVALUATED)
    page = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert ("waits for the board's vote to pass. 0 of 1 board members have voted, not yet a quorum."
            in " ".join(page.split()))
    assert "retire" not in decision_forms(page)
    response = decide(board_client, nomination, Move.RETIRE, retiring("2026-03-01"))
    assert response.status_code == 422
    assert "It can be retired only after the board&#39;s vote has passed." in response.get_data(as_text=True)
    assert reloaded(session, nomination).state is State.EVALUATED and count(session, Event) == 0


def test_retiring_after_the_vote_passed_records_the_date_and_what_changed(board_client, session, chair,
                                                                         colleague):
    submitter = make_user(session)
    nomination = make_nomination(session, state=State.EVALUATED, submitter=submitter)
    pass_the_vote(session, nomination, chair, colleague)
    response = decide(board_client, nomination, Move.RETIRE, retiring("2026-03-01"))
    assert response.status_code == 200
    retired = reloaded(session, nomination)
    assert (retired.state, retired.retired_on, retired.what_changed) == (State.RETIRED, date(2026, 3, 1),
                                                                         "Row removed.")
    event = session.scalars(select(Event).where(Event.nomination_id == nomination.id)).one()
    assert (event.from_state, event.to_state, event.actor_id) == (State.EVALUATED, State.RETIRED, chair.id)


@pytest.mark.parametrize("move,state,data,field,message", [
    (Move.RETIRE, State.EVALUATED, retiring(""), "retired_on",
     "The effective date is required."),
    (Move.RETIRE, State.EVALUATED, retiring("2026-03-01", " "), "note", "What was changed is required."),
    (Move.RETIRE, State.EVALUATED, retiring("2025-12-31"), "retired_on",
     "Must be on or after the submission date"),
    (Move.RETIRE, State.EVALUATED, retiring("someday"), "retired_on",
     "Not a valid date value."),
    (Move.RETIRE, State.EVALUATED, retiring("2026-03-01", outcome=""), "outcome", "How it was resolved is required."),
    (Move.RETIRE, State.EVALUATED, retiring("2026-03-01", outcome="vanished"), "outcome",
     "Must be one of: removed, replaced, reduced, restricted, clarified"),
    (Move.REJECT, State.PROPOSED, {"note": ""}, "note", "The rationale is required."),
    (Move.REJECT, State.EVALUATED, {"note": "x" * 5001}, "note", "At most 5,000 characters."),
    (Move.REOPEN, State.EVALUATED, {"note": ""}, "note", "What more information is needed is required."),
])
def test_a_decision_missing_its_required_field_is_refused_beside_it_and_changes_nothing(
        board_client, session, chair, colleague, move, state, data, field, message):
    nomination = make_nomination(session, state=state)
    if state is State.EVALUATED:
        pass_the_vote(session, nomination, chair, colleague)
    response = decide(board_client, nomination, move, data)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 422
    prefix = {Move.RETIRE: "retire", Move.REJECT: "reject", Move.REOPEN: "reopen"}[move]
    error = re.search(rf'<small id="{prefix}-{field}-error" class="field-error">([^<]*)</small>', fragment)
    assert error and message in error[1]
    assert f'<details class="decision" id="decision-{move.value}" open>' in fragment
    unchanged = reloaded(session, nomination)
    assert (unchanged.state, unchanged.version) == (state, 1) and count(session, Event) == 0


def test_rejecting_records_the_rationale_shown_to_the_submitter(board_client, session):
    submitter = make_user(session, can_sign_in=True)
    nomination = make_nomination(session, submitter=submitter)
    assert decide(board_client, nomination, Move.REJECT, {"note": "The payer requires it."}).status_code == 200
    assert reloaded(session, nomination).state is State.REJECTED
    board_client.post("/logout", data={"csrf_token": csrf_token(board_client, "/nominations")})
    sign_in(board_client, submitter.email)
    page = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Why it stays" in page and "The payer requires it." in page


def test_reopening_sends_it_back_to_proposed_with_the_question(board_client, session):
    nomination = make_nomination(session, state=State.EVALUATED)
    assert decide(board_client, nomination, Move.REOPEN, {"note": "How many units chart it?"}).status_code == 200
    assert reloaded(session, nomination).state is State.PROPOSED
    page = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    assert "Moved from evaluated to proposed. How many units chart it?" in page
    assert decision_forms(page) == {"evaluate", "reject", "duplicate"}


def test_a_decision_without_javascript_goes_back_to_the_page(board_client, session):
    nomination = make_nomination(session)
    response = post(board_client, nomination, "reject", {"version": "1", "note": "Required by the payer."}, headers={})
    assert response.status_code == 303 and response.headers["Location"] == f"/nominations/{nomination.id}"
    refused = post(board_client, nomination, "reject", {"version": "2", "note": ""}, headers={})
    assert refused.status_code == 422 and "<html" in refused.get_data(as_text=True)


# Duplicates


def test_the_duplicate_picker_finds_nominations_by_words_but_not_the_nomination_itself(board_client, session):
    nomination = make_nomination(session, title="Fall risk rescored every shift")
    survivor = make_nomination(session, title="Morse fall score repeated at night", description="Fall risk again.")
    make_nomination(session, title="Pain score charted twice", description="Two flowsheet rows.")
    picker = board_client.get(f"/nominations/{nomination.id}/duplicate-candidates?q=fall+risk")
    fragment = picker.get_data(as_text=True)
    assert picker.status_code == 200 and fragment.lstrip().startswith('<fieldset id="duplicate-candidates"')
    assert re.findall(r'name="duplicate_of" value="(\d+)"', fragment) == [str(survivor.id)]
    assert "Morse fall score repeated at night" in fragment
    nothing = board_client.get(f"/nominations/{nomination.id}/duplicate-candidates?q=<b>zebra</b>")
    assert "No nomination that can stay has all of “&lt;b&gt;zebra&lt;/b&gt;”." in nothing.get_data(as_text=True)


def test_the_duplicate_picker_lists_only_nominations_that_can_stay(board_client, session):
    nomination = make_nomination(session, title="Fall risk rescored every shift")
    stays = {state: make_nomination(session, state=state, title=f"Fall risk, {state.value}") for state in State}
    picker = board_client.get(f"/nominations/{nomination.id}/duplicate-candidates?q=fall+risk").get_data(as_text=True)
    listed = {int(id_) for id_ in re.findall(r'name="duplicate_of" value="(\d+)"', picker)}
    assert listed == {stays[state].id for state in (State.PROPOSED, State.EVALUATED, State.RETIRED, State.REJECTED)}


def test_merging_a_duplicate_moves_supporters_once_and_both_histories_show_the_link(board_client, session):
    _alice, bob, carol, survivor, duplicate = make_duplicate_pair(session)

    response = decide(board_client, duplicate, Move.MARK_DUPLICATE, {"q": "fall", "duplicate_of": str(survivor.id)})

    assert response.status_code == 200
    assert reloaded(session, duplicate).duplicate_of_id == survivor.id
    supporters = session.scalars(select(Supporter.user_id).where(Supporter.nomination_id == survivor.id)).all()
    assert sorted(supporters) == sorted([carol.id, bob.id])
    survivor_page = board_client.get(f"/nominations/{survivor.id}").get_data(as_text=True)
    assert f"#{duplicate.id} was merged into this as a duplicate" in survivor_page
    assert "Morse score again at night" not in survivor_page  # its title stays with it, where it can be redacted
    duplicate_page = board_client.get(f"/nominations/{duplicate.id}").get_data(as_text=True)
    assert f"Duplicate of #{survivor.id}." in duplicate_page
    assert f'href="/nominations/{survivor.id}">#{survivor.id}</a>' in duplicate_page
    assert session.scalars(select(Event.kind).where(Event.nomination_id == survivor.id)).all() == [EventKind.MERGED]


def test_marking_a_duplicate_without_choosing_the_survivor_is_refused_beside_the_picker(board_client, session):
    nomination = make_nomination(session, title="Fall risk rescored every shift")
    make_nomination(session, title="Morse fall score repeated at night")
    response = decide(board_client, nomination, Move.MARK_DUPLICATE, {"q": "fall"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The nomination it duplicates is required." in fragment
    assert "Morse fall score repeated at night" in fragment and 'value="fall"' in fragment
    assert reloaded(session, nomination).state is State.PROPOSED and count(session, Event) == 0


# Stale pages and double clicks


def test_a_stale_decision_is_refused_with_who_changed_it_and_the_fresh_panel(board_client, session, chair,
                                                                             colleague):
    nomination = make_nomination(session, state=State.EVALUATED)
    pass_the_vote(session, nomination, chair, colleague)
    move_nomination(session=session, nomination_id=nomination.id, move=Move.RETIRE, actor=colleague,
                    expected_version=1, fields=retiring(date(2026, 3, 1)))
    response = decide(board_client, nomination, Move.RETIRE, retiring("2026-04-01", "Also gone."))
    fragment = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This nomination was changed by Linda Okoro at" in fragment
    assert fragment.lstrip().startswith('<section id="board-panel"') and decision_forms(fragment) == set()
    retired = reloaded(session, nomination)
    assert (retired.retired_on, retired.what_changed, retired.version) == (date(2026, 3, 1), "Row removed.", 2)
    assert count(session, Event, nomination_id=nomination.id) == 1
    assert '<blockquote class="prewrap typed-note">Also gone.</blockquote>' in fragment, "the note to copy"


def test_a_stale_decision_keeps_what_was_typed_in_the_fresh_form(board_client, session, colleague):
    nomination = make_nomination(session)
    revise_nomination(session=session, nomination_id=nomination.id, actor=colleague, expected_version=1,
                      values={**as_it_stands(nomination), "clinicians_affected": 250})
    response = decide(board_client, nomination, Move.REJECT, {"note": "Required by the <state> board of nursing."})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 409 and "changed by Linda Okoro at" in fragment
    assert "What you typed is kept below" in fragment
    reject = fragment[fragment.index('<details class="decision" id="decision-reject"'):]
    assert reject.startswith('<details class="decision" id="decision-reject" open>')
    assert "Required by the &lt;state&gt; board of nursing.</textarea>" in reject[:reject.index("</details>")]
    assert 'name="version" value="2"' in reject[:reject.index("</details>")], "sent again, it goes through"
    assert reloaded(session, nomination).state is State.PROPOSED


def test_a_double_clicked_decision_makes_one_event(board_client, session, chair):
    nomination = make_nomination(session)
    first = decide(board_client, nomination, Move.REJECT, {"note": "Required by the payer."})
    second = decide(board_client, nomination, Move.REJECT, {"note": "Required by the payer."})
    assert (first.status_code, second.status_code) == (200, 409)
    assert "changed by Dr. Alex Chen at" in second.get_data(as_text=True)
    assert count(session, Event, nomination_id=nomination.id) == 1
    assert reloaded(session, nomination).version == 2


def test_a_forged_version_is_refused_and_changes_nothing(board_client, session):
    nomination = make_nomination(session)
    response = post(board_client, nomination, "reject", {"version": "latest", "note": "Required by the payer."})
    assert response.status_code == 422 and "This form is out of date." in response.get_data(as_text=True)
    assert reloaded(session, nomination).state is State.PROPOSED


def test_every_decision_form_carries_the_version_of_the_page(board_client, session, chair):
    nomination = make_nomination(session, state=State.EVALUATED)
    move_nomination(session=session, nomination_id=nomination.id, move=Move.REOPEN, actor=chair,
                    expected_version=1, fields={"note": "How many units?"})
    page = board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="/nominations/\d+/(?:evaluate|reject|duplicate)".*?</form>',
                       page, flags=re.S)
    assert len(forms) == 3
    assert all('<input type="hidden" name="version" value="2">' in form for form in forms)
