"""/api/v1 with personal tokens, on both databases: a token, never a cookie, lets a program in; every refusal is a
problem document (RFC 9457); and the OpenAPI document and its page describe every operation."""

from burden_tracker import create_app
from burden_tracker.views import api_limits
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
                              "evaluate", "reopen", "retire", "reject", "duplicate", "vote", "revision")),
                          ("/api/v1/reports/{quarter}", "get"), ("/api/v1/reports/{quarter}/workbook", "get"),
                          ("/api/v1/metrics", "post")}
    assert document["components"]["securitySchemes"] == {"token": {"type": "http", "scheme": "bearer"}}
    listed = document["paths"]["/api/v1/nominations"]["get"]
    assert {parameter["name"] for parameter in listed["parameters"]} == {
        "state", "department_id", "category_id", "source", "q", "sort", "cursor", "limit"}


def test_the_docs_page_lists_each_operation_from_the_document(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /api/v1/nominations</code>" in page and "GET /api/v1/nominations/{nomination_id}</code>" in page
    assert "openapi.json" in page



def test_a_token_over_its_requests_a_minute_is_told_when_to_come_back(app, client, token):
    app.config["API_REQUESTS_PER_MINUTE"] = 3
    api_limits.init_app(app)  # the count is made with the setting it starts with
    secret = token()
    assert [client.get("/api/v1/nominations", headers=bearer(secret)).status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/nominations", headers=bearer(secret))
    assert refused.status_code == 429 and refused.content_type == PROBLEM
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json["detail"].startswith("This token may make 3 requests a minute.")
    assert client.get("/api/v1/nominations", headers=bearer(token())).status_code == 200  # another token's own count


def test_pages_of_other_sites_may_not_call_the_api_unless_their_origin_is_named(app, client, token):
    secret = token()
    intranet = {"Origin": "https://intranet.hospital.test"}
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/nominations",
                                                           headers=bearer(secret, **intranet)).headers
    app.config["API_CORS_ORIGINS"] = ("https://intranet.hospital.test",)
    preflight = client.options("/api/v1/nominations", headers={**intranet, "Access-Control-Request-Method": "GET",
                                                                "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://intranet.hospital.test"
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    called = client.get("/api/v1/nominations", headers=bearer(secret, **intranet))
    assert called.headers["Access-Control-Allow-Origin"] == "https://intranet.hospital.test"
    elsewhere = client.get("/api/v1/nominations", headers=bearer(secret, Origin="https://evil.example"))
    assert "Access-Control-Allow-Origin" not in elsewhere.headers and "Origin" in elsewhere.headers["Vary"]


def test_with_redis_every_app_server_counts_a_tokens_requests_together(database_url, engine, token):
    """Two apps stand for two worker processes: with REDIS_URL they share one count."""
    settings = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "k", "JOBS_URL": "immediate",
                "REDIS_URL": "redis://127.0.0.1:6379/14", "API_REQUESTS_PER_MINUTE": 2}
    first, second = create_app(settings), create_app(settings)
    secret = token()  # its own count: tokens are counted under their hash
    try:
        assert first.test_client().get("/api/v1/nominations", headers=bearer(secret)).status_code == 200
        assert second.test_client().get("/api/v1/nominations", headers=bearer(secret)).status_code == 200
        assert first.test_client().get("/api/v1/nominations", headers=bearer(secret)).status_code == 429
    finally:
        for app in (first, second):
            app.extensions["db_engine"].dispose()
