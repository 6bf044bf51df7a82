"""Every operation of /api/v1 with a token of each role: let through for exactly the roles its page lets through
(tests/support/routes.MATRIX), refused otherwise with 403 as a problem; and a token that only reads is refused
every change. The requests are valid, so that a refusal can only be the role's. On SQLite and PostgreSQL."""

import pytest
from flask import url_for

from burden_tracker.enums import TokenScope
from tests.support.api import PROBLEM, bearer
from tests.support.factories import make_department, make_nomination
from tests.support.routes import MATRIX, ROLE_SETS

# The page each operation does what it does on: the API lets through whom that page lets through.
AS_PAGE = {
    "api.list_of_nominations": ("browse.index", "GET"), "api.one_nomination": ("nominations.show", "GET"),
    "api.comments": ("nominations.show", "GET"), "api.create_nomination": ("nominate.new", "POST"),
    "api.add_support": ("nominations.support", "POST"),
    "api.take_back_support": ("nominations.take_back_support", "POST"),
    "api.add_comment": ("nominations.comment", "POST"),
    **{f"api.{name}": (f"decide.{name}", "POST") for name in ("evaluate", "reopen", "retire", "reject",
                                                              "duplicate", "vote", "revise")},
    "api.quarter_figures": ("dashboard.index", "GET"), "api.quarter_workbook": ("reports.workbook", "GET"),
    "api.import_ehr_metrics": ("metrics_admin.upload", "POST"),
}
DESCRIPTION = {"api.openapi", "api.docs"}  # open to anyone: it names no one


def operations(app) -> list[tuple[str, str]]:
    return sorted((rule.endpoint, method) for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("api.") and rule.endpoint not in DESCRIPTION
                  for method in rule.methods - {"HEAD", "OPTIONS"})


def valid_request(endpoint: str, nomination, other) -> dict:
    """What a program that may do it sends: the body, and the version for a decision."""
    if endpoint == "api.import_ehr_metrics":
        return {"data": b"Department,Month,Metric,Value\n", "content_type": "text/csv"}
    bodies = {
        "api.create_nomination": {"title": "Wristband printed twice", "description": "Printed twice.",
                                  "category": "task", "department": "Emergency Department", "affected_role": "nurse",
                                  "requirement_source": "payer", "minutes_per_occurrence": 1,
                                  "occurrences_per_week": 5, "clinicians_affected": 10},
        "api.add_support": {"occurrences_per_week": 2}, "api.add_comment": {"body": "Same on 4 West."},
        "api.evaluate": {"minutes_per_occurrence": 2, "occurrences_per_week": 10, "clinicians_affected": 40,
                         "confirmed_source": "internal policy", "note": "Checked on two wards."},
        "api.reopen": {"note": "How many units?"}, "api.reject": {"note": "Required by the state."},
        "api.retire": {"retired_on": "2026-03-01", "outcome": "removed", "note": "Row removed."},
        "api.duplicate": {"duplicate_of": other.id},
        "api.vote": {"choice": "approve"},
        "api.revise": {"minutes_per_occurrence": 2, "occurrences_per_week": 5, "clinicians_affected": 40,
                       "department_id": nomination.department_id, "category_id": nomination.category_id,
                       "affected_role": "nurse", "requirement_source": "payer", "reason": "Timed on the ward."}}
    return {"json": bodies.get(endpoint), "headers_more": {"If-Match": f'"{nomination.version}"'}}


def ask(app, client, secret: str, endpoint: str, method: str, nomination, other):
    with app.test_request_context():
        url = url_for(endpoint, **{name: value for name, value in
                                   {"nomination_id": nomination.id, "quarter": "2026-Q3"}.items()
                                   if name in {argument for rule in app.url_map.iter_rules(endpoint)
                                               for argument in rule.arguments}})
    sent = valid_request(endpoint, nomination, other)
    headers = bearer(secret, **sent.pop("headers_more", {}))
    return client.open(url, method=method, headers=headers, **sent)


def test_every_operation_names_the_page_it_mirrors(app):
    assert sorted(AS_PAGE) == sorted({endpoint for endpoint, _ in operations(app)})


@pytest.mark.parametrize("role", ["staff", "board", "executive", "admin"])
def test_a_token_may_do_exactly_what_its_owners_pages_allow(app, client, session, token, role):
    make_department(session)
    secret = token(*ROLE_SETS[role], scope=TokenScope.WRITE)
    wrong = []
    for endpoint, method in operations(app):
        nomination = make_nomination(session, title=f"Fall risk charted twice, for {endpoint}")
        other = make_nomination(session, title=f"Morse score again, for {endpoint}")
        with ask(app, client, secret, endpoint, method, nomination, other) as answer:
            status, mimetype = answer.status_code, answer.mimetype
        allowed = role in MATRIX[AS_PAGE[endpoint]]
        if allowed and (status in (401, 403) or status >= 500):
            wrong.append(f"{method} {endpoint}: {status}, expected to be let through")
        if not allowed and (status, mimetype) != (403, PROBLEM):
            wrong.append(f"{method} {endpoint}: {status} {mimetype}, expected a 403 problem")
    assert wrong == []


def test_a_token_that_only_reads_is_refused_every_change(app, client, session, token):
    make_department(session)
    secret = token(*ROLE_SETS["board"], *ROLE_SETS["admin"], scope=TokenScope.READ)
    nomination, other = make_nomination(session), make_nomination(session, title="Morse score again")
    changes = [(endpoint, method) for endpoint, method in operations(app) if method != "GET"]
    assert len(changes) == 12
    for endpoint, method in changes:
        with ask(app, client, secret, endpoint, method, nomination, other) as answer:
            assert (answer.status_code, answer.get_json()["title"]) == (403, "This token only reads."), endpoint
