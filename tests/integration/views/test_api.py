"""/api/v1 with personal tokens, on both databases: a token, never a cookie, lets a program in; every refusal is a
problem document (RFC 9457); and the OpenAPI document and its page describe every operation."""

from tests.support.api import PROBLEM, bearer
from tests.support.factories import make_user
from tests.support.web import sign_in


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


def test_an_address_or_method_the_api_does_not_have_is_a_problem_not_a_page(client, token):
    for method, path, status in (("PUT", "/api/v1/nominations", 405), ("GET", "/api/v1/wards", 404)):
        answer = client.open(path, method=method, headers=bearer(token()))
        assert (answer.status_code, answer.content_type) == (status, PROBLEM)
        assert "Set-Cookie" not in answer.headers
    assert set(client.put("/api/v1/nominations").headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_the_document_is_openapi_3_1_made_from_the_same_models(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    operations = {(path, method) for path, methods in document["paths"].items() for method in methods}
    assert operations == {("/api/v1/nominations", "get"), ("/api/v1/nominations", "post"),
                          ("/api/v1/nominations/{nomination_id}", "get"),
                          ("/api/v1/nominations/{nomination_id}/support", "post"),
                          ("/api/v1/nominations/{nomination_id}/support", "delete"),
                          ("/api/v1/nominations/{nomination_id}/comments", "get"),
                          ("/api/v1/nominations/{nomination_id}/comments", "post"),
                          *((f"/api/v1/nominations/{{nomination_id}}/{decision}", "post") for decision in (
                              "evaluate", "reopen", "retire", "reject", "duplicate", "vote", "revision"))}
    assert document["components"]["securitySchemes"] == {"token": {"type": "http", "scheme": "bearer"}}
    listed = document["paths"]["/api/v1/nominations"]["get"]
    assert {parameter["name"] for parameter in listed["parameters"]} == {
        "state", "department_id", "category_id", "source", "q", "sort", "cursor", "limit"}


def test_the_docs_page_lists_each_operation_from_the_document(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /api/v1/nominations</code>" in page and "GET /api/v1/nominations/{nomination_id}</code>" in page
    assert "openapi.json" in page

