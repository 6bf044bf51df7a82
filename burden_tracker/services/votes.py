"""The board's votes on an evaluated nomination: one per member, changeable until the decision."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from .. import workflow
from ..enums import Role, VoteChoice
from ..errors import DomainError
from ..models import User, UserRole, Vote
from ..queries.reference import get_settings
from .nominations import get_nomination


@dataclass(frozen=True)
class Tally:
    approve: int
    reject: int
    abstain: int
    board_members: int
    passed: bool
    quorum_reached: bool = False

    @property
    def voted(self) -> int:
        return self.approve + self.reject + self.abstain


def cast_vote(*, session: Session, nomination_id: int, voter: User, choice: VoteChoice) -> Vote:
    if not voter.has_role(Role.BOARD):
        raise DomainError("Only board members vote.")
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    if nomination.state not in workflow.VOTING_STATES:
        raise DomainError(f"Votes are taken on evaluated nominations; this one is {nomination.state.value}.")
    vote = _find_vote(session, nomination_id, voter.id) or Vote(nomination_id=nomination_id, voter_id=voter.id)
    vote.choice = choice
    session.add(vote)
    try:
        session.commit()
    except IntegrityError:  # the same member's second click raced the first: change that one
        session.rollback()
        vote = _find_vote(session, nomination_id, voter.id)
        vote.choice = choice
        session.commit()
    return vote


def _find_vote(session: Session, nomination_id: int, voter_id: int) -> Vote | None:
    return session.exec(
        select(Vote).where(Vote.nomination_id == nomination_id, Vote.voter_id == voter_id)
    ).first()


def active_board_members(session: Session) -> int:
    query = (
        select(func.count())
        .select_from(User)
        .join(UserRole)
        .where(UserRole.role == Role.BOARD, User.active.is_(True))
    )
    return session.exec(query).one()


def tally(*, session: Session, nomination_id: int) -> Tally:
    rows = session.exec(
        select(Vote.choice, func.count()).where(Vote.nomination_id == nomination_id).group_by(Vote.choice)
    ).all()
    counts = {choice: 0 for choice in VoteChoice} | dict(rows)
    board_members = active_board_members(session)
    quorum_fraction = get_settings(session=session).quorum_fraction
    passed = workflow.vote_passed(
        approve=counts[VoteChoice.APPROVE],
        reject=counts[VoteChoice.REJECT],
        abstain=counts[VoteChoice.ABSTAIN],
        board_members=board_members,
        quorum_fraction=quorum_fraction,
    )
    # The quorum half of the one rule: had everyone who voted approved, the vote would pass exactly when quorum is met.
    voted = sum(counts.values())
    quorum_reached = workflow.vote_passed(approve=voted, reject=0, abstain=0, board_members=board_members,
                                          quorum_fraction=quorum_fraction)
    return Tally(counts[VoteChoice.APPROVE], counts[VoteChoice.REJECT], counts[VoteChoice.ABSTAIN],
                 board_members, passed, quorum_reached)
