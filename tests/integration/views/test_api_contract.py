"""/api/v1 driven from its own OpenAPI document by schemathesis: each operation is sent requests made from the
document's schemas, fitting and not, and each answer is checked against the document (a status it declares, its
media type and headers, a body its schema accepts) and for a server error. So the document and the code cannot
drift apart. Half the requests are aimed at nominations that exist, with their version, so that the answers include
the changes themselves and not only refusals. On SQLite and PostgreSQL."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlmodel import select

from burden_tracker import create_app
from burden_tracker.enums import Role, State, TokenScope
from burden_tracker.models import Nomination
from tests.support.factories import make_department, make_nomination, make_user

EXAMPLES = 15  # each operation's requests; the values that matter most have tests of their own (test_api*.py)
# Every check but one: a value the document admits may still be refused by the program's rules, answered 422 with
# the field named (a department it does not know, an estimate past belief, a cursor from another list).
NOT_CHECKED = [positive_data_acceptance]


@pytest.fixture
def api_app(engine, database_url, tmp_path):
    """The tests' app, letting a token make as many requests as the test sends: the limit has tests of its own."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "a key for tests only",
                      "ATTACHMENTS_DIR": str(tmp_path / "attachments"), "JOBS_URL": "immediate",
                      "API_REQUESTS_PER_MINUTE": 1_000_000})
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def bearer(session, token) -> dict[str, str]:
    member = make_user(session, Role.BOARD, Role.STAFF, Role.ADMIN, can_sign_in=True)
    return {"Authorization": f"Bearer {token(user=member, scope=TokenScope.WRITE)}"}


def aimed(case, data, session) -> None:
    """Half the time, at a nomination that exists, with its version, or at a quarter the reports know; a new
    nomination in a department and category known."""
    if "nomination_id" in (case.path_parameters or {}) and data.draw(st.booleans()):
        versions = dict(session.exec(select(Nomination.id, Nomination.version)).all())
        session.commit()  # end the read: on SQLite it would hold the lock the request writes under
        chosen = data.draw(st.sampled_from(sorted(versions)))
        case.path_parameters["nomination_id"] = chosen
        if case.headers is not None and "If-Match" in case.headers or data.draw(st.booleans()):
            case.headers = {**(case.headers or {}), "If-Match": f'"{versions[chosen]}"'}
    if "quarter" in (case.path_parameters or {}) and data.draw(st.booleans()):
        case.path_parameters["quarter"] = "2026-Q3"
    if case.path == "/api/v1/nominations" and isinstance(case.body, dict) and data.draw(st.booleans()):
        case.body = {**case.body, "department": "Emergency Department", "category": "task"}


# schemathesis's WSGI client reads a file sent in answer (the workbook) and leaves it for the garbage collector to
# close; a server closes it as it finishes sending.
@pytest.mark.filterwarnings("ignore:unclosed file <_io.BufferedRandom:ResourceWarning",
                            "ignore:Exception ignored in. <_io.FileIO:pytest.PytestUnraisableExceptionWarning")
def test_every_operation_answers_as_its_document_says(api_app, session, bearer):
    make_department(session)
    for state in (State.PROPOSED, State.EVALUATED, State.RETIRED):
        make_nomination(session, state=state, title=f"Fall risk charted twice, {state.value}")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # List, create, read; support and take back; comments, add; seven decisions; a quarter's figures, its workbook;
    # the metrics import.
    assert len(operations) == 17
    failed = {}
    for operation in operations:
        @given(case=operation.as_strategy(), data=st.data())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def answers_as_documented(case, data):
            aimed(case, data, session)
            case.call_and_validate(headers=bearer, excluded_checks=NOT_CHECKED)

        try:
            answers_as_documented()
        except Exception as error:  # noqa: BLE001  every operation is tried; then all that failed are named
            failed[operation.label] = str(error)[:3000]
    assert failed == {}
