"""/commons through the web, on SQLite and PostgreSQL: every signed-in person reads the cards other health systems
shared, searched and filtered, and staff begin a nomination of the same burden from one."""

import re

import pytest

from burden_tracker.enums import Outcome, Role
from tests.support.factories import make_card, make_nomination, make_user
from tests.support.web import HTMX, sign_in


def text_of(client, address: str, status: int = 200, headers=None) -> str:
    response = client.get(address, headers=headers)
    assert response.status_code == status, address
    return " ".join(response.get_data(as_text=True).split())


@pytest.fixture
def cards(session) -> dict[str, int]:
    ids = {"iv": make_card(session, "IV site charted twice", ehr_vendor="Epic", outcome=Outcome.REMOVED,
                           organization="Valley Health", what_changed="The second row went.").id,
           "fax": make_card(session, "Fax cover sheet on every referral", outcome=Outcome.CLARIFIED,
                            what_was_done="Faxed before each referral.").id}
    session.rollback()
    return ids


def test_the_cards_are_listed_with_their_sharer_or_unnamed(staff_client, cards):
    page = text_of(staff_client, "/commons")
    assert f'href="/commons/{cards["iv"]}"' in page and "Valley Health · retired 2026-06-01 · removed" in page
    assert "A health system that chose not to be named" in page
    assert '<a href="/commons">Elsewhere</a>' in page  # the main menu leads here


def test_search_and_filters_narrow_the_list_and_htmx_gets_only_the_list(staff_client, cards):
    assert "Fax cover" not in text_of(staff_client, "/commons?q=charted")
    only_epic = text_of(staff_client, "/commons?vendor=Epic&outcome=removed", headers=HTMX)
    assert "<html" not in only_epic and '<section id="card-list"' in only_epic  # the list, and its summary
    assert 'id="card-summary" class="filter-summary" role="status" hx-swap-oob="innerHTML">Cards 1–1' in only_epic
    assert "IV site" in only_epic and "Fax" not in only_epic
    clarified = text_of(staff_client, "/commons?outcome=clarified")
    assert "Fax cover" in clarified and "IV site" not in clarified
    assert "No card matches" in text_of(staff_client, "/commons?q=nothing+like+it")
    assert "No cards on page 3." in text_of(staff_client, "/commons?page=3")


def test_a_filter_it_cannot_read_is_ignored_and_said(staff_client, cards):
    page = text_of(staff_client, "/commons?vendor=Nobody&outcome=vanished&role=pilot&source=<b>")
    assert "We ignored what we could not read in the address: vendor, outcome, role, source." in page
    assert "IV site" in page and "Fax cover" in page


def test_a_card_page_says_what_they_changed_and_offers_to_nominate_it(staff_client, cards):
    page = text_of(staff_client, f"/commons/{cards['iv']}")
    assert "The second row went." in page and "Removed:" in page
    assert f'href="/nominations/new?card={cards["iv"]}"' in page and "Not yet." in page
    text_of(staff_client, "/commons/99999", status=404)


def test_an_executive_reads_a_card_but_is_not_offered_to_nominate_it(client, session, cards):
    executive = make_user(session, Role.EXECUTIVE, can_sign_in=True)
    session.commit()
    sign_in(client, executive.email)
    page = text_of(client, f"/commons/{cards['iv']}")
    assert "IV site charted twice" in page and "Nominate it here" not in page


def test_the_card_page_lists_the_nominations_begun_from_it(staff_client, session, cards):
    begun = make_nomination(session, title="Our IV site row", from_card_id=cards["iv"])
    session.rollback()
    page = text_of(staff_client, f"/commons/{cards['iv']}")
    assert re.search(rf'href="/nominations/{begun.id}">Our IV site row</a> <small>proposed</small>', page)


def test_signed_out_people_are_sent_to_sign_in(client, cards):
    response = client.get("/commons")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
