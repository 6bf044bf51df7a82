"""The board's revision form on a nomination's page: prefilled as it stands, refused beside its fields, kept in
the history."""

import re

import pytest

from burden_tracker.enums import EventKind, Role, State
from burden_tracker.models import Event, Nomination
from tests.support.factories import make_department, make_nomination, make_user
from tests.support.web import HTMX, count, csrf_token, sign_in


@pytest.fixture
def board_client(client, session):
    sign_in(client, make_user(session, Role.STAFF, Role.BOARD, can_sign_in=True, name="Dr. Alex Chen").email)
    return client


def fields_of(page: str) -> dict[str, str]:
    """The revision form's values as the page fills them."""
    form = page[page.index('id="revise"'):]
    form = form[:form.index("</form>")]
    values = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', form))
    values |= dict(re.findall(r'<select[^>]*name="([a-z_]+)"[^>]*>.*?<option selected value="([^"]*)"', form, re.S))
    return values


def post_revision(client, nomination, headers=HTMX, **changes):
    page = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    data = {**fields_of(page), "reason": "Timed on 4 West.", **changes}
    data["csrf_token"] = csrf_token(client, f"/nominations/{nomination.id}")
    return client.post(f"/nominations/{nomination.id}/revise", data=data, headers=headers)


def test_the_form_opens_with_every_value_as_it_stands(board_client, session):
    nomination = make_nomination(session, state=State.EVALUATED, board_minutes_per_occurrence=1.5)
    values = fields_of(board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True))
    assert values["minutes_per_occurrence"] == "1.5" and values["occurrences_per_week"] == "36"
    assert values["department_id"] == str(nomination.department_id)
    assert values["affected_role"] == "nurse" and values["requirement_source"] == "internal policy"


def test_a_revision_goes_back_to_the_page_which_shows_it_in_the_history(board_client, session):
    nomination = make_nomination(session, state=State.RETIRED)
    oncology = make_department(session, "Oncology")
    session.commit()
    response = post_revision(board_client, nomination, headers={}, department_id=str(oncology.id))
    assert response.status_code == 303
    page = board_client.get(response.location).get_data(as_text=True)
    assert "Revised: department Emergency Department → Oncology." in page
    assert "Revised: department Emergency Department → Oncology. Why: Timed on 4 West." in page  # the history


def test_a_refused_revision_is_the_panel_again_with_the_message_beside_the_field(board_client, session):
    nomination = make_nomination(session, state=State.EVALUATED)
    response = post_revision(board_client, nomination, clinicians_affected="0", reason="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="revise-clinicians_affected-error" class="field-error">Must be at least 1<', page)
    assert re.search(r'id="revise-note-error" class="field-error">Say why: the history keeps the reason', page)
    assert '<details id="revise" class="decision" open>' in page
    assert count(session, Event, kind=EventKind.REVISED) == 0


def test_a_withdrawn_nomination_offers_no_revision(board_client, session):
    nomination = make_nomination(session, state=State.WITHDRAWN)
    assert 'id="revise"' not in board_client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    token = csrf_token(board_client, f"/nominations/{nomination.id}")
    refused = board_client.post(f"/nominations/{nomination.id}/revise", headers=HTMX, data={
        "csrf_token": token, "version": "1", "minutes_per_occurrence": "1", "occurrences_per_week": "1",
        "clinicians_affected": "1", "department_id": str(nomination.department_id),
        "category_id": str(nomination.category_id), "affected_role": "nurse",
        "requirement_source": "internal policy", "reason": "Try anyway."})
    assert refused.status_code == 422 and "A withdrawn nomination cannot be revised." in refused.get_data(as_text=True)
    assert session.get(Nomination, nomination.id).estimate == (0.5, 36, 200)
    assert count(session, Event, kind=EventKind.REVISED) == 0
