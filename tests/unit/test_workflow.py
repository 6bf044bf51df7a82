"""The table of allowed moves, checked for every (state, move) pair."""

import itertools
from datetime import date

import pytest

from burden_tracker import workflow
from burden_tracker.enums import State
from burden_tracker.errors import MoveRefused
from burden_tracker.workflow import Actor, Move

ALLOWED = {
    (State.PROPOSED, Move.EVALUATE), (State.PROPOSED, Move.REJECT), (State.PROPOSED, Move.MARK_DUPLICATE),
    (State.PROPOSED, Move.WITHDRAW), (State.EVALUATED, Move.REOPEN), (State.EVALUATED, Move.RETIRE),
    (State.EVALUATED, Move.REJECT),
}
COMPLETE_FIELDS = {
    "minutes_per_occurrence": 2, "occurrences_per_week": 10, "clinicians_affected": 30,
    "confirmed_source": "payer", "note": "Checked with the unit managers.", "retired_on": date(2026, 8, 1),
    "duplicate_of": 7, "outcome": "reduced",
}
EVERYONE = {Actor.BOARD, Actor.SUBMITTER}


@pytest.mark.parametrize("state,move", list(itertools.product(State, Move)))
def test_every_state_and_move_is_allowed_exactly_as_the_specification_says(state, move):
    if (state, move) in ALLOWED:
        rule = workflow.check_move(move, state=state, actor_roles=EVERYONE, vote_passed=True,
                                   fields=COMPLETE_FIELDS)
        assert rule.target is workflow.MOVES[move].target
    else:
        with pytest.raises(MoveRefused, match=f"A {state.value} nomination cannot be moved"):
            workflow.check_move(move, state=state, actor_roles=EVERYONE, vote_passed=True,
                                fields=COMPLETE_FIELDS)


def test_the_table_of_moves_is_the_one_the_board_agreed():
    """Written out in full, so that a change to MOVES is a change to this test too, never a silent one."""
    table = {move: (set(rule.sources), rule.target, rule.actor, rule.required, rule.needs_passed_vote)
             for move, rule in workflow.MOVES.items()}
    assert table == {
        Move.EVALUATE: ({State.PROPOSED}, State.EVALUATED, Actor.BOARD,
                        ("minutes_per_occurrence", "occurrences_per_week", "clinicians_affected", "confirmed_source",
                         "note"), False),
        Move.REOPEN: ({State.EVALUATED}, State.PROPOSED, Actor.BOARD, ("note",), False),
        Move.RETIRE: ({State.EVALUATED}, State.RETIRED, Actor.BOARD, ("retired_on", "outcome", "note"), True),
        Move.REJECT: ({State.PROPOSED, State.EVALUATED}, State.REJECTED, Actor.BOARD, ("note",), False),
        Move.MARK_DUPLICATE: ({State.PROPOSED}, State.DUPLICATE, Actor.BOARD, ("duplicate_of",), False),
        Move.WITHDRAW: ({State.PROPOSED}, State.WITHDRAWN, Actor.SUBMITTER, (), False),
    }


def test_targets_match_the_state_diagram():
    targets = {move: rule.target for move, rule in workflow.MOVES.items()}
    assert targets == {
        Move.EVALUATE: State.EVALUATED, Move.REOPEN: State.PROPOSED, Move.RETIRE: State.RETIRED,
        Move.REJECT: State.REJECTED, Move.MARK_DUPLICATE: State.DUPLICATE, Move.WITHDRAW: State.WITHDRAWN,
    }


@pytest.mark.parametrize("state,move", sorted(ALLOWED))
def test_only_the_right_person_may_make_each_move(state, move):
    wrong = {Actor.SUBMITTER} if workflow.MOVES[move].actor is Actor.BOARD else {Actor.BOARD}
    with pytest.raises(MoveRefused, match="Only"):
        workflow.check_move(move, state=state, actor_roles=wrong, vote_passed=True, fields=COMPLETE_FIELDS)


@pytest.mark.parametrize("move", [m for m in Move if workflow.MOVES[m].required])
def test_each_required_field_is_named_when_missing(move):
    state = next(iter(workflow.MOVES[move].sources))
    for field in workflow.MOVES[move].required:
        fields = {**COMPLETE_FIELDS, field: "  "}
        with pytest.raises(MoveRefused) as refused:
            workflow.check_move(move, state=state, actor_roles=EVERYONE, vote_passed=True, fields=fields)
        assert list(refused.value.fields) == [field]
        assert refused.value.fields[field].endswith("is required.")


def test_retiring_needs_the_vote_to_have_passed():
    with pytest.raises(MoveRefused, match="vote has passed"):
        workflow.check_move(Move.RETIRE, state=State.EVALUATED, actor_roles={Actor.BOARD}, vote_passed=False,
                            fields=COMPLETE_FIELDS)


def test_a_rejection_asks_for_the_rationale_by_name():
    with pytest.raises(MoveRefused) as refused:
        workflow.check_move(Move.REJECT, state=State.PROPOSED, actor_roles={Actor.BOARD}, vote_passed=False,
                            fields={})
    assert refused.value.fields == {"note": "The rationale is required."}


def test_buttons_offered_follow_the_table():
    assert workflow.moves_offered(State.PROPOSED, {Actor.SUBMITTER}) == [Move.WITHDRAW]
    assert workflow.moves_offered(State.EVALUATED, {Actor.BOARD}) == [Move.REOPEN, Move.RETIRE, Move.REJECT]
    assert workflow.moves_offered(State.RETIRED, EVERYONE) == []


@pytest.mark.parametrize("is_board,is_submitter,capacities", [
    (True, False, {Actor.BOARD}),
    (False, True, {Actor.SUBMITTER}),
    (True, True, {Actor.BOARD, Actor.SUBMITTER}),  # a board member's own nomination
    (False, False, set()),  # staff on someone else's nomination
])
def test_a_board_member_acts_as_the_board_and_the_submitter_as_the_submitter(is_board, is_submitter, capacities):
    assert workflow.capacities(is_board=is_board, is_submitter=is_submitter) == capacities


def test_a_board_member_may_withdraw_only_what_they_submitted():
    assert workflow.moves_offered(State.PROPOSED, workflow.capacities(is_board=True, is_submitter=False)) == [
        Move.EVALUATE, Move.REJECT, Move.MARK_DUPLICATE]
    assert Move.WITHDRAW in workflow.moves_offered(State.PROPOSED,
                                                   workflow.capacities(is_board=True, is_submitter=True))


def test_only_the_submitter_comments_in_a_capacity_the_anonymity_rule_hides():
    assert workflow.commenting_as(is_submitter=True) is Actor.SUBMITTER
    assert workflow.commenting_as(is_submitter=False) is None


@pytest.mark.parametrize("approve,reject,abstain,members,passed", [
    (3, 0, 0, 5, True),    # quorum: 3 of 5 voted
    (2, 0, 0, 5, False),   # 2 of 5 is not more than half
    (2, 1, 0, 5, True),
    (1, 1, 1, 5, False),   # a tie does not pass
    (1, 0, 2, 5, True),    # abstentions count toward quorum, not toward approval
    (2, 0, 0, 4, False),   # exactly half is not more than half
    (0, 0, 0, 0, False),   # no board, no decision
])
def test_a_vote_passes_with_quorum_and_more_approvals_than_rejections(approve, reject, abstain, members, passed):
    assert workflow.vote_passed(approve=approve, reject=reject, abstain=abstain, board_members=members,
                                quorum_fraction=0.5) is passed
