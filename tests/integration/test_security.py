"""What every response tells the browser, snapshotted with exact values so that any change shows up here: the
headers on a page, a fragment, a static file, a download and an error page, over HTTP and HTTPS; signing out, with
cookies cleared or, as an installation may choose, not; the session cookie's attributes; a proxy believed only when
configured; the body size limit; and error pages, a failing view's included, that reveal nothing of the inside."""

import re

import pytest
from flask import request
from sqlalchemy import func, select, text

from burden_tracker import create_app
from burden_tracker.db import get_session
from burden_tracker.enums import Role
from burden_tracker.models import Nomination
from tests.support.factories import make_department, make_user
from tests.support.web import HTMX, csrf_token, sign_in

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
EVERY_RESPONSE = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
}
HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
PAGE = {"Content-Type": "text/html; charset=utf-8", "Vary": "HX-Request, Cookie", "Cache-Control": "no-store",
        **EVERY_RESPONSE}
STATIC_FILE = {"Content-Type": "text/css; charset=utf-8", "Content-Disposition": "inline; filename=app.css",
               "Cache-Control": "no-cache", "Accept-Ranges": "bytes", "Vary": "Cookie", **EVERY_RESPONSE}
WORKBOOK = {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": "attachment; filename=burden-tracker-2026-Q3.xlsx",
            "Cache-Control": "private, no-store", "Accept-Ranges": "bytes", "Vary": "Cookie", **EVERY_RESPONSE}
# Their values follow the content, the clock or the session: checked elsewhere, or only present.
CHANGING = {"Content-Length", "Date", "ETag", "Last-Modified", "Set-Cookie"}
HTTPS = "https://localhost"
SECRET = "the database password is hunter2"
NOMINATION = {
    "title": "Pain score charted twice", "description": "The same pain score in two flowsheet rows.",
    "category": "documentation", "department": "Surgery", "affected_role": "nurse",
    "minutes_per_occurrence": "0.4", "occurrences_per_week": "36", "clinicians_affected": "900",
    "requirement_source": "internal policy",
}
GENERIC = {
    404: "There is no such page",
    405: "That cannot be done here",
    413: "That was too large to accept",
    500: "Something went wrong on our side",
}
WERKZEUG_WORDS = ["was not found on the server", "method is not allowed", "exceeds the capacity limit",
                  "Internal Server Error", "Traceback", "RuntimeError", "ProgrammingError", "no_such_table"]


def snapshot(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in CHANGING}


def add_test_routes(app) -> None:
    """Routes of these tests only (before the app's first request): two that fail, one that tells what the app
    believes of the request."""

    @app.get("/test-only/fail")
    def fail():
        raise RuntimeError(SECRET)

    @app.get("/test-only/bad-query")
    def bad_query():
        get_session().execute(text("SELECT * FROM no_such_table"))

    @app.get("/test-only/request")
    def describe():
        return {"scheme": request.scheme, "host": request.host, "remote_addr": request.remote_addr}


def use_https(client) -> None:
    """Every later request over HTTPS, with the Referer a browser sends (Flask-WTF checks it on HTTPS posts)."""
    client.application.config["PREFERRED_URL_SCHEME"] = "https"
    client.environ_base["HTTP_REFERER"] = HTTPS + "/login"


def cookie_attributes(response) -> str:
    [set_cookie] = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    return set_cookie.split(";", 1)[1].strip()


@pytest.fixture
def person(client, session):
    make_department(session, "Surgery")
    user = make_user(session, Role.STAFF, Role.EXECUTIVE, can_sign_in=True)
    assert sign_in(client, user.email).status_code == 302
    return user


@pytest.fixture
def app_behind_one_proxy(engine, database_url):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only",
                      "PROXY_FIX": 1})
    yield app
    app.extensions["db_engine"].dispose()


def nominations(session) -> int:
    count = session.scalar(select(func.count()).select_from(Nomination))
    session.rollback()  # on SQLite an open transaction would hold the lock the app needs
    return count


def test_a_page_carries_the_security_headers_and_is_never_stored(client, person):
    assert snapshot(client.get("/nominations")) == PAGE


def test_over_https_a_page_also_tells_the_browser_to_keep_to_https(client, person):
    assert snapshot(client.get("/nominations", base_url=HTTPS)) == {**PAGE, **HSTS}


def test_a_fragment_carries_the_same_headers_as_its_page(client, person):
    response = client.get("/nominations", headers=HTMX)
    assert "<html" not in response.get_data(as_text=True)
    assert snapshot(response) == {**PAGE, "HX-Push-Url": "/nominations"}


@pytest.mark.parametrize("base_url,extra", [("http://localhost", {}), (HTTPS, HSTS)])
def test_a_static_file_stays_cacheable(client, person, base_url, extra):
    response = client.get("/static/css/app.css", base_url=base_url)
    assert snapshot(response) == {**STATIC_FILE, **extra}
    assert {"ETag", "Last-Modified"} <= set(response.headers.keys())


def test_a_download_keeps_the_cache_control_its_view_chose(client, person):
    response = client.get("/reports/2026-Q3.xlsx")
    response.get_data()
    response.close()  # the workbook is streamed from a temporary file
    assert snapshot(response) == WORKBOOK


@pytest.mark.parametrize("base_url,extra", [("http://localhost", {}), (HTTPS, HSTS)])
def test_error_pages_carry_the_headers_and_say_only_what_to_do(client, person, base_url, extra):
    missing = client.get("/no-such-page", base_url=base_url)
    assert missing.status_code == 404 and snapshot(missing) == {**PAGE, **extra}
    not_here = client.post("/nominations", base_url=base_url)
    assert not_here.status_code == 405
    headers = snapshot(not_here)
    assert sorted(headers.pop("Allow").split(", ")) == ["GET", "HEAD", "OPTIONS"]
    assert headers == {**PAGE, **extra}
    for response in (missing, not_here):
        html = response.get_data(as_text=True)
        assert f"<h1>{GENERIC[response.status_code]}</h1>" in html
        assert not [words for words in WERKZEUG_WORDS if words in html]


def test_signing_out_tells_the_browser_to_drop_the_sites_cookies_and_storage(client, person):
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    assert response.status_code == 303
    headers = snapshot(response)
    # The device cookie's one-time handover (integration/views/test_sign_in_guard.py): a new random name each time.
    assert re.fullmatch(r"/login\?signed_out=yes&device=[A-Za-z0-9_-]{32}", headers.pop("Location"))
    assert headers == {**PAGE, "Vary": "Cookie", "Clear-Site-Data": '"cookies", "storage"'}


def test_an_installation_sharing_its_domain_has_signing_out_drop_storage_only(client, person):
    client.application.config["SIGN_OUT_CLEARS_COOKIES"] = False
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    assert response.status_code == 303
    assert snapshot(response) == {**PAGE, "Vary": "Cookie", "Location": "/login?signed_out=yes",
                                  "Clear-Site-Data": '"storage"'}


@pytest.mark.parametrize("value,clears", [(None, True), ("", True), ("1", True), ("on", True), ("0", False),
                                          ("off", False), (" False ", False), ("no", False)])
def test_signing_out_clears_cookies_unless_the_environment_says_not_to(monkeypatch, database_url, value, clears):
    if value is None:
        monkeypatch.delenv("SIGN_OUT_CLEARS_COOKIES", raising=False)
    else:
        monkeypatch.setenv("SIGN_OUT_CLEARS_COOKIES", value)
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only"})
    app.extensions["db_engine"].dispose()
    assert app.config["SIGN_OUT_CLEARS_COOKIES"] is clears


def test_a_mistyped_sign_out_setting_stops_the_app_from_starting(monkeypatch, database_url):
    monkeypatch.setenv("SIGN_OUT_CLEARS_COOKIES", "maybe")
    with pytest.raises(ValueError, match="SIGN_OUT_CLEARS_COOKIES must be on or off"):
        create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only"})


def test_the_session_cookie_is_kept_from_scripts_and_other_sites(client, session):
    user = make_user(session, can_sign_in=True)
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert cookie_attributes(response) == "HttpOnly; Path=/; SameSite=Lax"


def test_over_https_the_session_cookie_is_also_secure(client, session):
    user = make_user(session, can_sign_in=True)
    use_https(client)
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert cookie_attributes(response) == "Secure; HttpOnly; Path=/; SameSite=Lax"


def sign_in_with_forwarded_headers(app, client, session, **environ):
    """Signs in and asks /test-only/request with the headers a proxy adds (scheme, address and host), forged or
    not: (the sign-in's response, what the app saw of the request)."""
    add_test_routes(app)
    client.environ_base.update({"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_FOR": "203.0.113.9",
                                "HTTP_X_FORWARDED_HOST": "tracker.example", **environ})
    signed_in = sign_in(client, make_user(session, can_sign_in=True).email)
    assert signed_in.status_code == 302
    return signed_in, client.get("/test-only/request")


def test_behind_a_configured_proxy_its_forwarded_address_and_scheme_are_believed(app_behind_one_proxy, session):
    signed_in, response = sign_in_with_forwarded_headers(app_behind_one_proxy, app_behind_one_proxy.test_client(),
                                                         session, HTTP_REFERER="https://localhost/login")
    assert cookie_attributes(signed_in) == "Secure; HttpOnly; Path=/; SameSite=Lax"
    # Not its host: many proxies pass a client's own X-Forwarded-Host through untouched.
    assert response.json == {"scheme": "https", "host": "localhost", "remote_addr": "203.0.113.9"}
    assert snapshot(response) == {**PAGE, "Content-Type": "application/json", "Vary": "Cookie", **HSTS}


def test_without_a_configured_proxy_forwarded_headers_change_nothing(app, client, session):
    signed_in, response = sign_in_with_forwarded_headers(app, client, session)
    assert cookie_attributes(signed_in) == "HttpOnly; Path=/; SameSite=Lax"
    assert response.json == {"scheme": "http", "host": "localhost", "remote_addr": "127.0.0.1"}
    assert snapshot(response) == {**PAGE, "Content-Type": "application/json", "Vary": "Cookie"}


def test_a_body_over_the_size_limit_is_refused_with_the_plain_page_and_nothing_is_stored(app, client, session,
                                                                                         person):
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    token = csrf_token(client, "/nominations/new")
    padding = {f"padding{i}": "x" * 400_000 for i in range(6)}  # each field under Flask's per-field limit
    response = client.post("/nominations/new", data={**NOMINATION, "csrf_token": token, **padding})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert f"<h1>{GENERIC[413]}</h1>" in html and not [words for words in WERKZEUG_WORDS if words in html]
    assert snapshot(response) == PAGE
    assert nominations(session) == 0

    small = client.post("/nominations/new", data={**NOMINATION, "csrf_token": token})
    assert small.status_code == 303 and nominations(session) == 1  # the same nomination, small, is stored


@pytest.mark.parametrize("htmx", [False, True])
def test_an_exception_in_a_view_answers_500_with_the_plain_page_and_no_detail(app, client, session, htmx, caplog):
    add_test_routes(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: TESTING would re-raise it into the test
    sign_in(client, make_user(session, can_sign_in=True).email)
    response = client.get("/test-only/fail", headers=HTMX if htmx else {})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert f"<h1>{GENERIC[500]}</h1>" in html and "Nothing was changed." in html
    assert ("<html" in html) is not htmx
    assert SECRET not in html and not [words for words in WERKZEUG_WORDS if words in html]
    assert snapshot(response) == PAGE
    assert SECRET in caplog.text  # the log keeps what the page leaves out


def test_a_failed_query_is_rolled_back_before_the_error_page_asks_the_database(app, client, session):
    add_test_routes(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    sign_in(client, make_user(session, can_sign_in=True).email)
    response = client.get("/test-only/bad-query")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Sign out" in html, "the whole page, with its header, not the bare fallback"
    assert not [words for words in WERKZEUG_WORDS if words in html]


def test_when_even_the_error_page_cannot_be_drawn_a_bare_one_says_the_same(client, person, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("burden_tracker.views.errors.render_template", broken)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>") and f"<h1>{GENERIC[404]}</h1>" in html
    assert SECRET not in html
    assert snapshot(response) == PAGE
    assert "The error page could not be drawn" in caplog.text
