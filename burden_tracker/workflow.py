"""The states of a nomination, the ONE table of moves allowed between them, and who acts in which capacity.
Pure Python.

Services ask `check_move` before changing anything; pages ask `moves_offered` which buttons to
show. Both read MOVES, so the table below is the whole rule. `capacities` says in which capacities a person
may act on a nomination, and `commenting_as` in which one their comment is recorded.
"""

from dataclasses import dataclass
from enum import StrEnum

from .enums import Actor, State
from .errors import MoveRefused, as_sentence


class Move(StrEnum):
    EVALUATE = "evaluate"
    REOPEN = "reopen"
    RETIRE = "retire"
    REJECT = "reject"
    MARK_DUPLICATE = "mark_duplicate"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[State]
    target: State
    actor: Actor
    required: tuple[str, ...]
    needs_passed_vote: bool = False


MOVES: dict[Move, Rule] = {
    Move.EVALUATE: Rule(
        frozenset({State.PROPOSED}),
        State.EVALUATED,
        Actor.BOARD,
        ("minutes_per_occurrence", "occurrences_per_week", "clinicians_affected", "confirmed_source", "note"),
    ),
    Move.REOPEN: Rule(frozenset({State.EVALUATED}), State.PROPOSED, Actor.BOARD, ("note",)),
    Move.RETIRE: Rule(
        frozenset({State.EVALUATED}), State.RETIRED, Actor.BOARD, ("retired_on", "outcome", "note"),
        needs_passed_vote=True
    ),
    Move.REJECT: Rule(frozenset({State.PROPOSED, State.EVALUATED}), State.REJECTED, Actor.BOARD, ("note",)),
    Move.MARK_DUPLICATE: Rule(frozenset({State.PROPOSED}), State.DUPLICATE, Actor.BOARD, ("duplicate_of",)),
    Move.WITHDRAW: Rule(frozenset({State.PROPOSED}), State.WITHDRAWN, Actor.SUBMITTER, ()),
}

OPEN_STATES = frozenset({State.PROPOSED, State.EVALUATED})  # in the pipeline: takes "me too", offered as similar
CLOSED_STATES = frozenset(State) - OPEN_STATES  # decided; no move leaves them
VOTING_STATES = frozenset({State.EVALUATED})  # the board votes on an evaluated nomination
MERGE_TARGET_REFUSED = frozenset({State.DUPLICATE, State.WITHDRAWN})  # no duplicate may point at these
NOT_REVISED = frozenset({State.WITHDRAWN})  # its submitter took it back: the board revises every other state
EDITABLE = frozenset({State.PROPOSED})  # its submitter may change it until the board takes it up
COMMENT_EDIT_MINUTES = 15  # a comment's author may change it this long after writing it
FILES_PER_NOMINATION = 5  # screenshots or PDFs, released or not


SCHEDULED_STATES = OPEN_STATES  # waiting for the board's decision: may have an owner and a due day


def takes_schedule(state: State) -> bool:
    """Whether the board may give it an owner or a due day."""
    return state in SCHEDULED_STATES


def takes_files(state: State) -> bool:
    """Whether screenshots and PDFs may be added: while it is open. Removing one is always allowed."""
    return state in OPEN_STATES


def may_edit(state: State) -> bool:
    """Whether the submitter may still change their nomination: the board has not evaluated it."""
    return state in EDITABLE


def may_revise(state: State) -> bool:
    """Whether the board may revise the estimate and classification of a nomination in this state."""
    return state not in NOT_REVISED


# What each move calls its note, in the words a board member or submitter would use.
FIELD_LABELS = {
    (Move.EVALUATE, "note"): "evaluation note",
    (Move.REOPEN, "note"): "what more information is needed",
    (Move.RETIRE, "note"): "what was changed",
    (Move.RETIRE, "retired_on"): "the effective date",
    (Move.RETIRE, "outcome"): "how it was resolved",
    (Move.REJECT, "note"): "the rationale",
    (Move.MARK_DUPLICATE, "duplicate_of"): "the nomination it duplicates",
}

_ACTOR_WORDS = {Actor.BOARD: "the review board", Actor.SUBMITTER: "the person who submitted it"}


def capacities(*, is_board: bool, is_submitter: bool) -> set[Actor]:
    """A board member acts as the board, on any nomination; the person who submitted a nomination acts as its
    submitter. One person may be both, or neither."""
    return {actor for actor, holds in ((Actor.BOARD, is_board), (Actor.SUBMITTER, is_submitter)) if holds}


def commenting_as(*, is_submitter: bool) -> Actor | None:
    """A comment is recorded in the submitter's capacity when its submitter writes it, so that it stays anonymous
    on an anonymous nomination; anyone else, a board member too, comments as themselves."""
    return Actor.SUBMITTER if is_submitter else None


def _label(move: Move, field: str) -> str:
    return FIELD_LABELS.get((move, field), field.replace("_", " "))


def check_move(
    move: Move, *, state: State, actor_roles: set[Actor], vote_passed: bool, fields: dict
) -> Rule:
    """Return the rule for this move, or raise MoveRefused saying plainly why not."""
    rule = check_actor(move, actor_roles)
    if state not in rule.sources:
        raise MoveRefused(f"A {state.value} nomination cannot be moved with “{move.value}”.")
    missing = {f: f"{as_sentence(_label(move, f))} is required." for f in rule.required if _blank(fields.get(f))}
    if missing:
        raise MoveRefused("Some required fields are missing.", fields=missing)
    if rule.needs_passed_vote and not vote_passed:
        raise MoveRefused("It can be retired only after the board's vote has passed.")
    return rule


def check_actor(move: Move, actor_roles: set[Actor]) -> Rule:
    """Whether this person may make this move at all: asked first, before anything about the nomination's
    state or latest change is told to them."""
    rule = MOVES[move]
    if rule.actor not in actor_roles:
        raise MoveRefused(f"Only {_ACTOR_WORDS[rule.actor]} can {move.value.replace('_', ' ')} this nomination.")
    return rule


def moves_offered(state: State, actor_roles: set[Actor]) -> list[Move]:
    return [move for move, rule in MOVES.items() if state in rule.sources and rule.actor in actor_roles]


def vote_passed(*, approve: int, reject: int, abstain: int, board_members: int, quorum_fraction: float) -> bool:
    """Quorum (more than quorum_fraction of active board members voted) and approve > reject."""
    voted = approve + reject + abstain
    return board_members > 0 and voted > quorum_fraction * board_members and approve > reject


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
