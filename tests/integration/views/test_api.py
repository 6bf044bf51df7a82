"""/api/v1 with personal tokens, on both databases: a token, never a cookie, lets a program in; a read token only
reads; the list pages behind cursors; one nomination names people as its page does; every refusal is a problem
document (RFC 9457) with a field for each refused value."""

from datetime import date

import pytest

from burden_tracker.enums import Role, State, TokenScope
from burden_tracker.services.api_tokens import create_token
from tests.support.factories import make_nomination, make_user
from tests.support.web import sign_in

PROBLEM = "application/problem+json"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def token(session):
    """make(*roles, scope=...): the secret of a token of a new person with those roles."""

    def make(*roles: Role, scope: TokenScope = TokenScope.READ, user=None) -> str:
        owner = user or make_user(session, *(roles or (Role.STAFF,)), can_sign_in=True)
        return create_token(session=session, user=owner, name="Tests", scope=scope)[1]

    return make


def test_without_a_token_the_api_answers_401_as_a_problem_even_to_a_signed_in_browser(client, session):
    person = make_user(session, can_sign_in=True)
    sign_in(client, person.email)
    answer = client.get("/api/v1/nominations")
    assert answer.status_code == 401 and answer.content_type == PROBLEM
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.json["title"] == "A token is needed." and "Set-Cookie" not in answer.headers


def test_a_wrong_token_is_refused_with_the_reason(client):
    answer = client.get("/api/v1/nominations", headers=bearer("bt_made-up"))
    assert answer.status_code == 401 and answer.json["detail"] == "The token is not known here, or was revoked."


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


def test_a_nomination_not_there_is_a_404_problem(client, token):
    answer = client.get("/api/v1/nominations/999999", headers=bearer(token()))
    assert answer.status_code == 404 and answer.content_type == PROBLEM


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.EXECUTIVE, Role.ADMIN])
def test_every_role_reads_nominations_through_a_token_as_on_pages(client, session, token, role):
    nomination = make_nomination(session)
    secret = token(role)
    assert client.get("/api/v1/nominations", headers=bearer(secret)).status_code == 200
    assert client.get(f"/api/v1/nominations/{nomination.id}", headers=bearer(secret)).status_code == 200


def test_an_address_or_method_the_api_does_not_have_is_a_problem_not_a_page(client, token):
    for method, path, status in (("POST", "/api/v1/nominations", 405), ("GET", "/api/v1/wards", 404)):
        answer = client.open(path, method=method, headers=bearer(token()))
        assert (answer.status_code, answer.content_type) == (status, PROBLEM)
        assert "Set-Cookie" not in answer.headers
    assert client.post("/api/v1/nominations").headers["Allow"] == "GET, HEAD, OPTIONS"


def test_the_document_is_openapi_3_1_made_from_the_same_models(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    operations = {(path, method) for path, methods in document["paths"].items() for method in methods}
    assert operations == {("/api/v1/nominations", "get"), ("/api/v1/nominations/{nomination_id}", "get")}
    assert document["components"]["securitySchemes"] == {"token": {"type": "http", "scheme": "bearer"}}
    listed = document["paths"]["/api/v1/nominations"]["get"]
    assert {parameter["name"] for parameter in listed["parameters"]} == {
        "state", "department_id", "category_id", "source", "q", "sort", "cursor", "limit"}


def test_the_docs_page_lists_each_operation_from_the_document(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /api/v1/nominations</code>" in page and "GET /api/v1/nominations/{nomination_id}</code>" in page
    assert "openapi.json" in page
