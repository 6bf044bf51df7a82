"""Every route in the URL map, for every role, against the status it must answer.

A route missing from MATRIX fails the test: adding a page means deciding who may use it.
"""

import re

import pytest
from flask import url_for

from burden_tracker.enums import State
from tests.support.factories import make_nomination, make_user
from tests.support.routes import AFTER_PASSWORD, MATRIX, ROLE_SETS, ROLES
from tests.support.web import sign_in

SAMPLE_ARGUMENTS = {"filename": "css/app.css", "token": "not-a-real-token", "quarter": "2026-Q3",
                    "kind": "departments", "action": "deactivate", "file_type": "xlsx",
                    "comment_id": 1, "attachment_id": 1, "token_id": 1, "endpoint_id": 1,
                    "workbook_id": 1, "myth_id": 1, "card_id": 1}



def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_an_entry_in_the_matrix(app):
    missing = [f"{rule.endpoint} {method} {rule.rule}" for rule, method in routes(app)
               if (rule.endpoint, method) not in MATRIX]
    assert missing == [], "add these routes to MATRIX with the roles that may use them"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_routes_the_matrix_allows(app, client, session, role):
    nomination = make_nomination(session, state=State.PROPOSED)
    other_id = make_nomination(session, state=State.EVALUATED, title="Another burden to compare").id
    if role != "anonymous":
        user = make_user(session, *ROLE_SETS[role], can_sign_in=True)
        sign_in(client, user.email)
    token = re.search(r'"X-CSRFToken": "([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/login").get_data(as_text=True))
    csrf = token[1] or token[2]
    values = {**SAMPLE_ARGUMENTS, "nomination_id": nomination.id, "other_id": other_id,
              "user_id": nomination.submitter_id, "item_id": nomination.department_id}
    wrong = []
    for rule, method in routes(app):
        if (rule.endpoint, method) == ("auth.logout", "POST"):
            continue  # signing out here would end the session for the routes after it
        with app.test_request_context():
            url = url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})
        response = client.open(url, method=method, data={"csrf_token": csrf},
                               headers={"X-CSRFToken": csrf})
        status = response.status_code
        response.close()
        allowed = role in MATRIX[(rule.endpoint, method)]
        to_login = status in (302, 303) and "/login" in response.headers.get("Location", "")
        if allowed and (status == 403 or (to_login and rule.endpoint not in AFTER_PASSWORD) or status >= 500):
            wrong.append(f"{method} {url}: {status}, expected to be let in")
        if not allowed and role == "anonymous" and not to_login:
            wrong.append(f"{method} {url}: {status}, expected a redirect to /login")
        if not allowed and role != "anonymous" and status != 403:
            wrong.append(f"{method} {url}: {status}, expected 403")
    assert wrong == []
