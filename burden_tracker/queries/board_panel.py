"""What the review board's panel on a nomination's page shows: its moves, the vote, owners and private notes.

The moves come from workflow.moves_offered, and voting is open exactly while a move that needs a passed
vote is on offer, so no rule about states is written here.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from .. import workflow
from ..enums import State, VoteChoice
from ..models import Nomination, User, Vote
from ..naming import person_named
from ..schemas import without_nul
from ..workflow import Actor, Move
from .board_notes import NoteEntry, notes_for
from .deciders import check_decides, deciding_for, site_of
from .listing import Filters, NominationRow, list_nominations
from .nominations import get_nomination
from .redaction import Redactable, redactable_texts
from .votes import Tally, tally

MAX_CANDIDATES = 8
MAX_SEARCH_LENGTH = 200


@dataclass(frozen=True)
class VoteSummary:
    nomination_id: int
    voting_open: bool
    tally: Tally
    my_vote: VoteChoice | None


@dataclass(frozen=True)
class BoardPanel:
    nomination: Nomination
    moves: list[Move]  # open now
    waiting: list[Move]  # offered by the state, waiting for the board's vote to pass
    votes: VoteSummary
    owner: str | None
    board_members: list[tuple[int, str]]
    notes: list[NoteEntry]
    redactable: list[Redactable]


def board_panel(*, session: Session, nomination_id: int, viewer: User) -> BoardPanel:
    _board_only(session, viewer, nomination_id)
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    members = active_board_members(session=session, site_id=site_of(session=session, nomination_id=nomination_id))
    votes = vote_summary(session=session, nomination_id=nomination_id, viewer=viewer)
    offered = _board_moves(nomination, viewer)
    waiting = [move for move in offered if workflow.MOVES[move].needs_passed_vote and not votes.tally.passed]
    return BoardPanel(
        nomination=nomination,
        moves=[move for move in offered if move not in waiting],
        waiting=waiting,
        votes=votes,
        owner=dict(members).get(nomination.owner_id) or _owner_name(session, nomination.owner_id),
        board_members=members,
        notes=notes_for(session=session, nomination_id=nomination_id, viewer=viewer),
        redactable=redactable_texts(session=session, nomination=nomination),
    )


def vote_summary(*, session: Session, nomination_id: int, viewer: User) -> VoteSummary:
    _board_only(session, viewer, nomination_id)
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    voting_open = any(workflow.MOVES[move].needs_passed_vote for move in _board_moves(nomination, viewer))
    my_vote = session.exec(
        select(Vote.choice).where(Vote.nomination_id == nomination_id, Vote.voter_id == viewer.id)
    ).first()
    return VoteSummary(nomination_id, voting_open, tally(session=session, nomination_id=nomination_id), my_vote)


def active_board_members(*, session: Session, site_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of everyone who may own a nomination, by name: of the site's, when one is given."""
    rows = session.exec(select(User.id, User.name, User.email).where(deciding_for(site_id)))
    named = ((id_, person_named(name, email, acted_as=Actor.BOARD)) for id_, name, email in rows)
    return sorted(named, key=lambda member: member[1].casefold())


def duplicate_candidates(*, session: Session, nomination_id: int, q: str) -> list[NominationRow]:
    """Nominations whose title or description has every word typed, newest first, that may stay in this one's
    place (workflow.MERGE_TARGET_REFUSED); never the nomination itself.

    As on /nominations, the search is cut to its first MAX_SEARCH_LENGTH characters and NUL dropped: SQLite
    refuses a very long LIKE pattern and PostgreSQL any NUL."""
    q = without_nul(q)[:MAX_SEARCH_LENGTH]
    if not q.strip():
        return []
    filters = Filters(q=q, states=frozenset(State) - workflow.MERGE_TARGET_REFUSED)
    listing = list_nominations(session=session, page=1, per_page=MAX_CANDIDATES + 1, filters=filters)
    return [row for row in listing.rows if row.id != nomination_id][:MAX_CANDIDATES]


def _board_moves(nomination: Nomination, viewer: User) -> list[Move]:
    """The board's moves for this person; the submitter's withdraw stays on the page itself."""
    capacities = workflow.capacities(is_board=True,  # _board_only has checked
                                     is_submitter=nomination.submitter_id == viewer.id)
    offered = workflow.moves_offered(nomination.state, capacities)
    return [move for move in offered if workflow.MOVES[move].actor is Actor.BOARD]


def _owner_name(session: Session, user_id: int | None) -> str | None:
    """An owner is a board member, named as one."""
    user = session.get(User, user_id) if user_id else None
    return person_named(user.name, user.email, acted_as=Actor.BOARD) if user else None


def _board_only(session: Session, user: User, nomination_id: int) -> None:
    check_decides(session=session, user=user, nomination_id=nomination_id,
                  refusal="The board's panel is for board members only.")
