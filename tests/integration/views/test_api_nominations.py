"""/api/v1/nominations with personal tokens, on both databases: the list with the page's filters behind cursors,
one nomination naming people as its page does, and a nomination made as the form makes it, refused values named."""

from datetime import date

import pytest

from burden_tracker.enums import Role, State, TokenScope
from tests.support.api import PROBLEM, bearer
from tests.support.factories import make_card, make_department, make_nomination, make_user


def test_a_read_token_lists_nominations_and_records_its_use(client, session, token):
    make_nomination(session, title="Fax the discharge summary twice", submitted_on=date(2026, 3, 2))
    secret = token()
    answer = client.get("/api/v1/nominations", headers=bearer(secret))
    assert answer.status_code == 200 and answer.content_type == "application/json"
    [listed] = answer.json["nominations"]
    assert listed["title"] == "Fax the discharge summary twice" and listed["state"] == "proposed"
    assert listed["submitted_on"] == "2026-03-02" and listed["address"].endswith(f"/nominations/{listed['id']}")
    assert answer.json["next_cursor"] is None


def test_the_list_pages_behind_cursors_through_every_nomination_once(client, session, token):
    for number in range(7):
        make_nomination(session, title=f"Burden number {number}", state=State.EVALUATED if number % 2 else
                        State.PROPOSED)
    secret, seen, cursor = token(), [], None
    while True:
        query = {"state": "proposed", "limit": "2", **({"cursor": cursor} if cursor else {})}
        answer = client.get("/api/v1/nominations", query_string=query, headers=bearer(secret)).json
        seen += [row["title"] for row in answer["nominations"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == ["Burden number 0", "Burden number 2", "Burden number 4", "Burden number 6"]


def test_a_cursor_sent_with_other_filters_or_forged_is_refused_beside_it(client, session, token):
    for number in range(3):
        make_nomination(session, title=f"Burden number {number}")
    secret = token()
    cursor = client.get("/api/v1/nominations?limit=1", headers=bearer(secret)).json["next_cursor"]
    for query in ({"limit": "1", "cursor": cursor, "q": "fax"}, {"cursor": "not-a-cursor"}):
        answer = client.get("/api/v1/nominations", query_string=query, headers=bearer(secret))
        assert answer.status_code == 422 and answer.content_type == PROBLEM
        assert "cursor" in answer.json["fields"]


def test_bad_filters_are_refused_with_a_field_for_each(client, token):
    answer = client.get("/api/v1/nominations", query_string={"state": "lost", "limit": "500", "colour": "red"},
                        headers=bearer(token()))
    assert answer.status_code == 422 and answer.content_type == PROBLEM
    assert set(answer.json["fields"]) == {"state", "limit", "colour"}


def test_one_nomination_names_its_submitter_unless_they_chose_anonymity(client, session, token):
    named = make_nomination(session, submitter=make_user(session, name="Priya Nair"), title="Named one")
    hidden = make_nomination(session, submitter=make_user(session, name="Dana Secret", email="dana@hospital.test"),
                             title="Anonymous one", anonymous=True)
    secret = token(Role.BOARD)
    shown = client.get(f"/api/v1/nominations/{named.id}", headers=bearer(secret)).json
    assert shown["submitter"] == "Priya Nair" and shown["version"] == named.version
    unnamed = client.get(f"/api/v1/nominations/{hidden.id}", headers=bearer(secret))
    assert "Dana" not in unnamed.get_data(as_text=True) and "dana@" not in unnamed.get_data(as_text=True)


def test_one_nomination_links_the_burden_card_it_was_begun_from(client, session, token):
    card = make_card(session, "IV site charted twice", organization="Valley Health")
    begun = make_nomination(session, title="Our IV site row", from_card_id=card.id)
    plain = make_nomination(session, title="Our own idea")
    card_id, secret = card.id, token()
    shown = client.get(f"/api/v1/nominations/{begun.id}", headers=bearer(secret)).json
    assert shown["from_card"] == f"http://localhost/commons/{card_id}"
    assert client.get(f"/api/v1/nominations/{plain.id}", headers=bearer(secret)).json["from_card"] is None


def test_a_nomination_not_there_is_a_404_problem(client, token):
    answer = client.get("/api/v1/nominations/999999", headers=bearer(token()))
    assert answer.status_code == 404 and answer.content_type == PROBLEM


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.EXECUTIVE, Role.ADMIN])
def test_every_role_reads_nominations_through_a_token_as_on_pages(client, session, token, role):
    nomination = make_nomination(session)
    secret = token(role)
    assert client.get("/api/v1/nominations", headers=bearer(secret)).status_code == 200
    assert client.get(f"/api/v1/nominations/{nomination.id}", headers=bearer(secret)).status_code == 200


NEW = {"title": "Second signature on the fall-risk form", "description": "Two nurses sign the same form.",
       "category": "form", "department": "Emergency", "affected_role": "nurse", "requirement_source": "internal policy",
       "minutes_per_occurrence": 1.5, "occurrences_per_week": 20, "clinicians_affected": 40}


@pytest.fixture
def emergency(session):
    return make_department(session, "Emergency")


def test_a_write_token_nominates_as_the_form_does(client, session, token, emergency):
    answer = client.post("/api/v1/nominations", json=NEW, headers=bearer(token(scope=TokenScope.WRITE)))
    assert answer.status_code == 201, answer.json
    created = answer.json
    assert (created["title"], created["state"], created["department"]) == (NEW["title"], "proposed", "Emergency")
    assert answer.headers["Location"] == f"/api/v1/nominations/{created['id']}"
    assert created["annual_hours"] == 920.0  # 1.5 min × 20 a week × 40 people × 46 working weeks ÷ 60


def test_a_refused_nomination_names_each_refused_value_and_stores_nothing(client, session, token, emergency):
    body = {**NEW, "title": "Fax", "clinicians_affected": 0, "department": "Nowhere", "colour": "red"}
    answer = client.post("/api/v1/nominations", json=body, headers=bearer(token(scope=TokenScope.WRITE)))
    assert answer.status_code == 422 and answer.content_type == PROBLEM
    assert {"title", "clinicians_affected", "colour"} <= set(answer.json["fields"])
    unknown_place = client.post("/api/v1/nominations", json={**NEW, "department": "Nowhere"},
                                headers=bearer(token(scope=TokenScope.WRITE)))
    assert unknown_place.status_code == 422 and unknown_place.json["fields"] == {
        "department": "is not a department we know"}
    assert client.get("/api/v1/nominations", headers=bearer(token())).json["nominations"] == []


def test_a_read_token_and_a_role_the_page_refuses_cannot_nominate(client, session, token, emergency):
    read_only = client.post("/api/v1/nominations", json=NEW, headers=bearer(token(scope=TokenScope.READ)))
    assert read_only.status_code == 403 and read_only.json["title"] == "This token only reads."
    executive = client.post("/api/v1/nominations", json=NEW,
                            headers=bearer(token(Role.EXECUTIVE, scope=TokenScope.WRITE)))
    assert executive.status_code == 403 and executive.json["detail"] == "It needs staff or board."

