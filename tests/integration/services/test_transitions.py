"""Moving nominations through the service, on SQLite and PostgreSQL."""

import itertools
import threading
from datetime import date

import pytest
from sqlalchemy import select

from burden_tracker.db import open_session
from burden_tracker.enums import EventKind, Role, State, VoteChoice
from burden_tracker.errors import MoveRefused, NotYours, StaleVersion
from burden_tracker.models import Event, Nomination, Notification, Supporter
from burden_tracker.services.nominations import support
from burden_tracker.services.transitions import move_nomination
from burden_tracker.services.votes import cast_vote
from burden_tracker.workflow import MOVES, Actor, Move
from tests.support.factories import (
    limit_to_sites,
    make_department,
    make_duplicate_pair,
    make_nomination,
    make_site,
    make_user,
)
from tests.support.web import count

ALLOWED = {(state, move) for move, rule in MOVES.items() for state in rule.sources}


def fields_for(move: Move, survivor_id: int | None = None) -> dict:
    return {
        Move.EVALUATE: {"minutes_per_occurrence": 1, "occurrences_per_week": 30, "clinicians_affected": 100,
                        "confirmed_source": "EHR build or default", "note": "Confirmed on three units."},
        Move.REOPEN: {"note": "How many units chart it?"},
        Move.RETIRE: {"retired_on": date(2026, 3, 1), "outcome": "removed", "note": "Row removed from the template."},
        Move.REJECT: {"note": "Required by the state board of nursing."},
        Move.MARK_DUPLICATE: {"duplicate_of": survivor_id},
        Move.WITHDRAW: {},
    }[move]


def pass_the_vote(session, nomination, board):
    for member in board:
        cast_vote(session=session, nomination_id=nomination.id, voter=member, choice=VoteChoice.APPROVE)


@pytest.fixture
def board(session):
    return [make_user(session, Role.STAFF, Role.BOARD) for _ in range(3)]


@pytest.mark.parametrize("state,move", list(itertools.product(State, Move)))
def test_each_state_and_move_through_the_service(session, board, state, move):
    submitter = make_user(session)
    nomination = make_nomination(session, submitter=submitter, state=state)
    survivor = make_nomination(session, title="The same row, nominated first")
    if state is State.EVALUATED:
        pass_the_vote(session, nomination, board)
    actor = submitter if MOVES[move].actor is Actor.SUBMITTER else board[0]
    events_before = count(session, Event, nomination_id=nomination.id)

    if (state, move) in ALLOWED:
        moved = move_nomination(session=session, nomination_id=nomination.id, move=move, actor=actor,
                                expected_version=nomination.version, fields=fields_for(move, survivor.id))
        assert moved.state is MOVES[move].target
        assert moved.version == 2
        event = session.scalars(select(Event).where(Event.nomination_id == nomination.id)).one()
        assert (event.from_state, event.to_state, event.actor_id) == (state, moved.state, actor.id)
    else:
        with pytest.raises(MoveRefused, match="cannot be moved"):
            move_nomination(session=session, nomination_id=nomination.id, move=move, actor=actor,
                            expected_version=nomination.version, fields=fields_for(move, survivor.id))
        session.expire_all()
        unchanged = session.get(Nomination, nomination.id)
        assert (unchanged.state, unchanged.version) == (state, 1)
        assert count(session, Event, nomination_id=nomination.id) == events_before


def test_evaluating_records_the_boards_estimate_beside_the_submitters(session, board):
    nomination = make_nomination(session, minutes_per_occurrence=0.5)
    move_nomination(session=session, nomination_id=nomination.id, move=Move.EVALUATE, actor=board[0],
                    expected_version=1, fields=fields_for(Move.EVALUATE))
    assert nomination.minutes_per_occurrence == 0.5
    assert nomination.board_minutes_per_occurrence == 1
    assert nomination.estimate == (1, 30, 100)
    assert nomination.evaluation_note == "Confirmed on three units."


def test_an_implausible_board_estimate_is_refused_and_nothing_changes(session, board):
    nomination = make_nomination(session)
    fields = {**fields_for(Move.EVALUATE), "minutes_per_occurrence": 120, "occurrences_per_week": 21}
    with pytest.raises(MoveRefused) as refused:
        move_nomination(session=session, nomination_id=nomination.id, move=Move.EVALUATE, actor=board[0],
                        expected_version=1, fields=fields)
    assert "40 hours" in refused.value.fields["minutes_per_occurrence"]
    session.expire_all()
    assert session.get(Nomination, nomination.id).state is State.PROPOSED
    assert session.get(Nomination, nomination.id).board_minutes_per_occurrence is None


def test_board_cannot_retire_before_the_vote_passes(session, board):
    nomination = make_nomination(session, state=State.EVALUATED)
    cast_vote(session=session, nomination_id=nomination.id, voter=board[0], choice=VoteChoice.APPROVE)
    with pytest.raises(MoveRefused, match="vote has passed"):
        move_nomination(session=session, nomination_id=nomination.id, move=Move.RETIRE, actor=board[0],
                        expected_version=1, fields=fields_for(Move.RETIRE))


def test_a_board_member_of_other_sites_moves_nothing_and_an_owner_must_decide_for_the_site(session, board):
    kona = make_site(session, "Kona")
    nomination = make_nomination(session, department_id=make_department(session, "Kona ED", site=kona).id)
    queens_only, staff = board[1], make_user(session, name="Sam Rivera")
    limit_to_sites(session, queens_only, make_site(session, "Queen's"))
    with pytest.raises(NotYours, match="This nomination is at Kona, which you do not decide for."):
        move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=queens_only,
                        expected_version=1, fields=fields_for(Move.REJECT))
    for owner in (queens_only, staff):
        session.rollback()
        with pytest.raises(MoveRefused, match="decide for its site") as refused:
            move_nomination(session=session, nomination_id=nomination.id, move=Move.EVALUATE, actor=board[0],
                            expected_version=1, fields={**fields_for(Move.EVALUATE), "owner_id": owner.id})
        assert refused.value.fields == {"owner_id": "does not decide for this nomination's site"}
    session.rollback()
    assert session.get(Nomination, nomination.id).state is State.PROPOSED


def test_a_board_member_of_one_site_does_not_merge_into_another_sites_nomination(session, board):
    queens, kona = make_site(session, "Queen's"), make_site(session, "Kona")
    duplicate = make_nomination(session, department_id=make_department(session, "Queen's ED", site=queens).id)
    survivor = make_nomination(session, title="The same row, at Kona",
                               department_id=make_department(session, "Kona ED", site=kona).id)
    limit_to_sites(session, board[1], queens)
    with pytest.raises(MoveRefused) as refused:
        move_nomination(session=session, nomination_id=duplicate.id, move=Move.MARK_DUPLICATE, actor=board[1],
                        expected_version=1, fields=fields_for(Move.MARK_DUPLICATE, survivor.id))
    assert refused.value.fields == {"duplicate_of": "is at a site you do not decide for"}
    session.rollback()
    assert session.get(Nomination, duplicate.id).state is State.PROPOSED
    move_nomination(session=session, nomination_id=duplicate.id, move=Move.MARK_DUPLICATE, actor=board[0],
                    expected_version=1, fields=fields_for(Move.MARK_DUPLICATE, survivor.id))
    assert session.get(Nomination, duplicate.id).state is State.DUPLICATE


def test_staff_cannot_make_board_moves_and_board_cannot_withdraw_for_the_submitter(session, board):
    nomination = make_nomination(session)
    with pytest.raises(MoveRefused, match="Only the review board"):
        move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT,
                        actor=make_user(session), expected_version=1, fields=fields_for(Move.REJECT))
    with pytest.raises(MoveRefused, match="Only the person who submitted it"):
        move_nomination(session=session, nomination_id=nomination.id, move=Move.WITHDRAW, actor=board[0],
                        expected_version=1, fields={})


def test_a_stale_version_is_refused_with_who_changed_it(session, board):
    nomination = make_nomination(session)
    move_nomination(session=session, nomination_id=nomination.id, move=Move.EVALUATE, actor=board[0],
                    expected_version=1, fields=fields_for(Move.EVALUATE))
    with pytest.raises(StaleVersion, match=f"changed by {board[0].name} at"):
        move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=board[1],
                        expected_version=1, fields=fields_for(Move.REJECT))
    assert session.get(Nomination, nomination.id).state is State.EVALUATED


def test_submitter_and_supporters_are_told_of_a_move_but_not_the_board_member_who_made_it(session, board):
    submitter, fan = make_user(session), make_user(session)
    nomination = make_nomination(session, submitter=submitter)
    support(session=session, nomination_id=nomination.id, user=fan, occurrences_per_week=10)
    support(session=session, nomination_id=nomination.id, user=board[0], occurrences_per_week=3)
    move_nomination(session=session, nomination_id=nomination.id, move=Move.REJECT, actor=board[0],
                    expected_version=1, fields=fields_for(Move.REJECT))
    told = set(session.scalars(select(Notification.user_id).where(Notification.nomination_id == nomination.id)))
    assert told == {submitter.id, fan.id}


def test_merging_a_duplicate_moves_supporters_once_and_links_both_histories(session, board):
    _alice, bob, carol, survivor, duplicate = make_duplicate_pair(session)

    move_nomination(session=session, nomination_id=duplicate.id, move=Move.MARK_DUPLICATE, actor=board[0],
                    expected_version=1, fields={"duplicate_of": survivor.id})

    supporters = sorted(session.scalars(select(Supporter.user_id).where(Supporter.nomination_id == survivor.id)))
    assert supporters == sorted([carol.id, bob.id])  # carol once; alice is its submitter; bob joins
    assert count(session, Supporter, nomination_id=duplicate.id) == 0
    assert duplicate.duplicate_of_id == survivor.id
    survivor_history = session.scalars(select(Event).where(Event.nomination_id == survivor.id)).one()
    assert survivor_history.kind is EventKind.MERGED and f"#{duplicate.id}" in survivor_history.note_text
    duplicate_history = session.scalars(select(Event).where(Event.nomination_id == duplicate.id)).one()
    assert duplicate_history.note_text == f"Duplicate of #{survivor.id}."


def test_a_nomination_cannot_duplicate_itself(session, board):
    nomination = make_nomination(session)
    with pytest.raises(MoveRefused, match="cannot duplicate itself"):
        move_nomination(session=session, nomination_id=nomination.id, move=Move.MARK_DUPLICATE, actor=board[0],
                        expected_version=1, fields={"duplicate_of": nomination.id})


def test_two_board_members_racing_one_wins_and_one_event_is_written(engine, session, board):
    nomination = make_nomination(session)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def decide(actor, move):
        start.wait()
        with open_session(engine) as own:
            member = own.get(type(actor), actor.id)
            try:
                move_nomination(session=own, nomination_id=nomination.id, move=move, actor=member,
                                expected_version=1, fields=fields_for(move))
                outcomes.append("won")
            except StaleVersion as error:
                outcomes.append(error.message)
            except Exception as error:  # recorded, so that the assertion below shows it
                outcomes.append(repr(error))

    racers = [threading.Thread(target=decide, args=(board[0], Move.EVALUATE)),
              threading.Thread(target=decide, args=(board[1], Move.REJECT))]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)

    assert sorted(outcomes)[-1] == "won" and outcomes.count("won") == 1
    assert "changed by" in next(o for o in outcomes if o != "won")
    session.expire_all()
    assert session.get(Nomination, nomination.id).version == 2
    assert count(session, Event, nomination_id=nomination.id) == 1
