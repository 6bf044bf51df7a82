"""Single sign-on in Chromium, against the real test provider (tests/support/identity_provider.py): a first sign-in
from the sign-in page to the page asked for, signing out here and at the provider, a refusal's page, and the admin
page that maps the provider's groups to roles, on a phone's screen and a desktop's."""

import shutil
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from burden_tracker import create_app
from burden_tracker.db import open_session
from burden_tracker.models import SignOnRole
from burden_tracker.queries.users import find_user
from burden_tracker.services.demo import load_demo
from tests.support.identity_provider import PROVIDER_NAME

pytestmark = pytest.mark.browser


@pytest.fixture
def sso_server(sqlite_template, tmp_path, identity_provider, monkeypatch):
    """The demo, served with single sign-on through the test provider; yields (address, app)."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test provider speaks plain HTTP on loopback
    database = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, database)
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "a key for tests only",
                      **identity_provider.app_settings()})
    with app.app_context(), open_session(app.extensions["db_engine"]) as session:
        load_demo(session=session)
        session.add(SignOnRole(claim_value="board-group-0042", role="board"))
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["db_engine"].dispose()


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


def test_a_refused_sign_in_says_why_on_a_page_of_its_own(page, sso_server, identity_provider):
    address, _ = sso_server
    subject = identity_provider.add_person(email="new.nurse@hospital.test", email_verified=False)
    page.goto(address + "/login")
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    at_the_provider(page, subject)
    expect(page.get_by_role("heading", name="Your email address is not verified")).to_be_visible()
    page.get_by_role("link", name="Back to the sign-in page").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


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
