"""Who decides for which site, on both databases: a board member with no site ticked decides for every site, one
limited to some decides only there, and a vote's quorum counts the active board members who decide for its
nomination's site."""

from dataclasses import dataclass

import pytest
from sqlalchemy import delete, func, insert, select
from sqlmodel import Session

from bench.work import statements_of, work_of_statements
from burden_tracker.enums import Role, State, VoteChoice
from burden_tracker.errors import DomainError
from burden_tracker.models import BoardSite, Nomination, Site, User, UserRole, utc_now
from burden_tracker.queries.board_panel import active_board_members
from burden_tracker.queries.deciders import check_decides, deciders, decides, sites_decided_by
from burden_tracker.queries.votes import tally
from burden_tracker.services.votes import cast_vote
from tests.support.factories import limit_to_sites, make_department, make_nomination, make_site, make_user
from tests.support.work import MOST_EXTRA_WORK, as_the_app_keeps_them


@dataclass
class TwoHospitals:
    queens: Site
    kapiolani: Site
    at_queens: Nomination
    at_kapiolani: Nomination
    everywhere: User  # a board member with no site ticked
    queens_board: list[User]
    kapiolani_board: User
    staff: User


@pytest.fixture
def system(session) -> TwoHospitals:
    queens, kapiolani = make_site(session, "Queen's Medical Center"), make_site(session, "Kapiʻolani")
    emergency = make_department(session, "Emergency Department", site=queens)
    nicu = make_department(session, "NICU", site=kapiolani)
    everywhere = make_user(session, Role.BOARD, name="Dr. Alex Chen")
    queens_board = [make_user(session, Role.BOARD, name=name) for name in ("Linda Okoro", "Ben Ito")]
    kapiolani_board = make_user(session, Role.BOARD, name="Kai Akana")
    retired = make_user(session, Role.BOARD, name="Pat Long", active=False)
    for member in queens_board:
        limit_to_sites(session, member, queens)
    limit_to_sites(session, kapiolani_board, kapiolani)
    limit_to_sites(session, retired, kapiolani)
    return TwoHospitals(
        queens, kapiolani,
        make_nomination(session, state=State.EVALUATED, department_id=emergency.id, title="Sepsis alert fires twice"),
        make_nomination(session, state=State.EVALUATED, department_id=nicu.id, title="Feeding log charted twice"),
        everywhere, queens_board, kapiolani_board, make_user(session, name="Sam Rivera"))


def test_a_board_member_decides_for_every_site_unless_limited_and_staff_for_none(session, system):
    def decided(user: User) -> list[bool]:
        return [decides(session=session, user=user, nomination_id=n.id)
                for n in (system.at_queens, system.at_kapiolani)]

    assert decided(system.everywhere) == [True, True]
    assert decided(system.queens_board[0]) == [True, False]
    assert decided(system.kapiolani_board) == [False, True]
    assert decided(system.staff) == [False, False]
    assert sites_decided_by(session=session, user_id=system.everywhere.id) is None
    assert sites_decided_by(session=session, user_id=system.kapiolani_board.id) == {system.kapiolani.id}


def test_a_member_of_other_sites_is_told_which_site_the_nomination_is_at(session, system):
    with pytest.raises(DomainError, match="at Queen's Medical Center, which you do not decide for"):
        check_decides(session=session, user=system.kapiolani_board, nomination_id=system.at_queens.id,
                      refusal="Only board members vote.")
    with pytest.raises(DomainError, match="^Only board members vote.$"):
        check_decides(session=session, user=system.staff, nomination_id=system.at_queens.id,
                      refusal="Only board members vote.")


def test_the_quorum_counts_the_active_members_who_decide_for_the_site(session, system):
    # Queen's: Alex, Linda, Ben. Kapiʻolani: Alex and Kai (Pat, limited there too, is inactive).
    assert deciders(session=session, nomination_id=system.at_queens.id) == 3
    assert deciders(session=session, nomination_id=system.at_kapiolani.id) == 2


def test_a_vote_passes_with_the_sites_own_board_though_the_others_never_voted(session, system):
    for voter in (system.everywhere, system.kapiolani_board):
        cast_vote(session=session, nomination_id=system.at_kapiolani.id, voter=voter, choice=VoteChoice.APPROVE)
    kapiolani = tally(session=session, nomination_id=system.at_kapiolani.id)
    assert (kapiolani.board_members, kapiolani.approve, kapiolani.passed) == (2, 2, True)
    # Two of the four active board members would not be more than half of the whole board.
    cast_vote(session=session, nomination_id=system.at_queens.id, voter=system.everywhere, choice=VoteChoice.APPROVE)
    queens = tally(session=session, nomination_id=system.at_queens.id)
    assert (queens.board_members, queens.voted, queens.passed, queens.quorum_reached) == (3, 1, False, False)


def test_a_member_of_other_sites_cannot_vote_and_nothing_is_counted(session, system):
    with pytest.raises(DomainError, match="which you do not decide for"):
        cast_vote(session=session, nomination_id=system.at_kapiolani.id, voter=system.queens_board[0],
                  choice=VoteChoice.APPROVE)
    session.rollback()
    assert tally(session=session, nomination_id=system.at_kapiolani.id).voted == 0


def test_votes_of_members_who_no_longer_decide_for_the_site_no_longer_count(session, system):
    linda = system.queens_board[0]
    for voter, choice in ((system.everywhere, VoteChoice.APPROVE), (system.queens_board[1], VoteChoice.APPROVE),
                          (linda, VoteChoice.REJECT)):
        cast_vote(session=session, nomination_id=system.at_queens.id, voter=voter, choice=choice)
    assert tally(session=session, nomination_id=system.at_queens.id).passed
    limit_to_sites(session, system.everywhere, system.kapiolani)  # an admin moves two of them to other sites
    session.execute(delete(BoardSite).where(BoardSite.user_id == system.queens_board[1].id))
    limit_to_sites(session, system.queens_board[1], system.kapiolani)
    after = tally(session=session, nomination_id=system.at_queens.id)
    assert (after.board_members, after.approve, after.reject, after.passed) == (1, 0, 1, False)


def test_the_board_is_found_without_reading_every_person(session, engine):
    """The staff grow with the program and the board does not: finding the board reads as much with 400 staff as
    with 8,400 (the work counted as bench/work.py counts it)."""
    for _ in range(3):
        make_user(session, Role.STAFF, Role.BOARD)

    def staff(count: int) -> None:
        first = session.scalar(select(func.max(User.id))) + 1
        session.execute(insert(User.__table__), [{"email": f"staff{first + n}@scale.test", "name": "Staff",
                                                  "active": True, "created_at": utc_now()} for n in range(count)])
        session.execute(insert(UserRole.__table__), [{"user_id": first + n, "role": Role.STAFF}
                                                     for n in range(count)])
        session.commit()

    def board():
        with Session(engine) as reading:
            active_board_members(session=reading)

    def work() -> float:
        as_the_app_keeps_them(engine)
        return work_of_statements(engine, statements_of(engine, board, table="users"), table="users")

    staff(400)
    before = work()
    staff(8_000)
    after = work()
    assert after / before <= MOST_EXTRA_WORK, (before, after)
