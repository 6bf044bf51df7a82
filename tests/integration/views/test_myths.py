"""The regulatory-myth library through the web: read by everyone signed in, offered while a nomination is typed,
cited by the board as it evaluates, listed on the nomination's page and the entry's."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from burden_tracker.enums import Role
from burden_tracker.models import Myth
from burden_tracker.services.myths import add_library
from tests.support.factories import make_nomination, make_user
from tests.support.web import HTMX, csrf_token, sign_in


@pytest.fixture
def library(session) -> dict[str, int]:
    """Ids of the shipped entry on pain at every visit, and of a draft."""
    add_library(session=session)
    pain = session.scalar(select(Myth.id).where(Myth.key == "pain-every-visit"))
    draft = Myth(belief="A draft no one but admins reads.", actually="Not checked yet.", citation="None",
                 source_url="https://example.org/", reviewed_on=date(2026, 12, 1))
    session.add(draft)
    session.commit()
    ids = {"pain": pain, "draft": draft.id}
    session.rollback()
    return ids


def text_of(client, address: str, status: int = 200, headers=None) -> str:
    response = client.get(address, headers=headers)
    assert response.status_code == status, address
    return response.get_data(as_text=True)


def test_staff_read_and_search_the_library_but_never_a_draft(staff_client, library):
    listing = text_of(staff_client, "/myths?q=pain")
    assert f'href="/myths/{library["pain"]}"' in listing and "A draft no one" not in listing
    entry = text_of(staff_client, f"/myths/{library['pain']}")
    assert "What the rule actually says" in entry and "PC.01.02.07" in entry
    assert 'rel="noopener noreferrer external"' in entry and "The source gives none." in entry
    text_of(staff_client, f"/myths/{library['draft']}", status=404)


def test_typing_a_nomination_offers_the_entry_beside_the_similar_nominations(staff_client, library):
    fragment = text_of(staff_client, "/nominations/similar?title=Pain+score&description=asked+at+every+visit",
                       headers=HTMX)
    assert "Is it really required?" in fragment and f'href="/myths/{library["pain"]}"' in fragment


def test_the_board_cites_an_entry_while_evaluating_and_both_pages_show_it(client, session, library):
    board = make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True)
    nomination = make_nomination(session, title="Pain scored at every clinic visit",
                                 description="MAs ask every patient to rate pain at every visit.")
    nomination_id = nomination.id
    session.rollback()
    sign_in(client, board.email)
    page = text_of(client, f"/nominations/{nomination_id}")
    offered = re.findall(r'name="myths" value="(\d+)"', page)
    assert offered[0] == str(library["pain"]) and str(library["draft"]) not in offered  # the most alike first
    evaluated = client.post(f"/nominations/{nomination_id}/evaluate", headers=HTMX, data={
        "csrf_token": csrf_token(client, f"/nominations/{nomination_id}"), "version": "1",
        "minutes_per_occurrence": "0.5", "occurrences_per_week": "40", "clinicians_affected": "30",
        "confirmed_source": "regulation or accreditation", "note": "Nothing requires it.", "owner_id": "",
        "myths": str(library["pain"])})
    assert evaluated.status_code == 200 and evaluated.headers["HX-Redirect"] == f"/nominations/{nomination_id}"
    assert "Rests on a regulatory myth" in text_of(client, f"/nominations/{nomination_id}")
    assert "Pain scored at every clinic visit" in text_of(client, f"/myths/{library['pain']}")


def test_an_admin_writes_an_entry_that_stays_a_draft_until_published(client, session):
    admin = make_user(session, Role.ADMIN, can_sign_in=True)
    sign_in(client, admin.email)
    refused = client.post("/admin/myths/new", data={"csrf_token": csrf_token(client, "/admin/myths/new"),
                                                     "belief": "Short", "source_url": "javascript:alert(1)"})
    assert refused.status_code == 422
    assert 'id="source_url-error"' in refused.get_data(as_text=True)
    saved = client.post("/admin/myths/new", data={
        "csrf_token": csrf_token(client, "/admin/myths/new"), "belief": "Lab requisitions need a wet signature.",
        "actually": "Medicare does not ask for a signature on these orders.", "citation": "Pub. 100-02 ch. 15 §80.6",
        "source_url": "https://www.cms.gov/lab-test-order-requirements", "source_date": "", "keywords": "lab"})
    assert saved.status_code == 303
    entry = saved.headers["Location"]
    assert "Draft" in text_of(client, entry) and "Lab requisitions" not in text_of(client, "/myths")
    published = client.post(f"{entry.replace('/myths/', '/admin/myths/')}/publish",
                            data={"csrf_token": csrf_token(client, entry)})
    assert published.status_code == 303
    assert "Lab requisitions need a wet signature." in text_of(client, "/myths")
