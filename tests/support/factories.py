"""make_* factories with sensible defaults; override only what a test is about."""

import itertools
from datetime import date, timedelta

from sqlalchemy import select
from sqlmodel import Session

from burden_tracker.enums import AffectedRole, RequirementSource, Role, State, VoteChoice
from burden_tracker.models import (
    BoardSite,
    Category,
    CommonsCard,
    Department,
    FailureTally,
    Nomination,
    Site,
    Supporter,
    User,
    UserRole,
)
from burden_tracker.queries.reference import find_by_name, first_site_id
from burden_tracker.services.nominations import support
from burden_tracker.services.transitions import move_nomination
from burden_tracker.services.votes import cast_vote
from burden_tracker.workflow import Move
from tests.support.web import password_hash

_serial = itertools.count(1)


def make_user(session: Session, *roles: Role, email: str | None = None, name: str = "", active=True,
              can_sign_in=False) -> User:
    """can_sign_in gives the user tests.support.web.PASSWORD (hashing takes ~0.1 s, so only when asked)."""
    number = next(_serial)
    user = User(email=email or f"person{number}@example.org", name=name or f"Person {number}", active=active,
                password_hash=password_hash() if can_sign_in else None)
    user.role_links = [UserRole(role=role) for role in (roles or (Role.STAFF,))]
    session.add(user)
    session.commit()
    return user


def make_department(session: Session, name: str = "Emergency Department", *, site: Site | None = None) -> Department:
    department = find_by_name(session, Department, name)
    if department is None:
        department = Department(name=name, site_id=site.id if site else first_site_id(session=session))
        session.add(department)
        session.commit()
    return department


def make_site(session: Session, name: str) -> Site:
    site = Site(name=name)
    session.add(site)
    session.commit()
    return site


def make_card(session: Session, title: str, **fields) -> CommonsCard:
    """A burden card another health system shared, as an import keeps it (services/commons.import_cards)."""
    number = next(_serial)
    values = {"card_id": f"urn:uuid:00000000-0000-4000-8000-{number:012d}", "title": title,
              "what_was_done": "Charted in two places.", "what_changed": "One place left.", "category": "documentation",
              "affected_role": AffectedRole.NURSE, "requirement_source": RequirementSource.INTERNAL_POLICY,
              "estimated_hours_per_year": 1000.0, "retired_on": date(2026, 6, 1)}
    card = CommonsCard(**(values | fields))
    session.add(card)
    session.commit()
    return card


def limit_to_sites(session: Session, user: User, *sites: Site) -> None:
    """The board member decides for these sites only, as an admin's ticks on their page say."""
    session.add_all(BoardSite(user_id=user.id, site_id=site.id) for site in sites)
    session.commit()


def make_nomination(session: Session, *, submitter: User | None = None, state: State = State.PROPOSED,
                    **overrides) -> Nomination:
    """A nomination placed directly in the given state, as an import would place it."""
    values = dict(
        title="Pain reassessment row charted twice",
        description="Nurses chart the same pain score in two flowsheet rows.",
        affected_role=AffectedRole.NURSE,
        minutes_per_occurrence=0.5,
        occurrences_per_week=36,
        clinicians_affected=200,
        requirement_source=RequirementSource.INTERNAL_POLICY,
        submitted_on=date(2026, 1, 5),
    )
    values.update(overrides)
    if state is not State.PROPOSED:
        values.setdefault("board_minutes_per_occurrence", values["minutes_per_occurrence"])
        values.setdefault("board_occurrences_per_week", values["occurrences_per_week"])
        values.setdefault("board_clinicians_affected", values["clinicians_affected"])
    values.setdefault("category_id", find_by_name(session, Category, "task").id)
    values.setdefault("department_id", make_department(session).id)
    nomination = Nomination(**values, state=state, submitter_id=(submitter or make_user(session)).id)
    session.add(nomination)
    session.commit()
    return nomination


def make_duplicate_pair(session: Session) -> tuple[User, User, User, Nomination, Nomination]:
    """(alice, bob, carol, survivor, duplicate): alice submitted the survivor and bob the duplicate; carol supports
    both, and alice supports the duplicate. Merging should leave carol once, alice not at all, and bob joining."""
    alice, bob, carol = make_user(session), make_user(session), make_user(session)
    survivor = make_nomination(session, submitter=alice, title="Fall-risk rescoring every shift")
    duplicate = make_nomination(session, submitter=bob, title="Morse score again at night")
    for nomination, user in ((survivor, carol), (duplicate, carol), (duplicate, alice)):
        support(session=session, nomination_id=nomination.id, user=user, occurrences_per_week=7)
    return alice, bob, carol, survivor, duplicate


def add_supporters(session: Session, nomination: Nomination, how_many: int) -> None:
    """how_many new people support the nomination, three times a week each."""
    session.add_all(Supporter(nomination_id=nomination.id, user_id=make_user(session).id, occurrences_per_week=3)
                    for _ in range(how_many))
    session.commit()


def time_passes(session, seconds: float) -> None:
    """As if `seconds` had gone by: every time the database's count holds moves that far back."""
    for tally in session.scalars(select(FailureTally)):
        tally.recent = " ".join(f"{float(at) - seconds:.3f}" for at in tally.recent.split())
        tally.held_until = tally.held_until and tally.held_until - timedelta(seconds=seconds)
        tally.forget_at -= timedelta(seconds=seconds)
    session.commit()


def retire_through_the_board(session: Session, nomination: Nomination, retired_on: date,
                             note: str = "It stopped.", outcome: str = "removed") -> Nomination:
    """As the board does it today: every member approves, then one retires it from the given effective date."""
    board = session.scalars(select(User).join(UserRole).where(UserRole.role == Role.BOARD)).all() or [
        make_user(session, Role.BOARD)]
    for member in board:
        cast_vote(session=session, nomination_id=nomination.id, voter=member, choice=VoteChoice.APPROVE)
    return move_nomination(session=session, nomination_id=nomination.id, move=Move.RETIRE, actor=board[0],
                           expected_version=session.get(Nomination, nomination.id).version,
                           fields={"retired_on": retired_on, "outcome": outcome, "note": note})


def as_it_stands(nomination: Nomination, **changes) -> dict:
    """The revision form's values as it opens (every value as it stands), with these changed."""
    minutes, per_week, clinicians = nomination.estimate
    return {"minutes_per_occurrence": minutes, "occurrences_per_week": per_week, "clinicians_affected": clinicians,
            "department_id": nomination.department_id, "category_id": nomination.category_id,
            "affected_role": AffectedRole(nomination.affected_role).value,
            "requirement_source": RequirementSource(nomination.confirmed_source
                                                    or nomination.requirement_source).value,
            "reason": "Checked with the unit managers.", **changes}
