"""The board's decisions through /api/v1, on both databases: each names the version it was made against in
If-Match (428 without, 412 when someone changed it since), goes through the same workflow as the board's panel
(what a move needs is refused with a field for each), and is the board's alone."""

from datetime import date

import pytest

from burden_tracker.enums import Role, State, TokenScope
from tests.support.api import PROBLEM, bearer
from tests.support.factories import limit_to_sites, make_department, make_nomination, make_site, make_user


@pytest.fixture
def chair(session):
    """The only board member: their approval is the board's majority."""
    return make_user(session, Role.BOARD, Role.STAFF, name="Dr. Alex Chen", can_sign_in=True)


def etag(client, secret: str, nomination_id: int) -> str:
    return client.get(f"/api/v1/nominations/{nomination_id}", headers=bearer(secret)).headers["ETag"]


def test_a_decision_without_if_match_is_refused_and_changes_nothing(client, session, token, chair):
    nomination = make_nomination(session)
    secret = token(scope=TokenScope.WRITE, user=chair)
    answer = client.post(f"/api/v1/nominations/{nomination.id}/reject", json={"note": "Required by CMS."},
                         headers=bearer(secret))
    assert answer.status_code == 428 and answer.content_type == PROBLEM
    assert client.get(f"/api/v1/nominations/{nomination.id}", headers=bearer(secret)).json["state"] == "proposed"


def test_a_decision_on_a_version_someone_changed_since_is_412(client, session, token, chair):
    nomination = make_nomination(session)
    secret = token(scope=TokenScope.WRITE, user=chair)
    seen = etag(client, secret, nomination.id)
    first = client.post(f"/api/v1/nominations/{nomination.id}/evaluate",
                        json={"minutes_per_occurrence": 1, "occurrences_per_week": 10, "clinicians_affected": 30,
                              "confirmed_source": "internal policy", "note": "Timed on 4 West."},
                        headers=bearer(secret, **{"If-Match": seen}))
    assert first.status_code == 200 and first.json["state"] == "evaluated"
    stale = client.post(f"/api/v1/nominations/{nomination.id}/reject", json={"note": "Required by CMS."},
                        headers=bearer(secret, **{"If-Match": seen}))
    assert stale.status_code == 412 and stale.content_type == PROBLEM
    assert client.get(f"/api/v1/nominations/{nomination.id}", headers=bearer(secret)).json["state"] == "evaluated"


def test_what_a_move_needs_is_refused_with_a_field_for_each(client, session, token, chair):
    nomination = make_nomination(session)
    secret = token(scope=TokenScope.WRITE, user=chair)
    answer = client.post(f"/api/v1/nominations/{nomination.id}/reject", json={"note": ""},
                         headers=bearer(secret, **{"If-Match": etag(client, secret, nomination.id)}))
    assert answer.status_code == 422 and "note" in answer.json["fields"]
    odd = client.post(f"/api/v1/nominations/{nomination.id}/duplicate", json={"duplicate_of": 0, "why": "same"},
                      headers=bearer(secret, **{"If-Match": etag(client, secret, nomination.id)}))
    assert odd.status_code == 422 and {"duplicate_of", "why"} <= set(odd.json["fields"])


def test_the_board_votes_then_retires_through_the_api(client, session, token, chair):
    nomination = make_nomination(session, state=State.EVALUATED, submitted_on=date(2026, 2, 2))
    secret = token(scope=TokenScope.WRITE, user=chair)
    voted = client.post(f"/api/v1/nominations/{nomination.id}/vote", json={"choice": "approve"},
                        headers=bearer(secret))
    assert voted.status_code == 200 and voted.json == {"nomination_id": nomination.id, "choice": "approve"}
    unresolved = client.post(f"/api/v1/nominations/{nomination.id}/retire",
                             json={"retired_on": "2026-11-30", "note": "The second row is gone from the flowsheet."},
                             headers=bearer(secret, **{"If-Match": etag(client, secret, nomination.id)}))
    assert unresolved.status_code == 422 and unresolved.json["fields"] == {
        "outcome": "How it was resolved is required."}
    retired = client.post(f"/api/v1/nominations/{nomination.id}/retire",
                          json={"retired_on": "2026-11-30", "outcome": "removed",
                                "note": "The second row is gone from the flowsheet."},
                          headers=bearer(secret, **{"If-Match": etag(client, secret, nomination.id)}))
    assert retired.status_code == 200 and retired.json["state"] == "retired"
    assert (retired.json["outcome"], retired.json["retired_on"]) == ("removed", "2026-11-30")


def test_a_revision_changes_the_values_and_the_version(client, session, token, chair):
    nomination = make_nomination(session)
    surgery = make_department(session, "Surgery")
    secret = token(scope=TokenScope.WRITE, user=chair)
    before = etag(client, secret, nomination.id)
    revised = client.post(f"/api/v1/nominations/{nomination.id}/revision", json={
        "minutes_per_occurrence": 2, "occurrences_per_week": 5, "clinicians_affected": 40,
        "department_id": surgery.id, "category_id": nomination.category_id, "affected_role": "nurse",
        "requirement_source": "payer", "reason": "Timed on the ward."}, headers=bearer(secret, **{"If-Match": before}))
    assert revised.status_code == 200, revised.json
    assert revised.json["department"] == "Surgery" and f'"{revised.json["version"]}"' != before


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.ADMIN])
def test_only_the_board_decides_and_votes(client, session, token, role):
    nomination = make_nomination(session, state=State.EVALUATED)
    secret = token(role, scope=TokenScope.WRITE)
    for path, body in (("reject", {"note": "No."}), ("vote", {"choice": "reject"})):
        answer = client.post(f"/api/v1/nominations/{nomination.id}/{path}", json=body,
                             headers=bearer(secret, **{"If-Match": etag(client, secret, nomination.id)}))
        assert answer.status_code == 403 and answer.json["detail"] == "It needs board."


def test_a_board_member_of_another_site_is_told_403_and_nothing_changes(client, session, token):
    kona = make_site(session, "Kona Community Hospital")
    pharmacy = make_department(session, "Pharmacy", site=kona)
    limited = make_user(session, Role.BOARD, Role.STAFF, can_sign_in=True)
    limit_to_sites(session, limited, kona)
    nomination = make_nomination(session, state=State.EVALUATED)  # at the first site, not Kona
    kept = make_nomination(session, state=State.EVALUATED, department_id=pharmacy.id)
    secret = token(scope=TokenScope.WRITE, user=limited)
    nomination_id, kept_id = nomination.id, kept.id
    session.rollback()
    for path, body in (("reject", {"note": "No."}), ("vote", {"choice": "reject"})):
        answer = client.post(f"/api/v1/nominations/{nomination_id}/{path}", json=body,
                             headers=bearer(secret, **{"If-Match": etag(client, secret, nomination_id)}))
        assert answer.status_code == 403 and answer.mimetype == PROBLEM, path
        assert answer.json["detail"].endswith("which you do not decide for."), answer.json
    assert client.get(f"/api/v1/nominations/{nomination_id}", headers=bearer(secret)).json["state"] == "evaluated"
    assert client.post(f"/api/v1/nominations/{kept_id}/vote", json={"choice": "approve"},
                       headers=bearer(secret)).status_code == 200  # their own site's
