"""The board's votes on an evaluated nomination: one per member, changeable until the decision.
The tally is read in queries/votes.py."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from .. import workflow
from ..enums import VoteChoice
from ..errors import DomainError
from ..models import User, Vote
from ..queries.deciders import check_decides
from ..queries.nominations import get_nomination


def cast_vote(*, session: Session, nomination_id: int, voter: User, choice: VoteChoice) -> Vote:
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    check_decides(session=session, user=voter, nomination_id=nomination_id, refusal="Only board members vote.")
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
