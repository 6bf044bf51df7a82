"""The board's panel for a board member limited to some sites: theirs on their sites' nominations, none on the
others', where every board route answers 403 and changes nothing; owners are offered from the site's board."""

import re

import pytest

from burden_tracker.enums import Role, State
from burden_tracker.models import BoardNote, Nomination, Vote
from tests.support.factories import limit_to_sites, make_department, make_nomination, make_site, make_user
from tests.support.web import HTMX, count, csrf_token, sign_in


@pytest.fixture
def hospitals(session):
    """(Queen's nomination, Kapiʻolani nomination), a Queen's board member signed in on `client`, and a Kapiʻolani
    one."""
    queens, kapiolani = make_site(session, "Queen's"), make_site(session, "Kapiʻolani")
    at_queens = make_nomination(session, state=State.EVALUATED, title="Sepsis alert fires twice",
                                department_id=make_department(session, "Emergency Department", site=queens).id)
    at_kapiolani = make_nomination(session, state=State.EVALUATED, title="Feeding log charted twice",
                                   department_id=make_department(session, "NICU", site=kapiolani).id)
    linda = make_user(session, Role.STAFF, Role.BOARD, name="Linda Okoro", can_sign_in=True)
    kai = make_user(session, Role.BOARD, name="Kai Akana")
    limit_to_sites(session, linda, queens)
    limit_to_sites(session, kai, kapiolani)
    return at_queens, at_kapiolani, linda, kai


def page(client, nomination: Nomination) -> str:
    response = client.get(f"/nominations/{nomination.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_panel_is_on_their_sites_nominations_only(client, session, hospitals):
    at_queens, at_kapiolani, linda, _kai = hospitals
    sign_in(client, linda.email)
    assert 'id="board-panel"' in page(client, at_queens)
    elsewhere = page(client, at_kapiolani)
    assert 'id="board-panel"' not in elsewhere and "Feeding log charted twice" in elsewhere


@pytest.mark.parametrize("route, data", [
    ("votes", {"choice": "approve"}), ("board-notes", {"body": "Asked the NICU manager."}),
    ("reject", {"version": "1", "note": "Required by the state."}), ("tally", None),
])
def test_every_board_route_on_another_sites_nomination_answers_403_and_changes_nothing(client, session, hospitals,
                                                                                        route, data):
    _at_queens, at_kapiolani, linda, _kai = hospitals
    sign_in(client, linda.email)
    address = f"/nominations/{at_kapiolani.id}/{route}"
    if data is None:
        response = client.get(address, headers=HTMX)
    else:
        token = csrf_token(client, f"/nominations/{at_kapiolani.id}")
        response = client.post(address, data={"csrf_token": token, **data}, headers=HTMX)
    assert response.status_code == 403
    assert count(session, Vote) == 0 and count(session, BoardNote) == 0
    assert session.get(Nomination, at_kapiolani.id).state is State.EVALUATED


def test_the_owners_offered_are_the_board_members_who_decide_for_the_site(client, session, hospitals):
    at_queens, _at_kapiolani, linda, _kai = hospitals
    make_user(session, Role.BOARD, name="Dr. Alex Chen")  # decides for every site
    at_queens.state = State.PROPOSED
    session.add(at_queens)
    session.commit()
    sign_in(client, linda.email)
    owners = re.search(r'<select[^>]*id="evaluate-owner_id".*?</select>', page(client, at_queens), re.S).group(0)
    assert "Linda Okoro" in owners and "Dr. Alex Chen" in owners and "Kai Akana" not in owners
