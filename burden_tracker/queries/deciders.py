"""Who decides for which site: the one place the rule lives.

A board member with no site listed (models.BoardSite) decides for every site, as every board member did before
sites. One limited to some sites sees only their nominations on the board's queue, has the board's panel only on
their nominations' pages, and is counted in the quorum of only their nominations' votes. On the other sites'
nominations they are like any member of staff.
"""

from sqlalchemy import exists, func, select
from sqlmodel import Session

from ..enums import Role
from ..errors import DomainError, NotYours
from ..models import BoardSite, Department, Nomination, Site, User, UserRole


def sites_decided_by(*, session: Session, user_id: int) -> frozenset[int] | None:
    """The sites they decide for; None for every site."""
    sites = frozenset(session.execute(select(BoardSite.site_id).where(BoardSite.user_id == user_id)).scalars())
    return sites or None


def site_of(*, session: Session, nomination_id: int) -> int | None:
    return session.execute(select(Department.site_id).join(Nomination, Nomination.department_id == Department.id)
                           .where(Nomination.id == nomination_id)).scalar()


def decides(*, session: Session, user: User, nomination_id: int) -> bool:
    """On the board, and deciding for the nomination's site (read only for a member limited to some sites)."""
    if not user.has_role(Role.BOARD):
        return False
    sites = sites_decided_by(session=session, user_id=user.id)
    return sites is None or site_of(session=session, nomination_id=nomination_id) in sites


def decides_at(*, session: Session, user: User, site_id: int | None) -> bool:
    """On the board, and deciding for the site."""
    if not user.has_role(Role.BOARD):
        return False
    sites = sites_decided_by(session=session, user_id=user.id)
    return sites is None or site_id in sites


def check_decides(*, session: Session, user: User, nomination_id: int, refusal: str) -> None:
    """Refuses anyone not on the board with `refusal`, and a board member of other sites saying which site this
    nomination is at."""
    if not user.has_role(Role.BOARD):
        raise DomainError(refusal)
    if not decides(session=session, user=user, nomination_id=nomination_id):
        refuse_another_site(session=session, nomination_id=nomination_id)


def refuse_another_site(*, session: Session, nomination_id: int) -> None:
    """Refuses a board member of other sites, saying which site the nomination is at."""
    site = session.get(Site, site_of(session=session, nomination_id=nomination_id))
    raise NotYours(f"This nomination is at {site.name if site else 'a site'}, which you do not decide for.")


def deciding_for(site_id: int | None):
    """A condition on User: an active board member who decides for the site; given None, for any site."""
    # Found from the board's roles (their index leads with the role), not by asking of every person whether they
    # have one: the staff grow with the program, the board does not.
    on_board = User.active.is_(True) & User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.BOARD))
    if site_id is None:
        return on_board
    limited = exists().where(BoardSite.user_id == User.id)
    at_site = exists().where(BoardSite.user_id == User.id, BoardSite.site_id == site_id)
    return on_board & (~limited | at_site)


def deciders(*, session: Session, nomination_id: int) -> int:
    """How many active board members decide for the nomination's site: what its vote's quorum counts."""
    site = site_of(session=session, nomination_id=nomination_id)
    return session.execute(select(func.count()).select_from(User).where(deciding_for(site))).scalar_one()


def deciders_among(*, session: Session, people: set[int], nomination_id: int) -> set[int]:
    """Those of the people who are active board members deciding for the nomination's site."""
    if not people:
        return set()
    site = site_of(session=session, nomination_id=nomination_id)
    return set(session.execute(select(User.id).where(User.id.in_(people), deciding_for(site))).scalars())
