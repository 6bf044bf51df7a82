"""/me/tokens, on both databases: a token is made and shown once, listed with its last use, renewed and revoked by
its owner only; a bad name is refused beside the field and nothing is made."""

import re

from sqlmodel import select

from burden_tracker.models import ApiToken
from tests.support.factories import make_user
from tests.support.web import csrf_token, sign_in


def test_a_token_is_shown_once_then_listed_used_renewed_and_revoked(client, session):
    person = make_user(session, can_sign_in=True)
    sign_in(client, person.email)
    made = client.post("/me/tokens", data={"csrf_token": csrf_token(client, "/me/tokens"), "name": "Intranet wins",
                                           "scope": "read", "days": "30"})
    page = made.get_data(as_text=True)
    [secret] = re.findall(r'value="(bt_[^"]+)"', page)
    assert made.status_code == 200 and "it is shown this once" in page
    assert client.get("/api/v1/nominations", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listed = client.get("/me/tokens").get_data(as_text=True)
    assert secret not in listed and f"{secret[:9]}…" in listed and "Intranet wins" in listed
    assert "never" not in listed  # its use was stamped
    token_id = session.exec(select(ApiToken.id)).one()
    session.commit()
    renewed = client.post(f"/me/tokens/{token_id}/renew", data={"csrf_token": csrf_token(client, "/me/tokens")},
                          follow_redirects=True)
    assert "“Intranet wins” now works until" in renewed.get_data(as_text=True)
    revoked = client.post(f"/me/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/me/tokens")},
                          follow_redirects=True)
    assert "“Intranet wins” is revoked" in revoked.get_data(as_text=True)
    assert client.get("/api/v1/nominations", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_nameless_token_is_refused_beside_the_field_and_none_made(client, session):
    person = make_user(session, can_sign_in=True)
    sign_in(client, person.email)
    answer = client.post("/me/tokens", data={"csrf_token": csrf_token(client, "/me/tokens"), "name": "",
                                             "scope": "write", "days": "90"})
    assert answer.status_code == 422 and "Name what will use the token." in answer.get_data(as_text=True)
    assert session.exec(select(ApiToken)).all() == []


def test_nobody_renews_or_revokes_anothers_token(client, session):
    owner, other = make_user(session, can_sign_in=True), make_user(session, can_sign_in=True)
    sign_in(client, owner.email)
    client.post("/me/tokens", data={"csrf_token": csrf_token(client, "/me/tokens"), "name": "Mine",
                                    "scope": "read", "days": "7"})
    token_id = session.exec(select(ApiToken.id)).one()
    session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/me/tokens")})
    sign_in(client, other.email)
    assert client.post(f"/me/tokens/{token_id}/revoke",
                       data={"csrf_token": csrf_token(client, "/me/tokens")}).status_code == 404
    assert session.exec(select(ApiToken.revoked_at)).one() is None
