"""Single sign-on with OpenID Connect, against a real provider process on loopback (tests/support/identity_provider.py),
driven with the test client: who a first sign-in opens or links, the roles the provider's claim grants, and each
refusal, which shows a page that says why and creates nothing."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from burden_tracker.enums import AuditKind, Role, TokenScope
from burden_tracker.models import AuditEntry, SignOnIdentity, SignOnRole, User, UserRole, UserSession, utc_now
from burden_tracker.queries.users import find_user
from burden_tracker.services.api_tokens import create_token
from tests.support.factories import make_user
from tests.support.identity_provider import PROVIDER_NAME, ResigningProxy, an_hour_ago
from tests.support.serving import free_port
from tests.support.web import PASSWORD, count, csrf_token, sign_in


def start(client, next_page: str | None = None) -> str:
    """Opens the sign-in at the provider; the address of its authorization page."""
    response = client.get("/login/sso", query_string={"next": next_page} if next_page else None)
    assert response.status_code == 302
    return response.headers["Location"]


def sign_in_through(client, provider, subject: str, next_page: str | None = None):
    """The whole flow: our start, the provider's page, and the answer to the callback."""
    return client.get(provider.choose(start(client, next_page), subject))


def nothing_created(session, users_before: int) -> bool:
    return (count(session, User) == users_before and count(session, SignOnIdentity) == 0
            and count(session, UserSession) == 0)


def test_the_sign_in_page_offers_the_provider_first(sso_app):
    page = sso_app().test_client().get("/login").get_data(as_text=True)
    assert f"Sign in with {PROVIDER_NAME}" in page
    assert page.index(f"Sign in with {PROVIDER_NAME}") < page.index('name="password"')


def test_a_first_sign_in_opens_an_account_named_by_the_provider(sso_app, identity_provider, session):
    client = sso_app().test_client()
    subject = identity_provider.add_person(email="Dana.Whitfield@Hospital.test", name="Dana Whitfield")
    answer = sign_in_through(client, identity_provider, subject, next_page="/wins")
    answer.close()  # the security trail is written once the response is done
    assert (answer.status_code, answer.headers["Location"]) == (302, "/wins")
    user = find_user(session=session, email="dana.whitfield@hospital.test")
    assert (user.name, user.roles, user.password_hash) == ("Dana Whitfield", {Role.STAFF}, None)
    assert session.get(SignOnIdentity, (identity_provider.issuer, subject)).user_id == user.id
    assert ">Sign out</button>" in client.get("/wins").get_data(as_text=True)
    session.commit()
    assert count(session, AuditEntry, kind=AuditKind.SIGN_IN_OK, detail="single sign-on (created)") == 1


def test_the_same_subject_signs_in_to_the_same_account_whatever_its_email_becomes(sso_app, identity_provider,
                                                                                   session):
    app = sso_app()
    subject = identity_provider.add_person(email="first@hospital.test", name="Lee Park")
    sign_in_through(app.test_client(), identity_provider, subject)
    identity_provider.set_claims(subject, email="renamed@hospital.test", email_verified=True, name="Lee Park-Ito")
    sign_in_through(app.test_client(), identity_provider, subject)
    assert count(session, User) == 1
    user = find_user(session=session, email="first@hospital.test")
    assert user.name == "Lee Park-Ito"


def test_an_existing_account_is_linked_when_the_provider_vouches_for_its_email(sso_app, identity_provider, session):
    existing = make_user(session, Role.BOARD, email="board.member@hospital.test", can_sign_in=True)
    client = sso_app().test_client()
    subject = identity_provider.add_person(email="board.member@hospital.test", name="Board Member")
    assert sign_in_through(client, identity_provider, subject).status_code == 302
    assert count(session, User) == 1
    assert session.get(SignOnIdentity, (identity_provider.issuer, subject)).user_id == existing.id
    assert ">Board</a>" in client.get("/wins").get_data(as_text=True)  # the roles it had


def test_an_existing_account_is_not_linked_when_nobody_vouches_for_the_email(sso_app, identity_provider, session):
    make_user(session, Role.ADMIN, email="admin@hospital.test", can_sign_in=True)
    subject = identity_provider.add_person(name="Someone", email="admin@hospital.test")
    identity_provider.set_claims(subject, email="admin@hospital.test", name="Someone")  # no email_verified: Entra's way
    answer = sign_in_through(sso_app().test_client(), identity_provider, subject)
    assert answer.status_code == 403
    assert "An account with your email already exists" in answer.get_data(as_text=True)
    assert nothing_created(session, users_before=1)


def test_a_trusted_domain_links_without_email_verified(sso_app, identity_provider, session):
    existing = make_user(session, Role.ADMIN, email="admin@hospital.test", can_sign_in=True)
    subject = identity_provider.add_person(name="Admin")
    identity_provider.set_claims(subject, email="admin@hospital.test", name="Admin")
    app = sso_app(OIDC_TRUSTED_DOMAINS=("hospital.test",))
    assert sign_in_through(app.test_client(), identity_provider, subject).status_code == 302
    assert session.get(SignOnIdentity, (identity_provider.issuer, subject)).user_id == existing.id


def test_an_email_the_provider_marks_unverified_is_refused(sso_app, identity_provider, session):
    subject = identity_provider.add_person(email="new.person@hospital.test", email_verified=False)
    answer = sign_in_through(sso_app().test_client(), identity_provider, subject)
    answer.close()
    assert answer.status_code == 403
    assert "Your email address is not verified" in answer.get_data(as_text=True)
    assert nothing_created(session, users_before=0)
    assert count(session, AuditEntry, kind=AuditKind.SIGN_IN_REFUSED, detail="single sign-on: unverified email") == 1


def test_roles_follow_the_mapped_claim_and_leave_the_others_to_admin(sso_app, identity_provider, session):
    session.add(SignOnRole(claim_value="7d1c-board-group", role=Role.BOARD))
    session.commit()
    app = sso_app(OIDC_ROLES_CLAIM="groups")
    subject = identity_provider.add_person(email="chair@hospital.test", groups=["7d1c-board-group", "other"])
    sign_in_through(app.test_client(), identity_provider, subject)
    user = find_user(session=session, email="chair@hospital.test")
    assert user.roles == {Role.BOARD}
    user.role_links.append(UserRole(role=Role.ADMIN))  # granted on /admin: no mapping names it
    session.commit()

    identity_provider.set_claims(subject, email="chair@hospital.test", email_verified=True, groups=["other"])
    sign_in_through(app.test_client(), identity_provider, subject)
    session.expire_all()
    assert find_user(session=session, email="chair@hospital.test").roles == {Role.ADMIN}


def test_without_a_mapping_a_person_is_staff(sso_app, identity_provider, session):
    subject = identity_provider.add_person(email="nurse@hospital.test", groups=["nurses"])
    sign_in_through(sso_app().test_client(), identity_provider, subject)
    assert find_user(session=session, email="nurse@hospital.test").roles == {Role.STAFF}


@pytest.mark.parametrize(("claims", "said"), [
    ({"aud": "another-application"}, "it was meant for another application"),
    ({"exp": an_hour_ago(), "iat": an_hour_ago() - 60}, "it has expired"),
    ({"nonce": "a-nonce-from-another-sign-in"}, "it was not issued for this sign-in"),
    ({"iss": "https://elsewhere.example"}, "it came from another issuer"),
], ids=["wrong audience", "expired", "nonce of another sign-in", "another issuer"])
def test_a_token_that_fails_a_check_is_refused(sso_app, identity_provider, session, claims, said):
    subject = identity_provider.add_person(email="someone@hospital.test", **claims)
    answer = sign_in_through(sso_app().test_client(), identity_provider, subject)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "We could not verify your sign-in" in page and said in page
    assert nothing_created(session, users_before=0)


def test_a_token_signed_with_a_key_the_provider_does_not_publish_is_refused(sso_app, identity_provider, session):
    with ResigningProxy(identity_provider).running() as proxy:
        subject = identity_provider.add_person(email="someone@hospital.test")
        client = sso_app(OIDC_ISSUER=proxy.issuer).test_client()
        answer = client.get(identity_provider.choose(start(client), subject))
    assert answer.status_code == 400
    assert f"it was not signed with a key {PROVIDER_NAME} publishes" in answer.get_data(as_text=True)
    assert nothing_created(session, users_before=0)


def test_a_replayed_answer_is_refused(sso_app, identity_provider, session):
    client = sso_app().test_client()
    subject = identity_provider.add_person(email="someone@hospital.test")
    back = identity_provider.choose(start(client), subject)
    assert client.get(back).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/wins")})
    replayed = client.get(back)
    assert replayed.status_code == 400
    assert "This sign-in was already used" in replayed.get_data(as_text=True)
    assert count(session, UserSession) == 0


def test_an_answer_for_another_browser_is_refused(sso_app, identity_provider, session):
    app = sso_app()
    subject = identity_provider.add_person(email="someone@hospital.test")
    back = identity_provider.choose(start(app.test_client()), subject)
    answer = app.test_client().get(back)  # an attacker's browser, handed the victim's address
    assert answer.status_code == 400
    assert nothing_created(session, users_before=0)


def test_a_provider_that_does_not_answer_gets_a_clear_page(sso_app, session):
    client = sso_app(OIDC_ISSUER=f"http://127.0.0.1:{free_port()}").test_client()
    answer = client.get("/login/sso")
    assert answer.status_code == 503
    assert f"We could not reach {PROVIDER_NAME}" in answer.get_data(as_text=True)
    assert nothing_created(session, users_before=0)


def test_a_provider_that_fails_halfway_gets_a_clear_page(sso_app, identity_provider, session):
    with ResigningProxy(identity_provider).running() as proxy:
        subject = identity_provider.add_person(email="someone@hospital.test")
        client = sso_app(OIDC_ISSUER=proxy.issuer).test_client()
        back = identity_provider.choose(start(client), subject)
        proxy.down = True
        answer = client.get(back)
    assert answer.status_code == 503
    assert nothing_created(session, users_before=0)


def test_a_sign_in_cancelled_at_the_provider_says_so(sso_app, identity_provider, session):
    import requests

    client = sso_app().test_client()
    denied = requests.post(start(client), data={"action": "deny"}, allow_redirects=False, timeout=10)
    answer = client.get(denied.headers["Location"])
    assert answer.status_code == 400
    assert "Sign-in was not completed" in answer.get_data(as_text=True)
    assert "access was denied" in answer.get_data(as_text=True)
    assert nothing_created(session, users_before=0)


def test_words_put_in_the_address_are_not_shown(sso_app):
    client = sso_app().test_client()
    answer = client.get("/login/sso/callback?error=access_denied&error_description=Call+the+help+desk+at+555-0100")
    assert answer.status_code == 400 and "555-0100" not in answer.get_data(as_text=True)


def test_a_deactivated_account_is_refused(sso_app, identity_provider, session):
    make_user(session, email="gone@hospital.test", active=False)
    subject = identity_provider.add_person(email="gone@hospital.test")
    answer = sign_in_through(sso_app().test_client(), identity_provider, subject)
    assert answer.status_code == 403
    assert "This account is deactivated" in answer.get_data(as_text=True)
    assert count(session, SignOnIdentity) == 0 and count(session, UserSession) == 0


def test_signing_out_continues_at_the_provider(sso_app, identity_provider, session):
    client = sso_app().test_client()
    sign_in_through(client, identity_provider, identity_provider.add_person(email="someone@hospital.test"))
    answer = client.post("/logout", data={"csrf_token": csrf_token(client, "/wins")})
    assert answer.status_code == 303
    where = urlsplit(answer.headers["Location"])
    asked = parse_qs(where.query)
    assert f"{where.scheme}://{where.netloc}{where.path}" == f"{identity_provider.issuer}/oauth2/end_session"
    assert asked["post_logout_redirect_uri"] == ["http://localhost/login?signed_out=yes"]
    assert asked["id_token_hint"][0].count(".") == 2
    assert count(session, UserSession) == 0
    assert f"form-action 'self' {identity_provider.issuer}" in answer.headers["Content-Security-Policy"]


def test_a_password_sign_out_stays_here(sso_app, session):
    client = sso_app().test_client()
    sign_in(client, make_user(session, can_sign_in=True).email)
    answer = client.post("/logout", data={"csrf_token": csrf_token(client, "/wins")})
    assert urlsplit(answer.headers["Location"]).path == "/login"


def test_sso_only_turns_passwords_off_but_for_break_glass_accounts(sso_app, session):
    app = sso_app(SSO_ONLY=True)
    person = make_user(session, can_sign_in=True)
    operator = make_user(session, Role.ADMIN, can_sign_in=True)
    result = app.test_cli_runner().invoke(args=["user", "break-glass", operator.email])
    assert result.exit_code == 0, result.output

    refused = sign_in(app.test_client(), person.email, PASSWORD)
    assert refused.status_code == 403
    assert "Passwords are turned off here" in refused.get_data(as_text=True)
    wrong = sign_in(app.test_client(), person.email, "not the password")
    assert "Passwords are turned off" not in wrong.get_data(as_text=True)  # said only to whoever knows it
    operators_browser = app.test_client()
    assert sign_in(operators_browser, operator.email, PASSWORD).status_code == 302
    own_page = operators_browser.get(f"/admin/users/{operator.id}").get_data(as_text=True)
    assert "may sign in with a password while passwords are off (named by an operator)" in own_page
    page = app.test_client().get("/login").get_data(as_text=True)
    assert re.search(r"<details[^>]*>\s*<summary>Emergency sign-in with a password", page)


def test_a_token_of_a_person_who_signs_in_through_the_provider_works_again_after_a_fresh_sign_in(
        sso_app, identity_provider, session):
    """Roles removed at the provider arrive at a sign-in: a token lives 30 days past the last one."""
    app = sso_app()
    subject = identity_provider.add_person(email="quiet@hospital.test", name="Quinn Quiet")
    sign_in_through(app.test_client(), identity_provider, subject)
    person = find_user(session=session, email="quiet@hospital.test")
    secret = create_token(session=session, user=person, name="Warehouse", scope=TokenScope.READ)[1]
    identity = session.get(SignOnIdentity, (identity_provider.issuer, subject))
    identity.signed_in_at = utc_now() - timedelta(days=31)
    session.commit()
    api = app.test_client()
    refused = api.get("/api/v1/nominations", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401 and "has not signed in with single sign-on for 30 days" in refused.json["detail"]
    sign_in_through(app.test_client(), identity_provider, subject)
    assert api.get("/api/v1/nominations", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
