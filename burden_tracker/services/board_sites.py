"""Which sites a board member decides for, as an admin sets them on the person's page. The rule that reads them
is queries/deciders.py."""

from sqlalchemy import delete, select
from sqlmodel import Session

from ..enums import EventKind
from ..errors import DomainError
from ..models import BoardSite, Department, Event, Nomination, Site, User, event_note, utc_now
from ..queries.deciders import sites_decided_by
from ..workflow import OPEN_STATES


def set_board_sites(*, session: Session, user: User, site_ids: set[int], on_board: bool) -> str | None:
    """Replaces the sites they decide for (none: every site), without committing; returns the change in words, or
    None when nothing changed. Someone not on the board (`on_board`, as their roles are about to be) keeps none."""
    known = set(session.scalars(select(Site.id).where(Site.id.in_(site_ids)))) if site_ids else set()
    if site_ids - known:
        raise DomainError("Choose sites from the list.", fields={"sites": "choose sites from the list"})
    wanted = frozenset(site_ids if on_board else ())
    before = sites_decided_by(session=session, user_id=user.id) or frozenset()
    if wanted == before:
        return None
    session.execute(delete(BoardSite).where(BoardSite.user_id == user.id))
    session.add_all(BoardSite(user_id=user.id, site_id=site_id) for site_id in sorted(wanted))
    return f"decides for {_sites_named(session, before)} → {_sites_named(session, wanted)}"


def _sites_named(session: Session, site_ids: frozenset[int]) -> str:
    if not site_ids:
        return "every site"
    return ", ".join(sorted(session.scalars(select(Site.name).where(Site.id.in_(site_ids)))))


def release_ownership(session: Session, user_id: int, on_board: bool) -> int:
    """Leaves without an owner the open nominations they own but no longer decide (off the board, or at a site not
    theirs now), for the board to give another, each saying so in its history; how many."""
    session.flush()
    decided = sites_decided_by(session=session, user_id=user_id) if on_board else frozenset()
    if decided is None:  # every site
        return 0
    ours = Nomination.department_id.in_(select(Department.id).where(Department.site_id.in_(decided)))
    owned = session.scalars(select(Nomination).where(
        Nomination.owner_id == user_id, Nomination.state.in_(OPEN_STATES), ~ours)).all()
    for nomination in owned:
        nomination.owner_id, nomination.updated_at = None, utc_now()
        session.add(Event(nomination_id=nomination.id, kind=EventKind.SCHEDULED, note=event_note(
            "Left it without an owner: its owner no longer decides for its site.")))
    return len(owned)
