"""The tally of the board's votes on a nomination: counted by choice, against the active board members who decide
for its site (queries/deciders.py) and the quorum in the settings, and judged by workflow.vote_passed."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from .. import workflow
from ..enums import VoteChoice
from ..models import User, Vote
from .deciders import deciders, deciding_for, site_of
from .reference import get_settings


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


def tally(*, session: Session, nomination_id: int) -> Tally:
    """The votes of those who decide for the nomination's site now: a member since deactivated, or limited to other
    sites, or whose department moved, no longer counts, on either side of the quorum."""
    site = site_of(session=session, nomination_id=nomination_id)
    rows = session.exec(
        select(Vote.choice, func.count()).join(User, User.id == Vote.voter_id)
        .where(Vote.nomination_id == nomination_id, deciding_for(site)).group_by(Vote.choice)
    ).all()
    counts = {choice: 0 for choice in VoteChoice} | dict(rows)
    board_members = deciders(session=session, nomination_id=nomination_id)
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
