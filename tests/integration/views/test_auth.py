"""Signing in and out, sessions that end for real, CSRF, and the sign-in requirement."""

import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from burden_tracker import create_app, limits
from burden_tracker.enums import Role
from burden_tracker.models import Comment, User, UserSession
from burden_tracker.services.auth import set_active
from burden_tracker.services.users import hasher
from tests.support.factories import make_nomination, make_user
from tests.support.web import HTMX, PASSWORD, csrf_token, sign_in


@pytest.fixture
def nurse(session):
    return make_user(session, can_sign_in=True, name="Priya Nair")


def test_signing_in_leads_to_the_page_asked_for(client, nurse):
    response = client.get("/nominations")
    assert response.status_code == 302 and "/login?next=%2Fnominations" in response.headers["Location"]
    token = csrf_token(client)
    signed_in = client.post("/login?next=/mine", data={"email": nurse.email.upper(), "password": PASSWORD,
                                                       "csrf_token": token})
    assert signed_in.headers["Location"] == "/mine"
    assert client.get("/nominations").status_code == 200


# Each as the query string arrives (so %09 is a tab in the value, %250A a "%0A" in it). Browsers drop tabs and line
# breaks inside an address and read a backslash as a slash, so several of these lead to evil.example once a
# browser has tidied them; some would also break the Location header (a 500) if kept.
HOSTILE_NEXT = {
    "another site": "https://evil.example/",
    "no scheme": "//evil.example/",
    "three slashes": "///evil.example/",
    "a backslash after the slash": "/\\evil.example",
    "two backslashes": "\\\\evil.example",
    "a slash and a backslash, encoded": "/%5Cevil.example",
    "a tab between the slashes": "/%09/evil.example",
    "a raw tab between the slashes": "/\t/evil.example",
    "a line feed between the slashes": "/%0A/evil.example",
    "a carriage return between the slashes": "/%0D/evil.example",
    "a header injected after CRLF": "/%0D%0ASet-Cookie:%20stolen=1",
    "a line feed before the slashes": "%0A//evil.example",
    "a space before the slashes": "%20//evil.example",
    "slashes encoded twice": "/%252F%252Fevil.example",
    "a line feed encoded twice": "/%250A/evil.example",
    "javascript:": "javascript:alert(1)",
    "data:": "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
    "a control character in a path": "/nominations%01",
    "a DEL in a path": "/nominations%7F",
    "a next line (U+0085) in a path": "/nominations%C2%85",
    "a fullwidth solidus": "/%EF%BC%8Fevil.example",
    "a fullwidth reverse solidus": "/%EF%BC%BCevil.example",
    "a fullwidth solidus encoded twice": "/%25EF%25BC%258Fevil.example",
    "a no-break space": "/nominations%C2%A0",
    "bytes that are not UTF-8": "/%ED%A0%80",
    "an over-long path": "/" + "a" * 5000,
    "empty": "",
}
KEPT_NEXT = {
    "a list with a filter": ("/nominations?state=proposed", "/nominations?state=proposed"),
    "a nomination": ("/nominations/3", "/nominations/3"),
    "a path and query as Flask-Login encodes them": ("%2Fnominations%3Fq%3Dpain%2520score",
                                                     "/nominations?q=pain%20score"),
}


def sign_in_with_next(client, email: str, query: str):
    """The sign-in form posted as its page posts it, to /login with this raw query string."""
    token = csrf_token(client)
    return client.post("/login", query_string=f"next={query}", data={"email": email, "password": PASSWORD,
                                                                      "csrf_token": token})


@pytest.mark.parametrize("query", HOSTILE_NEXT.values(), ids=HOSTILE_NEXT.keys())
def test_sign_in_sends_anything_but_a_plain_path_here_to_the_home_page(client, nurse, query):
    response = sign_in_with_next(client, nurse.email, query)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/nominations").status_code == 200  # signed in all the same


@pytest.mark.parametrize("query,location", KEPT_NEXT.values(), ids=KEPT_NEXT.keys())
def test_sign_in_keeps_a_path_on_this_site(client, nurse, query, location):
    response = sign_in_with_next(client, nurse.email, query)
    assert response.status_code == 302 and response.headers["Location"] == location


def test_signing_in_returns_to_a_search_with_accents_and_spaces(client, nurse):
    """Flask-Login's `next` holds the accented letters themselves: they are kept."""
    asked = client.get("/nominations", query_string={"q": "douleur évaluée"})
    login = asked.headers["Location"]
    assert login == "/login?next=%2Fnominations%3Fq%3Ddouleur%2B%C3%A9valu%C3%A9e"
    token = csrf_token(client)
    response = client.post(login, data={"email": nurse.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/nominations?q=douleur+%C3%A9valu%C3%A9e"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, nurse):
    wrong = sign_in(client, nurse.email, "not the password")
    unknown = sign_in(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 422
    message = "That email and password do not match an active account."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_an_inactive_account_cannot_sign_in(client, session):
    imported = make_user(session, can_sign_in=True, active=False)
    assert sign_in(client, imported.email).status_code == 422
    assert client.get("/nominations").status_code == 302


def test_signing_out_ends_the_session_and_a_replayed_cookie_no_longer_works(client, nurse):
    sign_in(client, nurse.email)
    cookie = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    assert client.get("/nominations").status_code == 302
    client.set_cookie("session", cookie)  # an attacker replays the cookie taken before sign-out
    assert client.get("/nominations").status_code == 302


def test_the_sign_in_page_says_once_that_one_is_signed_out(client, nurse):
    """Said by the page itself: browsers drop the cookie the sign-out sets (Clear-Site-Data), a flash with it."""
    sign_in(client, nurse.email)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")}, follow_redirects=True)
    assert response.request.path == "/login"
    assert response.get_data(as_text=True).count("You are signed out.") == 1
    assert client.get("/login").get_data(as_text=True).count("You are signed out.") == 0


def test_the_sign_in_page_a_sign_out_leads_to_sets_the_device_cookie_again_once(client, app, nurse):
    """On both databases (tests/integration/views/test_sign_in_guard.py has the rest, on one)."""
    sign_in(client, nurse.email)
    email, device = nurse.email, client.get_cookie("device").value
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/nominations")})
    assert response.headers["Clear-Site-Data"] == '"cookies", "storage"'
    client.delete_cookie("session")
    client.delete_cookie("device")  # as the browser does, before it follows the redirect

    assert client.get(response.headers["Location"]).status_code == 200

    with app.app_context():
        kept = limits.device_nonce(client.get_cookie("device").value, email)
        assert kept == limits.device_nonce(device, email) is not None
    replayed = app.test_client().get(response.headers["Location"])
    assert replayed.status_code == 200
    assert not [cookie for cookie in replayed.headers.getlist("Set-Cookie") if cookie.startswith("device=")]


def test_deactivating_a_user_ends_their_sessions(client, session, nurse):
    sign_in(client, nurse.email)
    assert client.get("/nominations").status_code == 200
    set_active(session=session, user_id=nurse.id, active=False)
    assert client.get("/nominations").status_code == 302
    assert session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_the_session_is_renewed_at_sign_in(client, nurse):
    client.get("/login")
    before = client.get_cookie("session").value
    sign_in(client, nurse.email)
    after = client.get_cookie("session").value
    assert before != after
    assert client.get("/nominations").status_code == 200


def test_an_outdated_password_hash_is_upgraded_at_sign_in(client, session):
    outdated = PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1)
    user = make_user(session)
    user.password_hash = outdated.hash(PASSWORD)
    session.commit()
    sign_in(client, user.email)
    session.expire_all()
    upgraded = session.get(User, user.id).password_hash
    assert upgraded.startswith("$argon2id$") and "m=1024,t=2,p=1" not in upgraded
    assert not hasher.check_needs_rehash(upgraded) and hasher.verify(upgraded, PASSWORD)


def test_a_post_without_a_csrf_token_is_refused_with_a_clear_page_and_changes_nothing(client, session, nurse):
    nomination = make_nomination(session)
    sign_in(client, nurse.email)
    response = client.post(f"/nominations/{nomination.id}/comments", data={"body": "Same on 4 West"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Comment)) == 0


def test_an_expired_csrf_token_asks_to_retry_in_the_fragment_for_htmx(engine, database_url, session, nurse):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "k", "WTF_CSRF_TIME_LIMIT": 1})
    try:
        client = app.test_client()
        nomination = make_nomination(session)
        sign_in(client, nurse.email)
        token = csrf_token(client, f"/nominations/{nomination.id}")
        time.sleep(2.2)  # token ages are counted in whole seconds
        response = client.post(f"/nominations/{nomination.id}/comments", data={"body": "Same here"},
                               headers={**HTMX, "X-CSRFToken": token})
        page = response.get_data(as_text=True)
    finally:
        app.extensions["db_engine"].dispose()
    assert response.status_code == 400 and "Reload the page" in page and "<html" not in page
    assert session.scalar(select(func.count()).select_from(Comment)) == 0


@pytest.mark.parametrize("path", ["/nominations", "/nominations/1", "/mine", "/notices", "/nominations/new"])
def test_every_page_needs_a_signed_in_user(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_health_and_static_files_need_no_sign_in(client):
    assert client.get("/healthz").status_code == 200
    with client.get("/static/js/htmx.min.js") as response:
        assert response.status_code == 200


@pytest.mark.parametrize("path", ["/nominations/new", "/mine"])
def test_an_executive_is_refused_staff_pages_with_403(client, session, path):
    executive = make_user(session, Role.EXECUTIVE, can_sign_in=True)
    sign_in(client, executive.email)
    response = client.get(path)
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)
