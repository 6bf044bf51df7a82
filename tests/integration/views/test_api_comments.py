"""/api/v1/nominations/<id>/support and /comments with personal tokens, on both databases: a "me too" given, refused
twice and taken back; comments written and read, naming people as the page does."""

from burden_tracker.enums import Role, TokenScope
from tests.support.api import bearer
from tests.support.factories import make_nomination, make_user


def test_support_is_given_refused_twice_and_taken_back(client, session, token):
    nomination = make_nomination(session)
    secret = token(scope=TokenScope.WRITE)
    address = f"/api/v1/nominations/{nomination.id}/support"
    given = client.post(address, json={"occurrences_per_week": 12}, headers=bearer(secret))
    assert given.status_code == 201 and given.json == {"nomination_id": nomination.id, "occurrences_per_week": 12.0}
    again = client.post(address, json={"occurrences_per_week": 12}, headers=bearer(secret))
    assert again.status_code == 422 and again.json["detail"] == "You already support this nomination."
    assert client.delete(address, headers=bearer(secret)).status_code == 204
    assert client.get(f"/api/v1/nominations/{nomination.id}", headers=bearer(secret)).json["supporters"] == 0


def test_comments_are_written_and_read_naming_people_as_the_page_does(client, session, token):
    hidden = make_user(session, name="Dana Secret", email="dana@hospital.test")
    nomination = make_nomination(session, submitter=hidden, anonymous=True)
    hidden_token = token(scope=TokenScope.WRITE, user=hidden)
    written = client.post(f"/api/v1/nominations/{nomination.id}/comments", json={"body": "It is worse at night."},
                          headers=bearer(hidden_token))
    assert written.status_code == 201 and written.json["text"] == "It is worse at night."
    other = token(scope=TokenScope.WRITE)
    client.post(f"/api/v1/nominations/{nomination.id}/comments", json={"body": "Same on 4 West."},
                headers=bearer(other))
    read = client.get(f"/api/v1/nominations/{nomination.id}/comments", headers=bearer(token(Role.BOARD)))
    assert [c["text"] for c in read.json["comments"]] == ["It is worse at night.", "Same on 4 West."]
    assert "Dana" not in read.get_data(as_text=True) and "dana@" not in read.get_data(as_text=True)
    empty = client.post(f"/api/v1/nominations/{nomination.id}/comments", json={"body": ""}, headers=bearer(other))
    assert empty.status_code == 422 and "body" in empty.json["fields"]

