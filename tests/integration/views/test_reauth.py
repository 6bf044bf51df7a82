"""Sensitive admin actions ask again who the admin is when their last proof is more than ten minutes old: the
password (and the second factor's code when they have one) or a new single sign-on; nothing is done before. The
person whose roles or account changed is emailed, through a real SMTP server."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import update

from burden_tracker.enums import Role
from burden_tracker.models import SignOnRole, User, UserRole, UserSession, utc_now
from burden_tracker.queries.users import find_user
from burden_tracker.services.second_factor import enrol
from tests.support.factories import make_user
from tests.support.identity_provider import PROVIDER_NAME
from tests.support.web import PASSWORD, count, csrf_token, sign_in


def grow_old(session, user_id: int, minutes: int = 11) -> None:
    """As if the admin proved who they are this many minutes ago."""
    session.execute(update(UserSession).where(UserSession.user_id == user_id)
                    .values(proved_at=utc_now() - timedelta(minutes=minutes)))
    session.commit()


def roles_of(session, user_id: int) -> set[Role]:
    session.expire_all()
    roles = session.get(User, user_id).roles
    session.commit()
    return roles


@pytest.fixture
def admin_and_nurse(app, session, inbox):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=inbox.port, MAIL_FROM="tracker@hospital.test")
    admin = make_user(session, Role.ADMIN, name="Morgan Admin", can_sign_in=True)
    nurse = make_user(session, email="nurse@hospital.test")
    client = app.test_client()
    sign_in(client, admin.email)
    return client, admin, nurse


def change_roles(client, nurse_id: int):
    page = f"/admin/users/{nurse_id}"
    answer = client.post(f"{page}/roles", data={"csrf_token": csrf_token(client, page), "roles": ["staff", "board"]},
                         headers={"Referer": f"http://localhost{page}"})
    answer.close()  # the email leaves once the response is done
    return answer


def test_an_old_proof_leads_to_confirming_and_changes_nothing_until_then(admin_and_nurse, session, inbox):
    client, admin, nurse = admin_and_nurse
    grow_old(session, admin.id)
    asked = change_roles(client, nurse.id)
    assert asked.headers["Location"] == f"/me/confirm?next=/admin/users/{nurse.id}"
    assert roles_of(session, nurse.id) == {Role.STAFF} and inbox.received == []

    confirm = asked.headers["Location"]
    wrong = client.post(confirm, data={"csrf_token": csrf_token(client, confirm), "password": "not it"})
    assert wrong.status_code == 422
    right = client.post(confirm, data={"csrf_token": csrf_token(client, confirm), "password": PASSWORD})
    assert right.headers["Location"] == f"/admin/users/{nurse.id}"
    assert change_roles(client, nurse.id).headers["Location"] == f"/admin/users/{nurse.id}"
    assert roles_of(session, nurse.id) == {Role.STAFF, Role.BOARD}
    [told] = inbox.to("nurse@hospital.test")
    assert told["Subject"] == "Burden Tracker: your roles changed"
    assert "Morgan Admin, an administrator of Burden Tracker, changed your roles: you are now staff, board." \
        in told.get_content()


def test_a_fresh_sign_in_is_proof_enough(admin_and_nurse, session):
    client, admin, nurse = admin_and_nurse
    grow_old(session, admin.id, minutes=9)
    assert change_roles(client, nurse.id).headers["Location"] == f"/admin/users/{nurse.id}"


@pytest.mark.parametrize(("path", "fields"), [
    ("/admin/users/{nurse}/deactivate", {}),
    ("/admin/users/{nurse}/invite", {}),
    ("/admin/users/new", {"email": "new@hospital.test", "name": "New Person", "roles": ["admin"]}),
    ("/admin/settings", {"working_weeks_per_year": "40"}),
    ("/admin/sign-on", {"claim_value": "a-group", "role": "admin"}),
    ("/admin/sign-on/remove", {"claim_value": "a-group", "role": "admin"}),
])
def test_each_sensitive_action_asks(admin_and_nurse, session, path, fields):
    client, admin, nurse = admin_and_nurse
    session.add(SignOnRole(claim_value="a-group", role=Role.ADMIN))
    session.commit()
    grow_old(session, admin.id)
    before = (count(session, User), roles_of(session, nurse.id), session.get(User, nurse.id).active)
    answer = client.post(path.format(nurse=nurse.id), data={"csrf_token": csrf_token(client, "/admin"), **fields})
    assert answer.headers["Location"].split("?")[0] == "/me/confirm"
    assert (count(session, User), roles_of(session, nurse.id), session.get(User, nurse.id).active) == before
    assert count(session, SignOnRole) == 1


def test_a_deactivated_person_is_told(admin_and_nurse, session, inbox):
    client, _, nurse = admin_and_nurse
    page = f"/admin/users/{nurse.id}"
    client.post(f"{page}/deactivate", data={"csrf_token": csrf_token(client, page)}).close()
    [told] = inbox.to("nurse@hospital.test")
    assert told["Subject"] == "Burden Tracker: your account was deactivated"


def test_an_admin_with_a_second_factor_gives_the_code_too(admin_and_nurse, session):
    client, admin, nurse = admin_and_nurse
    secret = pyotp.random_base32()
    enrol(session=session, user_id=admin.id, secret=secret, code=pyotp.TOTP(secret).now())
    grow_old(session, admin.id)
    confirm = change_roles(client, nurse.id).headers["Location"]
    page = client.get(confirm).get_data(as_text=True)
    assert 'name="code"' in page
    alone = client.post(confirm, data={"csrf_token": csrf_token(client, confirm), "password": PASSWORD})
    assert alone.status_code == 422
    later = pyotp.TOTP(secret).at(utc_now() + timedelta(seconds=30))
    both = client.post(confirm, data={"csrf_token": csrf_token(client, confirm), "password": PASSWORD,
                                      "code": later})
    assert both.headers["Location"] == f"/admin/users/{nurse.id}"


def test_a_single_sign_on_admin_confirms_at_the_provider(sso_app, identity_provider, session):
    app = sso_app()
    subject = identity_provider.add_person(email="sso.admin@hospital.test", name="SSO Admin")
    client = app.test_client()
    client.get(identity_provider.choose(client.get("/login/sso").headers["Location"], subject))
    admin = find_user(session=session, email="sso.admin@hospital.test")
    admin.role_links.append(UserRole(role=Role.ADMIN))
    session.commit()
    grow_old(session, admin.id)
    asked = client.post("/admin/settings", data={"csrf_token": csrf_token(client, "/wins")})
    confirm = asked.headers["Location"]
    page = client.get(confirm).get_data(as_text=True)
    assert f"Confirm with {PROVIDER_NAME}" in page and 'name="password"' not in page
    start = re.search(r'id="confirm-with-provider" href="([^"]+)"', page)[1].replace("&amp;", "&")
    to_provider = client.get(start).headers["Location"]
    assert "prompt=login" in to_provider
    back = client.get(identity_provider.choose(to_provider, subject))
    assert back.headers["Location"] == "/admin"
    assert count(session, UserSession, user_id=admin.id) == 1  # the old session gave way
    assert client.post("/admin/settings", data={"csrf_token": csrf_token(client, "/admin/settings"),
                                                "working_weeks_per_year": ""}).status_code == 422  # let in
