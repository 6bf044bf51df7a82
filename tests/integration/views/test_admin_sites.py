"""An admin limits a board member to some sites on the person's page: offered only when there is more than one
site, saved with the roles, recorded in the security trail, and refused whole when a site is not one we know."""

import pytest
from sqlalchemy import select

from burden_tracker.enums import EventKind, Role, State
from burden_tracker.models import BoardSite, Event, EventNote, Nomination, User
from tests.support.factories import make_department, make_nomination, make_site, make_user
from tests.support.web import csrf_token, sign_in


@pytest.fixture
def admin_client(client, session):
    sign_in(client, make_user(session, Role.ADMIN, can_sign_in=True, email="admin@example.org").email)
    return client


@pytest.fixture
def member(session) -> int:
    """A board member's id (an expired User would read itself again, holding SQLite's lock)."""
    return make_user(session, Role.STAFF, Role.BOARD, email="linda@example.org", name="Linda Okoro").id


def save(client, member: int, roles: list[str], sites: list[str]):
    page = f"/admin/users/{member}"
    return client.post(f"{page}/roles", data={"roles": roles, "sites": sites, "csrf_token": csrf_token(client, page)})


def sites_of(session, member: int) -> set[int]:
    found = set(session.scalars(select(BoardSite.site_id).where(BoardSite.user_id == member)))
    session.rollback()
    return found


def admin_notes(session) -> list[str]:
    notes = list(session.scalars(select(EventNote.body).join(Event, Event.note_id == EventNote.id)
                                  .where(Event.kind == EventKind.ADMIN).order_by(Event.id)))
    session.rollback()
    return notes


def test_one_site_offers_no_choice_of_sites(admin_client, session, member):
    page = admin_client.get(f"/admin/users/{member}").get_data(as_text=True)
    assert "decides for" not in page and ">Save roles</button>" in page


def test_a_board_member_is_limited_to_a_site_and_then_freed_again(admin_client, session, member):
    queens, kona = make_site(session, "Queen's").id, make_site(session, "Kona").id
    session.rollback()  # hold no lock while the app works
    page = admin_client.get(f"/admin/users/{member}").get_data(as_text=True)
    assert "As a board member, decides for" in page and "None ticked: every site." in page
    assert save(admin_client, member, ["staff", "board"], [str(queens)]).status_code == 303
    assert sites_of(session, member) == {queens}
    page = admin_client.get(f"/admin/users/{member}").get_data(as_text=True)
    assert f'value="{queens}" checked' in page and f'value="{kona}" checked' not in page
    assert save(admin_client, member, ["staff", "board"], []).status_code == 303
    assert sites_of(session, member) == set()
    assert admin_notes(session) == ["User linda@example.org: decides for every site → Queen's",
                                    "User linda@example.org: decides for Queen's → every site"]


def test_leaving_the_board_leaves_its_sites(admin_client, session, member):
    queens = make_site(session, "Queen's").id
    session.rollback()
    save(admin_client, member, ["staff", "board"], [str(queens)])
    assert save(admin_client, member, ["staff"], [str(queens)]).status_code == 303
    assert sites_of(session, member) == set()


@pytest.mark.parametrize("site", ["999999", "Queen's", str(2**40)])
def test_a_site_we_do_not_know_changes_neither_roles_nor_sites(admin_client, session, member, site):
    make_site(session, "Queen's")
    session.rollback()
    refused = save(admin_client, member, ["staff", "board", "executive"], [site])
    assert refused.status_code == 422
    assert 'id="sites-error"' in refused.get_data(as_text=True)
    assert session.get(User, member, populate_existing=True).roles == {Role.STAFF, Role.BOARD}
    assert sites_of(session, member) == set() and admin_notes(session) == []


def test_a_member_limited_elsewhere_or_off_the_board_no_longer_owns_what_they_cannot_decide(
        admin_client, session, member):
    queens, kona = make_site(session, "Queen's"), make_site(session, "Kona")
    at_queens, at_kona = make_department(session, "Queen's ED", site=queens).id, make_department(
        session, "Kona clinic", site=kona).id
    owned = {name: make_nomination(session, title=name, department_id=department, state=state, owner_id=member).id
             for name, department, state in (("queens open", at_queens, State.EVALUATED),
                                             ("kona open", at_kona, State.PROPOSED),
                                             ("kona retired", at_kona, State.RETIRED))}
    queens_id = queens.id
    session.rollback()

    def owners() -> dict[str, int | None]:
        found = {name: session.get(Nomination, id_).owner_id for name, id_ in owned.items()}
        session.rollback()
        return found

    assert save(admin_client, member, ["staff", "board"], [str(queens_id)]).status_code == 303
    assert owners() == {"queens open": member, "kona open": None, "kona retired": member}
    assert admin_notes(session)[-1] == ("User linda@example.org: no longer owns 1 open nomination they do not "
                                        "decide")
    history = session.scalars(select(EventNote.body).join(Event, Event.note_id == EventNote.id).where(
        Event.nomination_id == owned["kona open"], Event.kind == EventKind.SCHEDULED)).all()
    session.rollback()
    assert history == ["Left it without an owner: its owner no longer decides for its site."]
    assert save(admin_client, member, ["staff"], []).status_code == 303
    assert owners() == {"queens open": None, "kona open": None, "kona retired": member}
