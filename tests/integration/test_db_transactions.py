"""How a request's transaction ends (burden_tracker/db.py). On PostgreSQL a page that only read (a GET) runs in a
READ ONLY transaction and ends with COMMIT, so that the statements psycopg prepared are kept; whatever a
read tries to change is not saved, on either database."""

import pytest
from sqlalchemy import text, update

from burden_tracker.db import get_session
from burden_tracker.models import Nomination
from tests.support.factories import make_nomination, make_user
from tests.support.web import sign_in


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_pages_that_only_read_keep_the_list_query_prepared_on_postgresql(app, client, session):
    make_nomination(session, title="Fax the referral twice")
    session.commit()
    sign_in(client, make_user(session, can_sign_in=True).email)
    for _ in range(8):  # psycopg prepares a statement on its fifth run
        assert client.get("/nominations").status_code == 200
    engine = app.extensions["db_engine"]
    assert engine.pool.checkedin() == 1  # one connection served every request, and this reads its statements
    with engine.connect() as connection:
        prepared = connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("FROM nominations" in statement for statement in prepared), prepared


def _change_an_object(nomination_id: int) -> None:
    get_session().get(Nomination, nomination_id).title = "Changed by a page that only reads"


def _flush_a_change(nomination_id: int) -> None:
    _change_an_object(nomination_id)
    get_session().flush()


def _run_an_update(nomination_id: int) -> None:
    get_session().execute(update(Nomination).where(Nomination.id == nomination_id)
                          .values(title="Updated by a page that only reads"))


@pytest.mark.parametrize("write", [_change_an_object, _flush_a_change, _run_an_update])
def test_a_page_that_writes_while_it_reads_saves_nothing(app, client, session, write):
    """On PostgreSQL the server refuses a write that reaches it (a READ ONLY transaction); on SQLite it is rolled
    back. A change that never reached the database is simply not saved, and the page still answers."""
    nomination_id = make_nomination(session, title="Print and scan the consent").id
    session.commit()
    app.add_url_rule("/test-only/<int:nomination_id>", "writes_while_reading",
                     lambda nomination_id: write(nomination_id) or "read")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    sign_in(client, make_user(session, can_sign_in=True).email)
    response = client.get(f"/test-only/{nomination_id}")
    session.expire_all()
    assert session.get(Nomination, nomination_id).title == "Print and scan the consent"
    assert response.status_code == 200 or write is not _change_an_object


def test_a_change_after_pages_that_only_read_is_saved(app, client, session):
    """The read-only pages' connections go back to the pool and serve writes again."""
    nomination_id = make_nomination(session, title="Fax the discharge summary").id
    session.commit()

    @app.post("/test-only/retitle/<int:nomination_id>")
    def retitle(nomination_id):
        db_session = get_session()
        db_session.get(Nomination, nomination_id).title = "Send the discharge summary once"
        db_session.commit()
        return "written"

    app.config["WTF_CSRF_ENABLED"] = False
    sign_in(client, make_user(session, can_sign_in=True).email)
    for _ in range(3):
        assert client.get("/nominations").status_code == 200
    assert client.post(f"/test-only/retitle/{nomination_id}").status_code == 200
    session.expire_all()
    assert session.get(Nomination, nomination_id).title == "Send the discharge summary once"
