"""/admin/sign-on: admins map values of the provider's roles claim to roles, and take mappings away; each change is
in the history of administration; a value that cannot be one is refused beside its field."""

from burden_tracker.enums import AuditKind, Role
from burden_tracker.models import AuditEntry, SignOnRole
from tests.support.factories import make_user
from tests.support.web import count, csrf_token, sign_in


def signed_in_admin(client, session):
    sign_in(client, make_user(session, Role.ADMIN, can_sign_in=True).email)
    return csrf_token(client, "/admin/sign-on")


def test_an_admin_maps_a_group_to_a_role_and_takes_it_away(client, session):
    token = signed_in_admin(client, session)
    added = client.post("/admin/sign-on", data={"csrf_token": token, "claim_value": " 7d1c-board ", "role": "board"},
                        follow_redirects=True)
    page = added.get_data(as_text=True)
    assert "people whose groups claim holds 7d1c-board are board" in page
    assert "<code>7d1c-board</code>" in page
    assert count(session, SignOnRole, claim_value="7d1c-board", role=Role.BOARD) == 1
    change = "single sign-on: 7d1c-board grants board"
    assert count(session, AuditEntry, kind=AuditKind.ADMIN_CHANGE, detail=change) == 1

    client.post("/admin/sign-on/remove", data={"csrf_token": token, "claim_value": "7d1c-board", "role": "board"})
    assert count(session, SignOnRole) == 0
    assert "No value grants a role yet" in client.get("/admin/sign-on").get_data(as_text=True)


def test_an_empty_value_is_refused_beside_its_field(client, session):
    token = signed_in_admin(client, session)
    answer = client.post("/admin/sign-on", data={"csrf_token": token, "claim_value": "  ", "role": "board"})
    assert answer.status_code == 422
    assert 'id="claim_value-error"' in answer.get_data(as_text=True)
    assert count(session, SignOnRole) == 0


def test_the_page_says_single_sign_on_is_off_until_configured(client, session):
    signed_in_admin(client, session)
    assert "Single sign-on is off" in client.get("/admin/sign-on").get_data(as_text=True)
