"""Single sign-on in Chromium, against the real test provider (tests/support/identity_provider.py): a first sign-in
from the sign-in page to the page asked for, signing out here and at the provider, a refusal's page, and the admin
page that maps the provider's groups to roles, on a phone's screen and a desktop's."""

import shutil
import threading
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from burden_tracker import create_app
from burden_tracker.db import open_session
from burden_tracker.models import SignOnRole
from burden_tracker.queries.users import find_user
from burden_tracker.services.demo import load_demo
from tests.support.identity_provider import PROVIDER_NAME, ResigningProxy, an_hour_ago
from tests.support.serving import closed_before_written, free_port

pytestmark = pytest.mark.browser


@contextmanager
def served_app(sqlite_template, tmp_path, settings: dict):
    """The demo, served with these settings from a thread; yields (address, app)."""
    database = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, database)
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "a key for tests only", **settings})
    with app.app_context(), open_session(app.extensions["db_engine"]) as session:
        load_demo(session=session)
        session.add(SignOnRole(claim_value="board-group-0042", role="board"))
        session.commit()
    server = make_server("127.0.0.1", 0, closed_before_written(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["db_engine"].dispose()


@contextmanager
def served_with_provider(sqlite_template, tmp_path, settings: dict):
    with served_app(sqlite_template, tmp_path, settings) as (address, _):
        yield address


@pytest.fixture
def sso_server(sqlite_template, tmp_path, identity_provider, monkeypatch):
    """The demo, served with single sign-on through the test provider; yields (address, app)."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test provider speaks plain HTTP on loopback
    with served_app(sqlite_template, tmp_path, identity_provider.app_settings()) as served:
        yield served


def at_the_provider(page, subject: str) -> None:
    """What a person does on the provider's own page: who they are, then Authorize."""
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()


def test_a_first_sign_in_and_a_sign_out_through_the_provider(page, sso_server, identity_provider, screen):
    address, app = sso_server
    subject = identity_provider.add_person(email="ana.ruiz@hospital.test", name="Ana Ruiz",
                                           groups=["board-group-0042"])
    page.goto(address + "/board")  # asked for before signing in: it is where the sign-in leads
    expect(page).to_have_url(address + "/login?next=%2Fboard")
    provider_button = page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}")
    expect(provider_button).to_be_visible()
    provider_button.click()
    at_the_provider(page, subject)

    expect(page).to_have_url(address + "/board")
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    with app.app_context(), open_session(app.extensions["db_engine"], read_only=True) as session:
        person = find_user(session=session, email="ana.ruiz@hospital.test")
        assert (person.name, {role.value for role in person.roles}) == ("Ana Ruiz", {"board"})

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider's own page
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(address + "/board")
    expect(page).to_have_url(address + "/login?next=%2Fboard")


@pytest.mark.parametrize(("claims", "heading", "said"), [
    ({"email_verified": False}, "Your email address is not verified", "is not verified"),
    ({"aud": "another-application"}, "We could not verify your sign-in", "it was meant for another application"),
    ({"exp": an_hour_ago(), "iat": an_hour_ago() - 60}, "We could not verify your sign-in", "it has expired"),
    ({"nonce": "a-nonce-from-another-sign-in"}, "We could not verify your sign-in",
     "it was not issued for this sign-in"),
], ids=["unverified email", "wrong audience", "expired", "nonce of another sign-in"])
def test_a_refused_sign_in_says_why_on_a_page_of_its_own(page, sso_server, identity_provider, claims, heading, said):
    address, app = sso_server
    subject = identity_provider.add_person(email="new.nurse@hospital.test", **claims)
    page.goto(address + "/login")
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    at_the_provider(page, subject)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(said)
    with app.app_context(), open_session(app.extensions["db_engine"], read_only=True) as session:
        assert find_user(session=session, email="new.nurse@hospital.test") is None
    page.get_by_role("link", name="Back to the sign-in page").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_token_signed_with_another_key_is_refused_in_the_browser(page, sqlite_template, tmp_path,
                                                                    identity_provider, monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    with ResigningProxy(identity_provider).running() as proxy, served_with_provider(
            sqlite_template, tmp_path, identity_provider.app_settings(OIDC_ISSUER=proxy.issuer)) as address:
        subject = identity_provider.add_person(email="new.nurse@hospital.test")
        page.goto(address + "/login")
        page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
        at_the_provider(page, subject)
        expect(page.get_by_role("alert")).to_contain_text(f"it was not signed with a key {PROVIDER_NAME} publishes")


def test_a_provider_that_does_not_answer_gets_a_page_that_says_so(page, sqlite_template, tmp_path,
                                                                   identity_provider):
    settings = identity_provider.app_settings(OIDC_ISSUER=f"http://127.0.0.1:{free_port()}")
    with served_with_provider(sqlite_template, tmp_path, settings) as address:
        page.goto(address + "/login")
        page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
        expect(page.get_by_role("heading", name=f"{PROVIDER_NAME} did not answer")).to_be_visible()


def test_an_admin_maps_a_group_to_a_role(page, sso_server, sign_in_as_on):
    address, _ = sso_server
    sign_in_as_on(address, "admin@demo.test")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Single sign-on").click()
    expect(page.get_by_text(f"People sign in with {PROVIDER_NAME}")).to_be_visible()
    page.get_by_label("Value of the roles claim").fill("exec-group-77")
    page.get_by_label("Grants the role").select_option("executive")
    page.get_by_role("button", name="Add the mapping").click()
    expect(page.get_by_role("cell", name="exec-group-77", exact=True)).to_be_visible()
    page.get_by_role("button", name="Remove: exec-group-77 grants executive").click()
    expect(page.get_by_role("cell", name="exec-group-77", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Add the mapping").click()  # nothing typed
    expect(page.locator("#claim_value-error")).to_be_visible()


@pytest.fixture
def sign_in_as_on(page):
    from burden_tracker.services.demo import DEMO_PASSWORD

    def sign_in(address: str, email: str):
        page.goto(address + "/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    return sign_in
